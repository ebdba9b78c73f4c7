/* cw-case-condition.c: the condition language over case variables (see the
 * header for the grammar): a recursive-descent parser straight over the
 * text, which resolves variables and values as it goes (so every error
 * knows its column), a tree, and three-valued evaluation.
 *
 * Hostile input: the text must be UTF-8, nesting is bounded, and nothing
 * grows faster than the text. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cw-case-condition.h"
#include "cw-cases-private.h"

G_DEFINE_QUARK (cw-case-condition-error-quark, cw_case_condition_error)

/* Parentheses and NOTs deeper than this are refused: recursion stays
 * bounded whatever the input. */
#define MAX_DEPTH 64
/* AND and OR chains make the tree deep on one side, and printing,
 * evaluating and freeing recurse along it: bound them too. */
#define MAX_TERMS 1000

typedef enum
{
  NODE_OR,
  NODE_AND,
  NODE_NOT,
  NODE_TERM,
} NodeKind;

typedef struct _Node Node;

struct _Node
{
  NodeKind             kind;
  Node                *left;  /* AND, OR, NOT */
  Node                *right; /* AND, OR */

  /* NODE_TERM */
  guint                variable; /* index into the variables */
  CwConditionOperator  op;
  char                *value;    /* canonical spelling, NULL for (not) missing */
  double               number;   /* numeric */
  char                *folded;   /* text: NFC, case-folded; date: yyyy-mm-dd */
  char                *key;      /* text: collation key of folded */
};

typedef struct
{
  char           *name;
  CwVariableType  type;
} VarInfo;

struct _CwCaseCondition
{
  Node   *root;
  GArray *variables; /* VarInfo, as given to parse */
};

typedef enum
{
  TRI_FALSE,
  TRI_TRUE,
  TRI_UNKNOWN,
} Tri;

static const char *const operator_names[] = {
  [CW_CONDITION_EQUAL] = "=",
  [CW_CONDITION_NOT_EQUAL] = "!=",
  [CW_CONDITION_LESS] = "<",
  [CW_CONDITION_LESS_EQUAL] = "<=",
  [CW_CONDITION_GREATER] = ">",
  [CW_CONDITION_GREATER_EQUAL] = ">=",
  [CW_CONDITION_MISSING] = "is missing",
  [CW_CONDITION_NOT_MISSING] = "is not missing",
};

const char *
cw_condition_operator_to_string (CwConditionOperator op)
{
  g_return_val_if_fail (op <= CW_CONDITION_NOT_MISSING, NULL);
  return operator_names[op];
}

static void
node_free (Node *node)
{
  if (node == NULL)
    return;
  node_free (node->left);
  node_free (node->right);
  g_free (node->value);
  g_free (node->folded);
  g_free (node->key);
  g_free (node);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Node, node_free)

static void
var_info_clear (gpointer data)
{
  g_free (((VarInfo *) data)->name);
}

void
cw_case_condition_free (CwCaseCondition *condition)
{
  if (condition == NULL)
    return;
  node_free (condition->root);
  g_clear_pointer (&condition->variables, g_array_unref);
  g_free (condition);
}

void
cw_condition_term_free (CwConditionTerm *term)
{
  if (term == NULL)
    return;
  g_free (term->variable);
  g_free (term->value);
  g_free (term);
}

/* ------------------------------------------------------------------------ */
/* Characters and words                                                     */

static char *
fold (const char *text)
{
  g_autofree char *normal = g_utf8_normalize (text, -1, G_NORMALIZE_DEFAULT_COMPOSE);

  return g_utf8_casefold (normal != NULL ? normal : text, -1);
}

static gboolean
is_operator_char (gunichar c)
{
  return c == '=' || c == '!' || c == '<' || c == '>' || c == 0x2260 || c == 0x2264 || c == 0x2265;
}

static gboolean
is_quote (gunichar c)
{
  return c == '"' || c == '\'';
}

static gboolean
is_space (gunichar c)
{
  return g_unichar_isspace (c) || c == 0x00A0;
}

static const char *
skip_space (const char *p)
{
  while (*p != '\0' && is_space (g_utf8_get_char (p)))
    p = g_utf8_next_char (p);
  return p;
}

/* The end of the bare word at p: at whitespace, a parenthesis, the end,
 * and (for variable names and keywords) an operator or a quote. */
