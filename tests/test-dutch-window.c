/* test-dutch-window.c: under Dutch (LANGUAGE=nl, LC_ALL=nl_NL.UTF-8, the
 * build's .mo files) no visible text of the window stays English.
 *
 * The English texts are every string literal of app/ui and of the .ui
 * files (xgettext --extract-all, run on the sources now) and every message
 * marked in po/POTFILES.in: a visible label, tooltip, placeholder, window
 * title or menu item equal to one of them (or matching one with printf
 * directives, as "Imported 3 documents" matches "Imported %u documents")
 * is English that should have been translated. Project data (document
 * names, speakers, code names) is never a literal of the sources, so it is
 * left out by construction. A short allowlist holds the words that are the
 * same in Dutch.
 *
 * Walked: the empty window, the project window with a document and a code
 * selected, the Retrieval, Cases, Crosstab and Review views, and the
 * autocode, agreement, autolink, memo, merge review, shortcuts and about
 * windows. It also checks the decimal comma (agreement percentages) and
 * the Dutch memo date, and saves screenshots (dutch-*.png).
 *
 * Needs a display (the test script starts Xvfb): without one it fails.
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "cw-agreement-dialog-private.h"
#include "cw-application.h"
#include "cw-autocode-dialog.h"
#include "cw-autolink-dialog.h"
#include "cw-coding.h"
#include "cw-codebook.h"
#include "cw-memo-editor.h"
#include "cw-merge-review-dialog.h"
#include "cw-passphrase-dialog.h"
#include "cw-pseudonym-view-private.h"
#include "cw-test-gui.h"
#include "cw-test-util.h"
#include "cw-window-private.h"

/* Texts that are the same in Dutch, as msgids. Each is a Dutch word too
 * (or a name or symbol), checked against po/nl.po by the test. */
static const char *const same_in_dutch[] = {
  "Codewerk",                     /* the name */
  "Code", "Codes", "code",        /* the QDA term in Dutch is "code" */
  "Memo", "_Memo…",               /* "memo" */
  "Consensus",                    /* the consensus coder, a Dutch word too */
  "Interviews", "Transcript", "In", /* Dutch words too */
  "School", "Privacy",            /* a pseudonym category, the menu section (issue 10) */
  "%u code", "%u document", "%u memo", "%u segment", "%u subcode", "in %u document",
                                  /* the singular forms are the same words */
  "Document %u",
  "Kappa κ", "Kappa (Brennan & Prediger)", /* names of statistics */
  NULL,
};

typedef struct
{
  GHashTable *literals;  /* English text -> msgid */
  GPtrArray  *patterns;  /* GRegex, for the msgids with printf directives */
  GPtrArray  *msgids;    /* of patterns, same index */
  GHashTable *seen;      /* "where: text" already reported */
  GString    *english;   /* the report */
  guint       n_checked;
} Checker;

/* The msgids of a .pot file (msgid and msgid_plural). */
static void
read_pot (const char *text,
          GPtrArray  *out)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GString *current = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *quoted = NULL;

      if (g_str_has_prefix (line, "msgid \""))
        quoted = line + 6;
      else if (g_str_has_prefix (line, "msgid_plural \""))
        quoted = line + 13;
      else if (current != NULL && line[0] == '"')
        quoted = line;

      if (quoted == NULL || quoted != line)
        {
          if (current != NULL)
            g_ptr_array_add (out, g_string_free (current, FALSE));
          current = NULL;
        }
      if (quoted != NULL)
        {
          g_autofree char *inner = g_strndup (quoted + 1, strlen (quoted) - 2);
          g_autofree char *unescaped = g_strcompress (inner);

          if (current == NULL)
            current = g_string_new (NULL);
          g_string_append (current, unescaped);
        }
    }
  if (current != NULL)
    g_ptr_array_add (out, g_string_free (current, FALSE));
}

static char *
run_xgettext (const char * const *args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_strv_builder_add_many (builder, g_getenv ("XGETTEXT"), "--from-code=UTF-8", "--no-location", "-o", "-", NULL);
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);
  status = cw_test_run ((const char * const *) argv, &out, &err);
  if (status != 0)
    g_error ("xgettext failed: %s", err);
  return g_steal_pointer (&out);
}

