/* test-memos-groups.c: memos and document groups in the window, driven
 * in-process under Xvfb: the memo editor on a coding (the stripes' menu),
 * on a code (the codebook's details) and on a document (the document
 * list's menu); undo of a memo edit; document groups made, filled,
 * renamed and deleted from the document list, and shown in its "Groups"
 * section.
 *
 * Like test-window, it needs a display and fails without one.
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "cw-codebook.h"
#include "cw-codebook-panel-private.h"
#include "cw-coding.h"
#include "cw-coding-stripes-private.h"
#include "cw-document-item.h"
#include "cw-document-list-private.h"
#include "cw-history.h"
#include "cw-memo-editor.h"
#include "cw-transcript-view-private.h"
#include "cw-window-private.h"
#include "cw-test-util.h"
#include "cw-test-gui.h"

/* The shared GUI helpers under this file's old names; its screenshots
 * compose a dialog over the window, so it keeps its own. */
#define wait_until cw_test_wait_until
#define wait_ms cw_test_wait_ms
#define TIMEOUT_MS CW_TEST_TIMEOUT_MS
typedef CwTestCondition Condition;






static gboolean
window_idle (gpointer data)
{
  return !_cw_window_is_busy (data);
}

/* Screenshots */

static char *
screenshot_dir (void)
{
  const char *dir = g_getenv ("CODEWERK_SCREENSHOT_DIR");
  const char *build = g_getenv ("CODEWERK_BUILD_ROOT");

  if (dir != NULL && dir[0] != '\0')
    return g_strdup (dir);
  if (build != NULL && build[0] != '\0')
    return g_build_filename (build, "tests", "screenshots", NULL);
  return g_build_filename (g_get_tmp_dir (), "codewerk-screenshots", NULL);
}

typedef struct
{
  GtkWidget     *widget;
  GskRenderNode *node;
} Drawn;

/* Keeps the first non-empty picture: a widget that has been drawn once can
 * still snapshot to nothing while a relayout is pending. */
static gboolean
widget_drawn (gpointer data)
{
  Drawn *drawn = data;
  g_autoptr(GdkPaintable) paintable = NULL;
  GtkSnapshot *snapshot;
  int width = gtk_widget_get_width (drawn->widget);
  int height = gtk_widget_get_height (drawn->widget);

  if (!gtk_widget_get_mapped (drawn->widget) || width <= 0 || height <= 0)
    return FALSE;
  paintable = gtk_widget_paintable_new (drawn->widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  drawn->node = gtk_snapshot_free_to_node (snapshot);
  return drawn->node != NULL;
}

/* What the widget shows, once it has been laid out (a loaded machine may
 * take a while for a new dialog). */
static GskRenderNode *
widget_node (GtkWidget *widget)
{
  Drawn drawn = { widget, NULL };

  g_assert_true (wait_until (widget_drawn, &drawn));
  g_assert_nonnull (drawn.node);
  return drawn.node;
}

/* The window, and a dialog over it where a window manager would put it
 * (Xvfb has none): centred, the window dimmed behind it. */
static void
save_screenshot (GtkWidget  *window,
                 GtkWidget  *dialog,
                 const char *name)
{
  g_autofree char *dir = screenshot_dir ();
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GskRenderNode) window_node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int width, height;

  wait_ms (300);
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  window_node = widget_node (window);
  gtk_snapshot_append_node (snapshot, window_node);

  if (dialog != NULL)
    {
      g_autoptr(GskRenderNode) dialog_node = widget_node (dialog);
      int dialog_width = gtk_widget_get_width (dialog);
      int dialog_height = gtk_widget_get_height (dialog);
      GskRoundedRect outline;

      gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 0.2f }, &GRAPHENE_RECT_INIT (0, 0, width, height));
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((width - dialog_width) / 2, (height - dialog_height) / 2));
      gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (0, 0, dialog_width, dialog_height), 12);
      gtk_snapshot_append_outset_shadow (snapshot, &outline, &(GdkRGBA) { 0, 0, 0, 0.3f }, 0, 4, 2, 16);
      gtk_snapshot_append_node (snapshot, dialog_node);
      gtk_snapshot_restore (snapshot);
    }

  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* A project with three interviews, two codes and a coding */

static const char kevin[] =
  "Interview met Kevin, 12 maart\n"
  "[00:00:05] Interviewer: Hoe ging het op je stage?\n"
  "[00:00:12] Kevin: Eerst was het moeilijk. Op mijn stageplek kende ik niemand, "
  "maar de jobcoach kwam elke week langs en toen ging het beter.\n"
  "[00:01:02] Interviewer: En nu?\n"
  "[00:01:30] Kevin: Nu werk ik er vier dagen. Mijn leidinggevende wil me houden "
  "als ik mijn diploma haal. Dat is wel spannend, want school is niet mijn ding.\n";