static const char *
word_end (const char *p,
          gboolean    stop_at_operators)
{
  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);

      if (is_space (c) || c == '(' || c == ')' ||
          (stop_at_operators && (is_operator_char (c) || is_quote (c))))
        break;
      p = g_utf8_next_char (p);
    }
  return p;
}

typedef enum
{
  KW_NONE,
  KW_AND,
  KW_OR,
  KW_NOT,
  KW_IS,
  KW_MISSING,
} Keyword;

static Keyword
keyword_of (const char *start,
            const char *end)
{
  static const struct
  {
    const char *word;
    Keyword     keyword;
  } words[] = {
    { "and", KW_AND }, { "en", KW_AND }, { "or", KW_OR }, { "of", KW_OR }, { "not", KW_NOT },
    { "niet", KW_NOT }, { "is", KW_IS }, { "missing", KW_MISSING },
  };
  gsize length = end - start;

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strlen (words[i].word) == length && g_ascii_strncasecmp (start, words[i].word, length) == 0)
      return words[i].keyword;
  return KW_NONE;
}

/* The keyword at p (after any space), or KW_NONE; *end after it. */
static Keyword
keyword_at (const char  *p,
            const char **end)
{
  const char *e = word_end (p, TRUE);
  Keyword keyword = e > p ? keyword_of (p, e) : KW_NONE;

  if (end != NULL)
    *end = e;
  return keyword;
}

/* ------------------------------------------------------------------------ */
/* Parsing                                                                  */

typedef struct
{
  const char *text;
  const char *p;
  GPtrArray  *variables; /* CwVariable */
  guint       depth;
  guint       n_terms;
  GError    **error;
  /* The last unquoted value, for a hint when a value has spaces. */
  const char *value_start;
  const char *value_end;
} Parser;

static glong
column_of (Parser     *parser,
           const char *at)
{
  return g_utf8_strlen (parser->text, at - parser->text) + 1;
}

static void
fail_at (Parser     *parser,
         const char *at,
         int         code,
         const char *format,
         ...) G_GNUC_PRINTF (4, 5);

static void
fail_at (Parser     *parser,
         const char *at,
         int         code,
         const char *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (parser->error == NULL || *parser->error != NULL)
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (parser->error, CW_CASE_CONDITION_ERROR, code, _("column %ld: %s"), column_of (parser, at), message);
}

/* A short piece of text at p, for messages: the word there. */
static char *
token_at (const char *p)
{
  const char *end;

  if (*p == '\0')
    return g_strdup ("");
  if (*p == '(' || *p == ')')
    return g_strndup (p, 1);
  end = word_end (p, FALSE);
  if (end == p)
    end = g_utf8_next_char (p);
  /* Long words are cut: a message is one line. */
  if (g_utf8_strlen (p, end - p) > 40)
    end = g_utf8_offset_to_pointer (p, 40);
  return g_strndup (p, end - p);
}

/* A quoted string at parser->p (on its opening quote); NULL on error. */
static char *
read_quoted (Parser *parser)
{
  const char *open = parser->p;
  char quote = *open;
  GString *text = g_string_new (NULL);
  const char *p = open + 1;

  for (;;)
    {
      const char *close = strchr (p, quote);

      if (close == NULL)
        {
          g_string_free (text, TRUE);
          fail_at (parser, open, CW_CASE_CONDITION_ERROR_SYNTAX, _("the quote opened here is not closed"));
          return NULL;
        }
      g_string_append_len (text, p, close - p);
      if (close[1] == quote)
        {
          /* A doubled quote stands for itself. */
          g_string_append_c (text, quote);
          p = close + 2;
          continue;
        }
      parser->p = close + 1;
      return g_string_free (text, FALSE);
    }
}

static const CwVariable *
find_variable (Parser     *parser,
               const char *name,
               guint      *index)
{
  g_autofree char *folded = fold (name);

  for (guint i = 0; i < parser->variables->len; i++)
    {
      const CwVariable *variable = g_ptr_array_index (parser->variables, i);
      g_autofree char *other = fold (variable->name != NULL ? variable->name : "");

      if (strcmp (folded, other) == 0)
        {
          *index = i;
          return variable;
        }
    }
  return NULL;
}

