/* cw-spell.c: Hunspell behind a thread-safe checker, the word rules of
 * cw-spell.h, the project word list and document languages. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <hunspell/hunspell.h>

#include "cw-import.h"
#include "cw-project-private.h"
#include "cw-spell.h"

/* Longer words are not checked: Hunspell's own limit is about 100 bytes,
 * and no real Dutch compound in a transcript comes near 60 characters. */
#define MAX_WORD_CHARS 60
#define MAX_LIST_WORD_CHARS 100
#define MAX_SUGGESTIONS 8
/* The result cache is dropped when it grows past this (bounded memory on
 * a hostile text full of distinct non-words). */
#define MAX_CACHE 200000
#define DETECT_CHARS 5000

G_DEFINE_QUARK (cw-spell-error-quark, cw_spell_error)

typedef struct
{
  const char *code;
  const char *basename; /* of the .aff/.dic files */
  const char *package;  /* the Debian package that installs them */
  const char *name;     /* for messages */
} LanguageInfo;

static const LanguageInfo languages[] = {
  { "nl", "nl", "hunspell-nl", N_("Dutch") },
  { "en", "en_US", "hunspell-en-us", N_("English") },
};
#define N_LANGUAGES G_N_ELEMENTS (languages)

static const char *const search_path[] = {
  "/usr/share/hunspell", "/usr/local/share/hunspell", "/usr/share/myspell",
};

typedef struct
{
  GMutex      lock;     /* Hunspell handles are not safe for concurrent use */
  Hunhandle  *handle;
  char       *encoding; /* NULL when the dictionary is UTF-8 */
  GHashTable *cache;    /* word -> GINT_TO_POINTER (1 correct, 2 wrong) */
  /* Suggesting takes up to half a second for a long Dutch compound; on
   * its own handle (loaded at the first suggestion) it never holds up
   * the checking of a typed word. */
  GMutex      suggest_lock;
  Hunhandle  *suggester;
  char       *aff;
  char       *dic;
} Dictionary;

struct _CwSpellChecker
{
  GObject     parent_instance;

  char       *dictionary_dir;
  GMutex      load_lock; /* serialises reading dictionary files */
  GMutex      lock;      /* ignored, errors */
  Dictionary *dicts[N_LANGUAGES]; /* published atomically once loaded */
  GError     *errors[N_LANGUAGES];
  GHashTable *ignored;
  gint        n_ignored; /* atomic: skips the lock while nothing is ignored */
};

G_DEFINE_FINAL_TYPE (CwSpellChecker, cw_spell_checker, G_TYPE_OBJECT)

static void
dictionary_free (Dictionary *dict)
{
  if (dict == NULL)
    return;
  Hunspell_destroy (dict->handle);
  if (dict->suggester != NULL)
    Hunspell_destroy (dict->suggester);
  g_mutex_clear (&dict->suggest_lock);
  g_free (dict->aff);
  g_free (dict->dic);
  g_free (dict->encoding);
  g_hash_table_destroy (dict->cache);
  g_mutex_clear (&dict->lock);
  g_free (dict);
}

static void
cw_spell_checker_finalize (GObject *object)
{
  CwSpellChecker *self = CW_SPELL_CHECKER (object);

  for (guint i = 0; i < N_LANGUAGES; i++)
    {
      dictionary_free (self->dicts[i]);
      g_clear_error (&self->errors[i]);
    }
  g_hash_table_destroy (self->ignored);
  g_free (self->dictionary_dir);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->load_lock);

  G_OBJECT_CLASS (cw_spell_checker_parent_class)->finalize (object);
}

static void
cw_spell_checker_class_init (CwSpellCheckerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cw_spell_checker_finalize;
}

static void
cw_spell_checker_init (CwSpellChecker *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->load_lock);
  self->ignored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

CwSpellChecker *
cw_spell_checker_new (const char *dictionary_dir)
{
  CwSpellChecker *self = g_object_new (CW_TYPE_SPELL_CHECKER, NULL);

  self->dictionary_dir = g_strdup (dictionary_dir);
  return self;
}

CwSpellChecker *
cw_spell_checker_get_default (void)
{
  static CwSpellChecker *default_checker;

  if (g_once_init_enter (&default_checker))
    g_once_init_leave (&default_checker, cw_spell_checker_new (NULL));
  return default_checker;
}

/* "nl", "nl_NL", "nl-BE", "en", "en_US" ... -> index, or -1. */
static int
language_index (const char *language)
{
  if (language == NULL)
    return -1;
  for (guint i = 0; i < N_LANGUAGES; i++)
    if (strncmp (language, languages[i].code, 2) == 0 &&
        (language[2] == '\0' || language[2] == '_' || language[2] == '-'))
      return (int) i;
  return -1;
}

static gboolean
unknown_language (const char  *language,
                  GError     **error)
{
  g_set_error (error, CW_SPELL_ERROR, CW_SPELL_ERROR_UNKNOWN_LANGUAGE,
               _("Unknown spelling language “%s” (expected “nl” or “en”)"),
               language != NULL ? language : "");
  return FALSE;
}

