/* cw-spell.h: spell checking of transcripts (Hunspell), the project word
 * list and the language of a document.
 *
 * Languages are "nl" (dictionary nl.aff/nl.dic, Debian package hunspell-nl)
 * and "en" (en_US.aff/en_US.dic, hunspell-en-us), looked up in
 * $CODEWERK_HUNSPELL_DIR when that is set (and only there), else in
 * /usr/share/hunspell, /usr/local/share/hunspell and /usr/share/myspell.
 *
 * What counts as a word (cw_spell_find_misspellings and friends): a run of
 * letters and marks, joined by an apostrophe (’ or ') or a hyphen between
 * two letters, so "m'n", "zo'n", "ideeën" and "praktijkonderwijs-leerling"
 * are one word each. A hyphenated word is correct when the whole is, or
 * when every part is ("praktijkonderwijs-leerling", "Marokkaans-Nederlandse").
 * A trailing apostrophe is not part of the word ("de jongens' fietsen").
 *
 * Not checked, so never flagged:
 *  - single letters ("a", "k");
 *  - words that touch a digit ("2e", "mbo4", "06-12345678");
 *  - abbreviations in capitals ("MBO", "UWV", "PrO", "JoB"): any word with
 *    a capital after the first letter of one of its hyphen parts (so
 *    "Marokkaans-Nederlandse" is checked, "IJsselmeer" is not);
 *  - URLs, e-mail addresses and file names: any run of non-space text
 *    containing "://", "www.", "@" or a letter-dot-letter ("school.nl");
 *  - speaker labels at the start of a line, as the importer recognises
 *    them (cw_detect_speaker_label: "Interviewer:", "R:", "Jongere 1:");
 *  - words longer than 60 characters;
 *  - words in the session ignore list or the project word list.
 *
 * Thread safety: a CwSpellChecker may be used from any thread at once (the
 * window checks a whole document in a worker and one changed word on the
 * main thread). Hunspell calls are serialised per dictionary; results are
 * cached, so checking a word again costs a hash lookup.
 */
#pragma once

#include <gio/gio.h>

#include "cw-project.h"

G_BEGIN_DECLS

#define CW_SPELL_ERROR (cw_spell_error_quark ())

typedef enum
{
  /* The .aff/.dic files are not installed; the message names the file
   * searched for and the Debian package that provides it. */
  CW_SPELL_ERROR_NO_DICTIONARY,
  /* A language other than "nl" or "en". */
  CW_SPELL_ERROR_UNKNOWN_LANGUAGE,
  /* Hunspell could not read the files, or a word is not valid UTF-8. */
  CW_SPELL_ERROR_FAILED,
} CwSpellError;

/* A misspelled word: Unicode code point offsets into the checked text,
 * end exclusive. */
typedef struct
{
  gint64 start;
  gint64 end;
} CwSpellRange;

#define CW_TYPE_SPELL_CHECKER (cw_spell_checker_get_type ())
G_DECLARE_FINAL_TYPE (CwSpellChecker, cw_spell_checker, CW, SPELL_CHECKER, GObject)

GQuark          cw_spell_error_quark          (void);

/* The process-wide checker (dictionaries are loaded once and shared by all
 * windows). Transfer none; lives until exit. */
CwSpellChecker *cw_spell_checker_get_default  (void);

/* A private checker; dictionary_dir NULL uses the search path above. For
 * tests and tools. */
CwSpellChecker *cw_spell_checker_new          (const char  *dictionary_dir);

/* Loads the dictionary of language in a worker thread. Idempotent: an
 * already loaded language completes at once; concurrent loads of the same
 * language read the files once. A missing dictionary fails with
 * CW_SPELL_ERROR_NO_DICTIONARY, every time it is asked for (the files are
 * looked for once per checker); report it to the user once. */