static void
fail_unknown_variable (Parser     *parser,
                       const char *at,
                       const char *name)
{
  g_autoptr(GString) known = g_string_new (NULL);

  if (parser->variables->len == 0)
    {
      fail_at (parser, at, CW_CASE_CONDITION_ERROR_VARIABLE,
               _("no variable “%s”: the project has no case variables (import cohort records first)"), name);
      return;
    }
  for (guint i = 0; i < parser->variables->len; i++)
    {
      const CwVariable *variable = g_ptr_array_index (parser->variables, i);

      g_string_append_printf (known, "%s%s", i > 0 ? ", " : "", variable->name);
    }
  fail_at (parser, at, CW_CASE_CONDITION_ERROR_VARIABLE, _("no variable “%s”; the variables are: %s"),
           name, known->str);
}

typedef struct
{
  double      value;
  const char *label;
} LabelEntry;

static int
compare_label_entries (gconstpointer a,
                       gconstpointer b)
{
  double x = ((const LabelEntry *) a)->value, y = ((const LabelEntry *) b)->value;

  return x < y ? -1 : x > y;
}

/* The variable's value labels, by value. */
static GArray *
sorted_labels (const CwVariable *variable)
{
  GArray *entries = g_array_new (FALSE, FALSE, sizeof (LabelEntry));
  GHashTableIter iter;
  gpointer key, value;

  if (variable->value_labels == NULL)
    return entries;
  g_hash_table_iter_init (&iter, variable->value_labels);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_array_append_vals (entries, &(LabelEntry) { *(double *) key, value }, 1);
  g_array_sort (entries, compare_label_entries);
  return entries;
}

static gboolean
parse_number (const char *text,
              double     *number)
{
  return _cw_cases_parse_number (text, '.', 0, number) || _cw_cases_parse_number (text, ',', 0, number);
}

/* Gives node its value for the variable's type; FALSE with an error. */
static gboolean
bind_value (Parser           *parser,
            Node             *node,
            const CwVariable *variable,
            const char       *value,
            const char       *at)
{
  g_autofree char *stripped = g_strstrip (g_strdup (value));

  /* Blank text is missing: comparing with it could never hold. */
  if (stripped[0] == '\0')
    {
      fail_at (parser, at, CW_CASE_CONDITION_ERROR_VALUE,
               _("an empty value never matches: use “%s is missing”"), variable->name);
      return FALSE;
    }

  switch (variable->type)
    {
    case CW_VARIABLE_NUMERIC:
      if (parse_number (value, &node->number))
        {
          node->value = _cw_cases_format_number (node->number);
          return TRUE;
        }
      {
        g_autoptr(GArray) labels = sorted_labels (variable);
        g_autofree char *folded = fold (value);
        g_autoptr(GString) names = g_string_new (NULL);

        for (guint i = 0; i < labels->len; i++)
          {
            LabelEntry *entry = &g_array_index (labels, LabelEntry, i);
            g_autofree char *other = fold (entry->label != NULL ? entry->label : "");

            if (strcmp (folded, other) == 0)
              {
                node->number = entry->value;
                node->value = g_strdup (entry->label);
                return TRUE;
              }
            g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", entry->label);
          }
        if (labels->len > 0)
          fail_at (parser, at, CW_CASE_CONDITION_ERROR_VALUE,
                   _("“%s” is neither a number nor a value label of “%s” (%s)"), value, variable->name, names->str);
        else
          fail_at (parser, at, CW_CASE_CONDITION_ERROR_VALUE, _("“%s” is not a number, and “%s” is numeric"),
                   value, variable->name);
        return FALSE;
      }

    case CW_VARIABLE_DATE:
      if (!_cw_cases_parse_date (value, &node->folded))
        {
          fail_at (parser, at, CW_CASE_CONDITION_ERROR_VALUE,
                   _("“%s” is not a date (yyyy-mm-dd or dd-mm-yyyy), and “%s” is a date"), value, variable->name);
          return FALSE;
        }
      node->value = g_strdup (node->folded);
      return TRUE;

    case CW_VARIABLE_TEXT:
    default:
      node->value = g_strdup (value);
      node->folded = fold (value);
      node->key = g_utf8_collate_key (node->folded, -1);
      return TRUE;
    }
}

static Node *parse_or (Parser *parser, const char *after);

