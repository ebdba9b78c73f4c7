/* test-privacy-window.c: the pseudonym table, proposing pseudonyms, and
 * encrypted copies in the window (issue 10), driven in-process under Xvfb
 * on a copy of the example project.
 *
 * Like the other GUI tests it needs a display and fails without one.
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "cw-crypt.h"
#include "cw-history.h"
#include "cw-passphrase-dialog-private.h"
#include "cw-pseudonym.h"
#include "cw-pseudonym-view-private.h"
#include "cw-test-gui.h"
#include "cw-test-util.h"
#include "cw-window-private.h"

#define GOOD_PASSPHRASE "paarse olifant 42"

typedef struct
{
  char      *dir;
  char      *path;
  CwProject *project;
  CwWindow  *window;
} Fixture;

static gboolean
window_idle (gpointer data)
{
  return !_cw_window_is_busy (data);
}

static gboolean
pointer_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *example = g_build_filename (g_getenv ("CODEWERK_BUILD_ROOT"), "examples", "example.codewerk",
                                               NULL);
  g_autoptr(GFile) source = g_file_new_for_path (example);
  g_autoptr(GFile) copy = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = cw_test_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "example.codewerk", NULL);
  copy = g_file_new_for_path (fixture->path);
  g_assert_true (g_file_copy (source, copy, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  fixture->project = cw_project_open (fixture->path, &error);
  g_assert_no_error (error);

  fixture->window = cw_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1180, 720);
  gtk_window_present (GTK_WINDOW (fixture->window));
  cw_window_set_project (fixture->window, fixture->project);
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gpointer weak = fixture->window;

  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  g_object_add_weak_pointer (G_OBJECT (fixture->window), &weak);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_true (cw_test_wait_until (pointer_gone, &weak));
  g_assert_finalize_object (fixture->project);
  cw_test_remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static CwPseudonymView *
view_of (Fixture *fixture)
{
  return _cw_window_get_pseudonym_view (fixture->window);
}

static void
show_pseudonyms (Fixture *fixture)
{
  adw_view_stack_set_visible_child_name (_cw_window_get_view_stack (fixture->window), "pseudonyms");
  cw_test_wait_ms (100);
}

static guint
n_rows (Fixture *fixture)
{
  g_auto(GStrv) rows = _cw_pseudonym_view_get_rows (view_of (fixture));

  return g_strv_length (rows);
}

typedef struct
{
  Fixture *fixture;
  guint    n;
} RowsWait;

static gboolean
has_n_rows (gpointer data)
{
  RowsWait *wait = data;

  return n_rows (wait->fixture) == wait->n;
}

static void
wait_rows (Fixture *fixture,
           guint    n)
{
  RowsWait wait = { fixture, n };

  g_assert_true (cw_test_wait_until (has_n_rows, &wait));
}

static gboolean
rows_contain (Fixture    *fixture,
              const char *text)
{
  g_auto(GStrv) rows = _cw_pseudonym_view_get_rows (view_of (fixture));

  return g_strv_contains ((const char * const *) rows, text);
}

typedef struct
{
  Fixture    *fixture;
  const char *text;
} RowWait;

static gboolean
row_shown (gpointer data)
{
  RowWait *wait = data;

  return rows_contain (wait->fixture, wait->text);
}

/* The view refreshes after the core's ::changed: wait for the row. */
static gboolean
wait_row (Fixture    *fixture,
          const char *text)
{
  RowWait wait = { fixture, text };

  return cw_test_wait_until (row_shown, &wait);
}

