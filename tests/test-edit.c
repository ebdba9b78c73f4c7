/* Correcting transcripts (cw-edit.h): codings and turns follow the words
 * they cover; bursts, undo and redo; the index; replace-all. */
#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-edit.h"
#include "cw-history.h"
#include "cw-test-util.h"

typedef struct
{
  char      *dir;
  CwProject *project;
  gint64     doc;   /* interview.txt */
  gint64     doc2;  /* emoji.txt */
  gint64     plain; /* plain.txt: twenty characters, no speakers */
  gint64     stage; /* Stage/Mislukt */
  gint64     werk;  /* Werk */
} Fixture;

static const char interview_text[] =
  "Interviewer: Hoe ging je stage bij Ahmet?\n"
  "Kevin: Die stage bij Ahmet is mislukt. Ik kwam steeds te laat.\n"
  "Interviewer: En nu?\n"
  "Kevin: Nu werk ik bij een hovenier, dat gaat goed.\n";

static const char emoji_text[] =
  "Dewi: 😀😀 Stage is leuk 👍🏽 en ahmet komt op tijd, zegt Ahmetje.\n";

static const char plain_text[] = "0123456789abcdefghij";

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = cw_test_make_dir ();
  fixture->project = cw_test_new_project (fixture->dir);
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "interview.txt", interview_text));
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "emoji.txt", emoji_text));
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "plain.txt", plain_text));
  ids = cw_project_import (fixture->project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  fixture->doc = g_array_index (ids, gint64, 0);
  fixture->doc2 = g_array_index (ids, gint64, 1);
  fixture->plain = g_array_index (ids, gint64, 2);
  fixture->stage = cw_project_add_code (fixture->project, "Stage/Mislukt", "#e15759", NULL, &error);
  g_assert_no_error (error);
  fixture->werk = cw_project_add_code (fixture->project, "Werk", "#59a14f", NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->project);
  cw_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
}

static gint64
offset_of (const char *text,
           const char *needle)
{
  const char *at = strstr (text, needle);

  g_assert_nonnull (at);
  return g_utf8_pointer_to_offset (text, at);
}

static gint64
add_coding (Fixture    *fixture,
            gint64      doc,
            gint64      code,
            gint64      start,
            gint64      end,
            const char *memo)
{
  g_autoptr(GError) error = NULL;
  gint64 id = cw_project_add_coding (fixture->project, doc, code, start, end, "Anna", memo, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* A coding's range; FALSE when it is gone. */
static gboolean
coding_range (Fixture *fixture,
              gint64   id,
              gint64  *start,
              gint64  *end)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwCoding) coding = cw_project_get_coding (fixture->project, id, &error);

  if (coding == NULL)
    {
      g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
      return FALSE;
    }
  *start = coding->start;
  *end = coding->end;
  return TRUE;
}

static char *
text_of (Fixture *fixture,
         gint64   doc)
{
  g_autoptr(GError) error = NULL;
  char *text = cw_project_get_text (fixture->project, doc, &error);

  g_assert_no_error (error);
  return text;
}

/* What a user sees of a document: text, turns, codings and their memos. */
static char *
state_of (Fixture *fixture,
          gint64   doc)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = text_of (fixture, doc);
  g_autoptr(GPtrArray) turns = cw_project_get_turns (fixture->project, doc, &error);
  g_autoptr(GPtrArray) codings = cw_project_list_document_codings (fixture->project, doc, &error);
  g_autoptr(CwDocumentInfo) info = cw_project_get_document_info (fixture->project, doc, &error);

  g_assert_no_error (error);
  g_string_append_printf (out, "text %" G_GINT64_FORMAT " [%s]\n", info->characters, text);
  g_assert_cmpint (info->characters, ==, g_utf8_strlen (text, -1));
  for (guint i = 0; i < turns->len; i++)
    {
      CwTurn *turn = turns->pdata[i];
      g_string_append_printf (out, "turn %s %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT "\n",
                              turn->speaker ? turn->speaker : "-", turn->start, turn->end);
    }
  for (guint i = 0; i < codings->len; i++)
    {
      CwCoding *coding = codings->pdata[i];
      g_autoptr(GPtrArray) memos = cw_project_list_memos (fixture->project, CW_MEMO_CODING, coding->id, &error);

      g_assert_no_error (error);
      g_string_append_printf (out, "coding %" G_GINT64_FORMAT " %s %s %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT,
                              coding->id, coding->code, coding->coder, coding->start, coding->end);
      for (guint m = 0; m < memos->len; m++)
        g_string_append_printf (out, " memo [%s]", ((CwMemo *) memos->pdata[m])->text);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static void
edit (Fixture     *fixture,
      gint64       doc,
      gint64       start,
      gint64       end,
      const char  *replacement,
      guint        expect_removed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwEditResult) result = NULL;

  g_assert_true (cw_project_edit_text (fixture->project, doc, start, end, replacement, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result->removed->len, ==, expect_removed);
}

static void
undo (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cw_project_undo (fixture->project, &error));
  g_assert_no_error (error);
}

static void
redo (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cw_project_redo (fixture->project, &error));
  g_assert_no_error (error);
}

