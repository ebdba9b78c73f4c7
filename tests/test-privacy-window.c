/* test-privacy-window.c: the pseudonym table, proposing pseudonyms, and
 * encrypted copies, and the window's pseudonymised exports (codebook,
 * case x code matrix, coded segments as CSV and report) (issue 10),
 * driven in-process under Xvfb
 * on a copy of the example project.
 *
 * Like the other GUI tests it needs a display and fails without one.
 */
#define _GNU_SOURCE /* memmem */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "cw-codebook.h"
#include "cw-crypt.h"
#include "cw-exchange.h"
#include "cw-history.h"
#include "cw-retrieval-view-private.h"
#include "cw-zip.h"
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

/* "Add 3" is one step: one undo takes the three rows back. */
static void
test_propose_add_many (Fixture       *fixture,
                       gconstpointer  data)
{
  CwPseudonymView *view = view_of (fixture);
  CwPseudonymProposeDialog *dialog;
  g_autofree char *label = NULL;
  gpointer weak;
  guint n;

  show_pseudonyms (fixture);
  gtk_widget_activate_action (GTK_WIDGET (view), "pseudonyms.propose", NULL);
  dialog = _cw_pseudonym_view_get_propose_dialog (view);
  g_assert_true (cw_test_wait_until (propose_idle, dialog));
  n = _cw_pseudonym_propose_dialog_get_n_candidates (dialog);
  g_assert_cmpuint (n, >=, 3);
  for (guint i = 0; i < n; i++)
    _cw_pseudonym_propose_dialog_set_checked (dialog, i, i < 3);
  g_assert_cmpstr (_cw_pseudonym_propose_dialog_get_add_label (dialog), ==, "_Add 3");

  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  _cw_pseudonym_propose_dialog_add (dialog);
  g_assert_true (cw_test_wait_until (pointer_gone, &weak));
  wait_rows (fixture, 3);
  label = cw_project_get_undo_label (fixture->project);
  g_assert_cmpstr (label, ==, "Add 3 pseudonyms");

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL);
  wait_rows (fixture, 0);
  g_assert_false (cw_project_can_undo (fixture->project));
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

/* The real strings of the example a researcher would put in the table:
 * its people (speakers, cohort names), schools and places. */
static const char *const example_reals[][2] = {
  { "Kevin", "[Persoon 1]" }, { "Kevins", "[Persoon 1]s" }, { "Sanne", "[Persoon 2]" },
  { "Mohammed", "[Persoon 3]" }, { "Dewi", "[Persoon 4]" }, { "Jordy", "[Persoon 5]" },
  { "Tim", "[Persoon 6]" }, { "Bram", "[Persoon 7]" }, { "Henk", "[Persoon 8]" },
  { "Anouk", "[Persoon 9]" }, { "Erik", "[Persoon 10]" }, { "Bakker", "[Persoon 11]" },
  { "Marieke", "[Persoon 12]" }, { "El Amrani", "[Persoon 13]" }, { "Pinas", "[Persoon 14]" },
  { "Sandra", "[Persoon 15]" }, { "Rick", "[Persoon 16]" }, { "Ayoub", "[Persoon 17]" },
  { "Gerard", "[Persoon 18]" }, { "Petra", "[Persoon 19]" }, { "Marloes", "[Persoon 20]" },
  { "Naomi", "[Persoon 21]" }, { "de Vries", "[Persoon 22]" }, { "Ronald", "[Persoon 23]" },
  { "Wim", "[Persoon 24]" }, { "Jesse", "[Persoon 25]" }, { "Chantal", "[Persoon 26]" },
  { "Dylan", "[Persoon 27]" }, { "Esra", "[Persoon 28]" }, { "Fatima", "[Persoon 29]" },
  { "Joyce", "[Persoon 30]" }, { "Kim", "[Persoon 31]" }, { "Lisa", "[Persoon 32]" },
  { "Niels", "[Persoon 33]" }, { "Romano", "[Persoon 34]" }, { "Sem", "[Persoon 35]" },
  { "Stefan", "[Persoon 36]" }, { "Yasmina", "[Persoon 37]" }, { "Zoë", "[Persoon 38]" },
  { "De Brug", "[School A]" }, { "Praktijkschool De Brug", "[School A]" }, { "De Wissel", "[School B]" },
  { "Het Spoor", "[School C]" }, { "Almere", "[Plaats A]" }, { "Almere Buiten", "[Plaats A]" },
  { "Zwolle", "[Plaats B]" }, { "Lelystad", "[Plaats C]" },
};