/* A comparison at parser->p (a variable name is there). */
static Node *
parse_term (Parser *parser)
{
  g_autoptr(Node) node = g_new0 (Node, 1);
  g_autoptr(GString) name = g_string_new (NULL);
  g_autofree char *value = NULL;
  const char *name_at = parser->p;
  const CwVariable *variable;
  const char *value_at, *end;
  static const struct
  {
    const char          *text;
    CwConditionOperator  op;
  } operators[] = {
    { "=", CW_CONDITION_EQUAL }, { "==", CW_CONDITION_EQUAL }, { "!=", CW_CONDITION_NOT_EQUAL },
    { "<>", CW_CONDITION_NOT_EQUAL }, { "\xe2\x89\xa0", CW_CONDITION_NOT_EQUAL }, { "<", CW_CONDITION_LESS },
    { "<=", CW_CONDITION_LESS_EQUAL }, { "\xe2\x89\xa4", CW_CONDITION_LESS_EQUAL },
    { ">", CW_CONDITION_GREATER }, { ">=", CW_CONDITION_GREATER_EQUAL },
    { "\xe2\x89\xa5", CW_CONDITION_GREATER_EQUAL },
  };
  gboolean found = FALSE;

  node->kind = NODE_TERM;
  if (++parser->n_terms > MAX_TERMS)
    {
      fail_at (parser, parser->p, CW_CASE_CONDITION_ERROR_SYNTAX,
               _("the condition has too many comparisons (at most %d)"), MAX_TERMS);
      return NULL;
    }

  /* The variable: quoted, or words up to an operator or a keyword. */
  if (is_quote (*parser->p))
    {
      g_autofree char *quoted = read_quoted (parser);

      if (quoted == NULL)
        return NULL;
      g_string_append (name, quoted);
    }
  else
    {
      const char *q = parser->p;

      for (;;)
        {
          const char *e = word_end (q, TRUE);

          if (e == q || (name->len > 0 && keyword_of (q, e) != KW_NONE))
            break;
          if (name->len > 0)
            g_string_append_c (name, ' ');
          g_string_append_len (name, q, e - q);
          parser->p = e;
          q = skip_space (e);
        }
    }

  /* is [not] missing */
  parser->p = skip_space (parser->p);
  if (keyword_at (parser->p, &end) == KW_IS)
    {
      gboolean negated = FALSE;

      parser->p = skip_space (end);
      if (keyword_at (parser->p, &end) == KW_NOT)
        {
          negated = TRUE;
          parser->p = skip_space (end);
        }
      if (keyword_at (parser->p, &end) != KW_MISSING)
        {
          fail_at (parser, parser->p, CW_CASE_CONDITION_ERROR_SYNTAX,
                   negated ? _("“missing” is expected after “is not”")
                           : _("“missing” or “not missing” is expected after “is”"));
          return NULL;
        }
      parser->p = end;
      node->op = negated ? CW_CONDITION_NOT_MISSING : CW_CONDITION_MISSING;
      if (find_variable (parser, name->str, &node->variable) == NULL)
        {
          fail_unknown_variable (parser, name_at, name->str);
          return NULL;
        }
      return g_steal_pointer (&node);
    }

  /* An operator: the longest run of operator characters. */
  end = parser->p;
  while (*end != '\0' && is_operator_char (g_utf8_get_char (end)))
    end = g_utf8_next_char (end);
  if (end == parser->p)
    {
      fail_at (parser, parser->p, CW_CASE_CONDITION_ERROR_SYNTAX,
               _("an operator (=, !=, <, <=, >, >=) or “is missing” is expected after “%s”"), name->str);
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (operators) && !found; i++)
    if (strlen (operators[i].text) == (gsize) (end - parser->p) &&
        strncmp (operators[i].text, parser->p, end - parser->p) == 0)
      {
        node->op = operators[i].op;
        found = TRUE;
      }
  if (!found)
    {
      g_autofree char *text = g_strndup (parser->p, end - parser->p);

      fail_at (parser, parser->p, CW_CASE_CONDITION_ERROR_SYNTAX,
               _("“%s” is not an operator (use =, !=, <, <=, > or >=)"), text);
      return NULL;
    }
  parser->p = end;

  /* Syntax first: "iq 70" lacks an operator rather than names a variable. */
  variable = find_variable (parser, name->str, &node->variable);
  if (variable == NULL)
    {
      fail_unknown_variable (parser, name_at, name->str);
      return NULL;
    }

  /* The value: quoted, or a word up to whitespace or a parenthesis. */
  parser->p = skip_space (parser->p);
  value_at = parser->p;
  parser->value_start = parser->value_end = NULL;
  if (is_quote (*parser->p))
    {
      value = read_quoted (parser);
      if (value == NULL)
        return NULL;
    }
  else
    {
      end = word_end (parser->p, FALSE);
      if (end == parser->p || is_operator_char (g_utf8_get_char (parser->p)))
        {
          fail_at (parser, parser->p, CW_CASE_CONDITION_ERROR_SYNTAX, _("a value is expected after “%s”"),
                   operator_names[node->op]);
          return NULL;
        }
      value = g_strndup (parser->p, end - parser->p);
      if (variable->type == CW_VARIABLE_TEXT)
        {
          parser->value_start = parser->p;
          parser->value_end = end;
        }
      parser->p = end;
    }
  if (!bind_value (parser, node, variable, value, value_at))
    return NULL;
  return g_steal_pointer (&node);
}