void            cw_spell_checker_load_async   (CwSpellChecker       *self,
                                               const char           *language,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean        cw_spell_checker_load_finish  (CwSpellChecker       *self,
                                               GAsyncResult         *result,
                                               GError              **error);
/* The same, blocking (the CLI, workers, tests). */
gboolean        cw_spell_checker_load         (CwSpellChecker       *self,
                                               const char           *language,
                                               GError              **error);
/* TRUE once language's dictionary is loaded. Never blocks. */
gboolean        cw_spell_checker_is_loaded    (CwSpellChecker       *self,
                                               const char           *language);

/* TRUE when word (UTF-8, one word as defined above) is spelled correctly
 * or is not checked: skipped by the rules above, ignored, or language not
 * loaded (nothing is flagged without a dictionary). Never loads. */
gboolean        cw_spell_checker_check        (CwSpellChecker       *self,
                                               const char           *language,
                                               const char           *word);
/* The same, also accepting the words of project_words (from
 * cw_project_get_word_set; may be NULL). */
gboolean        cw_spell_checker_check_with_words (CwSpellChecker   *self,
                                                   GHashTable       *project_words,
                                                   const char       *language,
                                                   const char       *word);
/* TRUE when language's dictionary has word, as written with its capital,
 * as an entry of its own ("Ahmed"; "Wim" beside the common "wim"), not
 * only as a capitalised common word ("Dat"). FALSE when the dictionary is
 * not loaded. For proposing pseudonyms. */
gboolean        cw_spell_checker_is_name      (CwSpellChecker       *self,
                                               const char           *language,
                                               const char           *word);
/* Up to 8 suggestions, best first; an empty vector when the dictionary is
 * not loaded or Hunspell has none. Slower than checking (milliseconds):
 * call it for a context menu, not for every word. */
GStrv           cw_spell_checker_suggest      (CwSpellChecker       *self,
                                               const char           *language,
                                               const char           *word);

/* The same in a worker thread, for a context menu: Hunspell needs tens of
 * milliseconds to suggest for a long Dutch word. */
void            cw_spell_checker_suggest_async  (CwSpellChecker       *self,
                                                 const char           *language,
                                                 const char           *word,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GStrv           cw_spell_checker_suggest_finish (CwSpellChecker       *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* Session ignore list ("Ignore" in the context menu): for every language,
 * until the process ends; not stored. Exact match, as spelled. */
void            cw_spell_checker_ignore       (CwSpellChecker       *self,
                                               const char           *word);
gboolean        cw_spell_checker_is_ignored   (CwSpellChecker       *self,
                                               const char           *word);

/* The misspelled words of text (UTF-8, NUL-terminated, NFC) that overlap
 * the code point range [start_offset, end_offset) (an empty range: that
 * touch it); end_offset -1 means the end of text. Words cut by the range
 * are checked whole. The text's start counts as a line start (speaker
 * labels); a line that is not valid UTF-8 ends the scan. Returns a
 * GArray of CwSpellRange in text order, offsets relative to text. The
 * window may pass a slice (a paragraph) and add the slice's offset.
 * project_words may be NULL. Empty when language is not loaded. */
GArray         *cw_spell_find_misspellings    (CwSpellChecker       *self,
                                               GHashTable           *project_words,
                                               const char           *language,
                                               const char           *text,
                                               gint64                start_offset,
                                               gint64                end_offset);

/* Widens [*start, *end) (code points into text) to the runs of non-space
 * text that overlap or touch it (a word's context: a URL, an e-mail
 * address), so that after a keystroke the window knows which stretch to
 * clear and re-check with cw_spell_find_misspellings. */
void            cw_spell_extend_to_words      (const char           *text,
                                               gint64               *start,
                                               gint64               *end);

/* "nl" or "en", decided on the first 5,000 characters by counting common
 * function words of each language (de, het, een, ik, niet, ... against
 * the, and, is, not, I, ...). Ties, and texts without any, give "nl".
 * Returns a static string. */
const char     *cw_detect_language            (const char           *text);

/* The project word list, shared by every coder through the project file
 * (table word_list). Adding a word that is there, or removing one that is
 * not, succeeds and changes nothing. Words are stored NFC, trimmed; an
 * empty word or one with white space is CW_PROJECT_ERROR_INVALID. A
 * change emits CwProject::changed. Not undoable (the history does not
 * track word_list). */
gboolean        cw_project_add_word           (CwProject            *project,
                                               const char           *word,
                                               GError              **error);
gboolean        cw_project_remove_word        (CwProject            *project,
                                               const char           *word,
                                               GError              **error);
/* Adds the words of add and removes those of remove (either may be NULL),
 * all in one transaction: an invalid word changes nothing. */
gboolean        cw_project_change_words       (CwProject            *project,
                                               const char * const   *add,
                                               const char * const   *remove,
                                               GError              **error);
/* Sorted, NULL-terminated; NULL only on error. */
GStrv           cw_project_list_words         (CwProject            *project,
                                               GError              **error);
/* The word list as a set (char* -> NULL) for checking: a new table each
 * call, never changed afterwards, so it may be shared read-only with a
 * worker thread (g_hash_table_ref). A listed word in lower case also
 * accepts its capitalised and all-capitals forms. Fetch a new set after
 * CwProject::changed. */
GHashTable     *cw_project_get_word_set       (CwProject            *project,
                                               GError              **error);

/* A document's language: the stored one, else detected from its text and
 * stored (without an undo step). */
char           *cw_project_get_document_language (CwProject         *project,
                                                  gint64             document_id,
                                                  GError           **error);
/* language: "nl" or "en" (else CW_SPELL_ERROR_UNKNOWN_LANGUAGE). Emits
 * CwProject::changed when it changes. Not undoable. */
gboolean        cw_project_set_document_language (CwProject         *project,
                                                  gint64             document_id,
                                                  const char        *language,
                                                  GError           **error);

G_END_DECLS