static Dictionary *
get_dictionary (CwSpellChecker *self,
                const char     *language)
{
  int idx = language_index (language);

  if (idx < 0)
    return NULL;
  return g_atomic_pointer_get (&self->dicts[idx]);
}

/* Reads the files; called with load_lock held. */
static Dictionary *
read_dictionary (CwSpellChecker     *self,
                 const LanguageInfo *info,
                 GError            **error)
{
  const char *env = g_getenv ("CODEWERK_HUNSPELL_DIR");
  g_autoptr(GPtrArray) dirs = g_ptr_array_new ();
  g_autofree char *aff_name = g_strconcat (info->basename, ".aff", NULL);
  g_autofree char *dic_name = g_strconcat (info->basename, ".dic", NULL);
  Dictionary *dict;
  const char *encoding;

  if (self->dictionary_dir != NULL)
    g_ptr_array_add (dirs, self->dictionary_dir);
  else if (env != NULL && *env != '\0')
    g_ptr_array_add (dirs, (char *) env);
  else
    for (guint i = 0; i < G_N_ELEMENTS (search_path); i++)
      g_ptr_array_add (dirs, (char *) search_path[i]);

  for (guint i = 0; i < dirs->len; i++)
    {
      g_autofree char *aff = g_build_filename (dirs->pdata[i], aff_name, NULL);
      g_autofree char *dic = g_build_filename (dirs->pdata[i], dic_name, NULL);
      Hunhandle *handle;

      if (!g_file_test (aff, G_FILE_TEST_IS_REGULAR) || !g_file_test (dic, G_FILE_TEST_IS_REGULAR))
        continue;
      handle = Hunspell_create (aff, dic);
      if (handle == NULL)
        {
          g_set_error (error, CW_SPELL_ERROR, CW_SPELL_ERROR_FAILED,
                       _("Could not read the spelling dictionary %s"), dic);
          return NULL;
        }
      dict = g_new0 (Dictionary, 1);
      g_mutex_init (&dict->lock);
      g_mutex_init (&dict->suggest_lock);
      dict->handle = handle;
      dict->aff = g_steal_pointer (&aff);
      dict->dic = g_steal_pointer (&dic);
      dict->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      encoding = Hunspell_get_dic_encoding (handle);
      /* Both Debian dictionaries say SET UTF-8; an older ISO-8859-1 one
       * gets its words converted. */
      if (encoding != NULL && g_ascii_strcasecmp (encoding, "UTF-8") != 0 &&
          g_ascii_strcasecmp (encoding, "UTF8") != 0)
        dict->encoding = g_strdup (encoding);
      return dict;
    }

  {
    g_autoptr(GString) list = g_string_new (NULL);

    for (guint i = 0; i < dirs->len; i++)
      g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", (const char *) dirs->pdata[i]);
    g_set_error (error, CW_SPELL_ERROR, CW_SPELL_ERROR_NO_DICTIONARY,
                 _("No %s spelling dictionary: %s was not found in %s (install the Debian package %s). "
                   "Spell checking is off for this language."),
                 _(info->name), dic_name, list->str, info->package);
  }
  return NULL;
}

