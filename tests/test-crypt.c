/* test-crypt.c: encrypted copies (cw-crypt.h). A copy of the example
 * project is encrypted; its bytes hold no word of the transcripts, it
 * decrypts to the same project, and a wrong passphrase, any changed byte,
 * a truncated or extended file are refused with nothing written. Files made
 * here from the format described in cw-crypt.c check the format itself
 * (a reader of the documented format, chunk order, a missing final tag). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "cw-codebook.h"
#include "cw-crypt.h"
#include "cw-test-util.h"

#define PASSPHRASE "correct horse battery staple"
#define CHUNK      (64 * 1024)
#define ABYTES     crypto_secretstream_xchacha20poly1305_ABYTES
#define HEADER_LEN 62

/* Every temporary directory of the test (and of the core) lives here, so
 * leftovers of a snapshot can be looked for. */
static char *tmp_root;

typedef struct
{
  char  *dir;
  char  *project;    /* a copy of the example, closed */
  char  *encrypted;  /* its encrypted copy */
  char  *dump;       /* cw_test_dump of the project */
} Fixture;

static void
encrypt_path (const char *project_path,
              const char *out,
              const char *passphrase)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) project = cw_project_open (project_path, &error);

  g_assert_no_error (error);
  g_assert_true (cw_project_write_encrypted (project, out, passphrase, NULL, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&project));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  (void) data;
  f->dir = cw_test_make_dir ();
  f->project = cw_test_copy_example (f->dir, "example.codewerk");
  f->encrypted = g_build_filename (f->dir, "example.codewerk-enc", NULL);
  f->dump = cw_test_dump (f->project);
  encrypt_path (f->project, f->encrypted, PASSPHRASE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  (void) data;
  cw_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->project);
  g_free (f->encrypted);
  g_free (f->dump);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static void
write_data (const char *path,
            const void *data,
            gsize       len)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, data, len, &error));
  g_assert_no_error (error);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The names in dir, sorted, joined with spaces. */
static char *
list_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* No snapshot or other temporary directory left behind. */
static void
assert_no_temporaries (void)
{
  g_autofree char *left = list_dir (tmp_root);
  g_auto(GStrv) names = g_strsplit (left, " ", -1);

  for (guint i = 0; names[i] != NULL; i++)
    g_assert_false (g_str_has_prefix (names[i], "codewerk-crypt-"));
}

/* Decrypting in_path must fail with code (in CW_CRYPT_ERROR, or domain)
 * and leave dir exactly as it was. */
static void
assert_refused_full (const char *dir,
                     const char *in_path,
                     const char *passphrase,
                     GQuark      domain,
                     int         code)
{
  g_autofree char *out = g_build_filename (dir, "restored.codewerk", NULL);
  g_autofree char *before = list_dir (dir);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (cw_crypt_decrypt_file (in_path, out, passphrase, NULL, &error));
  g_assert_error (error, domain, code);
  /* The message names the file. */
  g_assert_true (g_str_has_prefix (error->message, in_path));
  after = list_dir (dir);
  g_assert_cmpstr (after, ==, before);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static void
assert_refused (const char *dir,
                const char *in_path,
                int         code)
{
  assert_refused_full (dir, in_path, PASSPHRASE, CW_CRYPT_ERROR, code);
}

static void
assert_restores (const char *in_path,
                 const char *passphrase,
                 const char *dir,
                 const char *expected_dump)
{
  g_autofree char *out = g_build_filename (dir, "restored.codewerk", NULL);
  g_autofree char *dump = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) project = NULL;

  g_assert_true (cw_crypt_decrypt_file (in_path, out, passphrase, NULL, &error));
  g_assert_no_error (error);
  dump = cw_test_dump (out);
  g_assert_cmpstr (dump, ==, expected_dump);
  /* It opens as a project. */
  project = cw_project_open (out, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&project));
  g_unlink (out);
}

