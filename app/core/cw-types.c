#include "cw-types.h"

static const char *kind_names[CW_N_DOCUMENT_KINDS] = {
  [CW_DOCUMENT_KIND_OTHER] = "other",
  [CW_DOCUMENT_KIND_ARENA] = "arena",
  [CW_DOCUMENT_KIND_FOCUS_GROUP] = "focus-group",
  [CW_DOCUMENT_KIND_EMPLOYER_INTERVIEW] = "employer-interview",
  [CW_DOCUMENT_KIND_INTERVIEW] = "interview",
};

const char *
cw_document_kind_to_string (CwDocumentKind kind)
{
  g_return_val_if_fail (kind < CW_N_DOCUMENT_KINDS, "other");
  return kind_names[kind];
}

gboolean
cw_document_kind_from_string (const char     *string,
                              CwDocumentKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  if (string == NULL)
    return FALSE;
  for (guint i = 0; i < CW_N_DOCUMENT_KINDS; i++)
    {
      if (g_ascii_strcasecmp (string, kind_names[i]) == 0)
        {
          *kind = i;
          return TRUE;
        }
    }
  return FALSE;
}

CwTurn *
cw_turn_new (const char *speaker,
             gint64      start,
             gint64      end,
             double      time)
{
  CwTurn *turn = g_new0 (CwTurn, 1);

  turn->speaker = g_strdup (speaker);
  turn->start = start;
  turn->end = end;
  turn->time = time;
  return turn;
}

CwTurn *
cw_turn_copy (const CwTurn *turn)
{
  return cw_turn_new (turn->speaker, turn->start, turn->end, turn->time);
}

void
cw_turn_free (CwTurn *turn)
{
  if (turn == NULL)
    return;
  g_free (turn->speaker);
  g_free (turn);
}