gboolean
cw_spell_checker_load (CwSpellChecker  *self,
                       const char      *language,
                       GError         **error)
{
  int idx;
  Dictionary *dict;
  GError *local_error = NULL;

  g_return_val_if_fail (CW_IS_SPELL_CHECKER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  idx = language_index (language);
  if (idx < 0)
    return unknown_language (language, error);
  if (g_atomic_pointer_get (&self->dicts[idx]) != NULL)
    return TRUE;

  g_mutex_lock (&self->load_lock);
  if (self->dicts[idx] == NULL && self->errors[idx] == NULL)
    {
      dict = read_dictionary (self, &languages[idx], &local_error);
      if (dict != NULL)
        g_atomic_pointer_set (&self->dicts[idx], dict);
      else
        {
          g_mutex_lock (&self->lock);
          self->errors[idx] = local_error;
          g_mutex_unlock (&self->lock);
        }
    }
  if (self->dicts[idx] == NULL && error != NULL)
    *error = g_error_copy (self->errors[idx]);
  dict = self->dicts[idx];
  g_mutex_unlock (&self->load_lock);

  return dict != NULL;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  (void) cancellable;
  if (cw_spell_checker_load (source_object, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
cw_spell_checker_load_async (CwSpellChecker      *self,
                             const char          *language,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (CW_IS_SPELL_CHECKER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_spell_checker_load_async);
  if (language_index (language) < 0)
    {
      unknown_language (language, &error);
      g_task_return_error (task, error);
      return;
    }
  if (cw_spell_checker_is_loaded (self, language))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_task_set_task_data (task, g_strdup (language), g_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
cw_spell_checker_load_finish (CwSpellChecker  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
cw_spell_checker_is_loaded (CwSpellChecker *self,
                            const char     *language)
{
  g_return_val_if_fail (CW_IS_SPELL_CHECKER (self), FALSE);
  return get_dictionary (self, language) != NULL;
}

/* Hunspell on one word (UTF-8, NUL-terminated), through the cache. */
static gboolean
dictionary_check (Dictionary *dict,
                  const char *word)
{
  gpointer cached;
  gboolean ok;

  g_mutex_lock (&dict->lock);
  cached = g_hash_table_lookup (dict->cache, word);
  if (cached != NULL)
    {
      g_mutex_unlock (&dict->lock);
      return GPOINTER_TO_INT (cached) == 1;
    }

  if (dict->encoding != NULL)
    {
      g_autofree char *converted = g_convert (word, -1, dict->encoding, "UTF-8", NULL, NULL, NULL);

      /* A word the dictionary's charset cannot hold cannot be judged. */
      ok = converted == NULL || Hunspell_spell (dict->handle, converted) != 0;
    }
  else
    ok = Hunspell_spell (dict->handle, word) != 0;

  if (g_hash_table_size (dict->cache) >= MAX_CACHE)
    g_hash_table_remove_all (dict->cache);
  g_hash_table_insert (dict->cache, g_strdup (word), GINT_TO_POINTER (ok ? 1 : 2));
  g_mutex_unlock (&dict->lock);
  return ok;
}

static inline gboolean
is_word_char (gunichar ch)
{
  if (ch < 0x80)
    return g_ascii_isalnum (ch);
  return g_unichar_isalnum (ch) || g_unichar_ismark (ch);
}

static inline gboolean
is_joiner (gunichar ch)
{
  return ch == '\'' || ch == 0x2019 || ch == '-';
}

static gboolean
in_word_set (GHashTable *words,
             const char *key)
{
  gunichar first;
  g_autofree char *lower = NULL;

  if (words == NULL || g_hash_table_size (words) == 0)
    return FALSE;
  if (g_hash_table_contains (words, key))
    return TRUE;
  first = g_utf8_get_char (key);
  if (!g_unichar_isupper (first) && !g_unichar_istitle (first))
    return FALSE;
  lower = g_utf8_strdown (key, -1);
  return g_hash_table_contains (words, lower);
}

/* One word (bytes [word, word + len), valid UTF-8, NFC) by the rules of
 * cw-spell.h. dict may be NULL (then only the lists can matter: TRUE). */
static gboolean
check_token (CwSpellChecker *self,
             Dictionary     *dict,
             GHashTable     *words,
             const char     *word,
             gsize           len)
{
  char key[MAX_WORD_CHARS * 4 + 8];
  gsize key_len = 0;
  guint n_chars = 0;
  gboolean part_start = TRUE, has_hyphen = FALSE;

  for (const char *p = word; p < word + len; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);

      if (++n_chars > MAX_WORD_CHARS)
        return TRUE;
      if (ch < 0x80 ? g_ascii_isdigit (ch) : g_unichar_isdigit (ch))
        return TRUE;
      if (ch == '-')
        {
          has_hyphen = TRUE;
          part_start = TRUE;
          key[key_len++] = '-';
          continue;
        }
      if (!part_start && (ch < 0x80 ? g_ascii_isupper (ch) : (g_unichar_isupper (ch) || g_unichar_istitle (ch))))
        return TRUE;
      part_start = FALSE;
      /* One apostrophe for the lists (Hunspell maps ’ itself). */
      if (ch == 0x2019)
        key[key_len++] = '\'';
      else
        {
          gsize n = g_utf8_next_char (p) - p;
          memcpy (key + key_len, p, n);
          key_len += n;
        }
    }
  key[key_len] = '\0';
  if (n_chars <= 1)
    return TRUE;

  if (g_atomic_int_get (&self->n_ignored) > 0)
    {
      gboolean ignored;

      g_mutex_lock (&self->lock);
      ignored = g_hash_table_contains (self->ignored, key);
      g_mutex_unlock (&self->lock);
      if (ignored)
        return TRUE;
    }
  if (in_word_set (words, key))
    return TRUE;
  if (dict == NULL)
    return TRUE;
  if (dictionary_check (dict, key))
    return TRUE;
  /* "Eén" at the start of a sentence is as right as "Één" (Taalunie). */
  if (key[0] == 'E' && strncmp (key + 1, "é", strlen ("é")) == 0 && key_len + 2 < sizeof key)
    {
      char variant[sizeof key];

      memcpy (variant, "É", strlen ("É"));
      memcpy (variant + strlen ("É"), key + 1, key_len);
      if (dictionary_check (dict, variant))
        return TRUE;
    }

  /* "praktijkonderwijs-leerling": Hunspell wants it written as one word,
   * a transcriber may not; right when every part is right. */
  if (has_hyphen)
    {
      const char *p = key, *end = key + key_len;
      gboolean any = FALSE;

      while (p < end)
        {
          const char *dash = memchr (p, '-', end - p);
          const char *part_end = dash != NULL ? dash : end;

          if (part_end > p)
            {
              if (!check_token (self, dict, words, p, part_end - p))
                return FALSE;
              any = TRUE;
            }
          p = part_end + 1;
        }
      return any;
    }
  return FALSE;
}

/* Normalises a caller's word: valid UTF-8, NFC. NULL if invalid. */
static char *
normalize_word (const char *word)
{
  if (word == NULL || !g_utf8_validate (word, -1, NULL))
    return NULL;
  return g_utf8_normalize (word, -1, G_NORMALIZE_NFC);
}

gboolean
cw_spell_checker_check_with_words (CwSpellChecker *self,
                                   GHashTable     *project_words,
                                   const char     *language,
                                   const char     *word)
{
  g_autofree char *nfc = NULL;

  g_return_val_if_fail (CW_IS_SPELL_CHECKER (self), TRUE);

  nfc = normalize_word (word);
  if (nfc == NULL)
    return TRUE;
  return check_token (self, get_dictionary (self, language), project_words, nfc, strlen (nfc));
}

gboolean
cw_spell_checker_check (CwSpellChecker *self,
                        const char     *language,
                        const char     *word)
{
  return cw_spell_checker_check_with_words (self, NULL, language, word);
}

gboolean
cw_spell_checker_is_name (CwSpellChecker *self,
                          const char     *language,
                          const char     *word)
{
  Dictionary *dict;
  g_autofree char *nfc = NULL;
  g_autofree char *converted = NULL;
  const char *w;
  char **list = NULL;
  gboolean found = FALSE;
  int n;

  g_return_val_if_fail (CW_IS_SPELL_CHECKER (self), FALSE);

  dict = get_dictionary (self, language);
  nfc = normalize_word (word);
  if (dict == NULL || nfc == NULL || !g_unichar_isupper (g_utf8_get_char (nfc)))
    return FALSE;
  if (dict->encoding != NULL)
    {
      converted = g_convert (nfc, -1, dict->encoding, "UTF-8", NULL, NULL, NULL);
      if (converted == NULL)
        return FALSE;
    }
  w = converted != NULL ? converted : nfc;

  /* Hunspell accepts "Dat" for "dat"; a stem spelled exactly as the word,
   * capital and all, is an entry of its own: "Wim" beside "wim". */
  g_mutex_lock (&dict->lock);
  n = Hunspell_stem (dict->handle, &list, w);
  for (int i = 0; i < n && !found; i++)
    found = strcmp (list[i], w) == 0;
  if (list != NULL)
    Hunspell_free_list (dict->handle, &list, n);
  g_mutex_unlock (&dict->lock);
  return found;
}

/* Hunspell's suggestions for word, each wrapped in prefix and suffix,
 * added to builder up to MAX_SUGGESTIONS; with suggest_lock held. */
static void
add_suggestions (Dictionary   *dict,
                 const char   *word,
                 const char   *prefix,
                 const char   *suffix,
                 GStrvBuilder *builder,
                 guint        *added)
{
  char **list = NULL;
  int n;

  if (dict->encoding != NULL)
    {
      g_autofree char *converted = g_convert (word, -1, dict->encoding, "UTF-8", NULL, NULL, NULL);

      n = converted != NULL ? Hunspell_suggest (dict->suggester, &list, converted) : 0;
    }
  else
    n = Hunspell_suggest (dict->suggester, &list, word);

  for (int i = 0; i < n && *added < MAX_SUGGESTIONS; i++)
    {
      g_autofree char *utf8 = NULL;

      if (dict->encoding != NULL)
        utf8 = g_convert (list[i], -1, "UTF-8", dict->encoding, NULL, NULL, NULL);
      else if (g_utf8_validate (list[i], -1, NULL))
        utf8 = g_strdup (list[i]);
      if (utf8 != NULL)
        {
          g_autofree char *full = g_strconcat (prefix, utf8, suffix, NULL);

          g_strv_builder_add (builder, full);
          (*added)++;
        }
    }
  if (list != NULL)
    Hunspell_free_list (dict->suggester, &list, n);
}

GStrv
cw_spell_checker_suggest (CwSpellChecker *self,
                          const char     *language,
                          const char     *word)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *nfc = NULL;
  g_auto(GStrv) parts = NULL;
  Dictionary *dict;
  guint added = 0, n_wrong = 0, wrong = 0;

  g_return_val_if_fail (CW_IS_SPELL_CHECKER (self), NULL);

  dict = get_dictionary (self, language);
  nfc = normalize_word (word);
  if (dict == NULL || nfc == NULL || *nfc == '\0' || g_utf8_strlen (nfc, -1) > MAX_WORD_CHARS)
    return g_strv_builder_end (builder);

  /* "praktijkonderwijs-leerlingg": suggest for the one wrong part (fast,
   * and what the transcriber meant) rather than for the whole. */
  if (strchr (nfc, '-') != NULL)
    {
      parts = g_strsplit (nfc, "-", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        if (*parts[i] != '\0' && !check_token (self, dict, NULL, parts[i], strlen (parts[i])))
          {
            n_wrong++;
            wrong = i;
          }
    }

  g_mutex_lock (&dict->suggest_lock);
  if (dict->suggester == NULL)
    dict->suggester = Hunspell_create (dict->aff, dict->dic);
  if (dict->suggester != NULL)
    {
      if (n_wrong == 1)
        {
          g_autofree char *wrong_part = g_strdup (parts[wrong]);
          g_autofree char *prefix = NULL;
          g_autofree char *suffix = NULL;

          g_free (parts[wrong]);
          parts[wrong] = g_strdup ("\x01");
          {
            g_autofree char *joined = g_strjoinv ("-", parts);
            char *mark = strchr (joined, '\x01');

            prefix = g_strndup (joined, mark - joined);
            suffix = g_strdup (mark + 1);
          }
          add_suggestions (dict, wrong_part, prefix, suffix, builder, &added);
        }
      else
        add_suggestions (dict, nfc, "", "", builder, &added);
    }
  g_mutex_unlock (&dict->suggest_lock);

  return g_strv_builder_end (builder);
}

static void
suggest_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  char **args = task_data; /* language, word */

  if (g_task_return_error_if_cancelled (task))
    return;
  (void) cancellable;
  g_task_return_pointer (task, cw_spell_checker_suggest (source_object, args[0], args[1]),
                         (GDestroyNotify) g_strfreev);
}

void
cw_spell_checker_suggest_async (CwSpellChecker      *self,
                                const char          *language,
                                const char          *word,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  char **args;

  g_return_if_fail (CW_IS_SPELL_CHECKER (self));
  g_return_if_fail (word != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_spell_checker_suggest_async);
  args = g_new0 (char *, 3);
  args[0] = g_strdup (language != NULL ? language : "");
  args[1] = g_strdup (word);
  g_task_set_task_data (task, args, (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, suggest_thread);
}

GStrv
cw_spell_checker_suggest_finish (CwSpellChecker  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cw_spell_checker_ignore (CwSpellChecker *self,
                         const char     *word)
{
  g_autofree char *nfc = NULL;

  g_return_if_fail (CW_IS_SPELL_CHECKER (self));

  nfc = normalize_word (word);
  if (nfc == NULL || *nfc == '\0')
    return;
  /* The same apostrophe as check_token's keys. */
  {
    g_auto(GStrv) parts = g_strsplit (nfc, "’", -1);
    g_free (nfc);
    nfc = g_strjoinv ("'", parts);
  }
  g_mutex_lock (&self->lock);
  if (g_hash_table_add (self->ignored, g_steal_pointer (&nfc)))
    g_atomic_int_inc (&self->n_ignored);
  g_mutex_unlock (&self->lock);
}

gboolean
cw_spell_checker_is_ignored (CwSpellChecker *self,
                             const char     *word)
{
  g_autofree char *nfc = NULL;
  gboolean ignored;

  g_return_val_if_fail (CW_IS_SPELL_CHECKER (self), FALSE);

  nfc = normalize_word (word);
  if (nfc == NULL)
    return FALSE;
  {
    g_auto(GStrv) parts = g_strsplit (nfc, "’", -1);
    g_free (nfc);
    nfc = g_strjoinv ("'", parts);
  }
  g_mutex_lock (&self->lock);
  ignored = g_hash_table_contains (self->ignored, nfc);
  g_mutex_unlock (&self->lock);
  return ignored;
}

/* Scanning text */

/* Called for every run of non-space text ("chunk") that overlaps or
 * touches the range, with its code point offset and length; url says it
 * looks like a URL, an e-mail address or a file name. */
typedef void (*ChunkFunc) (const char *chunk,
                           gsize       bytes,
                           gint64      offset,
                           gint64      n_chars,
                           gboolean    url,
                           gpointer    user_data);

static inline gboolean
hits (gint64 s,
      gint64 e,
      gint64 start,
      gint64 end)
{
  if (start == end)
    return s <= start && e >= start;
  return s < end && e > start;
}

static gboolean
chunk_is_url (const char *chunk,
              gsize       bytes)
{
  const char *end = chunk + bytes;

  for (const char *p = chunk; p < end; p++)
    {
      if (*p == '@')
        return TRUE;
      if (*p == ':' && end - p >= 3 && p[1] == '/' && p[2] == '/')
        return TRUE;
      if ((*p == 'w' || *p == 'W') && end - p >= 4 && g_ascii_strncasecmp (p, "www.", 4) == 0)
        return TRUE;
      if (*p == '.' && p > chunk && p + 1 < end)
        {
          const char *prev = g_utf8_find_prev_char (chunk, p);
          if (prev != NULL && is_word_char (g_utf8_get_char (prev)) &&
              !g_unichar_isdigit (g_utf8_get_char (prev)) &&
              g_unichar_isalpha (g_utf8_get_char (p + 1)))
            return TRUE;
        }
    }
  return FALSE;
}

/* Walks the chunks of text around [start, end). Stops and returns FALSE
 * at a line that is not valid UTF-8. */
static gboolean
scan_chunks (const char *text,
             gint64      start,
             gint64      end,
             ChunkFunc   func,
             gpointer    user_data)
{
  const char *p = text, *line;
  gint64 offset = 0;
  gboolean at_line_start;

  if (start < 0)
    start = 0;
  if (end >= 0 && end < start)
    end = start;

  /* Find start by counting lead bytes (a keystroke in a long document
   * must not decode everything before it), then go back to its line's
   * start: a speaker label and a word's chunk begin before the range.
   * Bytes are checked as UTF-8 line by line, only where they are read. */
  for (; *p != '\0'; p++)
    if (((guchar) *p & 0xC0) != 0x80)
      {
        if (offset == start)
          break;
        offset++;
      }
  if (end < 0)
    end = G_MAXINT64;
  start = MIN (start, offset);
  end = MAX (end, start);
  line = p;
  while (line > text && line[-1] != '\n')
    line--;
  for (const char *q = line; q < p; q++)
    if (((guchar) *q & 0xC0) != 0x80)
      offset--;
  p = line;
  at_line_start = TRUE;

  while (*p != '\0')
    {
      gunichar ch;

      if (at_line_start)
        {
          const char *eol = strchr (p, '\n');
          gsize utterance = 0;

          at_line_start = FALSE;
          if (!g_utf8_validate (p, eol != NULL ? eol - p : -1, NULL))
            return FALSE;
          if (cw_detect_speaker_label (p, NULL, &utterance))
            {
              offset += g_utf8_strlen (p, utterance);
              p += utterance;
              continue;
            }
        }

      ch = g_utf8_get_char (p);
      if (g_unichar_isspace (ch))
        {
          if (ch == '\n')
            {
              if (offset >= end)
                break;
              at_line_start = TRUE;
            }
          p = g_utf8_next_char (p);
          offset++;
          continue;
        }

      {
        const char *chunk = p;
        gint64 chunk_offset = offset;

        if (chunk_offset > end || (chunk_offset == end && start != end))
          break;
        while (*p != '\0' && !g_unichar_isspace (g_utf8_get_char (p)))
          {
            p = g_utf8_next_char (p);
            offset++;
          }
        if (hits (chunk_offset, offset, start, end))
          func (chunk, p - chunk, chunk_offset, offset - chunk_offset,
                chunk_is_url (chunk, p - chunk), user_data);
      }
    }
  return TRUE;
}

typedef struct
{
  CwSpellChecker *self;
  Dictionary     *dict;
  GHashTable     *words;
  gint64          start;
  gint64          end;
  GArray         *ranges;
} FindData;

static void
find_in_chunk (const char *chunk,
               gsize       bytes,
               gint64      offset,
               gint64      n_chars,
               gboolean    url,
               gpointer    user_data)
{
  FindData *data = user_data;
  const char *p = chunk, *end = chunk + bytes;

  (void) n_chars;
  if (url)
    return;
  while (p < end)
    {
      const char *word;
      gint64 word_offset;

      if (!is_word_char (g_utf8_get_char (p)))
        {
          p = g_utf8_next_char (p);
          offset++;
          continue;
        }
      word = p;
      word_offset = offset;
      while (p < end)
        {
          gunichar ch = g_utf8_get_char (p);

          if (is_word_char (ch))
            ;
          else if (is_joiner (ch) && p > word)
            {
              const char *next = g_utf8_next_char (p);

              if (next >= end || !is_word_char (g_utf8_get_char (next)))
                break;
            }
          else
            break;
          p = g_utf8_next_char (p);
          offset++;
        }
      if (hits (word_offset, offset, data->start, data->end) &&
          !check_token (data->self, data->dict, data->words, word, p - word))
        {
          CwSpellRange range = { word_offset, offset };
          g_array_append_val (data->ranges, range);
        }
    }
}

GArray *
cw_spell_find_misspellings (CwSpellChecker *self,
                            GHashTable     *project_words,
                            const char     *language,
                            const char     *text,
                            gint64          start_offset,
                            gint64          end_offset)
{
  FindData data = { 0 };

  g_return_val_if_fail (CW_IS_SPELL_CHECKER (self), NULL);

  data.ranges = g_array_new (FALSE, FALSE, sizeof (CwSpellRange));
  data.self = self;
  data.dict = get_dictionary (self, language);
  data.words = project_words;
  data.start = MAX (start_offset, 0);
  data.end = end_offset < 0 ? G_MAXINT64 : MAX (end_offset, data.start);
  if (data.dict == NULL || text == NULL)
    return data.ranges;

  scan_chunks (text, start_offset, end_offset, find_in_chunk, &data);
  return data.ranges;
}

typedef struct
{
  gint64 start;
  gint64 end;
} ExtendData;

static void
extend_chunk (const char *chunk,
              gsize       bytes,
              gint64      offset,
              gint64      n_chars,
              gboolean    url,
              gpointer    user_data)
{
  ExtendData *data = user_data;

  (void) chunk;
  (void) bytes;
  (void) url;
  data->start = MIN (data->start, offset);
  data->end = MAX (data->end, offset + n_chars);
}

void
cw_spell_extend_to_words (const char *text,
                          gint64     *start,
                          gint64     *end)
{
  ExtendData data;

  g_return_if_fail (text != NULL && start != NULL && end != NULL);

  data.start = MAX (*start, 0);
  data.end = MAX (*end, data.start);
  scan_chunks (text, data.start, data.end, extend_chunk, &data);
  *start = data.start;
  *end = data.end;
}

/* Language detection */

static const char *const dutch_words[] = {
  "de", "het", "een", "en", "ik", "niet", "dat", "van", "op", "te", "je",
  "die", "wat", "maar", "met", "zijn", "er", "ook", "nog", "wel", "dan",
  "als", "naar", "voor", "hij", "ze", "heb", "hebt", "heeft", "bij", "uit",
  "om", "zo", "nou", "ja", "nee", "mijn", "jij", "dit", "deze", "wordt",
  "moet", "gewoon", "echt", "daar", "hier", "kan", "ben",
};

static const char *const english_words[] = {
  "the", "and", "not", "that", "to", "of", "it", "you", "for", "on", "are",
  "with", "have", "be", "at", "this", "but", "they", "he", "what", "do",
  "just", "my", "yes", "no", "i", "there", "would", "can", "your", "like",
  "from", "am", "were", "been", "really", "because", "know",
};

static gboolean
in_list (const char         *word,
         const char *const  *list,
         gsize               n)
{
  for (gsize i = 0; i < n; i++)
    if (strcmp (word, list[i]) == 0)
      return TRUE;
  return FALSE;
}

const char *
cw_detect_language (const char *text)
{
  guint dutch = 0, english = 0, n_chars = 0;
  const char *p = text;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return "nl";

  while (*p != '\0' && n_chars < DETECT_CHARS)
    {
      char word[16];
      gsize len = 0;
      gboolean ascii = TRUE;

      if (!is_word_char (g_utf8_get_char (p)))
        {
          p = g_utf8_next_char (p);
          n_chars++;
          continue;
        }
      while (*p != '\0' && is_word_char (g_utf8_get_char (p)))
        {
          if ((guchar) *p >= 0x80 || len + 1 >= sizeof word)
            ascii = FALSE;
          else
            word[len++] = g_ascii_tolower (*p);
          p = g_utf8_next_char (p);
          n_chars++;
        }
      if (!ascii)
        continue;
      word[len] = '\0';
      if (in_list (word, dutch_words, G_N_ELEMENTS (dutch_words)))
        dutch++;
      else if (in_list (word, english_words, G_N_ELEMENTS (english_words)))
        english++;
    }
  return english > dutch ? "en" : "nl";
}

/* The project word list */

/* NFC, trimmed, one apostrophe; NULL and an error for what cannot be one
 * word. */
static char *
list_word (const char  *word,
           GError     **error)
{
  g_autofree char *nfc = NULL;
  g_auto(GStrv) parts = NULL;
  char *joined;

  nfc = normalize_word (word);
  if (nfc == NULL)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("The word is not valid UTF-8 text"));
      return NULL;
    }
  g_strstrip (nfc);
  if (*nfc == '\0')
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID, _("The word is empty"));
      return NULL;
    }
  for (const char *p = nfc; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isspace (g_utf8_get_char (p)) || g_unichar_iscntrl (g_utf8_get_char (p)))
      {
        g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                     _("“%s” is not one word: the word list takes single words"), nfc);
        return NULL;
      }
  if (g_utf8_strlen (nfc, -1) > MAX_LIST_WORD_CHARS)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("The word is too long for the word list"));
      return NULL;
    }
  parts = g_strsplit (nfc, "’", -1);
  joined = g_strjoinv ("'", parts);
  return joined;
}