/* Every file of dir whose name ends in suffix, as "dir/name". */
static void
add_files (GStrvBuilder *builder,
           const char   *dir,
           const char   *suffix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, suffix))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        g_strv_builder_add (builder, path);
      }
}

static gboolean
is_allowed (const char *msgid)
{
  return g_strv_contains (same_in_dutch, msgid);
}

/* A regex for a msgid with printf directives, or NULL when its literal
 * part has no word of three letters (such as "%s · %s"). */
static GRegex *
pattern_for (const char *msgid)
{
  static GRegex *directive = NULL;
  g_autoptr(GString) regex = g_string_new ("^");
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GString) literal = g_string_new (NULL);
  gboolean has_word = FALSE;
  const char *p = msgid;

  if (directive == NULL)
    directive = g_regex_new ("%(\\d+\\$)?[-+ #0']*(\\d+|\\*)?(\\.(\\d+|\\*))?(hh|h|ll|l|L|z|j|t)?[diouxXeEfFgGcs%]",
                             G_REGEX_OPTIMIZE, 0, NULL);
  if (strchr (msgid, '%') == NULL)
    return NULL;
  g_regex_match (directive, msgid, 0, &match);
  while (g_match_info_matches (match))
    {
      int start, end;
      g_autofree char *before = NULL;
      g_autofree char *escaped = NULL;

      g_match_info_fetch_pos (match, 0, &start, &end);
      before = g_strndup (p, msgid + start - p);
      g_string_append (literal, before);
      escaped = g_regex_escape_string (before, -1);
      g_string_append (regex, escaped);
      /* A count shows digits (grouped as the locale does), a string
       * anything: "%u codes" is not "Alle codes". */
      if (msgid[end - 1] == '%')
        g_string_append (regex, "%");
      else if (strchr ("diouxX", msgid[end - 1]) != NULL)
        g_string_append (regex, "[-+]?\\d[\\d.,' \\x{00a0}\\x{202f}]*");
      else if (strchr ("eEfFgG", msgid[end - 1]) != NULL)
        g_string_append (regex, "[-+]?[\\d.,]+");
      else
        g_string_append (regex, ".+");
      p = msgid + end;
      g_match_info_next (match, NULL);
    }
  g_string_append (literal, p);
  {
    g_autofree char *escaped = g_regex_escape_string (p, -1);

    g_string_append (regex, escaped);
  }
  g_string_append (regex, "$");

  for (const char *q = literal->str; *q != '\0'; q++)
    if (g_ascii_isalpha (q[0]) && g_ascii_isalpha (q[1]) && g_ascii_isalpha (q[2]))
      has_word = TRUE;
  if (!has_word)
    return NULL;
  return g_regex_new (regex->str, G_REGEX_DOTALL, 0, NULL);
}

/* "_Open" as a label shows it: "Open". */
static char *
strip_mnemonic (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (p[0] == '_' && p[1] != '\0' && p[1] != '_')
        continue;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* Text with a word in it: "0" and "—" are the same in every language. */
static gboolean
has_word (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isalpha (p[0]) && g_ascii_isalpha (p[1]))
      return TRUE;
  return FALSE;
}

static void
checker_add (Checker    *checker,
             const char *msgid)
{
  GRegex *regex;

  if (!has_word (msgid) || is_allowed (msgid))
    return;
  g_hash_table_insert (checker->literals, g_strdup (msgid), g_strdup (msgid));
  if (strchr (msgid, '_') != NULL)
    g_hash_table_insert (checker->literals, strip_mnemonic (msgid), g_strdup (msgid));
  regex = pattern_for (msgid);
  if (regex != NULL)
    {
      g_ptr_array_add (checker->patterns, regex);
      g_ptr_array_add (checker->msgids, g_strdup (msgid));
    }
}