static void
add_example_table (Fixture *fixture)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_pseudonym_free);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (example_reals); i++)
    {
      CwPseudonym *row = g_new0 (CwPseudonym, 1);

      row->real = g_strdup (example_reals[i][0]);
      row->pseudonym = g_strdup (example_reals[i][1]);
      g_ptr_array_add (rows, row);
    }
  g_assert_true (cw_project_add_pseudonyms (fixture->project, (const CwPseudonym * const *) rows->pdata, rows->len,
                                            &error));
  g_assert_no_error (error);
}

/* word in data as a whole word: its neighbours decoded, so "Bakker" in
 * "Bakkerij" is not a leak but "“Kevin”" is. */
static gboolean
contains_word (const char *data,
               gsize       len,
               const char *word)
{
  gsize n = strlen (word);

  for (const char *p = data; p + n <= data + len; p++)
    {
      gunichar before = 0, after = 0;

      if (memcmp (p, word, n) != 0)
        continue;
      if (p > data)
        {
          const char *q = g_utf8_find_prev_char (data, p);

          before = q != NULL ? g_utf8_get_char_validated (q, p - q) : 0;
        }
      if (p + n < data + len)
        after = g_utf8_get_char_validated (p + n, MIN (4, data + len - (p + n)));
      if ((before == 0 || before >= 0xFFFFFFFE || !g_unichar_isalnum (before)) &&
          (after == 0 || after >= 0xFFFFFFFE || !(g_unichar_isalnum (after) || g_unichar_ismark (after))))
        return TRUE;
    }
  return FALSE;
}

/* The export's bytes (an .odt's content.xml): none of the table's real
 * strings, none of also_absent; and expected, a pseudonym, is there. */
static void
assert_pseudonymised (GFile      *file,
                      const char *what,
                      const char *const *also_absent,
                      const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, &error);
  g_autoptr(GBytes) content = NULL;
  const char *data;
  gsize len;

  g_assert_no_error (error);
  if (g_str_has_suffix (what, ".odt"))
    {
      content = cw_zip_read_entry (bytes, "content.xml", 64 << 20, what, &error);
      g_assert_no_error (error);
    }
  data = g_bytes_get_data (content != NULL ? content : bytes, &len);
  g_assert_cmpuint (len, >, 0);
  for (guint i = 0; i < G_N_ELEMENTS (example_reals); i++)
    if (contains_word (data, len, example_reals[i][0]))
      g_error ("%s still holds “%s”", what, example_reals[i][0]);
  for (guint i = 0; also_absent != NULL && also_absent[i] != NULL; i++)
    if (contains_word (data, len, also_absent[i]))
      g_error ("%s still holds “%s”", what, also_absent[i]);
  if (memmem (data, len, expected, strlen (expected)) == NULL)
    g_error ("%s does not hold “%s”", what, expected);
}

/* The same file written without pseudonymising holds the real strings:
 * the check above can fail. */
static void
assert_holds (GFile      *file,
              const char *what,
              const char *real)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, &error);
  g_autoptr(GBytes) content = NULL;
  const char *data;
  gsize len;

  g_assert_no_error (error);
  if (g_str_has_suffix (what, ".odt"))
    {
      content = cw_zip_read_entry (bytes, "content.xml", 64 << 20, what, &error);
      g_assert_no_error (error);
    }
  data = g_bytes_get_data (content != NULL ? content : bytes, &len);
  if (!contains_word (data, len, real))
    g_error ("%s does not hold “%s” even unpseudonymised", what, real);
}

static gboolean
has_retrieval_message (gpointer data)
{
  return !_cw_retrieval_view_is_busy (data) && _cw_retrieval_view_get_last_message (data) != NULL;
}

static gboolean
segments_shown (gpointer data)
{
  return !_cw_retrieval_view_is_busy (data) && g_list_model_get_n_items (_cw_retrieval_view_get_segments (data)) > 0;
}

static gboolean
chooser_shown (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        {
          *(GtkWindow **) data = window;
          return TRUE;
        }
    }
  return FALSE;
}