static gboolean
change_word (CwProject   *project,
             const char  *word,
             const char  *sql,
             GError     **error)
{
  g_autofree char *key = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int changes;

  g_return_val_if_fail (CW_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (word != NULL, FALSE);

  key = list_word (word, error);
  if (key == NULL)
    return FALSE;
  stmt = _cw_project_prepare (project, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _cw_project_set_db_error (project, error, _("word list"));
      return FALSE;
    }
  changes = sqlite3_changes (_cw_project_get_db (project));
  g_clear_pointer (&stmt, _cw_statement_release);
  if (changes > 0)
    _cw_project_emit_changed (project);
  return TRUE;
}

gboolean
cw_project_add_word (CwProject   *project,
                     const char  *word,
                     GError     **error)
{
  return change_word (project, word, "INSERT OR IGNORE INTO word_list (word) VALUES (?1)", error);
}

gboolean
cw_project_remove_word (CwProject   *project,
                        const char  *word,
                        GError     **error)
{
  return change_word (project, word, "DELETE FROM word_list WHERE word = ?1", error);
}

gboolean
cw_project_change_words (CwProject           *project,
                         const char * const  *add,
                         const char * const  *remove,
                         GError             **error)
{
  g_return_val_if_fail (CW_IS_PROJECT (project), FALSE);

  /* Every word is checked before anything is written. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; (pass == 0 ? add : remove) != NULL && (pass == 0 ? add : remove)[i] != NULL; i++)
      {
        g_autofree char *key = list_word ((pass == 0 ? add : remove)[i], error);

        if (key == NULL)
          return FALSE;
      }
  if (!_cw_project_begin (project, error))
    return FALSE;
  for (guint i = 0; add != NULL && add[i] != NULL; i++)
    if (!change_word (project, add[i], "INSERT OR IGNORE INTO word_list (word) VALUES (?1)", error))
      goto failed;
  for (guint i = 0; remove != NULL && remove[i] != NULL; i++)
    if (!change_word (project, remove[i], "DELETE FROM word_list WHERE word = ?1", error))
      goto failed;
  return _cw_project_commit (project, error);

failed:
  _cw_project_rollback (project);
  return FALSE;
}

static GPtrArray *
read_words (CwProject  *project,
            GError    **error)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _cw_project_prepare (project, "SELECT word FROM word_list", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *word = (const char *) sqlite3_column_text (stmt, 0);

      /* Rows written by another program are taken only if they are text. */
      if (word != NULL && g_utf8_validate (word, -1, NULL))
        g_ptr_array_add (words, g_strdup (word));
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (project, error, _("word list"));
      return NULL;
    }
  return g_steal_pointer (&words);
}