static const char sanne[] =
  "Interviewer: Wat doe je na school?\n"
  "Sanne: Ik wil in de zorg werken, maar eerst mijn rijbewijs.\n";

static const char yusuf[] =
  "Interviewer: Hoe vond je de stage bij de garage?\n"
  "Yusuf: Leuk, ik mocht meteen meewerken.\n";

typedef struct
{
  char      *dir;
  CwProject *project;
  gint64     kevin;
  gint64     sanne;
  gint64     yusuf;
  gint64     stage;
  gint64     work;
  gint64     coding;     /* "Stage" on Kevin's "mijn stageplek" */
  CwWindow  *window;
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

typedef struct
{
  CwWindow *window;
  gint64    id;
} DocumentWait;

static gboolean
document_shown (gpointer data)
{
  DocumentWait *wait = data;

  return cw_transcript_view_get_document_id (_cw_window_get_transcript_view (wait->window)) == wait->id &&
         !_cw_window_is_busy (wait->window) &&
         gtk_widget_get_mapped (GTK_WIDGET (_cw_window_get_transcript_view (wait->window)));
}

static void
add_file (Fixture    *fixture,
          GPtrArray  *files,
          const char *name,
          const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  g_ptr_array_add (files, g_file_new_for_path (path));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  DocumentWait wait;
  const char *found;

  /* Memos are signed with the coder's name. */
  g_settings_set_string (settings, "coder", "Kim");
  fixture->dir = g_dir_make_tmp ("codewerk-test-memos-XXXXXX", &error);
  g_assert_no_error (error);
  add_file (fixture, files, "interview-kevin.txt", kevin);
  add_file (fixture, files, "interview-sanne.txt", sanne);
  add_file (fixture, files, "interview-yusuf.txt", yusuf);

  path = g_build_filename (fixture->dir, "test.codewerk", NULL);
  fixture->project = cw_project_create (path, "Stages", &error);
  g_assert_no_error (error);
  ids = cw_project_import (fixture->project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 3);
  fixture->kevin = g_array_index (ids, gint64, 0);
  fixture->sanne = g_array_index (ids, gint64, 1);
  fixture->yusuf = g_array_index (ids, gint64, 2);

  fixture->stage = cw_project_add_code (fixture->project, "Stage", "#3584e4", "Alles over de stageplek.", &error);
  g_assert_no_error (error);
  fixture->work = cw_project_add_code (fixture->project, "Werk", "#2ec27e", NULL, &error);
  g_assert_no_error (error);
  text = cw_project_get_text (fixture->project, fixture->kevin, &error);
  g_assert_no_error (error);
  found = strstr (text, "mijn stageplek kende ik niemand");
  g_assert_nonnull (found);
  fixture->coding = cw_project_add_coding (fixture->project, fixture->kevin, fixture->stage,
                                           g_utf8_pointer_to_offset (text, found),
                                           g_utf8_pointer_to_offset (text, found) + 31, "Anouk", NULL, &error);
  g_assert_no_error (error);

  fixture->window = cw_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  cw_window_set_project (fixture->window, fixture->project);
  wait.window = fixture->window;
  wait.id = fixture->kevin;
  g_assert_true (wait_until (document_shown, &wait));
}

static gboolean
window_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gpointer weak = fixture->window;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_assert_true (wait_until (window_idle, fixture->window));
  g_object_add_weak_pointer (G_OBJECT (fixture->window), &weak);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_true (wait_until (window_gone, &weak));

  g_assert_finalize_object (fixture->project);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_settings_reset (settings, "coder");
}

/* Helpers */

static CwDocumentList *
list_of (Fixture *fixture)
{
  return _cw_window_get_document_list (fixture->window);
}

static CwCodingStripes *
stripes_of (Fixture *fixture)
{
  return _cw_transcript_view_get_stripes (_cw_window_get_transcript_view (fixture->window));
}

/* The open memo editor, NULL when none. */
static CwMemoEditor *
find_editor (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (CW_IS_MEMO_EDITOR (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return CW_MEMO_EDITOR (window);
    }
  return NULL;
}

static gboolean
editor_gone (gpointer data)
{
  return find_editor () == NULL;
}

static gboolean
editor_shown (gpointer data)
{
  CwMemoEditor *editor = find_editor ();

  return editor != NULL && gtk_widget_get_mapped (GTK_WIDGET (editor));
}

static CwMemoEditor *
expect_editor (void)
{
  g_assert_true (wait_until (editor_shown, NULL));
  return find_editor ();
}

static void
editor_action (CwMemoEditor *editor,
               const char   *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), action, NULL));
}

/* Writes title and text into the open editor and saves: the editor closes. */
static void
save_memo (CwMemoEditor *editor,
           const char   *title,
           const char   *text)
{
  cw_memo_editor_set_contents (editor, title, text);
  editor_action (editor, "memo.save");
  g_assert_true (wait_until (editor_gone, NULL));
}