/* unary := NOT unary | '(' condition ')' | comparison. after names what
 * came before, for messages (NULL at the start). */
static Node *
parse_unary (Parser     *parser,
             const char *after)
{
  const char *end;
  Keyword keyword;
  gunichar c;

  parser->p = skip_space (parser->p);
  if (parser->depth >= MAX_DEPTH)
    {
      fail_at (parser, parser->p, CW_CASE_CONDITION_ERROR_SYNTAX,
               _("the condition is nested too deeply (at most %d levels)"), MAX_DEPTH);
      return NULL;
    }
  c = g_utf8_get_char (parser->p);
  keyword = keyword_at (parser->p, &end);

  if (keyword == KW_NOT)
    {
      g_autofree char *word = g_strndup (parser->p, end - parser->p);
      Node *node;
      g_autoptr(Node) child = NULL;

      parser->p = end;
      parser->depth++;
      child = parse_unary (parser, word);
      parser->depth--;
      if (child == NULL)
        return NULL;
      node = g_new0 (Node, 1);
      node->kind = NODE_NOT;
      node->left = g_steal_pointer (&child);
      return node;
    }
  if (c == '(')
    {
      const char *open = parser->p;
      g_autoptr(Node) inner = NULL;

      parser->p++;
      parser->depth++;
      inner = parse_or (parser, "(");
      parser->depth--;
      if (inner == NULL)
        return NULL;
      parser->p = skip_space (parser->p);
      if (*parser->p == ')')
        {
          parser->p++;
          return g_steal_pointer (&inner);
        }
      if (*parser->p == '\0')
        fail_at (parser, parser->p, CW_CASE_CONDITION_ERROR_SYNTAX,
                 _("“)” is expected to close the “(” at column %ld"), column_of (parser, open));
      else
        {
          g_autofree char *token = token_at (parser->p);

          fail_at (parser, parser->p, CW_CASE_CONDITION_ERROR_SYNTAX, _("AND, OR or “)” is expected before “%s”"),
                   token);
        }
      return NULL;
    }
  if (c == '\0' || c == ')' || keyword == KW_AND || keyword == KW_OR)
    {
      if (after == NULL)
        fail_at (parser, parser->p, CW_CASE_CONDITION_ERROR_SYNTAX, _("a condition is expected"));
      else
        fail_at (parser, parser->p, CW_CASE_CONDITION_ERROR_SYNTAX, _("a comparison is expected after “%s”"), after);
      return NULL;
    }
  if (is_operator_char (c))
    {
      g_autofree char *token = token_at (parser->p);

      fail_at (parser, parser->p, CW_CASE_CONDITION_ERROR_SYNTAX, _("a variable is expected before “%s”"), token);
      return NULL;
    }
  return parse_term (parser);
}

static Node *
parse_and (Parser     *parser,
           const char *after)
{
  g_autoptr(Node) left = parse_unary (parser, after);

  while (left != NULL)
    {
      const char *end;
      g_autofree char *word = NULL;
      Node *node;
      g_autoptr(Node) right = NULL;

      parser->p = skip_space (parser->p);
      if (keyword_at (parser->p, &end) != KW_AND)
        break;
      word = g_strndup (parser->p, end - parser->p);
      parser->p = end;
      right = parse_unary (parser, word);
      if (right == NULL)
        return NULL;
      node = g_new0 (Node, 1);
      node->kind = NODE_AND;
      node->left = g_steal_pointer (&left);
      node->right = g_steal_pointer (&right);
      left = node;
    }
  return g_steal_pointer (&left);
}

static Node *
parse_or (Parser     *parser,
          const char *after)
{
  g_autoptr(Node) left = parse_and (parser, after);

  while (left != NULL)
    {
      const char *end;
      g_autofree char *word = NULL;
      Node *node;
      g_autoptr(Node) right = NULL;

      parser->p = skip_space (parser->p);
      if (keyword_at (parser->p, &end) != KW_OR)
        break;
      word = g_strndup (parser->p, end - parser->p);
      parser->p = end;
      right = parse_and (parser, word);
      if (right == NULL)
        return NULL;
      node = g_new0 (Node, 1);
      node->kind = NODE_OR;
      node->left = g_steal_pointer (&left);
      node->right = g_steal_pointer (&right);
      left = node;
    }
  return g_steal_pointer (&left);
}