static void
test_no_plain_text (Fixture       *f,
                    gconstpointer  data)
{
  /* Names, places and distinctive words from the transcripts, the cohort
   * file, the codebook and the memos of the example. */
  static const char *const words[] = {
    "Mohammed", "Kevin", "Sanne", "Dewi", "Lelystad", "Orderpicken", "distributiecentrum",
    "Praktijkschool", "Gespreksleider", "Berkel-Enschot", "familiebedrijf", "Gerard",
    "Marloes", "Onderzoeksvraag", "Jobcoach", "PolitieContact", "SQLite format 3",
  };
  g_autoptr(GBytes) plain = read_bytes (f->project);
  g_autoptr(GBytes) sealed = read_bytes (f->encrypted);
  struct stat st;

  (void) data;
  g_assert_true (cw_crypt_is_encrypted (f->encrypted));
  g_assert_false (cw_crypt_is_encrypted (f->project));
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      gsize len = strlen (words[i]);

      /* The word is there to find in the project itself... */
      g_assert_nonnull (memmem (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain), words[i], len));
      /* ...and not in its encrypted copy. */
      g_assert_null (memmem (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), words[i], len));
    }
  /* A header, the whole snapshot in chunks of 64 KiB + 17, and a final
   * chunk: nothing more (the project file is closed, so it is the snapshot). */
  g_assert_cmpuint (g_bytes_get_size (sealed), ==,
                    HEADER_LEN + g_bytes_get_size (plain) + (g_bytes_get_size (plain) / CHUNK + 1) * ABYTES);
  /* Only the user may read it. */
  g_assert_cmpint (g_stat (f->encrypted, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  assert_no_temporaries ();
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *before = list_dir (f->dir);
  g_autofree char *after = NULL;
  g_autoptr(GBytes) first = read_bytes (f->encrypted);
  g_autoptr(GBytes) second = NULL;
  g_autofree char *again = g_build_filename (f->dir, "again.codewerk-enc", NULL);

  (void) data;
  assert_restores (f->encrypted, PASSPHRASE, f->dir, f->dump);
  after = list_dir (f->dir);
  g_assert_cmpstr (after, ==, before);

  /* A fresh salt and stream header every time: two copies differ. */
  encrypt_path (f->project, again, PASSPHRASE);
  second = read_bytes (again);
  g_assert_cmpuint (g_bytes_get_size (first), ==, g_bytes_get_size (second));
  g_assert_false (g_bytes_equal (first, second));
  assert_restores (again, PASSPHRASE, f->dir, f->dump);
}

static void
test_wrong_passphrase (Fixture       *f,
                       gconstpointer  data)
{
  static const char *const wrong[] = {
    "correct horse battery stapler", "Correct horse battery staple", "", "correct horse battery staple ",
  };

  (void) data;
  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    assert_refused_full (f->dir, f->encrypted, wrong[i], CW_CRYPT_ERROR, CW_CRYPT_ERROR_WRONG_PASSPHRASE);
}

static void
test_changed_byte (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) sealed = read_bytes (f->encrypted);
  gsize size = g_bytes_get_size (sealed);
  g_autofree char *changed = g_build_filename (f->dir, "changed.codewerk-enc", NULL);
  struct
  {
    gsize offset;
    int   code;
  } cases[] = {
    { 0, CW_CRYPT_ERROR_NOT_ENCRYPTED },       /* magic */
    { 4, CW_CRYPT_ERROR_NOT_ENCRYPTED },
    { 5, CW_CRYPT_ERROR_DAMAGED },             /* version 1 -> 0 */
    { 6, CW_CRYPT_ERROR_WRONG_PASSPHRASE },    /* opslimit 2 -> 3: another key */
    { 14, CW_CRYPT_ERROR_WRONG_PASSPHRASE },   /* memlimit + 1 byte: the same key, but the header is bound */
    { 17, CW_CRYPT_ERROR_WRONG_PASSPHRASE },   /* memlimit 64 -> 80 MiB */
    { 21, CW_CRYPT_ERROR_DAMAGED },            /* memlimit beyond what we accept */
    { 22, CW_CRYPT_ERROR_WRONG_PASSPHRASE },   /* salt */
    { 37, CW_CRYPT_ERROR_WRONG_PASSPHRASE },
    { 38, CW_CRYPT_ERROR_WRONG_PASSPHRASE },   /* secretstream header */
    { 61, CW_CRYPT_ERROR_WRONG_PASSPHRASE },
    { 62, CW_CRYPT_ERROR_WRONG_PASSPHRASE },   /* first chunk */
    { 62 + CHUNK + ABYTES - 1, CW_CRYPT_ERROR_WRONG_PASSPHRASE }, /* its tag */
    { 62 + CHUNK + ABYTES, CW_CRYPT_ERROR_DAMAGED },              /* second chunk */
    { size / 2, CW_CRYPT_ERROR_DAMAGED },
    { size - ABYTES, CW_CRYPT_ERROR_DAMAGED }, /* the final chunk */
    { size - 1, CW_CRYPT_ERROR_DAMAGED },      /* last byte */
  };

  (void) data;
  /* Several chunks, so "middle" and "second" are not the first or last. */
  g_assert_cmpuint (size, >, 62 + 3 * (CHUNK + ABYTES));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (sealed, NULL), size);

      g_test_message ("byte %" G_GSIZE_FORMAT, cases[i].offset);
      copy[cases[i].offset] ^= 0x01;
      write_data (changed, copy, size);
      assert_refused (f->dir, changed, cases[i].code);
    }

  /* Every bit of the header and the first chunk's tag region would take
   * too long at 0.1 s a key; flipping the high bit matters as well. */
  {
    g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (sealed, NULL), size);

    copy[100] ^= 0x80;
    write_data (changed, copy, size);
    assert_refused (f->dir, changed, CW_CRYPT_ERROR_WRONG_PASSPHRASE);
  }
  /* A newer format version is said as such. */
  {
    g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (sealed, NULL), size);

    copy[5] = 2;
    write_data (changed, copy, size);
    assert_refused (f->dir, changed, CW_CRYPT_ERROR_VERSION);
  }
  assert_restores (f->encrypted, PASSPHRASE, f->dir, f->dump);
}