static GPtrArray *
memos (Fixture      *fixture,
       CwMemoTarget  target,
       gint64        id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *list = cw_project_list_memos (fixture->project, target, id, &error);

  g_assert_no_error (error);
  return list;
}

static const CwStripeBar *
find_bar (GArray *bars,
          gint64  coding_id)
{
  for (guint i = 0; i < bars->len; i++)
    if (g_array_index (bars, CwStripeBar, i).coding_id == coding_id)
      return &g_array_index (bars, CwStripeBar, i);
  g_assert_not_reached ();
  return NULL;
}

static gboolean
coding_has_memo_mark (Fixture *fixture)
{
  g_autoptr(GArray) bars = _cw_coding_stripes_get_bars (stripes_of (fixture));

  return find_bar (bars, fixture->coding)->has_memo;
}

/* The labels and actions of a menu and its sections and submenus, as
 * "label=action" lines. */
static void
describe_menu (GMenuModel *model,
               GString    *out)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *label = NULL;
      g_autofree char *action = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      g_autoptr(GMenuModel) submenu = g_menu_model_get_item_link (model, i, G_MENU_LINK_SUBMENU);

      g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &label);
      g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
      if (label != NULL)
        g_string_append_printf (out, "%s=%s\n", label, action != NULL ? action : "");
      if (section != NULL)
        describe_menu (section, out);
      if (submenu != NULL)
        describe_menu (submenu, out);
    }
}

static char *
menu_text (Fixture *fixture)
{
  GString *out = g_string_new (NULL);
  GMenuModel *model = _cw_document_list_get_menu_model (list_of (fixture));

  g_assert_nonnull (model);
  describe_menu (model, out);
  return g_string_free (out, FALSE);
}

/* The position of a row in the document list: a document (under a group
 * when group_id is not 0), a group (id 0, group_id), or the "Groups"
 * heading (both 0). */
static guint
find_row (Fixture *fixture,
          gint64   id,
          gint64   group_id)
{
  GListModel *model = G_LIST_MODEL (cw_document_list_get_selection (list_of (fixture)));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (model, i);
      g_autoptr(GtkTreeListRow) parent = gtk_tree_list_row_get_parent (row);
      g_autoptr(CwDocumentItem) item = gtk_tree_list_row_get_item (row);
      g_autoptr(CwDocumentItem) parent_item = parent != NULL ? gtk_tree_list_row_get_item (parent) : NULL;
      CwDocumentItemType type = cw_document_item_get_item_type (item);

      if (id != 0 && type == CW_DOCUMENT_ITEM_DOCUMENT && cw_document_item_get_id (item) == id &&
          (parent_item != NULL ? cw_document_item_get_group_id (parent_item) : 0) == group_id)
        return i;
      if (id == 0 && group_id != 0 && type == CW_DOCUMENT_ITEM_GROUP &&
          cw_document_item_get_group_id (item) == group_id)
        return i;
      if (id == 0 && group_id == 0 && type == CW_DOCUMENT_ITEM_GROUPS)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static CwDocumentItem *
row_item (Fixture *fixture,
          guint    position)
{
  GListModel *model = G_LIST_MODEL (cw_document_list_get_selection (list_of (fixture)));
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (model, position);

  g_assert_nonnull (row);
  return gtk_tree_list_row_get_item (row);
}

/* The names of the documents the list shows under a group, sorted. */
static char *
group_section (Fixture *fixture,
               gint64   group_id)
{
  guint position = find_row (fixture, 0, group_id);
  g_autoptr(CwDocumentItem) group = NULL;
  GListModel *children;
  GString *names = g_string_new (NULL);

  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
  group = row_item (fixture, position);
  g_string_append_printf (names, "%s:", cw_document_item_get_name (group));
  children = G_LIST_MODEL (cw_document_item_get_children (group));
  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(CwDocumentItem) document = g_list_model_get_item (children, i);

      g_string_append_printf (names, " %s", cw_document_item_get_name (document));
      /* Listed, unfolded: the documents' rows follow the group's. */
      g_assert_cmpuint (find_row (fixture, cw_document_item_get_id (document), group_id), ==, position + 1 + i);
    }
  return g_string_free (names, FALSE);
}

static GPtrArray *
groups (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *list = cw_project_list_groups (fixture->project, &error);

  g_assert_no_error (error);
  return list;
}

static char *
describe_groups (Fixture *fixture)
{
  g_autoptr(GPtrArray) list = groups (fixture);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < list->len; i++)
    {
      const CwDocumentGroup *group = g_ptr_array_index (list, i);

      g_string_append_printf (out, "%s%s:", i > 0 ? "; " : "", group->name);
      for (guint j = 0; j < group->document_ids->len; j++)
        g_string_append_printf (out, " %" G_GINT64_FORMAT, g_array_index (group->document_ids, gint64, j));
    }
  return g_string_free (out, FALSE);
}

/* Through the document list's menu for the document's row: "New Group…",
 * a name, Create. Returns the new group's id. */