CwCaseCondition *
cw_case_condition_parse (const char  *text,
                         GPtrArray   *variables,
                         GError     **error)
{
  g_autoptr(Node) root = NULL;
  CwCaseCondition *condition;
  Parser parser = { 0 };
  const char *invalid = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (variables != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  parser.text = text;
  parser.p = text;
  parser.variables = variables;
  parser.error = error;

  if (!g_utf8_validate (text, -1, &invalid))
    {
      parser.text = "";
      g_set_error (error, CW_CASE_CONDITION_ERROR, CW_CASE_CONDITION_ERROR_SYNTAX,
                   _("column %ld: the condition is not valid UTF-8"),
                   g_utf8_strlen (text, invalid - text) + 1);
      return NULL;
    }

  root = parse_or (&parser, NULL);
  if (root == NULL)
    return NULL;
  parser.p = skip_space (parser.p);
  if (*parser.p == ')')
    {
      fail_at (&parser, parser.p, CW_CASE_CONDITION_ERROR_SYNTAX, _("“)” without a matching “(”"));
      return NULL;
    }
  if (*parser.p != '\0')
    {
      g_autofree char *token = token_at (parser.p);

      /* "Uitkomst = geen baan": the value needs quotes. */
      if (parser.value_end != NULL && skip_space (parser.value_end) == parser.p && parser.value_end < parser.p)
        {
          g_autofree char *value = g_strndup (parser.value_start, word_end (parser.p, FALSE) - parser.value_start);

          fail_at (&parser, parser.p, CW_CASE_CONDITION_ERROR_SYNTAX,
                   _("AND or OR is expected before “%s” (quote a value with spaces: \"%s\")"), token, value);
        }
      else
        fail_at (&parser, parser.p, CW_CASE_CONDITION_ERROR_SYNTAX, _("AND or OR is expected before “%s”"), token);
      return NULL;
    }

  condition = g_new0 (CwCaseCondition, 1);
  condition->root = g_steal_pointer (&root);
  condition->variables = g_array_sized_new (FALSE, TRUE, sizeof (VarInfo), variables->len);
  g_array_set_clear_func (condition->variables, var_info_clear);
  for (guint i = 0; i < variables->len; i++)
    {
      const CwVariable *variable = g_ptr_array_index (variables, i);
      VarInfo info = { g_strdup (variable->name != NULL ? variable->name : ""), variable->type };

      g_array_append_val (condition->variables, info);
    }
  return condition;
}

/* ------------------------------------------------------------------------ */
/* Printing                                                                 */

static gboolean
needs_quotes (const char *text,
              gboolean    variable)
{
  const char *end;

  if (text[0] == '\0' || is_quote (g_utf8_get_char (text)) || is_operator_char (g_utf8_get_char (text)))
    return TRUE;
  end = word_end (text, variable);
  if (*end != '\0')
    return TRUE;
  return keyword_of (text, end) != KW_NONE;
}

static void
append_quoted (GString    *out,
               const char *text,
               gboolean    variable)
{
  if (!needs_quotes (text, variable))
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_term (GString             *out,
             const char          *variable,
             CwConditionOperator  op,
             const char          *value)
{
  append_quoted (out, variable, TRUE);
  g_string_append_c (out, ' ');
  g_string_append (out, operator_names[op]);
  if (op != CW_CONDITION_MISSING && op != CW_CONDITION_NOT_MISSING)
    {
      g_string_append_c (out, ' ');
      append_quoted (out, value != NULL ? value : "", FALSE);
    }
}

char *
cw_case_condition_format_term (const char          *variable,
                               CwConditionOperator  op,
                               const char          *value)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (variable != NULL, NULL);
  g_return_val_if_fail (op <= CW_CONDITION_NOT_MISSING, NULL);

  append_term (out, variable, op, value);
  return g_string_free (out, FALSE);
}

static int
precedence (const Node *node)
{
  switch (node->kind)
    {
    case NODE_OR:
      return 1;
    case NODE_AND:
      return 2;
    case NODE_NOT:
      return 3;
    case NODE_TERM:
    default:
      return 4;
    }
}

static void
append_node (const CwCaseCondition *condition,
             const Node            *node,
             int                    min_precedence,
             GString               *out)
{
  gboolean parens = precedence (node) < min_precedence;

  if (parens)
    g_string_append_c (out, '(');
  switch (node->kind)
    {
    case NODE_OR:
    case NODE_AND:
      append_node (condition, node->left, precedence (node), out);
      g_string_append (out, node->kind == NODE_OR ? " OR " : " AND ");
      append_node (condition, node->right, precedence (node), out);
      break;
    case NODE_NOT:
      g_string_append (out, "NOT ");
      append_node (condition, node->left, precedence (node), out);
      break;
    case NODE_TERM:
      append_term (out, g_array_index (condition->variables, VarInfo, node->variable).name, node->op, node->value);
      break;
    }
  if (parens)
    g_string_append_c (out, ')');
}

char *
cw_case_condition_to_string (const CwCaseCondition *condition)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (condition != NULL, NULL);

  append_node (condition, condition->root, 0, out);
  return g_string_free (out, FALSE);
}