static void
test_truncated_extended (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GBytes) sealed = read_bytes (f->encrypted);
  const guint8 *bytes = g_bytes_get_data (sealed, NULL);
  gsize size = g_bytes_get_size (sealed);
  g_autofree char *changed = g_build_filename (f->dir, "changed.codewerk-enc", NULL);
  struct
  {
    gsize length;
    int   code;
  } cuts[] = {
    { 0, CW_CRYPT_ERROR_NOT_ENCRYPTED },
    { 3, CW_CRYPT_ERROR_NOT_ENCRYPTED },
    { 6, CW_CRYPT_ERROR_DAMAGED },
    { 40, CW_CRYPT_ERROR_DAMAGED },
    { HEADER_LEN, CW_CRYPT_ERROR_DAMAGED },              /* header only */
    { HEADER_LEN + 10, CW_CRYPT_ERROR_DAMAGED },         /* less than a tag */
    { HEADER_LEN + 100, CW_CRYPT_ERROR_WRONG_PASSPHRASE },/* a cut first chunk does not open */
    { HEADER_LEN + CHUNK + ABYTES, CW_CRYPT_ERROR_DAMAGED },     /* at a chunk's end */
    { HEADER_LEN + 2 * (CHUNK + ABYTES), CW_CRYPT_ERROR_DAMAGED },
    { size - ABYTES, CW_CRYPT_ERROR_DAMAGED },
    { size - 1, CW_CRYPT_ERROR_DAMAGED },
  };
  static const gsize appended[] = { 1, ABYTES, 1000 };

  (void) data;
  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      g_test_message ("cut to %" G_GSIZE_FORMAT, cuts[i].length);
      write_data (changed, bytes, cuts[i].length);
      assert_refused (f->dir, changed, cuts[i].code);
    }
  for (guint i = 0; i < G_N_ELEMENTS (appended); i++)
    {
      g_autofree guint8 *longer = g_malloc0 (size + appended[i]);

      memcpy (longer, bytes, size);
      write_data (changed, longer, size + appended[i]);
      assert_refused (f->dir, changed, CW_CRYPT_ERROR_DAMAGED);
    }
  /* Two chunks swapped. */
  {
    g_autofree guint8 *swapped = g_memdup2 (bytes, size);
    gsize second = HEADER_LEN + CHUNK + ABYTES, third = second + CHUNK + ABYTES;

    memcpy (swapped + second, bytes + third, CHUNK + ABYTES);
    memcpy (swapped + third, bytes + second, CHUNK + ABYTES);
    write_data (changed, swapped, size);
    assert_refused (f->dir, changed, CW_CRYPT_ERROR_DAMAGED);
  }
}