static gint64
new_group_for (Fixture    *fixture,
               gint64      document_id,
               const char *name)
{
  g_autoptr(GError) error = NULL;
  CwDocumentList *list = list_of (fixture);
  AdwMessageDialog *dialog;
  GtkEditable *entry;
  gint64 id;

  g_assert_true (_cw_document_list_popup_menu (list, find_row (fixture, document_id, 0)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "documents.new-group", "x", document_id));
  dialog = _cw_document_list_get_dialog (list);
  g_assert_nonnull (dialog);
  entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  gtk_editable_set_text (entry, name);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "save"));
  adw_message_dialog_response (dialog, "save");
  gtk_popover_popdown (_cw_document_list_get_menu (list));

  id = cw_project_lookup_group (fixture->project, name, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* The row widget of the list's row at position (GTK builds rows only for
 * what is on screen). */
static GtkWidget *
find_row_widget (GtkWidget *widget,
                 guint      position)
{
  GtkListItem *list_item = g_object_get_data (G_OBJECT (widget), "cw-list-item");

  if (list_item != NULL && gtk_list_item_get_item (list_item) != NULL &&
      gtk_list_item_get_position (list_item) == position)
    return gtk_widget_get_parent (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row_widget (child, position);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The widget has a key binding from trigger (as "<Shift>F10") to action. */
static gboolean
has_binding (GtkWidget  *widget,
             const char *trigger,
             const char *action)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *text = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          GtkShortcutAction *shortcut_action = gtk_shortcut_get_action (shortcut);

          if (g_strcmp0 (text, trigger) == 0 && GTK_IS_NAMED_ACTION (shortcut_action) &&
              g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (shortcut_action)), action) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

/* Tests */

/* A memo on a coding, from the stripes' menu: written, marked in the
 * stripes and their tooltip, edited, undone, deleted. */
static void
test_coding_memo (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *text = NULL;
  CwCodingStripes *stripes = stripes_of (fixture);
  CwMemoEditor *editor;
  const CwMemo *memo;
  gint64 memo_id;

  g_assert_false (coding_has_memo_mark (fixture));

  /* Right click on the bar, "Memo…": an empty memo, signed by the coder. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (stripes), "stripes.memo", "x", fixture->coding));
  editor = expect_editor ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (editor)) == GTK_WINDOW (fixture->window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (editor)));
  g_assert_cmpint (cw_memo_editor_get_memo_id (editor), ==, 0);
  g_assert_cmpstr (cw_memo_editor_get_info (editor), ==, "New memo by Kim");
  /* Nothing to save yet: Save does nothing. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "memo.save", NULL);
  g_assert_true (find_editor () == editor);
  list = memos (fixture, CW_MEMO_CODING, fixture->coding);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  save_memo (editor, "Eerste indruk", "Kevin voelt zich alleen op de stageplek.");

  list = memos (fixture, CW_MEMO_CODING, fixture->coding);
  g_assert_cmpuint (list->len, ==, 1);
  memo = g_ptr_array_index (list, 0);
  g_assert_cmpstr (memo->title, ==, "Eerste indruk");
  g_assert_cmpstr (memo->text, ==, "Kevin voelt zich alleen op de stageplek.");
  g_assert_cmpstr (memo->author, ==, "Kim");
  memo_id = memo->id;

  /* The stripes follow: a mark on the bar, the text in the tooltip. */
  g_assert_true (coding_has_memo_mark (fixture));
  tooltip = _cw_coding_stripes_describe (stripes, fixture->coding);
  g_assert_cmpstr (tooltip, ==, "Stage · Anouk · Kevin voelt zich alleen op de stageplek.");
  g_clear_pointer (&tooltip, g_free);

  /* Again: the memo, with its author and date, to edit. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (stripes), "stripes.memo", "x", fixture->coding));
  editor = expect_editor ();
  g_assert_cmpint (cw_memo_editor_get_memo_id (editor), ==, memo_id);
  g_assert_cmpuint (cw_memo_editor_get_n_memos (editor), ==, 1);
  g_assert_cmpstr (cw_memo_editor_get_title (editor), ==, "Eerste indruk");
  text = cw_memo_editor_get_text (editor);
  g_assert_cmpstr (text, ==, "Kevin voelt zich alleen op de stageplek.");
  g_assert_true (g_str_has_prefix (cw_memo_editor_get_info (editor), "Kim · "));
  cw_memo_editor_set_contents (editor, "Eerste indruk",
                               "Kevin voelt zich alleen op de stageplek, tot de jobcoach komt.");
  save_screenshot (GTK_WIDGET (fixture->window), GTK_WIDGET (editor), "memo.png");
  editor_action (editor, "memo.save");
  g_assert_true (wait_until (editor_gone, NULL));

  g_clear_pointer (&list, g_ptr_array_unref);
  list = memos (fixture, CW_MEMO_CODING, fixture->coding);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((CwMemo *) list->pdata[0])->text, ==, "Kevin voelt zich alleen op de stageplek, tot de jobcoach komt.");
  tooltip = _cw_coding_stripes_describe (stripes, fixture->coding);
  g_assert_true (g_str_has_suffix (tooltip, "tot de jobcoach komt."));
  g_clear_pointer (&tooltip, g_free);

  /* Undo the edit: the old text, in the project and in the stripes. */
  g_assert_true (cw_project_undo (fixture->project, &error));
  g_assert_no_error (error);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = memos (fixture, CW_MEMO_CODING, fixture->coding);
  g_assert_cmpstr (((CwMemo *) list->pdata[0])->text, ==, "Kevin voelt zich alleen op de stageplek.");
  tooltip = _cw_coding_stripes_describe (stripes, fixture->coding);
  g_assert_cmpstr (tooltip, ==, "Stage · Anouk · Kevin voelt zich alleen op de stageplek.");
  g_clear_pointer (&tooltip, g_free);

  /* Cancel drops an edit. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (stripes), "stripes.memo", "x", fixture->coding));
  editor = expect_editor ();
  cw_memo_editor_set_contents (editor, "Weg", "Dit wordt niet bewaard.");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL));
  g_assert_true (wait_until (editor_gone, NULL));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = memos (fixture, CW_MEMO_CODING, fixture->coding);
  g_assert_cmpstr (((CwMemo *) list->pdata[0])->title, ==, "Eerste indruk");

  /* Delete: gone from the project and from the stripes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (stripes), "stripes.memo", "x", fixture->coding));
  editor = expect_editor ();
  editor_action (editor, "memo.delete");
  g_assert_true (wait_until (editor_gone, NULL));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = memos (fixture, CW_MEMO_CODING, fixture->coding);
  g_assert_cmpuint (list->len, ==, 0);
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, "Memo deleted");
  g_assert_false (coding_has_memo_mark (fixture));
  tooltip = _cw_coding_stripes_describe (stripes, fixture->coding);
  g_assert_cmpstr (tooltip, ==, "Stage · Anouk");
}

/* Memos on a code, from the codebook's details: the button counts them;
 * a second memo through "New Memo"; paging; undo. */
static void
test_code_memo (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  CwCodebookPanel *panel = _cw_window_get_codebook_panel (fixture->window);
  GtkWidget *button = _cw_codebook_panel_get_memo_button (panel);
  AdwButtonContent *content = ADW_BUTTON_CONTENT (gtk_button_get_child (GTK_BUTTON (button)));
  CwMemoEditor *editor;
  gint64 first;

  g_assert_true (cw_codebook_panel_select_code (panel, fixture->stage));
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_cmpstr (adw_button_content_get_label (content), ==, "Add _Memo…");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "codebook.memo", NULL));
  editor = expect_editor ();
  g_assert_cmpint (cw_memo_editor_get_memo_id (editor), ==, 0);
  save_memo (editor, "Afbakening", "Ook snuffelstages tellen mee.");
  list = memos (fixture, CW_MEMO_CODE, fixture->stage);
  g_assert_cmpuint (list->len, ==, 1);
  first = ((CwMemo *) list->pdata[0])->id;
  g_assert_cmpstr (((CwMemo *) list->pdata[0])->text, ==, "Ook snuffelstages tellen mee.");
  g_assert_cmpstr (adw_button_content_get_label (content), ==, "1 _Memo…");
  /* Only that code's. */
  g_clear_pointer (&list, g_ptr_array_unref);
  list = memos (fixture, CW_MEMO_CODE, fixture->work);
  g_assert_cmpuint (list->len, ==, 0);

  /* A second memo: "New Memo" in the editor. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "codebook.memo", NULL));
  editor = expect_editor ();
  g_assert_cmpint (cw_memo_editor_get_memo_id (editor), ==, first);
  editor_action (editor, "memo.new");
  g_assert_cmpint (cw_memo_editor_get_memo_id (editor), ==, 0);
  g_assert_cmpstr (cw_memo_editor_get_title (editor), ==, "");
  save_memo (editor, NULL, "Twijfel: is een werkervaringsplek ook een stage?");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = memos (fixture, CW_MEMO_CODE, fixture->stage);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_null (((CwMemo *) list->pdata[1])->title);
  g_assert_cmpstr (adw_button_content_get_label (content), ==, "2 _Memos…");

  /* Paging: the first, then the second; an edit is kept when paging on. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "codebook.memo", NULL));
  editor = expect_editor ();
  g_assert_cmpuint (cw_memo_editor_get_n_memos (editor), ==, 2);
  g_assert_cmpint (cw_memo_editor_get_memo_id (editor), ==, first);
  cw_memo_editor_set_contents (editor, "Afbakening", "Ook snuffelstages en maatschappelijke stages tellen mee.");
  editor_action (editor, "memo.next");
  g_assert_cmpint (cw_memo_editor_get_memo_id (editor), ==, ((CwMemo *) list->pdata[1])->id);
  save_screenshot (GTK_WIDGET (fixture->window), GTK_WIDGET (editor), "memo-pages.png");
  editor_action (editor, "memo.previous");
  g_assert_cmpint (cw_memo_editor_get_memo_id (editor), ==, first);
  g_assert_true (g_str_has_prefix (cw_memo_editor_get_info (editor), "Kim · "));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL));
  g_assert_true (wait_until (editor_gone, NULL));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = memos (fixture, CW_MEMO_CODE, fixture->stage);
  g_assert_cmpstr (((CwMemo *) list->pdata[0])->text, ==, "Ook snuffelstages en maatschappelijke stages tellen mee.");

  /* Undo twice: the edit, then the second memo; the button follows. */
  g_assert_true (cw_project_undo (fixture->project, &error));
  g_assert_no_error (error);
  g_assert_true (cw_project_undo (fixture->project, &error));
  g_assert_no_error (error);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = memos (fixture, CW_MEMO_CODE, fixture->stage);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((CwMemo *) list->pdata[0])->text, ==, "Ook snuffelstages tellen mee.");
  g_assert_cmpstr (adw_button_content_get_label (content), ==, "1 _Memo…");
  save_screenshot (GTK_WIDGET (panel), NULL, "code-memo.png");

  /* The keyboard's way to the code's menu, which has "Memo…" too. */
  g_assert_true (has_binding (GTK_WIDGET (panel), "<Shift>F10", "codebook.context-menu"));
  g_assert_true (has_binding (GTK_WIDGET (panel), "Menu", "codebook.context-menu"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "codebook.context-menu", NULL));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (_cw_codebook_panel_get_context_menu (panel))));
  gtk_popover_popdown (_cw_codebook_panel_get_context_menu (panel));
}