static void
collect_terms (const CwCaseCondition *condition,
               const Node            *node,
               NodeKind               joiner,
               GPtrArray             *terms,
               gboolean              *flat)
{
  CwConditionTerm *term;

  if (!*flat)
    return;
  if (node->kind == joiner)
    {
      collect_terms (condition, node->left, joiner, terms, flat);
      collect_terms (condition, node->right, joiner, terms, flat);
      return;
    }
  if (node->kind != NODE_TERM)
    {
      *flat = FALSE;
      return;
    }
  term = g_new0 (CwConditionTerm, 1);
  term->variable = g_strdup (g_array_index (condition->variables, VarInfo, node->variable).name);
  term->op = node->op;
  term->value = g_strdup (node->value);
  g_ptr_array_add (terms, term);
}

GPtrArray *
cw_case_condition_get_terms (const CwCaseCondition *condition,
                             gboolean              *any)
{
  g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_condition_term_free);
  NodeKind joiner;
  gboolean flat = TRUE;

  g_return_val_if_fail (condition != NULL, NULL);

  joiner = condition->root->kind == NODE_OR ? NODE_OR : NODE_AND;
  collect_terms (condition, condition->root, joiner, terms, &flat);
  if (!flat)
    return NULL;
  if (any != NULL)
    *any = joiner == NODE_OR;
  return g_steal_pointer (&terms);
}

/* ------------------------------------------------------------------------ */
/* Evaluation                                                               */

/* The value of node's variable in kase as a number or a string (a date as
 * yyyy-mm-dd); FALSE when it is missing or does not fit the type. */
static gboolean
case_value (const CwCaseCondition  *condition,
            const Node             *node,
            const CwCase           *kase,
            double                 *number,
            char                  **text)
{
  CwVariableType type = g_array_index (condition->variables, VarInfo, node->variable).type;
  GVariant *value = node->variable < kase->values->len ? g_ptr_array_index (kase->values, node->variable) : NULL;
  const char *string;

  if (value == NULL)
    return FALSE;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    {
      double d = g_variant_get_double (value);

      if (type == CW_VARIABLE_NUMERIC)
        {
          *number = d;
          return TRUE;
        }
      *text = _cw_cases_format_number (d);
    }
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    *text = g_strdup (g_variant_get_string (value, NULL));
  else
    return FALSE;

  g_strstrip (*text);
  string = *text;
  /* Text that is no UTF-8 cannot be compared: missing. */
  if (string[0] == '\0' || !g_utf8_validate (string, -1, NULL))
    {
      g_clear_pointer (text, g_free);
      return FALSE;
    }
  switch (type)
    {
    case CW_VARIABLE_NUMERIC:
      {
        gboolean ok = parse_number (string, number);

        g_clear_pointer (text, g_free);
        return ok;
      }
    case CW_VARIABLE_DATE:
      {
        char *iso = NULL;

        if (!_cw_cases_parse_date (string, &iso))
          {
            g_clear_pointer (text, g_free);
            return FALSE;
          }
        g_free (*text);
        *text = iso;
        return TRUE;
      }
    case CW_VARIABLE_TEXT:
    default:
      return TRUE;
    }
}