static void
test_weak_passphrase (Fixture       *f,
                      gconstpointer  data)
{
  static const char *const weak[] = { "", "kort", "1234567", "ééééééé" /* 7 characters, 14 bytes */ };
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) project = cw_project_open (f->project, &error);
  g_autofree char *out = g_build_filename (f->dir, "weak.codewerk-enc", NULL);
  g_autofree char *before = list_dir (f->dir);

  (void) data;
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (weak); i++)
    {
      g_autofree char *after = NULL;

      g_assert_false (cw_project_write_encrypted (project, out, weak[i], NULL, &error));
      g_assert_error (error, CW_CRYPT_ERROR, CW_CRYPT_ERROR_WEAK_PASSPHRASE);
      g_clear_error (&error);
      g_assert_false (cw_crypt_check_passphrase (weak[i], &error));
      g_assert_error (error, CW_CRYPT_ERROR, CW_CRYPT_ERROR_WEAK_PASSPHRASE);
      g_clear_error (&error);
      after = list_dir (f->dir);
      g_assert_cmpstr (after, ==, before);
    }
  /* Eight characters are enough, in any script. */
  g_assert_true (cw_crypt_check_passphrase ("12345678", &error));
  g_assert_true (cw_crypt_check_passphrase ("éééééééé", &error));
  g_assert_no_error (error);
  assert_no_temporaries ();
  g_assert_finalize_object (g_steal_pointer (&project));
}