/* A memo on a document, from the document list's menu (also by
 * keyboard): the row gets a memo mark; undo takes it away. */
static void
test_document_memo (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwDocumentItem) item = NULL;
  g_autofree char *menu = NULL;
  CwDocumentList *document_list = list_of (fixture);
  GtkSingleSelection *selection = cw_document_list_get_selection (document_list);
  guint position = find_row (fixture, fixture->sanne, 0);
  CwMemoEditor *editor;

  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
  item = row_item (fixture, position);
  g_assert_false (cw_document_item_get_has_memo (item));

  /* Shift+F10 (or the Menu key) on the selected row opens its menu. */
  g_assert_true (has_binding (GTK_WIDGET (document_list), "<Shift>F10", "documents.context-menu"));
  g_assert_true (has_binding (GTK_WIDGET (document_list), "Menu", "documents.context-menu"));
  gtk_single_selection_set_selected (selection, position);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (document_list), "documents.context-menu", NULL));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (_cw_document_list_get_menu (document_list))));
  menu = menu_text (fixture);
  g_assert_nonnull (strstr (menu, "_Memo…=documents.memo\n"));
  g_assert_nonnull (strstr (menu, "Add to _Group=\n"));
  g_assert_nonnull (strstr (menu, "_New Group…=documents.new-group\n"));
  gtk_popover_popdown (_cw_document_list_get_menu (document_list));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (document_list), "documents.memo", "x", fixture->sanne));
  editor = expect_editor ();
  save_memo (editor, "Contact", "Sanne wil na de zomer nog een keer praten.");
  list = memos (fixture, CW_MEMO_DOCUMENT, fixture->sanne);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((CwMemo *) list->pdata[0])->author, ==, "Kim");
  g_assert_true (cw_document_item_get_has_memo (item));
  /* Not on the others. */
  g_clear_object (&item);
  item = row_item (fixture, find_row (fixture, fixture->kevin, 0));
  g_assert_false (cw_document_item_get_has_memo (item));
  g_clear_object (&item);

  g_assert_true (cw_project_undo (fixture->project, &error));
  g_assert_no_error (error);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = memos (fixture, CW_MEMO_DOCUMENT, fixture->sanne);
  g_assert_cmpuint (list->len, ==, 0);
  item = row_item (fixture, find_row (fixture, fixture->sanne, 0));
  g_assert_false (cw_document_item_get_has_memo (item));
}