/* The table shows what the core holds, and the search narrows it. */
static void
test_table (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkSearchEntry *search = _cw_pseudonym_view_get_search_entry (view_of (fixture));

  show_pseudonyms (fixture);
  g_assert_cmpstr (_cw_pseudonym_view_get_page (view_of (fixture)), ==, "empty");

  g_assert_cmpint (cw_project_add_pseudonym (fixture->project, "Kevin", "[Leerling 1]", "person", &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (cw_project_add_pseudonym (fixture->project, "Praktijkschool De Brug", "[School A]", "school",
                                             &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (cw_project_add_pseudonym (fixture->project, "Almere", "[Plaats 1]", "place", &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (cw_project_add_pseudonym (fixture->project, "Bakkerij Jansen", "[Werkgever 1]", "employer",
                                             &error), >, 0);
  g_assert_no_error (error);
  wait_rows (fixture, 4);
  g_assert_cmpstr (_cw_pseudonym_view_get_page (view_of (fixture)), ==, "table");
  g_assert_true (rows_contain (fixture, "Kevin → [Leerling 1] (person)"));
  g_assert_true (rows_contain (fixture, "Praktijkschool De Brug → [School A] (school)"));

  cw_test_save_screenshot (GTK_WIDGET (fixture->window), "privacy-pseudonyms.png");

  /* By real name, pseudonym or category label, case-insensitively. */
  gtk_editable_set_text (GTK_EDITABLE (search), "brug");
  wait_rows (fixture, 1);
  g_assert_true (rows_contain (fixture, "Praktijkschool De Brug → [School A] (school)"));
  gtk_editable_set_text (GTK_EDITABLE (search), "werkgever");
  wait_rows (fixture, 1);
  gtk_editable_set_text (GTK_EDITABLE (search), "niemand");
  wait_rows (fixture, 0);
  g_assert_cmpstr (_cw_pseudonym_view_get_page (view_of (fixture)), ==, "no-results");
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  wait_rows (fixture, 4);
}

/* Adding through the view's dialog adds a row; the window's undo takes it
 * back; removing and editing go through the core too. */
static void
test_add_undo (Fixture       *fixture,
               gconstpointer  data)
{
  CwPseudonymView *view = view_of (fixture);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *dialog;

  show_pseudonyms (fixture);
  gtk_widget_activate_action (GTK_WIDGET (view), "pseudonyms.add", NULL);
  dialog = _cw_pseudonym_view_get_edit_dialog (view);
  g_assert_nonnull (dialog);
  cw_test_wait_ms (200);
  cw_test_save_screenshot (GTK_WIDGET (dialog), "privacy-add.png");
  /* Category 1 is "person". */
  _cw_pseudonym_view_fill_edit_dialog (view, "  Sanne ", "[Leerling 2]", 1);
  wait_rows (fixture, 1);
  g_assert_true (wait_row (fixture, "Sanne → [Leerling 2] (person)"));
  g_assert_nonnull (strstr (_cw_window_get_last_toast (fixture->window), "Sanne"));
  list = cw_project_list_pseudonyms (fixture->project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);

  /* The same real name again is refused with a message, nothing added. */
  g_assert_false (_cw_pseudonym_view_add (view, "Sanne", "[Leerling 9]", NULL));
  g_assert_nonnull (_cw_pseudonym_view_get_last_message (view));
  cw_test_wait_ms (50);
  g_assert_cmpuint (n_rows (fixture), ==, 1);

  /* The window's undo (Ctrl+Z) removes the row again. */
  g_assert_true (cw_project_can_undo (fixture->project));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL);
  wait_rows (fixture, 0);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.redo", NULL);
  wait_rows (fixture, 1);

  /* Editing changes the pseudonym in the core. */
  g_assert_true (_cw_pseudonym_view_update (view, 0, "Sanne", "[Leerling 7]", "person"));
  g_assert_true (wait_row (fixture, "Sanne → [Leerling 7] (person)"));

  /* Removing the selected row, and undoing that. */
  _cw_pseudonym_view_select (view, 0);
  gtk_widget_activate_action (GTK_WIDGET (view), "pseudonyms.remove", NULL);
  wait_rows (fixture, 0);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL);
  wait_rows (fixture, 1);
  g_assert_true (wait_row (fixture, "Sanne → [Leerling 7] (person)"));
}

static gboolean
propose_idle (gpointer data)
{
  return !_cw_pseudonym_propose_dialog_is_busy (data);
}

/* Proposing lists names from the project; Add adds only the checked. */
static void
test_propose (Fixture       *fixture,
              gconstpointer  data)
{
  CwPseudonymView *view = view_of (fixture);
  CwPseudonymProposeDialog *dialog;
  gpointer weak;
  int kevin = -1;
  guint n;

  show_pseudonyms (fixture);
  gtk_widget_activate_action (GTK_WIDGET (view), "pseudonyms.propose", NULL);
  dialog = _cw_pseudonym_view_get_propose_dialog (view);
  g_assert_nonnull (dialog);
  g_assert_true (cw_test_wait_until (propose_idle, dialog));
  n = _cw_pseudonym_propose_dialog_get_n_candidates (dialog);
  g_test_message ("%u candidates", n);
  g_assert_cmpuint (n, >=, 2);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (_cw_pseudonym_propose_dialog_get_real (dialog, i), "Kevin") == 0)
      kevin = (int) i;
  g_assert_cmpint (kevin, >=, 0);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 760, 620);
  cw_test_save_screenshot (GTK_WIDGET (dialog), "privacy-propose.png");

  /* Only Kevin, under a pseudonym of our own. */
  for (guint i = 0; i < n; i++)
    _cw_pseudonym_propose_dialog_set_checked (dialog, i, (int) i == kevin);
  _cw_pseudonym_propose_dialog_set_pseudonym (dialog, kevin, "[Leerling K]");
  g_assert_cmpstr (_cw_pseudonym_propose_dialog_get_add_label (dialog), ==, "_Add 1");

  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  _cw_pseudonym_propose_dialog_add (dialog);
  g_assert_true (cw_test_wait_until (pointer_gone, &weak));
  wait_rows (fixture, 1);
  {
    g_auto(GStrv) rows = _cw_pseudonym_view_get_rows (view);

    g_assert_true (g_str_has_prefix (rows[0], "Kevin → [Leerling K] ("));
  }
  g_assert_true (cw_project_can_undo (fixture->project));

  /* Kevin is in the table now: not proposed again. */
  gtk_widget_activate_action (GTK_WIDGET (view), "pseudonyms.propose", NULL);
  dialog = _cw_pseudonym_view_get_propose_dialog (view);
  g_assert_true (cw_test_wait_until (propose_idle, dialog));
  for (guint i = 0; i < _cw_pseudonym_propose_dialog_get_n_candidates (dialog); i++)
    g_assert_cmpstr (_cw_pseudonym_propose_dialog_get_real (dialog, i), !=, "Kevin");
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (cw_test_wait_until (pointer_gone, &weak));
}

static void
got_passphrase (char       **out,
                const char  *passphrase)
{
  g_free (*out);
  *out = g_strdup (passphrase);
}

/* The button follows what is typed: too short, not matching, good. */
static void
test_passphrase_dialog (void)
{
  static const struct
  {
    const char *passphrase;
    const char *repeat;
    gboolean    can_accept;
  } cases[] = {
    { "", "", FALSE },
    { "kort", "kort", FALSE },
    { "1234567", "1234567", FALSE },
    { GOOD_PASSPHRASE, "", FALSE },
    { GOOD_PASSPHRASE, "paarse", FALSE },
    { GOOD_PASSPHRASE, "paarse olifant 43", FALSE },
    { "12345678", "12345678", TRUE },
    { GOOD_PASSPHRASE, GOOD_PASSPHRASE, TRUE },
    { "ëëëëëëëë", "ëëëëëëëë", TRUE }, /* characters, not bytes */
  };
  CwPassphraseDialog *dialog = cw_passphrase_dialog_new (NULL, CW_PASSPHRASE_MODE_NEW, "Cohort.codewerk-enc");
  g_autofree char *received = NULL;
  gpointer weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  gtk_window_present (GTK_WINDOW (dialog));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      _cw_passphrase_dialog_set_text (dialog, cases[i].passphrase, cases[i].repeat);
      g_test_message ("“%s” / “%s”: %s", cases[i].passphrase, cases[i].repeat,
                      _cw_passphrase_dialog_get_hint (dialog));
      g_assert_cmpint (_cw_passphrase_dialog_can_accept (dialog), ==, cases[i].can_accept);
    }
  _cw_passphrase_dialog_set_text (dialog, "kort", "");
  g_assert_nonnull (strstr (_cw_passphrase_dialog_get_hint (dialog), "8"));
  cw_test_save_screenshot (GTK_WIDGET (dialog), "privacy-passphrase-short.png");
  _cw_passphrase_dialog_set_text (dialog, GOOD_PASSPHRASE, "paarse olifant 43");
  g_assert_nonnull (strstr (_cw_passphrase_dialog_get_hint (dialog), "match"));
  cw_test_save_screenshot (GTK_WIDGET (dialog), "privacy-passphrase-new.png");

  /* Accepting hands the passphrase over once, then the dialog is gone. */
  _cw_passphrase_dialog_set_text (dialog, GOOD_PASSPHRASE, GOOD_PASSPHRASE);
  g_signal_connect_swapped (dialog, "passphrase-entered", G_CALLBACK (got_passphrase), &received);
  _cw_passphrase_dialog_accept (dialog);
  g_assert_cmpstr (received, ==, GOOD_PASSPHRASE);
  g_assert_true (cw_test_wait_until (pointer_gone, &weak));

  /* Opening: any non-empty passphrase may be tried. */
  dialog = cw_passphrase_dialog_new (NULL, CW_PASSPHRASE_MODE_OPEN, "Cohort.codewerk-enc");
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_false (_cw_passphrase_dialog_can_accept (dialog));
  _cw_passphrase_dialog_set_text (dialog, "x", NULL);
  g_assert_true (_cw_passphrase_dialog_can_accept (dialog));
  _cw_passphrase_dialog_set_text (dialog, "", NULL);
  cw_test_save_screenshot (GTK_WIDGET (dialog), "privacy-passphrase-open.png");
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (cw_test_wait_until (pointer_gone, &weak));
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError  *error;
} DecryptWait;

static void
decrypt_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  DecryptWait *wait = user_data;

  wait->ok = cw_passphrase_dialog_decrypt_finish (result, &wait->error);
  wait->done = TRUE;
}