static Checker *
checker_new (void)
{
  const char *src = g_getenv ("CODEWERK_SOURCE_ROOT");
  g_autoptr(GStrvBuilder) ui = g_strv_builder_new ();
  g_autofree char *ui_dir = g_build_filename (src, "app", "ui", NULL);
  g_autofree char *templates = g_build_filename (src, "resources", "ui", NULL);
  g_autofree char *gtk_dir = g_build_filename (src, "resources", "gtk", NULL);
  g_autofree char *potfiles = g_build_filename (src, "po", "POTFILES.in", NULL);
  g_auto(GStrv) ui_args = NULL;
  g_autofree char *all_pot = NULL;
  g_autofree char *marked_pot = NULL;
  g_autoptr(GPtrArray) msgids = g_ptr_array_new_with_free_func (g_free);
  const char *marked_args[] = { "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
                                "--keyword=ngettext:1,2", "--keyword=g_dngettext:2,3",
                                "-D", src, "-f", potfiles, NULL };
  Checker *checker = g_new0 (Checker, 1);

  g_assert_nonnull (src);
  /* Every literal of the UI code, marked or not, and every marked message
   * (the core's too). */
  g_strv_builder_add (ui, "--extract-all");
  add_files (ui, ui_dir, ".c");
  add_files (ui, templates, ".ui");
  add_files (ui, gtk_dir, ".ui");
  ui_args = g_strv_builder_end (ui);
  all_pot = run_xgettext ((const char * const *) ui_args);
  marked_pot = run_xgettext (marked_args);
  read_pot (all_pot, msgids);
  read_pot (marked_pot, msgids);

  checker->literals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  checker->patterns = g_ptr_array_new_with_free_func ((GDestroyNotify) g_regex_unref);
  checker->msgids = g_ptr_array_new_with_free_func (g_free);
  checker->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  checker->english = g_string_new (NULL);
  for (guint i = 0; i < msgids->len; i++)
    checker_add (checker, msgids->pdata[i]);
  /* Enough to mean something: the sources hold hundreds of messages. */
  g_assert_cmpuint (g_hash_table_size (checker->literals), >, 500);
  g_assert_cmpuint (checker->patterns->len, >, 50);
  return checker;
}

static void
checker_free (Checker *checker)
{
  g_hash_table_unref (checker->literals);
  g_ptr_array_unref (checker->patterns);
  g_ptr_array_unref (checker->msgids);
  g_hash_table_unref (checker->seen);
  g_string_free (checker->english, TRUE);
  g_free (checker);
}

static void
check_text (Checker    *checker,
            const char *where,
            const char *what,
            const char *text)
{
  const char *msgid = NULL;
  g_autofree char *key = NULL;

  if (text == NULL || text[0] == '\0')
    return;
  checker->n_checked++;
  msgid = g_hash_table_lookup (checker->literals, text);
  for (guint i = 0; msgid == NULL && i < checker->patterns->len; i++)
    if (g_regex_match (checker->patterns->pdata[i], text, 0, NULL))
      msgid = checker->msgids->pdata[i];
  if (msgid == NULL)
    return;
  key = g_strdup_printf ("%s: %s “%s” (msgid “%s”)", where, what, text, msgid);
  if (g_hash_table_add (checker->seen, g_strdup (key)))
    g_string_append_printf (checker->english, "  %s\n", key);
}

static void
check_menu (Checker    *checker,
            const char *where,
            GMenuModel *model)
{
  if (model == NULL)
    return;
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *label = NULL;
      g_autoptr(GMenuLinkIter) links = NULL;
      const char *link;
      GMenuModel *child;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        check_text (checker, where, "menu item", label);
      links = g_menu_model_iterate_item_links (model, i);
      while (g_menu_link_iter_get_next (links, &link, &child))
        {
          check_menu (checker, where, child);
          g_object_unref (child);
        }
    }
}

/* Every text a user sees on widget and below it: mapped widgets only
 * (pages not shown, hidden rows), plus the menus they open. */
static void
check_widget (Checker    *checker,
              const char *where,
              GtkWidget  *widget)
{
  const char *tooltip;

  /* Key caps ("Delete", "Ctrl") are GTK's key names, not our text. */
  if (!gtk_widget_get_mapped (widget) || GTK_IS_SHORTCUT_LABEL (widget))
    return;
  if (GTK_IS_LABEL (widget))
    check_text (checker, where, "label", gtk_label_get_text (GTK_LABEL (widget)));
  if (GTK_IS_TEXT (widget))
    {
      g_autofree char *placeholder = NULL;

      g_object_get (widget, "placeholder-text", &placeholder, NULL);
      check_text (checker, where, "placeholder", placeholder);
    }
  if (GTK_IS_WINDOW (widget))
    check_text (checker, where, "window title", gtk_window_get_title (GTK_WINDOW (widget)));
  if (GTK_IS_MENU_BUTTON (widget))
    check_menu (checker, where, gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)));
  if (GTK_IS_POPOVER_MENU (widget))
    check_menu (checker, where, gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (widget)));
  if (GTK_IS_TEXT_VIEW (widget))
    check_menu (checker, where, gtk_text_view_get_extra_menu (GTK_TEXT_VIEW (widget)));
  if (GTK_IS_ENTRY (widget))
    check_menu (checker, where, gtk_entry_get_extra_menu (GTK_ENTRY (widget)));
  tooltip = gtk_widget_get_tooltip_text (widget);
  check_text (checker, where, "tooltip", tooltip);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_widget (checker, where, child);
}