static GtkDropDown *
find_group_dropdown (GtkWidget *widget)
{
  if (GTK_IS_DROP_DOWN (widget))
    {
      GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (widget));

      if (GTK_IS_STRING_LIST (model) && g_list_model_get_n_items (model) > 0 &&
          g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), 0), "Any group") == 0)
        return GTK_DROP_DOWN (widget);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkDropDown *found = find_group_dropdown (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  Fixture    *fixture;
  const char *name;
} GroupWait;

static gboolean
retrieval_lists_group (gpointer data)
{
  GroupWait *wait = data;
  GtkDropDown *dropdown = find_group_dropdown (GTK_WIDGET (_cw_window_get_retrieval_view (wait->fixture->window)));
  GListModel *model = dropdown != NULL ? gtk_drop_down_get_model (dropdown) : NULL;

  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), wait->name) == 0)
      return TRUE;
  return FALSE;
}

/* Groups from the document list: made with a document in it, another
 * document added through the check box, shown in the "Groups" section
 * (a document in two groups under both), renamed, a document removed,
 * deleted and brought back by undo. */
static void
test_groups (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *menu = NULL;
  g_autofree char *action = NULL;
  g_autoptr(GVariant) state = NULL;
  g_autoptr(CwDocumentItem) heading = NULL;
  CwDocumentList *document_list = list_of (fixture);
  GActionGroup *actions;
  AdwMessageDialog *dialog;
  GroupWait wait = { fixture, "School Noord" };
  gint64 noord, wave;
  guint n_documents = cw_document_list_get_n_documents (document_list);

  /* No groups yet: no section. */
  g_assert_cmpuint (find_row (fixture, 0, 0), ==, GTK_INVALID_LIST_POSITION);

  noord = new_group_for (fixture, fixture->kevin, "School Noord");
  text = describe_groups (fixture);
  {
    g_autofree char *expected = g_strdup_printf ("School Noord: %" G_GINT64_FORMAT, fixture->kevin);

    g_assert_cmpstr (text, ==, expected);
  }
  g_clear_pointer (&text, g_free);
  text = group_section (fixture, noord);
  g_assert_cmpstr (text, ==, "School Noord: interview-kevin.txt");
  g_clear_pointer (&text, g_free);
  heading = row_item (fixture, find_row (fixture, 0, 0));
  g_assert_cmpstr (cw_document_item_get_name (heading), ==, "Groups");
  /* The kinds keep their documents. */
  g_assert_cmpuint (cw_document_list_get_n_documents (document_list), ==, n_documents);

  /* Yusuf's menu: School Noord unchecked; checking it adds him. */
  g_assert_true (_cw_document_list_popup_menu (document_list, find_row (fixture, fixture->yusuf, 0)));
  menu = menu_text (fixture);
  action = g_strdup_printf ("School Noord=docgroup.group-%" G_GINT64_FORMAT "\n", noord);
  g_assert_nonnull (strstr (menu, action));
  actions = _cw_document_list_get_group_actions (document_list);
  g_clear_pointer (&action, g_free);
  action = g_strdup_printf ("group-%" G_GINT64_FORMAT, noord);
  state = g_action_group_get_action_state (actions, action);
  g_assert_false (g_variant_get_boolean (state));
  g_clear_pointer (&state, g_variant_unref);
  g_action_group_activate_action (actions, action, NULL);
  state = g_action_group_get_action_state (actions, action);
  g_assert_true (g_variant_get_boolean (state));
  g_clear_pointer (&state, g_variant_unref);
  gtk_popover_popdown (_cw_document_list_get_menu (document_list));
  text = group_section (fixture, noord);
  g_assert_cmpstr (text, ==, "School Noord: interview-kevin.txt interview-yusuf.txt");
  g_clear_pointer (&text, g_free);

  /* A second group; Kevin is in both and listed under both. */
  wave = new_group_for (fixture, fixture->kevin, "Wave 1");
  g_assert_true (_cw_document_list_popup_menu (document_list, find_row (fixture, fixture->sanne, 0)));
  g_clear_pointer (&action, g_free);
  action = g_strdup_printf ("group-%" G_GINT64_FORMAT, wave);
  g_action_group_activate_action (_cw_document_list_get_group_actions (document_list), action, NULL);
  gtk_popover_popdown (_cw_document_list_get_menu (document_list));
  text = describe_groups (fixture);
  {
    g_autofree char *expected = g_strdup_printf ("School Noord: %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                                                 "; Wave 1: %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                                                 MIN (fixture->kevin, fixture->yusuf), MAX (fixture->kevin, fixture->yusuf),
                                                 MIN (fixture->kevin, fixture->sanne), MAX (fixture->kevin, fixture->sanne));

    g_assert_cmpstr (text, ==, expected);
  }
  g_clear_pointer (&text, g_free);
  text = group_section (fixture, wave);
  g_assert_cmpstr (text, ==, "Wave 1: interview-kevin.txt interview-sanne.txt");
  g_clear_pointer (&text, g_free);

  /* A name in use (case aside) cannot be given again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (document_list), "documents.new-group", "x", fixture->sanne));
  dialog = _cw_document_list_get_dialog (document_list);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "school noord");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  adw_message_dialog_response (dialog, "cancel");

  /* The retrieval view's group filter lists the new groups. */
  adw_view_stack_set_visible_child_name (_cw_window_get_view_stack (fixture->window), "retrieval");
  g_assert_true (wait_until (retrieval_lists_group, &wait));
  adw_view_stack_set_visible_child_name (_cw_window_get_view_stack (fixture->window), "documents");
  g_assert_true (wait_until (window_idle, fixture->window));

  /* A document with a memo is marked wherever it is listed. */
  g_assert_cmpint (cw_project_add_memo (fixture->project, CW_MEMO_DOCUMENT, fixture->kevin, NULL,
                                        "Tweede gesprek in juni.", "Kim", &error), >, 0);
  g_assert_no_error (error);
  {
    g_autoptr(CwDocumentItem) in_kind = row_item (fixture, find_row (fixture, fixture->kevin, 0));
    g_autoptr(CwDocumentItem) in_group = row_item (fixture, find_row (fixture, fixture->kevin, wave));

    g_assert_true (cw_document_item_get_has_memo (in_kind));
    g_assert_true (cw_document_item_get_has_memo (in_group));
  }

  /* Selecting a document under a group opens it. */
  {
    DocumentWait shown = { fixture->window, fixture->sanne };

    gtk_single_selection_set_selected (cw_document_list_get_selection (document_list),
                                       find_row (fixture, fixture->sanne, wave));
    g_assert_true (wait_until (document_shown, &shown));
  }
  save_screenshot (GTK_WIDGET (fixture->window), NULL, "groups.png");

  /* Rename, from the group row's menu: by keyboard, on the focused row
   * (a group's row cannot be selected). */
  {
    GtkWidget *row = find_row_widget (GTK_WIDGET (document_list), find_row (fixture, 0, noord));

    g_assert_nonnull (row);
    g_assert_true (gtk_widget_grab_focus (row));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (document_list), "documents.context-menu", NULL));
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (_cw_document_list_get_menu (document_list))));
  }
  g_clear_pointer (&menu, g_free);
  menu = menu_text (fixture);
  g_assert_cmpstr (menu, ==, "_Rename Group…=documents.rename-group\n_Delete Group=documents.delete-group\n");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (document_list), "documents.rename-group", "x", noord));
  gtk_popover_popdown (_cw_document_list_get_menu (document_list));
  dialog = _cw_document_list_get_dialog (document_list);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog))), ==, "School Noord");
  /* The same name is no rename. */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "School Zuid");
  adw_message_dialog_response (dialog, "save");
  g_assert_cmpint (cw_project_lookup_group (fixture->project, "School Zuid", &error), ==, noord);
  g_assert_no_error (error);
  text = group_section (fixture, noord);
  g_assert_cmpstr (text, ==, "School Zuid: interview-kevin.txt interview-yusuf.txt");
  g_clear_pointer (&text, g_free);

  /* Remove a document, from its row under the group. */
  g_assert_true (_cw_document_list_popup_menu (document_list, find_row (fixture, fixture->yusuf, noord)));
  g_clear_pointer (&menu, g_free);
  menu = menu_text (fixture);
  g_assert_nonnull (strstr (menu, "Remove from “School Zuid”=documents.remove-from-group\n"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (document_list), "documents.remove-from-group", "(xx)",
                                             noord, fixture->yusuf));
  gtk_popover_popdown (_cw_document_list_get_menu (document_list));
  text = group_section (fixture, noord);
  g_assert_cmpstr (text, ==, "School Zuid: interview-kevin.txt");
  g_clear_pointer (&text, g_free);

  /* Delete: the group goes, the documents stay; undo brings it back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (document_list), "documents.delete-group", "x", noord));
  g_assert_cmpuint (find_row (fixture, 0, noord), ==, GTK_INVALID_LIST_POSITION);
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, "Group “School Zuid” deleted; its documents stay");
  text = describe_groups (fixture);
  g_assert_true (g_str_has_prefix (text, "Wave 1:"));
  g_clear_pointer (&text, g_free);
  g_assert_cmpuint (cw_document_list_get_n_documents (document_list), ==, n_documents);
  g_assert_true (cw_project_undo (fixture->project, &error));
  g_assert_no_error (error);
  text = group_section (fixture, noord);
  g_assert_cmpstr (text, ==, "School Zuid: interview-kevin.txt");
  g_clear_pointer (&text, g_free);

  /* Deleting the last groups takes the section away. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (document_list), "documents.delete-group", "x", noord));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (document_list), "documents.delete-group", "x", wave));
  g_assert_cmpuint (find_row (fixture, 0, 0), ==, GTK_INVALID_LIST_POSITION);
}

int
main (int   argc,
      char *argv[])
{
  cw_test_gui_init (&argc, &argv);

  g_test_add ("/memos-groups/coding-memo", Fixture, NULL, fixture_set_up, test_coding_memo, fixture_tear_down);
  g_test_add ("/memos-groups/code-memo", Fixture, NULL, fixture_set_up, test_code_memo, fixture_tear_down);
  g_test_add ("/memos-groups/document-memo", Fixture, NULL, fixture_set_up, test_document_memo, fixture_tear_down);
  g_test_add ("/memos-groups/groups", Fixture, NULL, fixture_set_up, test_groups, fixture_tear_down);

  return g_test_run ();
}