static void
test_not_encrypted (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (f->dir, "missing.codewerk-enc", NULL);
  g_autofree char *text = g_build_filename (f->dir, "notes.txt", NULL);
  g_autofree char *empty = g_build_filename (f->dir, "empty.codewerk-enc", NULL);
  g_autoptr(GError) error = NULL;

  (void) data;
  write_data (text, "Kevin: Ja.\n", 11);
  write_data (empty, "", 0);
  assert_refused (f->dir, f->project, CW_CRYPT_ERROR_NOT_ENCRYPTED);
  assert_refused (f->dir, text, CW_CRYPT_ERROR_NOT_ENCRYPTED);
  assert_refused (f->dir, empty, CW_CRYPT_ERROR_NOT_ENCRYPTED);
  assert_refused_full (f->dir, missing, PASSPHRASE, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_false (cw_crypt_is_encrypted (missing));
  g_assert_false (cw_crypt_is_encrypted (empty));

  /* The same verdicts without a passphrase. */
  g_assert_false (cw_crypt_check_file (text, &error));
  g_assert_error (error, CW_CRYPT_ERROR, CW_CRYPT_ERROR_NOT_ENCRYPTED);
  g_clear_error (&error);
  g_assert_false (cw_crypt_check_file (missing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (cw_crypt_check_file (f->encrypted, &error));
  g_assert_no_error (error);
}

static void
test_no_overwrite (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) project = cw_project_open (f->project, &error);
  g_autoptr(GBytes) before = read_bytes (f->encrypted);
  g_autoptr(GBytes) after = NULL;
  g_autofree char *other = g_build_filename (f->dir, "other.codewerk", NULL);
  g_autofree char *listing = list_dir (f->dir);
  g_autofree char *listing_after = NULL;

  (void) data;
  g_assert_no_error (error);
  g_assert_false (cw_project_write_encrypted (project, f->encrypted, PASSPHRASE, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  after = read_bytes (f->encrypted);
  g_assert_true (g_bytes_equal (before, after));

  /* Nor a project. */
  write_data (other, "precious", 8);
  g_assert_false (cw_crypt_decrypt_file (f->encrypted, other, PASSPHRASE, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_unlink (other);
  listing_after = list_dir (f->dir);
  g_assert_cmpstr (listing_after, ==, listing);
  g_assert_finalize_object (g_steal_pointer (&project));
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CwProject) project = cw_project_open (f->project, &error);
  g_autofree char *out = g_build_filename (f->dir, "cancelled.codewerk-enc", NULL);
  g_autofree char *restored = g_build_filename (f->dir, "cancelled.codewerk", NULL);
  g_autofree char *before = list_dir (f->dir);
  g_autofree char *after = NULL;

  (void) data;
  g_assert_no_error (error);
  g_cancellable_cancel (cancellable);
  g_assert_false (cw_project_write_encrypted (project, out, PASSPHRASE, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (cw_crypt_decrypt_file (f->encrypted, restored, PASSPHRASE, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  after = list_dir (f->dir);
  g_assert_cmpstr (after, ==, before);
  assert_no_temporaries ();
  g_assert_finalize_object (g_steal_pointer (&project));
}

/* The snapshot is of the project as the open connection sees it,
 * committed changes still in the WAL included; the project is unchanged. */
static void
test_snapshot_of_open_project (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) project = cw_project_open (f->project, &error);
  g_autoptr(CwProject) restored_project = NULL;
  g_autofree char *out = g_build_filename (f->dir, "fresh.codewerk-enc", NULL);
  g_autofree char *restored = g_build_filename (f->dir, "fresh.codewerk", NULL);
  g_autofree char *wal = g_strconcat (f->project, "-wal", NULL);
  g_autofree char *dump_before = NULL, *dump_after = NULL, *dump_restored = NULL;
  gint64 id;

  (void) data;
  g_assert_no_error (error);
  id = cw_project_add_code (project, "Versleuteld/Nieuw", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  /* Still in the WAL, not in the file. */
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  dump_before = cw_test_dump (f->project);
  g_assert_true (cw_project_write_encrypted (project, out, PASSPHRASE, NULL, &error));
  g_assert_no_error (error);
  dump_after = cw_test_dump (f->project);
  g_assert_cmpstr (dump_after, ==, dump_before);

  g_assert_true (cw_crypt_decrypt_file (out, restored, PASSPHRASE, NULL, &error));
  g_assert_no_error (error);
  dump_restored = cw_test_dump (restored);
  g_assert_cmpstr (dump_restored, ==, dump_before);
  restored_project = cw_project_open (restored, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cw_project_lookup_code (restored_project, "Versleuteld/Nieuw", &error), ==, id);
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&restored_project));
  g_assert_finalize_object (g_steal_pointer (&project));
}

/* The same passphrase in another Unicode form (NFD, as macOS types it). */
static void
test_normalized_passphrase (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *out = g_build_filename (f->dir, "cafe.codewerk-enc", NULL);

  (void) data;
  encrypt_path (f->project, out, "geheim café 2017"); /* é as one code point */
  assert_restores (out, "geheim cafe\xcc\x81 2017", f->dir, f->dump);
  assert_refused_full (f->dir, out, "geheim cafe 2017", CW_CRYPT_ERROR, CW_CRYPT_ERROR_WRONG_PASSPHRASE);
}

/* A writer of the documented format, independent of cw-crypt.c. */
typedef enum
{
  WRITE_PLAIN,
  WRITE_NO_FINAL,      /* every chunk tagged MESSAGE */
  WRITE_AFTER_FINAL,   /* one more chunk after the final one */
} WriteMode;

static void
write_format (const char   *path,
              const guint8 *plain,
              gsize         len,
              const char   *passphrase,
              guint64       opslimit,
              guint64       memlimit,
              WriteMode     mode)
{
  guint8 header[HEADER_LEN];
  guint8 key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
  crypto_secretstream_xchacha20poly1305_state state;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree guint8 *cipher = g_malloc (CHUNK + ABYTES);
  gsize at = 0;
  gboolean first = TRUE;

  memcpy (header, "CWENC", 5);
  header[5] = 1;
  for (guint i = 0; i < 8; i++)
    {
      header[6 + i] = (guint8) (opslimit >> (8 * i));
      header[14 + i] = (guint8) (memlimit >> (8 * i));
    }
  randombytes_buf (header + 22, crypto_pwhash_SALTBYTES);
  g_assert_cmpint (crypto_pwhash (key, sizeof key, passphrase, strlen (passphrase), header + 22,
                                  crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                                  crypto_pwhash_ALG_ARGON2ID13), ==, 0);
  crypto_secretstream_xchacha20poly1305_init_push (&state, header + 38, key);
  g_byte_array_append (out, header, sizeof header);
  for (;;)
    {
      gsize n = MIN (CHUNK, len - at);
      gboolean last = n < CHUNK;
      unsigned long long clen;
      guint8 tag = last && mode != WRITE_NO_FINAL ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                                                  : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;

      crypto_secretstream_xchacha20poly1305_push (&state, cipher, &clen, plain + at, n,
                                                  first ? header : NULL, first ? sizeof header : 0, tag);
      g_byte_array_append (out, cipher, clen);
      first = FALSE;
      at += n;
      if (last)
        break;
    }
  if (mode == WRITE_AFTER_FINAL)
    {
      unsigned long long clen;

      crypto_secretstream_xchacha20poly1305_push (&state, cipher, &clen, plain, 10, NULL, 0,
                                                  crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
      g_byte_array_append (out, cipher, clen);
    }
  sodium_memzero (key, sizeof key);
  write_data (path, out->data, out->len);
}

static void
test_format (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GBytes) plain = read_bytes (f->project);
  const guint8 *bytes = g_bytes_get_data (plain, NULL);
  gsize size = g_bytes_get_size (plain);
  g_autofree char *made = g_build_filename (f->dir, "made.codewerk-enc", NULL);
  static const char text[] = "Kevin: Ja.\nSanne: Ja hoor, prima.\n";

  (void) data;
  g_assert_cmpint (sodium_init (), >=, 0);
  /* The documented format opens (a project is a multiple of 64 KiB or
   * not: both ways of ending are tried). */
  write_format (made, bytes, size, PASSPHRASE, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                crypto_pwhash_MEMLIMIT_INTERACTIVE, WRITE_PLAIN);
  assert_restores (made, PASSPHRASE, f->dir, f->dump);

  write_format (made, bytes, size, PASSPHRASE, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                crypto_pwhash_MEMLIMIT_INTERACTIVE, WRITE_NO_FINAL);
  assert_refused (f->dir, made, CW_CRYPT_ERROR_DAMAGED);
  write_format (made, bytes, size, PASSPHRASE, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                crypto_pwhash_MEMLIMIT_INTERACTIVE, WRITE_AFTER_FINAL);
  assert_refused (f->dir, made, CW_CRYPT_ERROR_DAMAGED);

  /* Sealed correctly, but not a project: refused, nothing written. */
  write_format (made, (const guint8 *) text, strlen (text), PASSPHRASE, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                crypto_pwhash_MEMLIMIT_INTERACTIVE, WRITE_PLAIN);
  assert_refused (f->dir, made, CW_CRYPT_ERROR_DAMAGED);
  {
    g_autofree guint8 *zeros = g_malloc0 (2 * CHUNK);

    memcpy (zeros, "SQLite format 3", 16);
    write_format (made, zeros, 2 * CHUNK, PASSPHRASE, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                  crypto_pwhash_MEMLIMIT_INTERACTIVE, WRITE_PLAIN);
    assert_refused (f->dir, made, CW_CRYPT_ERROR_DAMAGED);
  }

  /* A hostile header asking for a terabyte or a million passes is refused
   * before any key is derived (this would otherwise take hours). */
  write_format (made, bytes, 1000, PASSPHRASE, 1000000, crypto_pwhash_MEMLIMIT_INTERACTIVE, WRITE_PLAIN);
  assert_refused (f->dir, made, CW_CRYPT_ERROR_DAMAGED);
  write_format (made, bytes, 1000, PASSPHRASE, 2, (guint64) 1 << 40, WRITE_PLAIN);
  assert_refused (f->dir, made, CW_CRYPT_ERROR_DAMAGED);
}

static void
add (const char *path,
     void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  const char *base = g_getenv ("TMPDIR");
  int status;

  /* Before GLib reads TMPDIR: our own, to look for leftovers in. */
  tmp_root = g_build_filename (base != NULL && *base != '\0' ? base : "/tmp", "cw-test-crypt-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (tmp_root));
  g_setenv ("TMPDIR", tmp_root, TRUE);

  g_test_init (&argc, &argv, NULL);
  add ("/crypt/no-plain-text", test_no_plain_text);
  add ("/crypt/round-trip", test_round_trip);
  add ("/crypt/wrong-passphrase", test_wrong_passphrase);
  add ("/crypt/changed-byte", test_changed_byte);
  add ("/crypt/truncated-extended", test_truncated_extended);
  add ("/crypt/weak-passphrase", test_weak_passphrase);
  add ("/crypt/not-encrypted", test_not_encrypted);
  add ("/crypt/no-overwrite", test_no_overwrite);
  add ("/crypt/cancelled", test_cancelled);
  add ("/crypt/snapshot-of-open-project", test_snapshot_of_open_project);
  add ("/crypt/normalized-passphrase", test_normalized_passphrase);
  add ("/crypt/format", test_format);
  status = g_test_run ();

  cw_test_remove_dir (tmp_root);
  g_free (tmp_root);
  return status;
}