/* GTK 4.8's shortcuts window measures one of its labels at -3 pixels and
 * warns (in English too; a GTK bug, not ours): while that window is shown,
 * this one warning is dropped and every other goes on as usual. */
static gboolean in_shortcuts_window = FALSE;

static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  if (in_shortcuts_window && (log_level & G_LOG_LEVEL_WARNING) != 0)
    for (gsize i = 0; i < n_fields; i++)
      if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0 &&
          strstr (fields[i].value, "reported min width -") != NULL)
        return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* Helpers for driving the window */

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

static gboolean
agreement_idle (gpointer data)
{
  return !_cw_agreement_dialog_is_busy (data);
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* The toplevel of type that is not in before. */
static GtkWindow *
new_toplevel (GList *before,
              GType  type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (g_list_find (before, l->data) == NULL && G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
      return l->data;
  return NULL;
}

static void
close_window (GtkWindow *window)
{
  gpointer weak = window;

  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (window);
  g_assert_true (cw_test_wait_until (pointer_gone, &weak));
}

/* Walks a window once it is shown, and saves its picture. */
static void
check_window (Checker    *checker,
              const char *where,
              GtkWindow  *window,
              const char *screenshot)
{
  g_assert_true (cw_test_wait_until (is_mapped, window));
  cw_test_wait_ms (200);
  check_widget (checker, where, GTK_WIDGET (window));
  if (screenshot != NULL)
    cw_test_save_screenshot (GTK_WIDGET (window), screenshot);
}

static CwProject *
open_example_copy (char **dir)
{
  g_autofree char *example = g_build_filename (g_getenv ("CODEWERK_BUILD_ROOT"), "examples", "example.codewerk",
                                               NULL);
  g_autoptr(GFile) source = g_file_new_for_path (example);
  g_autofree char *path = NULL;
  g_autoptr(GFile) copy = NULL;
  g_autoptr(GError) error = NULL;
  CwProject *project;

  *dir = cw_test_make_dir ();
  path = g_build_filename (*dir, "example.codewerk", NULL);
  copy = g_file_new_for_path (path);
  g_assert_true (g_file_copy (source, copy, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  project = cw_project_open (path, &error);
  g_assert_no_error (error);
  return project;
}

static CwMergeResult *
merge_result_with_conflicts (void)
{
  static const char *const files[] = { "/tmp/bram.codewerk", NULL };
  CwMergeResult *result = g_new0 (CwMergeResult, 1);
  struct
  {
    CwMergeConflictKind kind;
    const char *name, *document, *variable, *ours, *theirs;
    guint n_codings;
  } conflicts[] = {
    { CW_MERGE_CONFLICT_CODE_RENAMED, NULL, NULL, NULL, "Werk/Stage", "Werk/Leerbaan", 0 },
    { CW_MERGE_CONFLICT_DOCUMENT_TEXT, "interview-kevin.txt", NULL, NULL, NULL, NULL, 4 },
    { CW_MERGE_CONFLICT_MEMO_TEXT, "Over stages", NULL, NULL, "Eerste versie", "Tweede versie", 0 },
    { CW_MERGE_CONFLICT_CASE_VALUE, "R01", NULL, "Woonplaats", "Almere", "Zwolle", 0 },
    { CW_MERGE_CONFLICT_VARIABLE_TYPE, NULL, NULL, "Leeftijd", "numeric", "text", 0 },
    { CW_MERGE_CONFLICT_VALUE_LABEL, "1", NULL, "Opleiding", "Entree", "Entreeopleiding", 0 },
    { CW_MERGE_CONFLICT_CASE_LINK, "R07", "interview-kevin.txt", NULL, NULL, "Kevin", 0 },
  };

  result->files = g_strdupv ((char **) files);
  result->conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_merge_conflict_free);
  result->warnings = g_ptr_array_new_with_free_func (g_free);
  result->documents_matched = 5;
  result->codings_added = 40;
  result->codings_skipped = 12;
  for (guint i = 0; i < G_N_ELEMENTS (conflicts); i++)
    {
      CwMergeConflict *c = g_new0 (CwMergeConflict, 1);

      c->kind = conflicts[i].kind;
      c->file = g_strdup (files[0]);
      c->name = g_strdup (conflicts[i].name);
      c->document = g_strdup (conflicts[i].document);
      c->variable = g_strdup (conflicts[i].variable);
      c->ours = g_strdup (conflicts[i].ours);
      c->theirs = g_strdup (conflicts[i].theirs);
      c->n_codings = conflicts[i].n_codings;
      g_ptr_array_add (result->conflicts, c);
    }
  return result;
}

/* Tests */

/* The checker finds English where it is: an untranslated label, tooltip,
 * placeholder and menu item, and a formatted count; and not Dutch text or
 * project data. */
static void
test_checker_finds_english (void)
{
  Checker *checker = checker_new ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *button = gtk_menu_button_new ();
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkWidget *label;
  GtkWidget *data;

  /* The English msgids, not translated: each must be found. */
  label = gtk_label_new ("Recent Projects");
  gtk_widget_set_tooltip_text (label, "Undo (Ctrl+Z)");
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), "Search all documents");
  g_menu_append (menu, "_Import Transcripts…", "win.import");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), button);
  gtk_box_append (GTK_BOX (box), gtk_label_new ("Imported 3 documents"));
  /* Dutch and data: not reported. */
  gtk_box_append (GTK_BOX (box), gtk_label_new (_("Recent Projects")));
  data = gtk_label_new ("focusgroep-ouders-almere.odt");
  gtk_box_append (GTK_BOX (box), data);
  gtk_box_append (GTK_BOX (box), gtk_label_new ("Codes"));
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));

  g_assert_cmpstr (_("Recent Projects"), !=, "Recent Projects");
  check_window (checker, "self-test", GTK_WINDOW (window), NULL);
  g_test_message ("%s", checker->english->str);
  g_assert_nonnull (strstr (checker->english->str, "label “Recent Projects”"));
  g_assert_nonnull (strstr (checker->english->str, "tooltip “Undo (Ctrl+Z)”"));
  g_assert_nonnull (strstr (checker->english->str, "placeholder “Search all documents”"));
  g_assert_nonnull (strstr (checker->english->str, "menu item “_Import Transcripts…”"));
  g_assert_nonnull (strstr (checker->english->str, "label “Imported 3 documents”"));
  g_assert_null (strstr (checker->english->str, "almere"));
  g_assert_null (strstr (checker->english->str, "“Codes”"));
  /* Six: GtkText shows its placeholder in a label of its own too. */
  g_assert_cmpuint (g_hash_table_size (checker->seen), ==, 6);

  close_window (GTK_WINDOW (window));
  checker_free (checker);
}