/* The export dialogs' choice: off with an empty table, on with one. */
static void
test_pseudonymise_choice (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkFileChooserNative *chooser;
  CwRetrievalView *retrieval = _cw_window_get_retrieval_view (fixture->window);
  GtkWindow *dialog = NULL;
  gpointer weak;

  chooser = gtk_file_chooser_native_new ("x", NULL, GTK_FILE_CHOOSER_ACTION_SAVE, NULL, NULL);
  cw_exchange_add_pseudonymise_choice (GTK_FILE_CHOOSER (chooser), fixture->project);
  g_assert_false (cw_exchange_get_pseudonymise_choice (GTK_FILE_CHOOSER (chooser)));
  g_object_unref (chooser);

  add_example_table (fixture);
  chooser = gtk_file_chooser_native_new ("x", NULL, GTK_FILE_CHOOSER_ACTION_SAVE, NULL, NULL);
  cw_exchange_add_pseudonymise_choice (GTK_FILE_CHOOSER (chooser), fixture->project);
  g_assert_true (cw_exchange_get_pseudonymise_choice (GTK_FILE_CHOOSER (chooser)));
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "pseudonymise", "false");
  g_assert_false (cw_exchange_get_pseudonymise_choice (GTK_FILE_CHOOSER (chooser)));
  g_object_unref (chooser);

  /* As the user sees it: Export CSV… in the Retrieval view. */
  adw_view_stack_set_visible_child_name (_cw_window_get_view_stack (fixture->window), "retrieval");
  cw_retrieval_view_set_codes (retrieval, NULL, 0);
  g_assert_true (cw_test_wait_until (segments_shown, retrieval));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (retrieval), "retrieval.export-csv", NULL));
  g_assert_true (cw_test_wait_until (chooser_shown, &dialog));
  gtk_window_set_default_size (dialog, 900, 600);
  cw_test_wait_ms (200);
  cw_test_save_screenshot (GTK_WIDGET (dialog), "privacy-export-choice.png");
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  gtk_window_close (dialog);
  g_assert_true (cw_test_wait_until (pointer_gone, &weak));
}

/* Each export from the window with the choice on holds no real string of
 * the table (the bytes searched; an .odt's text unpacked), no real case
 * id; without it, they are there. */