static Tri
from_order (CwConditionOperator op,
            int                 order)
{
  gboolean holds;

  switch (op)
    {
    case CW_CONDITION_EQUAL:
      holds = order == 0;
      break;
    case CW_CONDITION_NOT_EQUAL:
      holds = order != 0;
      break;
    case CW_CONDITION_LESS:
      holds = order < 0;
      break;
    case CW_CONDITION_LESS_EQUAL:
      holds = order <= 0;
      break;
    case CW_CONDITION_GREATER:
      holds = order > 0;
      break;
    case CW_CONDITION_GREATER_EQUAL:
      holds = order >= 0;
      break;
    case CW_CONDITION_MISSING:
    case CW_CONDITION_NOT_MISSING:
    default:
      g_assert_not_reached ();
    }
  return holds ? TRI_TRUE : TRI_FALSE;
}

static Tri
evaluate_term (const CwCaseCondition *condition,
               const Node            *node,
               const CwCase          *kase)
{
  CwVariableType type = g_array_index (condition->variables, VarInfo, node->variable).type;
  g_autofree char *text = NULL;
  double number = 0;
  gboolean present = case_value (condition, node, kase, &number, &text);
  int order;

  if (node->op == CW_CONDITION_MISSING)
    return present ? TRI_FALSE : TRI_TRUE;
  if (node->op == CW_CONDITION_NOT_MISSING)
    return present ? TRI_TRUE : TRI_FALSE;
  if (!present)
    return TRI_UNKNOWN;

  switch (type)
    {
    case CW_VARIABLE_NUMERIC:
      order = number < node->number ? -1 : number > node->number ? 1 : 0;
      break;
    case CW_VARIABLE_DATE:
      order = strcmp (text, node->folded);
      break;
    case CW_VARIABLE_TEXT:
    default:
      {
        g_autofree char *folded = fold (text);

        if (node->op == CW_CONDITION_EQUAL || node->op == CW_CONDITION_NOT_EQUAL)
          order = strcmp (folded, node->folded);
        else
          {
            g_autofree char *key = g_utf8_collate_key (folded, -1);

            order = strcmp (key, node->key);
          }
      }
      break;
    }
  return from_order (node->op, order);
}

/* Kleene's logic, as SQL: unknown stays unknown under NOT. */
static Tri
evaluate (const CwCaseCondition *condition,
          const Node            *node,
          const CwCase          *kase)
{
  Tri left, right;

  switch (node->kind)
    {
    case NODE_NOT:
      left = evaluate (condition, node->left, kase);
      return left == TRI_UNKNOWN ? TRI_UNKNOWN : left == TRI_TRUE ? TRI_FALSE : TRI_TRUE;
    case NODE_AND:
      left = evaluate (condition, node->left, kase);
      if (left == TRI_FALSE)
        return TRI_FALSE;
      right = evaluate (condition, node->right, kase);
      if (right == TRI_FALSE)
        return TRI_FALSE;
      return left == TRI_TRUE && right == TRI_TRUE ? TRI_TRUE : TRI_UNKNOWN;
    case NODE_OR:
      left = evaluate (condition, node->left, kase);
      if (left == TRI_TRUE)
        return TRI_TRUE;
      right = evaluate (condition, node->right, kase);
      if (right == TRI_TRUE)
        return TRI_TRUE;
      return left == TRI_FALSE && right == TRI_FALSE ? TRI_FALSE : TRI_UNKNOWN;
    case NODE_TERM:
    default:
      return evaluate_term (condition, node, kase);
    }
}

gboolean
cw_case_condition_matches (const CwCaseCondition *condition,
                           const CwCase          *kase)
{
  g_return_val_if_fail (condition != NULL, FALSE);
  g_return_val_if_fail (kase != NULL && kase->values != NULL, FALSE);

  return evaluate (condition, condition->root, kase) == TRI_TRUE;
}

GArray *
cw_project_match_cases (CwProject     *self,
                        const char    *text,
                        guint         *n_cases,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GPtrArray) variables = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(CwCaseCondition) condition = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((variables = cw_project_list_variables (self, error)) == NULL ||
      (condition = cw_case_condition_parse (text, variables, error)) == NULL ||
      (cases = cw_project_list_cases (self, error)) == NULL)
    return NULL;
  for (guint i = 0; i < cases->len; i++)
    {
      const CwCase *kase = g_ptr_array_index (cases, i);

      if ((i & 1023) == 1023 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (cw_case_condition_matches (condition, kase))
        g_array_append_val (ids, kase->id);
    }
  if (n_cases != NULL)
    *n_cases = cases->len;
  return g_steal_pointer (&ids);
}