/* The allowlist holds only messages that po/nl.po translates as
 * themselves: a word that Dutch writes differently cannot hide in it. */
static void
test_allowlist_is_dutch (void)
{
  for (guint i = 0; same_in_dutch[i] != NULL; i++)
    {
      const char *msgid = same_in_dutch[i];
      const char *translated = strstr (msgid, "%u") != NULL
        ? g_dngettext (GETTEXT_PACKAGE, msgid, "x", 1)
        : g_dgettext (GETTEXT_PACKAGE, msgid);

      g_test_message ("%s -> %s", msgid, translated);
      g_assert_cmpstr (translated, ==, msgid);
    }
}

static gboolean
propose_idle (gpointer data)
{
  return !_cw_pseudonym_propose_dialog_is_busy (data);
}

static void
test_window_in_dutch (void)
{
  g_autoptr(CwApplication) app = cw_application_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) before = NULL;
  g_autoptr(CwMergeResult) merge = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *percent = NULL;
  Checker *checker = checker_new ();
  const char *views[] = { "retrieval", "cases", "crosstab", "pseudonyms", "overview", NULL };
  CwWindow *window;
  CwProject *project;
  GtkWindow *dialog;
  GPtrArray *codes;
  gpointer weak;

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  window = cw_window_new (GTK_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  check_window (checker, "empty window", GTK_WINDOW (window), "dutch-empty.png");

  /* The example project, a document and a code selected. */
  project = open_example_copy (&dir);
  cw_window_set_project (window, project);
  g_assert_true (cw_test_wait_until (window_idle, window));
  documents = cw_project_list_documents (project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (documents->len, >, 0);
  g_assert_true (cw_document_list_select_document (_cw_window_get_document_list (window),
                                                   ((CwDocumentInfo *) documents->pdata[0])->id));
  g_assert_true (cw_test_wait_until (window_idle, window));
  codes = cw_codebook_panel_get_codes (_cw_window_get_codebook_panel (window));
  if (codes != NULL && codes->len > 0)
    cw_codebook_panel_select_code (_cw_window_get_codebook_panel (window), ((CwCode *) codes->pdata[0])->id);
  check_window (checker, "documents view", GTK_WINDOW (window), "dutch-window.png");

  for (guint i = 0; views[i] != NULL; i++)
    {
      g_autofree char *where = g_strdup_printf ("%s view", views[i]);
      g_autofree char *shot = g_strdup_printf ("dutch-%s.png", views[i]);

      adw_view_stack_set_visible_child_name (_cw_window_get_view_stack (window), views[i]);
      g_assert_true (cw_test_wait_until (window_idle, window));
      cw_test_wait_ms (300);
      check_window (checker, where, GTK_WINDOW (window), shot);
    }

  /* Review of disagreements (Lotte and Ruben). */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.review", NULL);
  g_assert_true (cw_test_wait_until (window_idle, window));
  cw_test_wait_ms (500);
  check_window (checker, "review view", GTK_WINDOW (window), "dutch-review.png");
  adw_view_stack_set_visible_child_name (_cw_window_get_view_stack (window), "documents");

  /* Autocode. */
  before = gtk_window_list_toplevels ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.autocode", NULL);
  dialog = new_toplevel (before, CW_TYPE_AUTOCODE_DIALOG);
  g_assert_nonnull (dialog);
  check_window (checker, "autocode dialog", dialog, "dutch-autocode.png");
  close_window (dialog);

  /* Agreement: percentages with a decimal comma. */
  dialog = GTK_WINDOW (cw_agreement_dialog_new (GTK_WINDOW (window), project));
  gtk_window_set_default_size (dialog, 1180, 720);
  gtk_window_present (dialog);
  g_assert_true (cw_test_wait_until (agreement_idle, dialog));
  check_window (checker, "agreement dialog", dialog, "dutch-agreement.png");
  if (_cw_agreement_dialog_get_result (CW_AGREEMENT_DIALOG (dialog)) != NULL)
    {
      const CwAgreement *result = _cw_agreement_dialog_get_result (CW_AGREEMENT_DIALOG (dialog));

      percent = _cw_agreement_dialog_get_cell_text (CW_AGREEMENT_DIALOG (dialog), result->codes->len,
                                                    CW_AGREEMENT_COLUMN_PERCENT, NULL);
      g_test_message ("overall percent: %s", percent);
      g_assert_nonnull (strchr (percent, ','));
      g_assert_null (strchr (percent, '.'));
    }
  else
    g_assert_not_reached ();
  close_window (dialog);

  /* Autolink (cases to documents). */
  dialog = GTK_WINDOW (cw_autolink_dialog_new (GTK_WINDOW (window), project));
  gtk_window_present (dialog);
  check_window (checker, "autolink dialog", dialog, "dutch-autolink.png");
  close_window (dialog);

  /* Privacy (issue 10): the passphrase prompts, both modes, and the
   * pseudonyms proposed for the example. */
  dialog = GTK_WINDOW (cw_passphrase_dialog_new (GTK_WINDOW (window), CW_PASSPHRASE_MODE_NEW, "voorbeeld.codewerk-enc"));
  gtk_window_present (dialog);
  check_window (checker, "passphrase dialog (new)", dialog, "dutch-passphrase-new.png");
  close_window (dialog);
  dialog = GTK_WINDOW (cw_passphrase_dialog_new (GTK_WINDOW (window), CW_PASSPHRASE_MODE_OPEN, "voorbeeld.codewerk-enc"));
  gtk_window_present (dialog);
  check_window (checker, "passphrase dialog (open)", dialog, "dutch-passphrase-open.png");
  close_window (dialog);
  gtk_widget_activate_action (GTK_WIDGET (_cw_window_get_pseudonym_view (window)), "pseudonyms.propose", NULL);
  dialog = GTK_WINDOW (_cw_pseudonym_view_get_propose_dialog (_cw_window_get_pseudonym_view (window)));
  g_assert_nonnull (dialog);
  g_assert_true (cw_test_wait_until (propose_idle, dialog));
  check_window (checker, "propose pseudonyms dialog", dialog, "dutch-propose.png");
  close_window (dialog);

  /* A memo on the project, with its date written the Dutch way. */
  g_assert_cmpint (cw_project_add_memo (project, CW_MEMO_PROJECT, 0, "Opzet", "Eerste indruk.", "Kim", &error), >, 0);
  g_assert_no_error (error);
  dialog = GTK_WINDOW (cw_memo_editor_open (GTK_WIDGET (window), project, CW_MEMO_PROJECT, 0, "Codewerk"));
  g_assert_nonnull (dialog);
  check_window (checker, "memo editor", dialog, "dutch-memo.png");
  {
    g_autoptr(GRegex) dutch_date = g_regex_new ("\\b\\d\\d-\\d\\d-\\d\\d\\d\\d \\d\\d:\\d\\d\\b", 0, 0, NULL);
    const char *info = cw_memo_editor_get_info (CW_MEMO_EDITOR (dialog));

    g_test_message ("memo info: %s", info);
    g_assert_true (g_regex_match (dutch_date, info, 0, NULL));
  }
  close_window (dialog);

  /* The review of a merge with every kind of conflict. */
  merge = merge_result_with_conflicts ();
  dialog = GTK_WINDOW (cw_merge_review_dialog_new (GTK_WINDOW (window), merge));
  gtk_window_set_default_size (dialog, 680, 1200);
  gtk_window_present (dialog);
  check_window (checker, "merge review dialog", dialog, "dutch-merge-review.png");
  close_window (dialog);

  /* Keyboard shortcuts and About, through the application's actions. */
  g_list_free (g_steal_pointer (&before));
  before = gtk_window_list_toplevels ();
  in_shortcuts_window = TRUE;
  g_action_group_activate_action (G_ACTION_GROUP (app), "shortcuts", NULL);
  /* The action built it from the resource, for the active window. */
  dialog = GTK_WINDOW (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_nonnull (dialog);
  check_window (checker, "shortcuts window", dialog, "dutch-shortcuts.png");
  gtk_widget_set_visible (GTK_WIDGET (dialog), FALSE);
  in_shortcuts_window = FALSE;

  g_list_free (g_steal_pointer (&before));
  before = gtk_window_list_toplevels ();
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  dialog = new_toplevel (before, ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (dialog);
  check_window (checker, "about window", dialog, "dutch-about.png");
  close_window (dialog);

  g_test_message ("%u texts checked", checker->n_checked);
  g_assert_cmpuint (checker->n_checked, >, 300);
  if (checker->english->len > 0)
    g_test_message ("English under Dutch:\n%s", checker->english->str);
  g_assert_cmpstr (checker->english->str, ==, "");

  weak = window;
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (cw_test_wait_until (pointer_gone, &weak));
  g_assert_finalize_object (project);
  cw_test_remove_dir (dir);
  checker_free (checker);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("CODEWERK_LOCALEDIR");

  /* As main.c does, with the build's translations and the Dutch locale
   * that the build compiled (LOCPATH). */
  g_assert_nonnull (setlocale (LC_ALL, ""));
  g_assert_nonnull (localedir);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_log_set_writer_func (log_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    g_error ("no display: the Dutch window test needs one (run it under Xvfb)");
  adw_init ();
  /* The locale really is Dutch: a comma before the decimals, Dutch text. */
  g_assert_cmpstr (localeconv ()->decimal_point, ==, ",");
  g_assert_cmpstr (_("Documents"), !=, "Documents");

  g_test_add_func ("/i18n/checker-finds-english", test_checker_finds_english);
  g_test_add_func ("/i18n/allowlist-is-dutch", test_allowlist_is_dutch);
  g_test_add_func ("/i18n/window-in-dutch", test_window_in_dutch);
  return g_test_run ();
}