static guint
search_count (Fixture    *fixture,
              const char *query,
              gint64      doc)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = cw_project_search (fixture->project, query, doc, 0, NULL, &error);

  g_assert_no_error (error);
  return hits->len;
}

/* The rules, on "0123456789abcdefghij" with a coding of "56789" [5, 10).
 * Every edit is undone again, which must bring back the coding as it was. */
typedef struct
{
  const char *what;
  gint64      start, end;
  const char *replacement;
  gint64      new_start, new_end; /* -1: removed */
} RuleCase;

static const RuleCase rule_cases[] = {
  { "insert before",               2,  2, "XY",    7, 12 },
  { "insert at its start: before", 5,  5, "XY",    7, 12 },
  { "insert inside: grows",        7,  7, "XY",    5, 12 },
  { "insert at its end: after",   10, 10, "XY",    5, 10 },
  { "insert after",               15, 15, "XY",    5, 10 },
  { "insert at 0",                 0,  0, "X",     6, 11 },
  { "delete before",               0,  2, "",      3,  8 },
  { "delete up to its start",      0,  5, "",      0,  5 },
  { "delete over its start: clip", 3,  7, "",      3,  6 },
  { "delete inside: shrinks",      6,  8, "",      5,  8 },
  { "delete over its end: clip",   8, 12, "",      5,  8 },
  { "delete from its end",        10, 12, "",      5, 10 },
  { "delete after",               15, 20, "",      5, 10 },
  { "delete exactly: removed",     5, 10, "",     -1, -1 },
  { "delete around: removed",      4, 11, "",     -1, -1 },
  { "delete all: removed",         0, 20, "",     -1, -1 },
  { "replace over its start",      3,  7, "AB",    3,  8 },
  { "replace over its end",        8, 12, "Z",     5,  9 },
  { "replace exactly, same length",5, 10, "Ahmed", 5, 10 },
  { "replace exactly, shorter",    5, 10, "Al",    5,  7 },
  { "replace around",              4, 11, "x",     4,  5 },
  { "replace inside: grows",       6,  8, "QQQQ",  5, 12 },
  { "replace before",              0,  2, "abc",   6, 11 },
  { "replace up to its start",     2,  5, "Q",     3,  8 },
  { "replace from its end",       10, 12, "Q",     5, 10 },
  { "replace all",                 0, 20, "new",   0,  3 },
};

static void
test_rules (Fixture       *fixture,
            gconstpointer  data)
{
  gint64 id = add_coding (fixture, fixture->plain, fixture->stage, 5, 10, "about 56789");
  g_autofree char *before = state_of (fixture, fixture->plain);

  for (guint i = 0; i < G_N_ELEMENTS (rule_cases); i++)
    {
      const RuleCase *c = &rule_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(CwEditResult) result = NULL;
      g_autofree char *text = NULL;
      g_autofree char *after = NULL;
      gint64 start, end;

      g_test_message ("%s", c->what);
      g_assert_true (cw_project_edit_text (fixture->project, fixture->plain, c->start, c->end,
                                           c->replacement, &result, &error));
      g_assert_no_error (error);
      text = text_of (fixture, fixture->plain);
      g_assert_cmpint (result->characters, ==, g_utf8_strlen (text, -1));
      g_assert_cmpint (result->start, ==, c->start);
      g_assert_cmpint (result->length, ==, g_utf8_strlen (c->replacement, -1));
      if (c->new_start < 0)
        {
          CwRemovedCoding *removed;

          g_assert_false (coding_range (fixture, id, &start, &end));
          g_assert_cmpuint (result->removed->len, ==, 1);
          removed = result->removed->pdata[0];
          g_assert_cmpint (removed->id, ==, id);
          g_assert_cmpstr (removed->code, ==, "Stage/Mislukt");
          g_assert_cmpstr (removed->coder, ==, "Anna");
          g_assert_cmpint (removed->start, ==, 5);
          g_assert_cmpint (removed->end, ==, 10);
        }
      else
        {
          g_assert_true (coding_range (fixture, id, &start, &end));
          g_assert_cmpint (start, ==, c->new_start);
          g_assert_cmpint (end, ==, c->new_end);
          g_assert_cmpuint (result->removed->len, ==, 0);
        }

      /* One undo step, labelled after the document; undo restores all. */
      {
        g_autofree char *label = cw_project_get_undo_label (fixture->project);
        g_assert_cmpstr (label, ==, "Edit “plain.txt”");
      }
      undo (fixture);
      after = state_of (fixture, fixture->plain);
      g_assert_cmpstr (after, ==, before);
      g_assert_cmpuint (search_count (fixture, "0123456789abcdefghij", fixture->plain), ==, 1);
    }
}