static void
test_pseudonymised_exports (Fixture       *fixture,
                            gconstpointer  data)
{
  static const char *const case_ids[] = { "D001", "D002", "D010", NULL };
  CwRetrievalView *retrieval = _cw_window_get_retrieval_view (fixture->window);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) qdc = g_file_new_build_filename (fixture->dir, "codeboek.qdc", NULL);
  g_autoptr(GFile) qdc_plain = g_file_new_build_filename (fixture->dir, "codeboek-echt.qdc", NULL);
  g_autoptr(GFile) matrix = g_file_new_build_filename (fixture->dir, "matrix.csv", NULL);
  g_autoptr(GFile) matrix_plain = g_file_new_build_filename (fixture->dir, "matrix-echt.csv", NULL);
  g_autoptr(GFile) sav = g_file_new_build_filename (fixture->dir, "matrix.sav", NULL);
  g_autoptr(GFile) csv = g_file_new_build_filename (fixture->dir, "segmenten.csv", NULL);
  g_autoptr(GFile) csv_plain = g_file_new_build_filename (fixture->dir, "segmenten-echt.csv", NULL);
  g_autoptr(GFile) odt = g_file_new_build_filename (fixture->dir, "rapport.odt", NULL);
  g_autoptr(GFile) odt_plain = g_file_new_build_filename (fixture->dir, "rapport-echt.odt", NULL);

  /* Code descriptions that name people and a school, as researchers
   * write them. */
  g_assert_cmpint (cw_project_add_code (fixture->project, "Steun/Mentor Almere",
                                        "#3584e4", "Kevin en Sanne over meneer de Vries van De Brug", &error), >, 0);
  g_assert_no_error (error);
  add_example_table (fixture);

  _cw_window_export_codebook_to_full (fixture->window, qdc, TRUE);
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  assert_pseudonymised (qdc, "codebook.qdc", NULL, "[Persoon 1] en [Persoon 2] over meneer [Persoon 22] van [School A]");
  _cw_window_export_codebook_to_full (fixture->window, qdc_plain, FALSE);
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  assert_holds (qdc_plain, "codebook.qdc", "Kevin");

  _cw_window_export_matrix_to_full (fixture->window, matrix, TRUE);
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  assert_pseudonymised (matrix, "matrix.csv", case_ids, "C001");
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_load_contents (matrix, NULL, &contents, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_nonnull (strstr (contents, "C001"));
  }
  _cw_window_export_matrix_to_full (fixture->window, sav, TRUE);
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  assert_pseudonymised (sav, "matrix.sav", case_ids, "C001");
  _cw_window_export_matrix_to_full (fixture->window, matrix_plain, FALSE);
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  assert_holds (matrix_plain, "matrix.csv", "D001");
  assert_holds (matrix_plain, "matrix.csv", "Bram");

  /* Every coded segment of the project. */
  adw_view_stack_set_visible_child_name (_cw_window_get_view_stack (fixture->window), "retrieval");
  cw_retrieval_view_set_codes (retrieval, NULL, 0);
  g_assert_true (cw_test_wait_until (segments_shown, retrieval));
  g_test_message ("%u segments", g_list_model_get_n_items (_cw_retrieval_view_get_segments (retrieval)));

  _cw_retrieval_view_export_csv_full (retrieval, csv, TRUE);
  g_assert_true (cw_test_wait_until (has_retrieval_message, retrieval));
  g_assert_true (g_str_has_prefix (_cw_retrieval_view_get_last_message (retrieval), "Exported "));
  assert_pseudonymised (csv, "segments.csv", case_ids, "[Persoon 1]");
  _cw_retrieval_view_export_report_full (retrieval, odt, TRUE);
  g_assert_true (cw_test_wait_until (has_retrieval_message, retrieval));
  g_assert_true (g_str_has_prefix (_cw_retrieval_view_get_last_message (retrieval), "Exported "));
  assert_pseudonymised (odt, "report.odt", case_ids, "[Persoon 1]");

  _cw_retrieval_view_export_csv_full (retrieval, csv_plain, FALSE);
  g_assert_true (cw_test_wait_until (has_retrieval_message, retrieval));
  assert_holds (csv_plain, "segments.csv", "Kevin");
  _cw_retrieval_view_export_report_full (retrieval, odt_plain, FALSE);
  g_assert_true (cw_test_wait_until (has_retrieval_message, retrieval));
  assert_holds (odt_plain, "report.odt", "Kevin");

  /* The rows still show the real text: only the files are pseudonymised. */
  {
    g_autoptr(CwSegmentItem) item = NULL;
    GListModel *segments = _cw_retrieval_view_get_segments (retrieval);
    gboolean real = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (segments) && !real; i++)
      {
        g_clear_object (&item);
        item = g_list_model_get_item (segments, i);
        real = g_strcmp0 (_cw_segment_item_get_segment (item)->speaker, "Kevin") == 0;
      }
    g_assert_true (real);
  }
}

int
main (int   argc,
      char *argv[])
{
  cw_test_gui_init (&argc, &argv);

  g_test_add ("/privacy-window/table", Fixture, NULL, fixture_set_up, test_table, fixture_tear_down);
  g_test_add ("/privacy-window/add-undo", Fixture, NULL, fixture_set_up, test_add_undo, fixture_tear_down);
  g_test_add ("/privacy-window/propose", Fixture, NULL, fixture_set_up, test_propose, fixture_tear_down);
  g_test_add ("/privacy-window/propose-add-many", Fixture, NULL, fixture_set_up, test_propose_add_many,
              fixture_tear_down);
  g_test_add_func ("/privacy-window/passphrase-dialog", test_passphrase_dialog);
  g_test_add ("/privacy-window/encrypted-copy", Fixture, NULL, fixture_set_up, test_encrypted_copy,
              fixture_tear_down);
  g_test_add ("/privacy-window/merge-encrypted", Fixture, NULL, fixture_set_up, test_merge_encrypted,
              fixture_tear_down);
  g_test_add ("/privacy-window/pseudonymised-copy", Fixture, NULL, fixture_set_up, test_pseudonymised_copy,
              fixture_tear_down);
  g_test_add ("/privacy-window/pseudonymise-choice", Fixture, NULL, fixture_set_up, test_pseudonymise_choice,
              fixture_tear_down);
  g_test_add ("/privacy-window/pseudonymised-exports", Fixture, NULL, fixture_set_up, test_pseudonymised_exports,
              fixture_tear_down);

  return g_test_run ();
}