static int
compare_words (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char *const *) a, *(const char *const *) b);
}

GStrv
cw_project_list_words (CwProject  *project,
                       GError    **error)
{
  g_autoptr(GPtrArray) words = NULL;

  g_return_val_if_fail (CW_IS_PROJECT (project), NULL);

  words = read_words (project, error);
  if (words == NULL)
    return NULL;
  g_ptr_array_sort (words, compare_words);
  g_ptr_array_set_free_func (words, NULL);
  g_ptr_array_add (words, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&words), FALSE);
}

GHashTable *
cw_project_get_word_set (CwProject  *project,
                         GError    **error)
{
  g_autoptr(GPtrArray) words = NULL;
  GHashTable *set;

  g_return_val_if_fail (CW_IS_PROJECT (project), NULL);

  words = read_words (project, error);
  if (words == NULL)
    return NULL;
  set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < words->len; i++)
    g_hash_table_add (set, g_strdup (words->pdata[i]));
  return set;
}

/* Document languages */

char *
cw_project_get_document_language (CwProject  *project,
                                  gint64      document_id,
                                  GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *stored, *detected;

  g_return_val_if_fail (CW_IS_PROJECT (project), NULL);

  stmt = _cw_project_prepare (project,
                              "SELECT language, substr(text, 1, " G_STRINGIFY (DETECT_CHARS) ") "
                              "FROM documents WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, document_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("%s: no document with id %lld"),
                   cw_project_get_path (project), (long long) document_id);
      return NULL;
    }
  stored = (const char *) sqlite3_column_text (stmt, 0);
  if (stored != NULL && language_index (stored) >= 0)
    return g_strdup (languages[language_index (stored)].code);

  detected = cw_detect_language ((const char *) sqlite3_column_text (stmt, 1));
  g_clear_pointer (&stmt, _cw_statement_release);

  /* Remembered so the language does not flip as the text is corrected; a
   * read-only project simply detects again next time. */
  stmt = _cw_project_prepare (project, "UPDATE documents SET language = ?2 WHERE id = ?1", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, document_id);
      sqlite3_bind_text (stmt, 2, detected, -1, SQLITE_STATIC);
      sqlite3_step (stmt);
    }
  return g_strdup (detected);
}

gboolean
cw_project_set_document_language (CwProject   *project,
                                  gint64       document_id,
                                  const char  *language,
                                  GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int idx;

  g_return_val_if_fail (CW_IS_PROJECT (project), FALSE);

  idx = language_index (language);
  if (idx < 0)
    return unknown_language (language, error);

  stmt = _cw_project_prepare (project, "SELECT language IS ?2 FROM documents WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, document_id);
  sqlite3_bind_text (stmt, 2, languages[idx].code, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("%s: no document with id %lld"),
                   cw_project_get_path (project), (long long) document_id);
      return FALSE;
    }
  if (sqlite3_column_int (stmt, 0))
    return TRUE;
  g_clear_pointer (&stmt, _cw_statement_release);

  stmt = _cw_project_prepare (project, "UPDATE documents SET language = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, document_id);
  sqlite3_bind_text (stmt, 2, languages[idx].code, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _cw_project_set_db_error (project, error, _("document language"));
      return FALSE;
    }
  g_clear_pointer (&stmt, _cw_statement_release);
  _cw_project_emit_changed (project);
  return TRUE;
}