static gboolean
decrypt_done (gpointer data)
{
  return ((DecryptWait *) data)->done;
}

static CwPassphraseDialog *
open_toplevel_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (CW_IS_PASSPHRASE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
dialog_waiting (gpointer data)
{
  CwPassphraseDialog *dialog = open_toplevel_dialog ();

  return dialog != NULL && !_cw_passphrase_dialog_is_busy (dialog);
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

/* An encrypted copy written from the window opens only with its
 * passphrase, asks again after a wrong one, and holds the project. */
static void
test_encrypted_copy (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *enc_path = g_build_filename (fixture->dir, "example.codewerk-enc", NULL);
  g_autofree char *out_path = g_build_filename (fixture->dir, "restored.codewerk", NULL);
  g_autoptr(GFile) enc = g_file_new_for_path (enc_path);
  g_autoptr(GFile) out = g_file_new_for_path (out_path);
  g_autoptr(CwProject) restored = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  DecryptWait wait = { 0 };
  CwPassphraseDialog *dialog;
  gsize length;

  g_assert_cmpint (cw_project_add_pseudonym (fixture->project, "Kevin", "[Leerling 1]", "person", &error), >, 0);
  g_assert_no_error (error);

  dialog = _cw_window_write_encrypted_copy_to (fixture->window, enc);
  g_assert_nonnull (dialog);
  g_assert_true (cw_passphrase_dialog_get_mode (dialog) == CW_PASSPHRASE_MODE_NEW);
  _cw_passphrase_dialog_set_text (dialog, GOOD_PASSPHRASE, GOOD_PASSPHRASE);
  _cw_passphrase_dialog_accept (dialog);
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  g_assert_true (g_file_test (enc_path, G_FILE_TEST_EXISTS));
  g_assert_nonnull (strstr (_cw_window_get_last_toast (fixture->window), "example.codewerk-enc"));
  g_assert_true (cw_crypt_is_encrypted (enc_path));
  /* No transcript word in the bytes. */
  g_assert_true (g_file_get_contents (enc_path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_null (g_strstr_len (contents, length, "Kevin"));
  g_assert_null (g_strstr_len (contents, length, "SQLite format"));

  /* Opening: a wrong passphrase is refused and asked again. */
  cw_passphrase_dialog_decrypt_async (GTK_WINDOW (fixture->window), enc, out, NULL, decrypt_cb, &wait);
  g_assert_true (cw_test_wait_until (dialog_waiting, NULL));
  dialog = open_toplevel_dialog ();
  g_assert_true (cw_passphrase_dialog_get_mode (dialog) == CW_PASSPHRASE_MODE_OPEN);
  _cw_passphrase_dialog_set_text (dialog, "verkeerd wachtwoord", NULL);
  _cw_passphrase_dialog_accept (dialog);
  /* The entry is cleared as soon as the passphrase is handed over. */
  g_assert_cmpstr (_cw_passphrase_dialog_get_text (dialog), ==, "");
  g_assert_true (_cw_passphrase_dialog_is_busy (dialog));
  g_assert_true (cw_test_wait_until (dialog_waiting, NULL));
  g_assert_false (wait.done);
  g_assert_true (open_toplevel_dialog () == dialog);
  g_test_message ("after a wrong passphrase: %s", _cw_passphrase_dialog_get_hint (dialog));
  g_assert_nonnull (strstr (_cw_passphrase_dialog_get_hint (dialog), "Wrong passphrase"));
  g_assert_false (g_file_test (out_path, G_FILE_TEST_EXISTS));
  cw_test_save_screenshot (GTK_WIDGET (dialog), "privacy-passphrase-wrong.png");

  _cw_passphrase_dialog_set_text (dialog, GOOD_PASSPHRASE, NULL);
  _cw_passphrase_dialog_accept (dialog);
  g_assert_true (cw_test_wait_until (decrypt_done, &wait));
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  g_assert_null (open_toplevel_dialog ());

  restored = cw_project_open (out_path, &error);
  g_assert_no_error (error);
  before = cw_project_list_documents (fixture->project, &error);
  g_assert_no_error (error);
  after = cw_project_list_documents (restored, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, before->len);

  /* Giving up leaves nothing. */
  g_clear_object (&restored);
  g_unlink (out_path);
  wait = (DecryptWait) { 0 };
  cw_passphrase_dialog_decrypt_async (GTK_WINDOW (fixture->window), enc, out, NULL, decrypt_cb, &wait);
  g_assert_true (cw_test_wait_until (dialog_waiting, NULL));
  gtk_window_close (GTK_WINDOW (open_toplevel_dialog ()));
  g_assert_true (cw_test_wait_until (decrypt_done, &wait));
  g_assert_false (wait.ok);
  g_assert_true (g_error_matches (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  g_clear_error (&wait.error);
  g_assert_false (file_exists (out_path));
}

static gboolean
window_idle_no_dialog (gpointer data)
{
  return !_cw_window_is_busy (data) && open_toplevel_dialog () == NULL;
}

/* Merging an encrypted coder's copy asks its passphrase first. */
static void
test_merge_encrypted (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *enc_path = g_build_filename (fixture->dir, "lotte.codewerk-enc", NULL);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  CwPassphraseDialog *dialog;

  g_assert_true (cw_project_write_encrypted (fixture->project, enc_path, GOOD_PASSPHRASE, NULL, &error));
  g_assert_no_error (error);
  g_ptr_array_add (files, g_file_new_for_path (enc_path));
  _cw_window_merge_files (fixture->window, files);
  g_assert_true (cw_test_wait_until (dialog_waiting, NULL));
  dialog = open_toplevel_dialog ();
  _cw_passphrase_dialog_set_text (dialog, "niet de goede", NULL);
  _cw_passphrase_dialog_accept (dialog);
  g_assert_true (cw_test_wait_until (dialog_waiting, NULL));
  g_assert_nonnull (strstr (_cw_passphrase_dialog_get_hint (dialog), "Wrong passphrase"));
  _cw_passphrase_dialog_set_text (dialog, GOOD_PASSPHRASE, NULL);
  _cw_passphrase_dialog_accept (dialog);
  g_assert_true (cw_test_wait_until (window_idle_no_dialog, fixture->window));
  g_test_message ("toast: %s", _cw_window_get_last_toast (fixture->window));
  /* The same codings: all already present, merged from the decrypted copy. */
  g_assert_nonnull (strstr (_cw_window_get_last_toast (fixture->window), "Merged “lotte.codewerk”"));
  g_assert_nonnull (strstr (_cw_window_get_last_toast (fixture->window), "already present"));
}

/* A pseudonymised copy from the window holds no real name of the table. */
static void
test_pseudonymised_copy (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *copy_path = g_build_filename (fixture->dir, "shared.codewerk", NULL);
  g_autoptr(GFile) copy = g_file_new_for_path (copy_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_cmpint (cw_project_add_pseudonym (fixture->project, "Kevin", "[Leerling 1]", "person", &error), >, 0);
  g_assert_no_error (error);
  _cw_window_write_pseudonymised_copy_to (fixture->window, copy);
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  g_test_message ("toast: %s", _cw_window_get_last_toast (fixture->window));
  g_assert_true (g_file_get_contents (copy_path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_null (g_strstr_len (contents, length, "Kevin"));
  /* The words are still there, under their pseudonym. */
  {
    g_autoptr(CwProject) shared = cw_project_open (copy_path, &error);
    g_autoptr(GPtrArray) documents = NULL;
    gboolean found = FALSE;

    g_assert_no_error (error);
    documents = cw_project_list_documents (shared, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (documents->len, >, 0);
    for (guint i = 0; i < documents->len; i++)
      {
        g_autofree char *text = cw_project_get_text (shared, ((CwDocumentInfo *) documents->pdata[i])->id, &error);

        g_assert_no_error (error);
        g_assert_null (strstr (text, "Kevin"));
        found = found || strstr (text, "[Leerling 1]") != NULL;
      }
    g_assert_true (found);
  }

  /* The open project itself is never replaced. */
  {
    g_autoptr(GFile) self_file = g_file_new_for_path (fixture->path);

    _cw_window_write_pseudonymised_copy_to (fixture->window, self_file);
    g_assert_true (cw_test_wait_until (window_idle, fixture->window));
    g_test_message ("toast: %s", _cw_window_get_last_toast (fixture->window));
    g_assert_nonnull (strstr (_cw_window_get_last_toast (fixture->window), "cannot replace"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) css = NULL;
  GdkDisplay *display;

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    g_error ("no display: the GUI tests need one (DISPLAY, e.g. from Xvfb)");
  adw_init ();

  display = gdk_display_get_default ();
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, RESOURCE_BASE "/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display), RESOURCE_BASE "/icons");

  g_test_add ("/privacy-window/table", Fixture, NULL, fixture_set_up, test_table, fixture_tear_down);
  g_test_add ("/privacy-window/add-undo", Fixture, NULL, fixture_set_up, test_add_undo, fixture_tear_down);
  g_test_add ("/privacy-window/propose", Fixture, NULL, fixture_set_up, test_propose, fixture_tear_down);
  g_test_add_func ("/privacy-window/passphrase-dialog", test_passphrase_dialog);
  g_test_add ("/privacy-window/encrypted-copy", Fixture, NULL, fixture_set_up, test_encrypted_copy,
              fixture_tear_down);
  g_test_add ("/privacy-window/merge-encrypted", Fixture, NULL, fixture_set_up, test_merge_encrypted,
              fixture_tear_down);
  g_test_add ("/privacy-window/pseudonymised-copy", Fixture, NULL, fixture_set_up, test_pseudonymised_copy,
              fixture_tear_down);

  return g_test_run ();
}