/* Turns grow at both edges; codings of the interview follow their words. */
static void
test_turns (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *text = text_of (fixture, fixture->doc);
  g_autoptr(GPtrArray) turns = NULL;
  g_autoptr(GError) error = NULL;
  gint64 answer = offset_of (text, "Die stage");
  gint64 mislukt = offset_of (text, "mislukt");
  gint64 id = add_coding (fixture, fixture->doc, fixture->stage, mislukt, mislukt + 7, NULL);
  gint64 t0_end, t1_start, t1_end, t2_start, start, end;
  g_autofree char *new_text = NULL;

  turns = cw_project_get_turns (fixture->project, fixture->doc, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (turns->len, ==, 4);
  t0_end = ((CwTurn *) turns->pdata[0])->end;
  t1_start = ((CwTurn *) turns->pdata[1])->start;
  t1_end = ((CwTurn *) turns->pdata[1])->end;
  t2_start = ((CwTurn *) turns->pdata[2])->start;
  g_assert_cmpint (t1_start, ==, answer);
  g_clear_pointer (&turns, g_ptr_array_unref);

  /* At the end of the first turn: it grows; all later turns shift. */
  edit (fixture, fixture->doc, t0_end, t0_end, " Zeg", 0);
  /* At the start of the second (after "Kevin: "): inside it. */
  edit (fixture, fixture->doc, t1_start + 4, t1_start + 4, "", 0);
  edit (fixture, fixture->doc, t1_start + 4, t1_start + 4, "Nou, ", 0);
  /* In the third turn's label: the turn shifts. */
  edit (fixture, fixture->doc, t2_start + 4 + 5 - 3, t2_start + 4 + 5 - 3, "X", 0);

  turns = cw_project_get_turns (fixture->project, fixture->doc, &error);
  g_assert_no_error (error);
  g_assert_cmpint (((CwTurn *) turns->pdata[0])->end, ==, t0_end + 4);
  g_assert_cmpint (((CwTurn *) turns->pdata[1])->start, ==, t1_start + 4);
  g_assert_cmpint (((CwTurn *) turns->pdata[1])->end, ==, t1_end + 4 + 5);
  g_assert_cmpint (((CwTurn *) turns->pdata[2])->start, ==, t2_start + 4 + 5 + 1);
  g_assert_cmpstr (((CwTurn *) turns->pdata[1])->speaker, ==, "Kevin");

  new_text = text_of (fixture, fixture->doc);
  cw_test_assert_substring (new_text, ((CwTurn *) turns->pdata[1])->start,
                            ((CwTurn *) turns->pdata[1])->start + 9, "Nou, Die ");
  g_assert_true (coding_range (fixture, id, &start, &end));
  cw_test_assert_substring (new_text, start, end, "mislukt");

  /* Deleting a whole utterance leaves an empty turn. */
  g_clear_pointer (&turns, g_ptr_array_unref);
  {
    g_autoptr(GPtrArray) now = cw_project_get_turns (fixture->project, fixture->doc, &error);
    CwTurn *third = now->pdata[2];
    gint64 s = third->start, e = third->end;

    edit (fixture, fixture->doc, s, e, "", 0);
    g_clear_pointer (&now, g_ptr_array_unref);
    now = cw_project_get_turns (fixture->project, fixture->doc, &error);
    g_assert_cmpuint (now->len, ==, 4);
    g_assert_cmpint (((CwTurn *) now->pdata[2])->start, ==, s);
    g_assert_cmpint (((CwTurn *) now->pdata[2])->end, ==, s);
  }
}

/* Offsets are code points: emoji (outside the BMP, and with a modifier)
 * and é count one each. */
static void
test_multibyte (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *text = text_of (fixture, fixture->doc2);
  gint64 stage = offset_of (text, "Stage");
  gint64 leuk = offset_of (text, "leuk");
  gint64 id = add_coding (fixture, fixture->doc2, fixture->stage, stage, leuk + 4, NULL);
  g_autofree char *new_text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwEditResult) result = NULL;
  gint64 start, end;

  /* Replace the first emoji by "é😀" before the coding, and insert after. */
  edit (fixture, fixture->doc2, 6, 7, "é😀", 0);
  edit (fixture, fixture->doc2, stage + 1 + 4, stage + 1 + 4, "😀", 0); /* "Stag😀e"? no: inside */
  g_assert_true (coding_range (fixture, id, &start, &end));
  new_text = text_of (fixture, fixture->doc2);
  cw_test_assert_substring (new_text, start, end, "Stag😀e is leuk");
  g_clear_pointer (&new_text, g_free);

  /* A combining accent typed after "e" composes with it: the stored text
   * stays NFC, the result says which range was replaced. */
  g_assert_true (cw_project_edit_text (fixture->project, fixture->doc2, end - 2, end - 2, "\xcc\x81", &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result->replaced_start, ==, end - 3);
  g_assert_cmpint (result->replaced_end, ==, end - 2);
  g_assert_cmpint (result->start, ==, end - 3);
  g_assert_cmpint (result->length, ==, 1);
  new_text = text_of (fixture, fixture->doc2);
  {
    g_autofree char *nfc = g_utf8_normalize (new_text, -1, G_NORMALIZE_NFC);
    g_assert_cmpstr (new_text, ==, nfc);
  }
  g_assert_true (coding_range (fixture, id, &start, &end));
  cw_test_assert_substring (new_text, start, end, "Stag😀e is léuk");
  g_clear_pointer (&new_text, g_free);
  g_clear_pointer (&result, cw_edit_result_free);

  /* A decomposed replacement is stored composed; CR LF becomes LF. */
  edit (fixture, fixture->doc2, 0, 4, "Rene\xcc\x81\r\nX", 0);
  new_text = text_of (fixture, fixture->doc2);
  g_assert_true (g_str_has_prefix (new_text, "René\nX: "));
}

/* A coding whose text is deleted entirely is removed with its memo, and
 * undo brings both back as they were; redo removes them again. */
static void
test_removed_and_undo (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *text = text_of (fixture, fixture->doc);
  gint64 mislukt = offset_of (text, "mislukt");
  gint64 id = add_coding (fixture, fixture->doc, fixture->stage, mislukt, mislukt + 7, "te laat");
  gint64 other = add_coding (fixture, fixture->doc, fixture->werk, mislukt - 9, mislukt + 20, NULL);
  g_autofree char *before = state_of (fixture, fixture->doc);
  g_autofree char *after = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwEditResult) result = NULL;
  gint64 start, end;

  g_assert_true (cw_project_edit_text (fixture->project, fixture->doc, mislukt - 1, mislukt + 7, "", &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result->removed->len, ==, 1);
  g_assert_cmpint (((CwRemovedCoding *) result->removed->pdata[0])->id, ==, id);
  g_assert_cmpstr (((CwRemovedCoding *) result->removed->pdata[0])->code, ==, "Stage/Mislukt");
  g_assert_false (coding_range (fixture, id, &start, &end));
  g_assert_true (coding_range (fixture, other, &start, &end));
  g_assert_cmpint (end - start, ==, 29 - 8);
  after = state_of (fixture, fixture->doc);

  undo (fixture);
  again = state_of (fixture, fixture->doc);
  g_assert_cmpstr (again, ==, before);
  g_assert_true (coding_range (fixture, id, &start, &end));
  g_assert_cmpint (start, ==, mislukt);
  g_clear_pointer (&again, g_free);

  redo (fixture);
  again = state_of (fixture, fixture->doc);
  g_assert_cmpstr (again, ==, after);
  g_clear_pointer (&again, g_free);

  undo (fixture);
  again = state_of (fixture, fixture->doc);
  g_assert_cmpstr (again, ==, before);
}

/* Two codings of one code by one coder that an edit makes equal: the
 * newer goes, reported; shifts of codings a character apart do not clash. */
static void
test_collisions (Fixture       *fixture,
                 gconstpointer  data)
{
  gint64 a = add_coding (fixture, fixture->plain, fixture->stage, 0, 10, NULL);
  gint64 b = add_coding (fixture, fixture->plain, fixture->stage, 2, 10, "b");
  gint64 c = add_coding (fixture, fixture->plain, fixture->werk, 12, 15, NULL);
  gint64 d = add_coding (fixture, fixture->plain, fixture->werk, 13, 16, NULL);
  gint64 e = add_coding (fixture, fixture->plain, fixture->werk, 11, 17, NULL);
  gint64 f = add_coding (fixture, fixture->plain, fixture->werk, 11, 18, NULL);
  g_autofree char *before = state_of (fixture, fixture->plain);
  g_autofree char *now = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwEditResult) result = NULL;
  gint64 start, end;

  /* Insert one character at 12: c shifts onto d's old place, d after it;
   * e and f, both around, grow onto each other's old ends. */
  edit (fixture, fixture->plain, 12, 12, "x", 0);
  g_assert_true (coding_range (fixture, c, &start, &end));
  g_assert_cmpint (start, ==, 13);
  g_assert_true (coding_range (fixture, d, &start, &end));
  g_assert_cmpint (start, ==, 14);
  g_assert_true (coding_range (fixture, e, &start, &end));
  g_assert_cmpint (end, ==, 18);
  g_assert_true (coding_range (fixture, f, &start, &end));
  g_assert_cmpint (end, ==, 19);

  g_assert_true (cw_project_edit_text (fixture->project, fixture->plain, 0, 2, "", &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result->removed->len, ==, 1);
  g_assert_cmpint (((CwRemovedCoding *) result->removed->pdata[0])->id, ==, b);
  g_assert_true (coding_range (fixture, a, &start, &end));
  g_assert_cmpint (start, ==, 0);
  g_assert_cmpint (end, ==, 8);

  undo (fixture);
  undo (fixture);
  now = state_of (fixture, fixture->plain);
  g_assert_cmpstr (now, ==, before);
  g_clear_pointer (&now, g_free);
  redo (fixture);
  redo (fixture);
  g_assert_false (coding_range (fixture, b, &start, &end));
  undo (fixture);
  undo (fixture);
  now = state_of (fixture, fixture->plain);
  g_assert_cmpstr (now, ==, before);
}

static void
count_signal (CwProject *project,
              gint64     document_id,
              gpointer   user_data)
{
  GArray *ids = user_data;

  g_array_append_val (ids, document_id);
}

static void
count_changed (CwProject *project,
               gpointer   user_data)
{
  (*(guint *) user_data)++;
}

/* 50 keystrokes, a few of them deletions, as one undo step; the index
 * follows at the end of the burst. */
static void
test_burst (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *text = text_of (fixture, fixture->doc);
  gint64 mislukt = offset_of (text, "mislukt");
  gint64 ahmet = offset_of (text, "Ahmet is");
  gint64 id = add_coding (fixture, fixture->doc, fixture->stage, ahmet, mislukt + 7, "memo");
  g_autofree char *before = state_of (fixture, fixture->doc);
  g_autofree char *after = NULL;
  g_autofree char *now = NULL;
  g_autofree char *label = NULL;
  g_autoptr(GArray) signalled = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  const char *word = "zorgboerderij";
  guint changed = 0;
  gint64 at = ahmet, start, end;

  g_signal_connect (fixture->project, "document-text-changed", G_CALLBACK (count_signal), signalled);
  g_signal_connect (fixture->project, "changed", G_CALLBACK (count_changed), &changed);

  g_assert_true (cw_project_begin_edit_burst (fixture->project, fixture->doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cw_project_get_edit_burst (fixture->project), ==, fixture->doc);
  /* Delete "Ahmet" one character at a time from its end (5), type the
   * word with a typo and its correction (13 + 2 + 2), and 28 more. */
  for (int i = 0; i < 5; i++)
    edit (fixture, fixture->doc, at + 4 - i, at + 5 - i, "", 0);
  for (const char *p = word; *p != '\0'; p++)
    {
      char c[2] = { *p, 0 };
      edit (fixture, fixture->doc, at, at, c, 0);
      at++;
      if (p == word + 4)
        {
          edit (fixture, fixture->doc, at, at, "q", 0);
          edit (fixture, fixture->doc, at, at + 1, "", 0);
          edit (fixture, fixture->doc, at, at, "w", 0);
          edit (fixture, fixture->doc, at, at + 1, "", 0);
        }
    }
  for (int i = 0; i < 28; i++, at++)
    edit (fixture, fixture->doc, at, at, i % 2 ? "a" : "b", 0);
  g_assert_cmpuint (signalled->len, ==, 50);
  g_assert_cmpint (g_array_index (signalled, gint64, 49), ==, fixture->doc);
  g_assert_cmpuint (changed, ==, 0);

  /* During the burst the index still has the words as they were. */
  g_assert_cmpuint (search_count (fixture, "Ahmet", fixture->doc), ==, 2);

  g_assert_true (cw_project_end_edit_burst (fixture->project, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpint (cw_project_get_edit_burst (fixture->project), ==, 0);
  g_assert_cmpuint (search_count (fixture, "Ahmet", fixture->doc), ==, 1);
  g_assert_cmpuint (search_count (fixture, "zorgboerderijbababa*", fixture->doc), ==, 1);

  /* "Ahmet" was deleted from the coding's start; what was typed there
   * went before it. */
  now = text_of (fixture, fixture->doc);
  g_assert_true (coding_range (fixture, id, &start, &end));
  cw_test_assert_substring (now, start, end, " is mislukt");
  cw_test_assert_substring (now, ahmet, start, "zorgboerderijbabababababababababababababa");
  g_clear_pointer (&now, g_free);

  label = cw_project_get_undo_label (fixture->project);
  g_assert_cmpstr (label, ==, "Edit “interview.txt”");
  after = state_of (fixture, fixture->doc);

  undo (fixture);
  now = state_of (fixture, fixture->doc);
  g_assert_cmpstr (now, ==, before);
  g_clear_pointer (&now, g_free);
  g_assert_cmpuint (search_count (fixture, "Ahmet", fixture->doc), ==, 2);
  g_assert_cmpuint (search_count (fixture, "zorgboerderijbababa*", fixture->doc), ==, 0);
  /* Undo said which document changed. */
  g_assert_cmpint (g_array_index (signalled, gint64, signalled->len - 1), ==, fixture->doc);

  redo (fixture);
  now = state_of (fixture, fixture->doc);
  g_assert_cmpstr (now, ==, after);
  g_clear_pointer (&now, g_free);
  g_assert_cmpuint (search_count (fixture, "zorgboerderijbababa*", fixture->doc), ==, 1);
  g_assert_false (cw_project_can_redo (fixture->project));
  undo (fixture);
  now = state_of (fixture, fixture->doc);
  g_assert_cmpstr (now, ==, before);

  g_signal_handlers_disconnect_by_data (fixture->project, signalled);
  g_signal_handlers_disconnect_by_data (fixture->project, &changed);
}

/* Undo during a burst ends it first; an edit of another document too. */
static void
test_burst_interrupted_by_undo (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *before = state_of (fixture, fixture->plain);
  g_autofree char *now = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (cw_project_begin_edit_burst (fixture->project, fixture->plain, "Typing", &error));
  edit (fixture, fixture->plain, 3, 3, "a", 0);
  edit (fixture, fixture->plain, 4, 4, "b", 0);
  /* Another document: the burst ends, this edit is a step of its own. */
  edit (fixture, fixture->doc2, 0, 0, "x", 0);
  g_assert_cmpint (cw_project_get_edit_burst (fixture->project), ==, 0);
  undo (fixture);
  {
    g_autofree char *label = cw_project_get_undo_label (fixture->project);
    g_assert_cmpstr (label, ==, "Typing");
  }
  g_assert_true (cw_project_begin_edit_burst (fixture->project, fixture->plain, "Typing", &error));
  edit (fixture, fixture->plain, 5, 5, "c", 0);
  undo (fixture); /* ends the burst, undoes "c" */
  g_assert_cmpint (cw_project_get_edit_burst (fixture->project), ==, 0);
  undo (fixture); /* "ab" */
  now = state_of (fixture, fixture->plain);
  g_assert_cmpstr (now, ==, before);
  g_assert_cmpuint (search_count (fixture, "0123456789abcdefghij", fixture->plain), ==, 1);
}

/* A program that stops mid-burst (closing without ending it is what the
 * file sees of a crash after the last commit): everything committed is
 * there, the index is brought up to date on open, undo works. */
static void
test_crash_mid_burst (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = g_strdup (cw_project_get_path (fixture->project));
  g_autofree char *before = state_of (fixture, fixture->plain);
  g_autofree char *now = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  add_coding (fixture, fixture->plain, fixture->werk, 5, 10, NULL);
  g_clear_pointer (&before, g_free);
  before = state_of (fixture, fixture->plain);
  g_assert_true (cw_project_begin_edit_burst (fixture->project, fixture->plain, NULL, &error));
  edit (fixture, fixture->plain, 0, 0, "vlinder ", 0);
  edit (fixture, fixture->plain, 8, 18, "", 1);
  g_assert_finalize_object (fixture->project);

  /* What a crash leaves: the text is there, the index entry is behind. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM index_pending"), ==, 1);
  g_assert_cmpstr (cw_test_sql_text (db, "SELECT text FROM documents WHERE name = 'plain.txt'"), ==, "vlinder abcdefghij");
  sqlite3_close (db);

  fixture->project = cw_project_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (search_count (fixture, "vlinder", fixture->plain), ==, 1);
  g_assert_cmpuint (search_count (fixture, "0123456789abcdefghij", fixture->plain), ==, 0);
  g_assert_cmpuint (search_count (fixture, "abcdefghij", fixture->plain), ==, 1);
  g_assert_cmpint (cw_project_get_edit_burst (fixture->project), ==, 0);
  undo (fixture);
  now = state_of (fixture, fixture->plain);
  g_assert_cmpstr (now, ==, before);
  g_assert_cmpuint (search_count (fixture, "0123456789abcdefghij", fixture->plain), ==, 1);
  {
    /* An integrity check of the index. */
    g_autoptr(GError) check_error = NULL;
    sqlite3 *check;

    g_assert_cmpint (sqlite3_open (path, &check), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (check, "INSERT INTO document_index (document_index) VALUES ('integrity-check')",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (check);
  }
}

/* Replace-all: whole words or not, case or not, in one document or all,
 * one undo step for all. */
static void
test_replace_all (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *text = text_of (fixture, fixture->doc);
  g_autofree char *text2 = text_of (fixture, fixture->doc2);
  gint64 first = offset_of (text, "Ahmet");
  gint64 second = offset_of (text, "Ahmet is");
  gint64 c1 = add_coding (fixture, fixture->doc, fixture->werk, first, first + 5, NULL);
  gint64 c2 = add_coding (fixture, fixture->doc, fixture->stage, second, second + 16, "memo");
  gint64 c3 = add_coding (fixture, fixture->doc2, fixture->stage, offset_of (text2, "zegt"),
                          offset_of (text2, "zegt") + 12, NULL);
  g_autofree char *before = state_of (fixture, fixture->doc);
  g_autofree char *before2 = state_of (fixture, fixture->doc2);
  g_autofree char *now = NULL;
  g_autoptr(CwReplaceResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start, end;

  /* Whole words, any case: "Ahmet" twice, "ahmet" once, not "Ahmetje". */
  g_assert_true (cw_project_replace_all (fixture->project, 0, "ahmet", "Ahmed", CW_REPLACE_WHOLE_WORD,
                                         &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result->n_replaced, ==, 3);
  g_assert_cmpuint (result->documents->len, ==, 2);
  g_assert_cmpuint (((CwReplaceCount *) result->documents->pdata[0])->n_replaced, ==, 2);
  g_assert_cmpstr (((CwReplaceCount *) result->documents->pdata[0])->document, ==, "interview.txt");
  g_assert_cmpuint (((CwReplaceCount *) result->documents->pdata[1])->n_replaced, ==, 1);
  g_assert_cmpuint (result->removed->len, ==, 0);
  {
    g_autofree char *label = cw_project_get_undo_label (fixture->project);
    g_assert_cmpstr (label, ==, "Replace “ahmet” with “Ahmed”");
  }
  now = text_of (fixture, fixture->doc);
  g_assert_true (coding_range (fixture, c1, &start, &end));
  cw_test_assert_substring (now, start, end, "Ahmed");
  g_assert_true (coding_range (fixture, c2, &start, &end));
  cw_test_assert_substring (now, start, end, "Ahmed is mislukt");
  g_clear_pointer (&now, g_free);
  now = text_of (fixture, fixture->doc2);
  g_assert_nonnull (strstr (now, "en Ahmed komt"));
  g_assert_nonnull (strstr (now, "Ahmetje"));
  g_clear_pointer (&now, g_free);
  g_assert_cmpuint (search_count (fixture, "Ahmet", 0), ==, 0);
  g_assert_cmpuint (search_count (fixture, "Ahmed", 0), ==, 3);

  undo (fixture);
  now = state_of (fixture, fixture->doc);
  g_assert_cmpstr (now, ==, before);
  g_clear_pointer (&now, g_free);
  now = state_of (fixture, fixture->doc2);
  g_assert_cmpstr (now, ==, before2);
  g_clear_pointer (&now, g_free);
  g_clear_pointer (&result, cw_replace_result_free);

  /* Substrings, matching case, one document: "Ahmetje" too, not "ahmet";
   * a longer replacement inside a coding grows it. */
  g_assert_true (cw_project_replace_all (fixture->project, fixture->doc2, "Ahmet", "Mehmet", CW_REPLACE_MATCH_CASE,
                                         &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result->n_replaced, ==, 1);
  now = text_of (fixture, fixture->doc2);
  g_assert_nonnull (strstr (now, "en ahmet komt"));
  g_assert_true (coding_range (fixture, c3, &start, &end));
  cw_test_assert_substring (now, start, end, "zegt Mehmetje");
  g_clear_pointer (&now, g_free);
  g_clear_pointer (&result, cw_replace_result_free);

  /* Deleting a coded word everywhere removes the coding; undo restores. */
  undo (fixture);
  g_assert_true (cw_project_replace_all (fixture->project, fixture->doc, "Ahmet", "", CW_REPLACE_NONE,
                                         &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result->removed->len, ==, 1);
  g_assert_cmpint (((CwRemovedCoding *) result->removed->pdata[0])->id, ==, c1);
  g_clear_pointer (&result, cw_replace_result_free);
  undo (fixture);
  now = state_of (fixture, fixture->doc);
  g_assert_cmpstr (now, ==, before);
  g_clear_pointer (&now, g_free);

  /* Not found: no step; cancelled: nothing changed. */
  g_assert_true (cw_project_can_redo (fixture->project));
  g_assert_true (cw_project_replace_all (fixture->project, 0, "Zwolle", "Kampen", CW_REPLACE_NONE,
                                         &result, NULL, &error));
  g_assert_cmpuint (result->n_replaced, ==, 0);
  g_assert_cmpuint (result->documents->len, ==, 0);
  g_assert_true (cw_project_can_redo (fixture->project)); /* no new step dropped the redo */
  g_clear_pointer (&result, cw_replace_result_free);
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    g_assert_false (cw_project_replace_all (fixture->project, 0, "Ahmet", "X", CW_REPLACE_NONE,
                                            &result, cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
  }
  now = state_of (fixture, fixture->doc);
  g_assert_cmpstr (now, ==, before);
}

/* Bad input is refused and changes nothing. */
static void
test_invalid (Fixture       *fixture,
              gconstpointer  data)
{
  static const struct
  {
    gint64      start, end;
    const char *replacement;
    int         code;
  } cases[] = {
    { 0, 0, "\xff\xfe", CW_PROJECT_ERROR_INVALID },
    { 0, 1, "ok\xc3", CW_PROJECT_ERROR_INVALID },
    { -1, 2, "x", CW_PROJECT_ERROR_INVALID },
    { 5, 4, "x", CW_PROJECT_ERROR_INVALID },
    { 0, 21, "x", CW_PROJECT_ERROR_INVALID },
    { 21, 21, "x", CW_PROJECT_ERROR_INVALID },
  };
  g_autofree char *before = NULL;
  g_autofree char *undo_label = NULL;

  add_coding (fixture, fixture->plain, fixture->werk, 5, 10, NULL);
  before = state_of (fixture, fixture->plain);
  undo_label = cw_project_get_undo_label (fixture->project);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CwEditResult) result = NULL;
      g_autofree char *now = NULL;
      g_autofree char *label = NULL;

      g_assert_false (cw_project_edit_text (fixture->project, fixture->plain, cases[i].start, cases[i].end,
                                            cases[i].replacement, &result, &error));
      g_assert_error (error, CW_PROJECT_ERROR, cases[i].code);
      g_assert_null (result);
      now = state_of (fixture, fixture->plain);
      g_assert_cmpstr (now, ==, before);
      label = cw_project_get_undo_label (fixture->project);
      g_assert_cmpstr (label, ==, undo_label);
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CwReplaceResult) result = NULL;

    g_assert_false (cw_project_edit_text (fixture->project, 999, 0, 0, "x", NULL, &error));
    g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_assert_false (cw_project_begin_edit_burst (fixture->project, 999, NULL, &error));
    g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_assert_false (cw_project_replace_all (fixture->project, 0, "", "x", 0, &result, NULL, &error));
    g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (cw_project_replace_all (fixture->project, 0, "a", "\xff", 0, &result, NULL, &error));
    g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (cw_project_replace_all (fixture->project, 999, "a", "b", 0, &result, NULL, &error));
    g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  }
  /* A damaged file (a length that does not match the text) is refused
   * rather than read past the text's end. */
  {
    g_autoptr(GError) error = NULL;
    sqlite3 *db;

    g_assert_cmpint (sqlite3_open (cw_project_get_path (fixture->project), &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE documents SET characters = 5000 WHERE name = 'emoji.txt'",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
    g_assert_false (cw_project_edit_text (fixture->project, fixture->doc2, 4000, 4000, "x", NULL, &error));
    g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  }
  /* An empty edit is no edit: no step. */
  edit (fixture, fixture->plain, 3, 3, "", 0);
  {
    g_autofree char *label = cw_project_get_undo_label (fixture->project);
    g_assert_cmpstr (label, ==, undo_label);
  }
}

/* Matching for replace-all and the window's highlights. */
static void
test_find_all (void)
{
  static const struct
  {
    const char     *text;
    const char     *find;
    CwReplaceFlags  flags;
    const char     *expected; /* "start-end ..." */
  } cases[] = {
    { "Ahmet en ahmet en AHMET", "ahmet", CW_REPLACE_NONE, "0-5 9-14 18-23" },
    { "Ahmet en ahmet en AHMET", "Ahmet", CW_REPLACE_MATCH_CASE, "0-5" },
    { "Ahmetje, Ahmet, ahmet.", "ahmet", CW_REPLACE_WHOLE_WORD, "9-14 16-21" },
    { "Ahmetje, Ahmet, ahmet.", "Ahmet", CW_REPLACE_WHOLE_WORD | CW_REPLACE_MATCH_CASE, "9-14" },
    { "aaaa", "aa", CW_REPLACE_NONE, "0-2 2-4" },
    { "😀é😀é", "é", CW_REPLACE_NONE, "1-2 3-4" },
    { "Éen één", "ÉÉN", CW_REPLACE_NONE, "4-7" },
    { "de stage, destage", "stage", CW_REPLACE_WHOLE_WORD, "3-8" },
    { "naïef", "nai\xcc\x88" "ef", CW_REPLACE_NONE, "0-5" }, /* find is normalised */
    { "abc", "", CW_REPLACE_NONE, "" },
    { "abc", "abcd", CW_REPLACE_NONE, "" },
    { "", "a", CW_REPLACE_NONE, "" },
    { "x-y", "-", CW_REPLACE_WHOLE_WORD, "1-2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GArray) matches = cw_edit_find_all (cases[i].text, cases[i].find, cases[i].flags);
      g_autoptr(GString) got = g_string_new (NULL);

      for (guint m = 0; m + 1 < matches->len; m += 2)
        g_string_append_printf (got, "%s%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, m ? " " : "",
                                g_array_index (matches, gint64, m), g_array_index (matches, gint64, m + 1));
      g_assert_cmpstr (got->str, ==, cases[i].expected);
    }
}

/* Version 3 files: documents and turns get their update triggers, the
 * index triggers learn about bursts. */
static void
test_migration_from_version_3 (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *path = g_strdup (cw_project_get_path (fixture->project));
  g_autofree char *before = NULL;
  g_autofree char *now = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  add_coding (fixture, fixture->plain, fixture->werk, 5, 10, NULL);
  before = state_of (fixture, fixture->plain);
  g_assert_finalize_object (fixture->project);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "DROP TRIGGER documents_history_update; DROP TRIGGER turns_history_update;"
                                 "DROP TABLE index_pending;"
                                 "DROP TRIGGER documents_after_delete; DROP TRIGGER documents_after_update;"
                                 "CREATE TRIGGER documents_after_delete AFTER DELETE ON documents BEGIN"
                                 "  INSERT INTO document_index (document_index, rowid, text) VALUES ('delete', old.id, old.text);"
                                 "END;"
                                 "CREATE TRIGGER documents_after_update AFTER UPDATE OF text ON documents BEGIN"
                                 "  INSERT INTO document_index (document_index, rowid, text) VALUES ('delete', old.id, old.text);"
                                 "  INSERT INTO document_index (rowid, text) VALUES (new.id, new.text);"
                                 "END;"
                                 "PRAGMA user_version = 3;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  fixture->project = cw_project_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (cw_project_begin_edit_burst (fixture->project, fixture->plain, NULL, &error));
  edit (fixture, fixture->plain, 6, 8, "", 0);
  edit (fixture, fixture->plain, 0, 0, "kraai ", 0);
  g_assert_true (cw_project_end_edit_burst (fixture->project, &error));
  g_assert_cmpuint (search_count (fixture, "kraai", fixture->plain), ==, 1);
  undo (fixture);
  now = state_of (fixture, fixture->plain);
  g_assert_cmpstr (now, ==, before);
  redo (fixture);
  g_assert_cmpuint (search_count (fixture, "kraai", fixture->plain), ==, 1);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (cw_test_sql_int (db, "PRAGMA user_version"), ==, CW_PROJECT_SCHEMA_VERSION);
  g_assert_cmpint (CW_PROJECT_SCHEMA_VERSION, >=, 4);
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                                        " AND name IN ('documents_history_update', 'turns_history_update')"), ==, 2);
  sqlite3_close (db);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/edit/rules", test_rules);
  ADD ("/edit/turns", test_turns);
  ADD ("/edit/multibyte", test_multibyte);
  ADD ("/edit/removed-and-undo", test_removed_and_undo);
  ADD ("/edit/collisions", test_collisions);
  ADD ("/edit/burst", test_burst);
  ADD ("/edit/burst-interrupted", test_burst_interrupted_by_undo);
  ADD ("/edit/crash-mid-burst", test_crash_mid_burst);
  ADD ("/edit/replace-all", test_replace_all);
  ADD ("/edit/invalid", test_invalid);
  ADD ("/edit/migration-from-version-3", test_migration_from_version_3);
#undef ADD
  g_test_add_func ("/edit/find-all", test_find_all);
  return g_test_run ();
}
