/* cw-search.c: full-text search with FTS5, returning character offsets.
 *
 * FTS5 has no offsets() function, so an auxiliary function (cw_hits) turns
 * the token positions of each matching document's phrase instances into
 * character offsets and snippets, reading the text once.
 *
 * Search runs as one types, so it must cost about what the hits shown
 * cost, not what the whole corpus costs: the query walks the index in
 * rowid order (no sort of every match first) and stops at the limit, and
 * cw_hits finds token positions with a scanner that reads plain ASCII
 * sixteen or eight bytes at a time instead of running the tokenizer over
 * the document. The scanner asks the index's own tokenizer how it classes
 * each character it meets, so its token boundaries are the tokenizer's;
 * text it cannot vouch for (not well-formed UTF-8, or a document that
 * changed since it was indexed) goes through the tokenizer as before.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "cw-project-private.h"
#include "cw-text-blob-private.h"

#define SNIPPET_CONTEXT 40 /* characters either side of a hit */

/* The type of the pointer bound to cw_hits' second argument. */
#define SEARCH_STATE_POINTER "cw-search-state"

void
cw_search_hit_free (CwSearchHit *hit)
{
  if (hit == NULL)
    return;
  g_free (hit->document);
  g_free (hit->snippet);
  g_free (hit);
}

typedef struct
{
  int    token;      /* token index wanted */
  gint64 start;      /* byte offsets found */
  gint64 end;
  gint64 start_char; /* character offsets, found by the scanner only */
  gint64 end_char;
} TokenWant;

typedef struct
{
  GArray *wants;  /* TokenWant, sorted by token */
  guint   next;   /* first want not yet satisfied */
  int     index;  /* current token index */
} TokenizeState;

typedef struct
{
  int first; /* token indices of a phrase instance */
  int last;
} Instance;

typedef struct
{
  gint64 start;
  gint64 end;
} ByteRange;

/* How unicode61 treats a character: it starts (and continues) a token, it
 * only continues one (a combining diacritic), or it separates. */
typedef enum
{
  CHAR_UNKNOWN = 0,
  CHAR_SEPARATOR,
  CHAR_TOKEN,
  CHAR_CONTINUES,
} CharClass;

/* One search's knowledge of the tokenizer, learnt by asking it, and how
 * many hits the search still wants (0: all). */
typedef struct
{
  gboolean    ready;        /* ascii[] filled */
  gboolean    usable;       /* the probes work: the scanner may be used */
  gboolean    ascii_alnum;  /* ascii[] is exactly [0-9A-Za-z]: many bytes at a time */
  gboolean    latin1_letters; /* so are U+00C0..U+00FF but × and ÷ */
  gboolean    popcnt;       /* the processor counts bits in one instruction */
  guint8      ascii[128];
  guint8     *two_byte;     /* U+0080..U+07FF, filled as met */
  GHashTable *other;        /* wider code points -> CharClass */
  guint       remaining;
  gboolean    utf8;         /* the database's text is UTF-8: its bytes may be read as they are */
  CwTextBlob  text;         /* the text of the document FTS5 is on */
} SearchState;

/* A matching document's text, read as far as the hits need it: through
 * the incremental blob reader (SQLite reads a long text's overflow pages
 * only as far as asked), or whole from FTS5 where that cannot be used. */
typedef struct
{
  const char *text;
  gsize       n_text; /* the whole text's bytes */
  gsize       n_read; /* how many of them text holds */
} DocText;

/* How much more of a text to read when the scanner needs more: a few
 * pages, so that a hit near the start costs a few pages, not the whole
 * text, and a hit near the end not many reads. */
#define READ_CHUNK 4096

/* Bytes read past the end of the last hit, for its snippet: its context
 * in characters, at the most bytes one can take (g_utf8_next_char skips
 * up to six on bytes that are not UTF-8), and one character more. */
#define SNIPPET_BYTES ((SNIPPET_CONTEXT + 2) * 6)

/* One hit in cw_hits' blob, followed by snippet_bytes of snippet and
 * padding to eight bytes. */
typedef struct
{
  gint64 start;
  gint64 end;
  gint64 snippet_hit_start;
  gint64 snippet_hit_end;
  gint64 snippet_bytes;
} HitRecord;

static void
search_state_clear (SearchState *state)
{
  _cw_text_blob_clear (&state->text);
  g_clear_pointer (&state->two_byte, g_free);
  g_clear_pointer (&state->other, g_hash_table_unref);
}

static int
collect_token (void       *user_data,
               int         flags,
               const char *token,
               int         n_token,
               int         start,
               int         end)
{
  TokenizeState *state = user_data;

  /* Colocated tokens (synonyms) share the position of the one before. */
  if (flags & FTS5_TOKEN_COLOCATED)
    return SQLITE_OK;

  while (state->next < state->wants->len &&
         g_array_index (state->wants, TokenWant, state->next).token == state->index)
    {
      TokenWant *want = &g_array_index (state->wants, TokenWant, state->next);

      want->start = start;
      want->end = end;
      state->next++;
    }
  state->index++;

  /* Stop tokenizing once every wanted token is found. */
  return state->next >= state->wants->len ? SQLITE_DONE : SQLITE_OK;
}

static int
count_token (void       *user_data,
             int         flags,
             const char *token,
             int         n_token,
             int         start,
             int         end)
{
  if (!(flags & FTS5_TOKEN_COLOCATED))
    (*(int *) user_data)++;
  return SQLITE_OK;
}

/* The number of tokens the index's tokenizer makes of text; -1 on error. */
static int
count_tokens (const Fts5ExtensionApi *api,
              Fts5Context            *fts,
              const char             *text,
              int                     n_text)
{
  int n = 0;

  if (api->xTokenize (fts, text, n_text, &n, count_token) != SQLITE_OK)
    return -1;
  return n;
}

/* Asks the tokenizer: "c" alone is a token if c starts one; "aca" is one
 * token if c only continues one (unicode61's diacritics), two if it
 * separates. */
static CharClass
probe_class (const Fts5ExtensionApi *api,
             Fts5Context            *fts,
             gunichar                c)
{
  char buf[8] = { 'a' };
  int len = g_unichar_to_utf8 (c, buf + 1), n;

  buf[len + 1] = 'a';
  n = count_tokens (api, fts, buf + 1, len);
  if (n < 0)
    return CHAR_UNKNOWN;
  if (n > 0)
    return CHAR_TOKEN;
  n = count_tokens (api, fts, buf, len + 2);
  if (n == 1)
    return CHAR_CONTINUES;
  if (n == 2)
    return CHAR_SEPARATOR;
  return CHAR_UNKNOWN;
}

static void
search_state_prepare (SearchState            *state,
                      const Fts5ExtensionApi *api,
                      Fts5Context            *fts)
{
  state->ready = TRUE;
  state->usable = TRUE;
#if defined (__x86_64__) || defined (__i386__)
  state->popcnt = __builtin_cpu_supports ("popcnt");
#endif
  state->ascii_alnum = TRUE;
  for (gunichar c = 0; c < 128; c++)
    {
      CharClass class = probe_class (api, fts, c);

      if (class == CHAR_UNKNOWN || (c == 'a' && class != CHAR_TOKEN))
        state->usable = FALSE; /* the probes themselves need 'a' as a token */
      state->ascii[c] = class;
      if ((class == CHAR_TOKEN) != (g_ascii_isalnum (c) != 0))
        state->ascii_alnum = FALSE;
    }

  state->two_byte = g_new0 (guint8, 0x800);
  state->latin1_letters = state->ascii_alnum;
  for (gunichar c = 0xc0; c <= 0xff; c++)
    {
      state->two_byte[c] = probe_class (api, fts, c);
      if (c != 0xd7 && c != 0xf7 && state->two_byte[c] != CHAR_TOKEN)
        state->latin1_letters = FALSE;
    }
}

/* The class of the character at text[pos] and its length in *len; CHAR_UNKNOWN
 * when the bytes are not well-formed UTF-8 (where SQLite's reading of them
 * and GLib's could differ) or the tokenizer failed. */
static CharClass
class_at (SearchState            *state,
          const Fts5ExtensionApi *api,
          Fts5Context            *fts,
          const guchar           *text,
          gsize                   n_text,
          gsize                   pos,
          gsize                  *len)
{
  guchar b = text[pos];
  gunichar c;
  gsize need;
  CharClass class;

  if (b < 0x80)
    {
      *len = 1;
      return state->ascii[b];
    }
  if (b < 0xc2)
    return CHAR_UNKNOWN; /* a stray continuation byte, or overlong */
  need = b < 0xe0 ? 2 : b < 0xf0 ? 3 : b < 0xf5 ? 4 : 0;
  if (need == 0 || n_text - pos < need)
    return CHAR_UNKNOWN;
  c = b & (0x7f >> need);
  for (gsize i = 1; i < need; i++)
    {
      if ((text[pos + i] & 0xc0) != 0x80)
        return CHAR_UNKNOWN;
      c = (c << 6) | (text[pos + i] & 0x3f);
    }
  if ((need == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff) || c >= 0xfffe)) ||
      (need == 4 && (c < 0x10000 || c > 0x10ffff)))
    return CHAR_UNKNOWN;
  *len = need;

  if (c < 0x800)
    {
      if (state->two_byte == NULL)
        state->two_byte = g_new0 (guint8, 0x800);
      if (state->two_byte[c] == CHAR_UNKNOWN)
        state->two_byte[c] = probe_class (api, fts, c);
      return state->two_byte[c];
    }
  if (state->other == NULL)
    state->other = g_hash_table_new (NULL, NULL);
  class = GPOINTER_TO_UINT (g_hash_table_lookup (state->other, GUINT_TO_POINTER (c)));
  if (class == CHAR_UNKNOWN)
    {
      class = probe_class (api, fts, c);
      g_hash_table_insert (state->other, GUINT_TO_POINTER (c), GUINT_TO_POINTER (class));
    }
  return class;
}

#define ONES G_GUINT64_CONSTANT (0x0101010101010101)
#define HIGH G_GUINT64_CONSTANT (0x8080808080808080)

/* For eight ASCII bytes: the high bit of each byte that is at least lo, or
 * more than hi (no byte carries into the next: all are below 0x80). */
#define BYTES_AT_LEAST(x, lo) (((x) + (0x80 - (lo)) * ONES) & HIGH)
#define BYTES_ABOVE(x, hi)    (((x) + (0x7f - (hi)) * ONES) & HIGH)

#ifdef __SSE2__
static const guint8 bits_in_byte[256] = {
#define B2(n) n, n + 1, n + 1, n + 2
#define B4(n) B2 (n), B2 (n + 1), B2 (n + 1), B2 (n + 2)
#define B6(n) B4 (n), B4 (n + 1), B4 (n + 1), B4 (n + 2)
  B6 (0), B6 (1), B6 (1), B6 (2)
#undef B6
#undef B4
#undef B2
};
#endif

/* How many bytes of x have their high bit set (a multiply adds them up in
 * the top byte; no popcount instruction is needed). */
static inline guint
count_high_bits (guint64 x)
{
  return (guint) ((((x & HIGH) >> 7) * ONES) >> 56);
}

/* The number of bits set in x (no popcount instruction is assumed). */
static inline guint
count_bits (guint64 x)
{
  x = x - ((x >> 1) & G_GUINT64_CONSTANT (0x5555555555555555));
  x = (x & G_GUINT64_CONSTANT (0x3333333333333333)) + ((x >> 2) & G_GUINT64_CONSTANT (0x3333333333333333));
  x = (x + (x >> 4)) & G_GUINT64_CONSTANT (0x0f0f0f0f0f0f0f0f);
  return (guint) ((x * ONES) >> 56);
}

#ifdef __SSE2__
/* Bit i of the result: byte i of v is an ASCII letter or digit. One add
 * moves each range to the bottom of the signed bytes, so one compare
 * tests it. */
static inline guint
alnum_mask16 (__m128i v)
{
  __m128i lower = _mm_or_si128 (v, _mm_set1_epi8 (0x20));
  __m128i letters = _mm_cmplt_epi8 (_mm_add_epi8 (lower, _mm_set1_epi8 ((char) (0x80 - 'a'))),
                                    _mm_set1_epi8 ((char) (0x80 + 26)));
  __m128i digits = _mm_cmplt_epi8 (_mm_add_epi8 (v, _mm_set1_epi8 ((char) (0x80 - '0'))),
                                   _mm_set1_epi8 ((char) (0x80 + 10)));

  return (guint) _mm_movemask_epi8 (_mm_or_si128 (letters, digits));
}

/* Bit i of the result: byte i of v equals b. */
static inline guint
equal_mask16 (__m128i v,
              guint8  b)
{
  return (guint) _mm_movemask_epi8 (_mm_cmpeq_epi8 (v, _mm_set1_epi8 ((char) b)));
}

/* Four sixteen-bit masks of the 64 bytes at p as one. */
#define MASK64(p, expr)                                                 \
  ({ __m128i v0_ = _mm_loadu_si128 ((const __m128i *) (p));             \
     __m128i v1_ = _mm_loadu_si128 ((const __m128i *) (p) + 1);         \
     __m128i v2_ = _mm_loadu_si128 ((const __m128i *) (p) + 2);         \
     __m128i v3_ = _mm_loadu_si128 ((const __m128i *) (p) + 3);         \
     (guint64) expr (v0_) | ((guint64) expr (v1_) << 16) |              \
       ((guint64) expr (v2_) << 32) | ((guint64) expr (v3_) << 48); })
#define HIGH16(v)    ((guint) _mm_movemask_epi8 (v))
#define LEAD16(v)    equal_mask16 (v, 0xc3)
/* Continuation bytes (0x80..0xBF) but the second bytes of × and ÷
 * (U+00D7, U+00F7): after 0xC3, those two are no letters. */
#define FOLLOWS16(v)                                                          \
  ((guint) _mm_movemask_epi8 (_mm_andnot_si128 (                              \
     _mm_or_si128 (_mm_cmpeq_epi8 (v, _mm_set1_epi8 ((char) 0x97)),           \
                   _mm_cmpeq_epi8 (v, _mm_set1_epi8 ((char) 0xb7))),          \
     _mm_cmplt_epi8 (v, _mm_set1_epi8 ((char) 0xc0)))))
#endif

static inline guint64
alnum_bytes (guint64 x)
{
  guint64 lower = x | (0x20 * ONES);
  guint64 digits = BYTES_AT_LEAST (x, '0') & ~BYTES_ABOVE (x, '9');
  guint64 letters = BYTES_AT_LEAST (lower, 'a') & ~BYTES_ABOVE (lower, 'z');

  return digits | letters;
}

#ifdef __SSE2__
/* Most of a text is between wanted tokens: 64 bytes at a time there, as
 * four of the sixteen in scan_tokens would take them, their masks joined
 * into one word. Any block that loop would stop in is left to it. Gives
 * the position it got to. Inlined twice: with the popcount instruction
 * where the processor has it (checked at run time), without elsewhere. */
static inline __attribute__ ((always_inline)) gsize
scan64 (const guchar *t,
        gsize         pos,
        gsize         bound,
        gint64        want_token,
        gboolean      latin1_letters,
        gboolean      popcnt,
        gint64       *index,
        gint64       *continuation,
        guint64      *in_token)
{
#define COUNT_BITS(x) (popcnt ? (guint) __builtin_popcountll (x) : count_bits (x))
  gint64 n = *index, chars = *continuation;
  guint64 inside = *in_token;

  while (bound - pos >= 64)
    {
      const guchar *p = t + pos;
      guint64 alnum = MASK64 (p, alnum_mask16);
      guint64 high = MASK64 (p, HIGH16);
      guint64 starts;
      guint n_starts, n_continuation = 0;

      if (high != 0)
        {
          guint64 lead, follows;

          if (!latin1_letters)
            break;
          lead = MASK64 (p, LEAD16);
          follows = MASK64 (p, FOLLOWS16);
          /* Every byte from 0x80 up a 0xC3 with its one
           * continuation byte after it, in this block, and none
           * of them × or ÷ (whose second bytes follows leaves
           * out, so that they fail the first test). */
          if ((lead | follows) != high || (lead << 1) != follows || (lead >> 63) != 0)
            break;
          alnum |= high;
          n_continuation = COUNT_BITS (follows);
        }
      starts = alnum & ~((alnum << 1) | (inside >> 7));
      n_starts = COUNT_BITS (starts);
      if (n + n_starts > want_token)
        break;
      n += n_starts;
      chars += n_continuation;
      inside = (alnum >> 63) << 7;
      pos += 64;
    }
  *index = n;
  *continuation = chars;
  *in_token = inside;
#undef COUNT_BITS
  return pos;
}

static __attribute__ ((target ("popcnt"))) gsize
scan64_popcnt (const guchar *t, gsize pos, gsize bound, gint64 want_token, gboolean latin1_letters,
               gint64 *index, gint64 *continuation, guint64 *in_token)
{
  return scan64 (t, pos, bound, want_token, latin1_letters, TRUE, index, continuation, in_token);
}

static gsize
scan64_plain (const guchar *t, gsize pos, gsize bound, gint64 want_token, gboolean latin1_letters,
              gint64 *index, gint64 *continuation, guint64 *in_token)
{
  return scan64 (t, pos, bound, want_token, latin1_letters, FALSE, index, continuation, in_token);
}
#endif

/* Where scan_tokens is in a text read so far. */
typedef struct
{
  gsize   pos;
  gint64  index;        /* tokens started before pos */
  gint64  continuation; /* bytes after the first of a character, before pos */
  guint64 in_token;     /* 0x80 inside a token: the byte before the next, as alnum_bytes has it */
  guint   next;         /* first want not yet found */
} ScanCursor;

typedef enum
{
  SCAN_FAILED, /* the scanner cannot vouch for the text */
  SCAN_DONE,
  SCAN_MORE,   /* it needs more of the text than n_text */
} ScanResult;

/* Bytes a partly read text keeps unscanned at its end: a character (at
 * most four bytes) is never cut. */
#define SCAN_MARGIN 4

/* Fills in the byte and character range of each wanted token (sorted,
 * distinct token indices) by walking the text as unicode61 does: a token
 * starts at a token character and runs through token and diacritic
 * characters. Stops after the last one wanted. SCAN_FAILED when it cannot
 * vouch for the text; wanted tokens past its end keep 0, 0, as with the
 * tokenizer. When text holds only the first n_text bytes (!whole), it
 * stops short of their end, and before a token whose end it cannot see:
 * SCAN_MORE, to go on from cursor with more of the text. */
static ScanResult
scan_tokens (SearchState            *state,
             const Fts5ExtensionApi *api,
             Fts5Context            *fts,
             const char             *text,
             gsize                   n_text,
             gboolean                whole,
             GArray                 *wants,
             ScanCursor             *cursor)
{
  const guchar *t = (const guchar *) text;
  gsize pos = cursor->pos;
  gint64 index = cursor->index;
  gint64 continuation = cursor->continuation;
  guint64 in_token = cursor->in_token;
  guint next = cursor->next;
  const gsize bound = whole ? n_text : n_text > SCAN_MARGIN ? n_text - SCAN_MARGIN : 0;

  if (!state->ready)
    search_state_prepare (state, api, fts);
  if (!state->usable)
    return SCAN_FAILED;

  while (next < wants->len && pos < bound)
    {
      TokenWant *want = &g_array_index (wants, TokenWant, next);
      CharClass class;
      gsize len = 1;

      /* ASCII eight bytes at a time, as long as the wanted token does not
       * start among them: count the tokens that do. Then the ASCII bytes
       * before the first that is not. */
      if (state->ascii_alnum)
        {
#ifdef __SSE2__
          pos = state->popcnt ?
                scan64_popcnt (t, pos, bound, want->token, state->latin1_letters, &index, &continuation, &in_token) :
                scan64_plain (t, pos, bound, want->token, state->latin1_letters, &index, &continuation, &in_token);

          /* Sixteen at a time where the instructions are there (x86-64),
           * letters of U+00C0..U+00FF (ë, é, ï: two bytes, the first 0xC3)
           * included when the tokenizer has them all as token characters. */
          while (bound - pos >= 16)
            {
              __m128i v = _mm_loadu_si128 ((const __m128i *) (t + pos));
              __m128i lower = _mm_or_si128 (v, _mm_set1_epi8 (0x20));
              __m128i digits, letters;
              guint high, alnum, starts, n_starts, n_continuation = 0;

              /* Signed: the bytes from 0x80 up are below all of these. */
              digits = _mm_and_si128 (_mm_cmpgt_epi8 (v, _mm_set1_epi8 ('0' - 1)),
                                      _mm_cmplt_epi8 (v, _mm_set1_epi8 ('9' + 1)));
              letters = _mm_and_si128 (_mm_cmpgt_epi8 (lower, _mm_set1_epi8 ('a' - 1)),
                                       _mm_cmplt_epi8 (lower, _mm_set1_epi8 ('z' + 1)));
              alnum = (guint) _mm_movemask_epi8 (_mm_or_si128 (digits, letters));
              high = (guint) _mm_movemask_epi8 (v);
              if (high != 0)
                {
                  guint lead, follows, not_letters;

                  if (!state->latin1_letters)
                    break;
                  lead = (guint) _mm_movemask_epi8 (_mm_cmpeq_epi8 (v, _mm_set1_epi8 ((char) 0xc3)));
                  follows = (guint) _mm_movemask_epi8 (_mm_cmplt_epi8 (v, _mm_set1_epi8 ((char) 0xc0)));
                  /* The second bytes of U+00D7 and U+00F7, × and ÷. */
                  not_letters = (guint) _mm_movemask_epi8 (_mm_or_si128 (_mm_cmpeq_epi8 (v, _mm_set1_epi8 ((char) 0x97)),
                                                                         _mm_cmpeq_epi8 (v, _mm_set1_epi8 ((char) 0xb7))));
                  /* Every byte from 0x80 up a 0xC3 with its one
                   * continuation byte right after it, in this chunk. */
                  if ((lead | follows) != high || (lead << 1) != follows || (not_letters & follows) != 0)
                    break;
                  alnum |= high;
                  n_continuation = bits_in_byte[follows & 0xff] + bits_in_byte[follows >> 8];
                }
              starts = alnum & ~((alnum << 1) | (in_token >> 7));
              n_starts = bits_in_byte[starts & 0xff] + bits_in_byte[starts >> 8];
              if (index + n_starts > want->token)
                break;
              index += n_starts;
              continuation += n_continuation;
              in_token = (alnum >> 8) & 0x80;
              pos += 16;
            }
#endif
          while (bound - pos >= 8)
            {
              guint64 x, alnum, starts;
              guint n_starts;

              memcpy (&x, t + pos, 8);
              x = GUINT64_FROM_LE (x);
              if ((x & HIGH) != 0)
                break;
              alnum = alnum_bytes (x);
              starts = alnum & ~((alnum << 8) | in_token);
              n_starts = count_high_bits (starts);
              if (index + n_starts > want->token)
                break;
              index += n_starts;
              in_token = (alnum >> 56) & 0x80;
              pos += 8;
            }
          if (bound - pos >= 8)
            {
              guint64 x, high;
              guint n_bytes;

              memcpy (&x, t + pos, 8);
              x = GUINT64_FROM_LE (x);
              high = x & HIGH;
              n_bytes = high == 0 ? 8 : (guint) __builtin_ctzll (high) / 8;
              if (n_bytes > 0 && n_bytes < 8)
                {
                  /* Carries out of the bytes from 0x80 up only reach
                   * later bytes, which the mask drops. */
                  guint64 mask = (G_GUINT64_CONSTANT (1) << (8 * n_bytes)) - 1;
                  guint64 alnum = alnum_bytes (x) & mask;
                  guint64 starts = alnum & ~((alnum << 8) | in_token);
                  guint n_starts = count_high_bits (starts);

                  if (index + n_starts <= want->token)
                    {
                      index += n_starts;
                      in_token = (alnum >> (8 * n_bytes - 8)) & 0x80;
                      pos += n_bytes;
                    }
                }
            }
          if (pos >= bound)
            break;
        }

      /* One character. */
      class = class_at (state, api, fts, t, n_text, pos, &len);
      if (class == CHAR_UNKNOWN)
        return SCAN_FAILED;
      if (in_token || class != CHAR_TOKEN)
        {
          if (in_token && class == CHAR_SEPARATOR)
            in_token = 0;
          pos += len;
          continuation += len - 1;
          continue;
        }
      if (index++ != want->token)
        {
          in_token = 0x80;
          pos += len;
          continuation += len - 1;
          continue;
        }

      /* The wanted token starts here: find its end. */
      want->start = pos;
      want->start_char = pos - continuation;
      for (pos += len, continuation += len - 1; pos < bound; pos += len, continuation += len - 1)
        {
          class = class_at (state, api, fts, t, n_text, pos, &len);
          if (class == CHAR_UNKNOWN)
            return SCAN_FAILED;
          if (class == CHAR_SEPARATOR)
            break;
        }
      if (pos >= bound && !whole)
        {
          /* Its end is further on: go on from its start. */
          pos = want->start;
          continuation = want->start - want->start_char;
          index--;
          break;
        }
      want->end = pos;
      want->end_char = pos - continuation;
      next++;
    }

  cursor->pos = pos;
  cursor->index = index;
  cursor->continuation = continuation;
  cursor->in_token = in_token;
  cursor->next = next;
  return next >= wants->len || whole ? SCAN_DONE : SCAN_MORE;
}

static char *
make_snippet (const char *text,
              gsize       text_bytes,
              gint64      hit_start_byte,
              gint64      hit_end_byte,
              gint64     *snippet_hit_start,
              gint64     *snippet_hit_end)
{
  const char *hit_start = text + hit_start_byte;
  const char *hit_end = text + hit_end_byte;
  const char *text_end = text + text_bytes;
  const char *from = hit_start, *to = hit_end;
  GString *out = g_string_new (NULL);

  for (int i = 0; i < SNIPPET_CONTEXT && from > text; i++)
    from = g_utf8_prev_char (from);
  for (int i = 0; i < SNIPPET_CONTEXT && to < text_end; i++)
    to = g_utf8_next_char (to);

  /* Cut at word boundaries so the snippet does not start mid-word. */
  if (from > text)
    {
      const char *space = from;

      while (space < hit_start && !g_unichar_isspace (g_utf8_get_char (space)))
        space = g_utf8_next_char (space);
      if (space < hit_start)
        from = g_utf8_next_char (space);
      g_string_append (out, "…");
    }
  if (to < text_end)
    {
      const char *space = to;

      while (space > hit_end && !g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (space))))
        space = g_utf8_prev_char (space);
      if (space > hit_end)
        to = g_utf8_prev_char (space);
    }

  *snippet_hit_start = g_utf8_strlen (out->str, -1) + g_utf8_pointer_to_offset (from, hit_start);
  *snippet_hit_end = *snippet_hit_start + g_utf8_pointer_to_offset (hit_start, hit_end);

  /* One line: line breaks and tabs as spaces. */
  if (to > from)
    {
      gsize at = out->len;

      g_string_append_len (out, from, to - from);
      for (gsize i = at; i < out->len; i++)
        if (out->str[i] == '\n' || out->str[i] == '\t' || out->str[i] == '\r')
          out->str[i] = ' ';
    }
  if (to < text_end)
    g_string_append (out, "…");

  return g_string_free (out, FALSE);
}

static void
append_hit (GByteArray *out,
            const char *text,
            gsize       text_bytes,
            gint64      start_byte,
            gint64      end_byte,
            gint64      start,
            gint64      end)
{
  static const guint8 padding[8] = { 0 };
  g_autofree char *snippet = NULL;
  HitRecord record = { start, end, 0, 0, 0 };

  snippet = make_snippet (text, text_bytes, start_byte, end_byte,
                          &record.snippet_hit_start, &record.snippet_hit_end);
  record.snippet_bytes = strlen (snippet);
  g_byte_array_append (out, (const guint8 *) &record, sizeof record);
  g_byte_array_append (out, (const guint8 *) snippet, record.snippet_bytes);
  g_byte_array_append (out, padding, (8 - record.snippet_bytes % 8) % 8);
}

static int
compare_instance (gconstpointer a,
                  gconstpointer b)
{
  const Instance *ia = a, *ib = b;

  if (ia->first != ib->first)
    return (ia->first > ib->first) - (ia->first < ib->first);
  return (ia->last > ib->last) - (ia->last < ib->last);
}

static int
compare_want (gconstpointer a,
              gconstpointer b)
{
  const TokenWant *wa = a, *wb = b;

  return (wa->token > wb->token) - (wa->token < wb->token);
}

static int
compare_range (gconstpointer a,
               gconstpointer b)
{
  const ByteRange *ra = a, *rb = b;

  if (ra->start != rb->start)
    return (ra->start > rb->start) - (ra->start < rb->start);
  return (ra->end > rb->end) - (ra->end < rb->end);
}

static void
add_want (GArray *wants,
          int     token)
{
  TokenWant want = { token, 0, 0, 0, 0 };

  g_array_append_val (wants, want);
}

static const TokenWant *
find_want (GArray *sorted,
           int     token)
{
  TokenWant key = { token, 0, 0, 0, 0 };
  guint i;

  if (!g_array_binary_search (sorted, &key, compare_want, &i))
    return NULL;
  return &g_array_index (sorted, TokenWant, i);
}

/* Opens the text of the document FTS5 is on. */
static int
doc_text_open (SearchState            *state,
               const Fts5ExtensionApi *api,
               Fts5Context            *fts,
               sqlite3_context        *context,
               DocText                *doc)
{
  int rc, n = 0;

  if (state->utf8 && _cw_text_blob_open (&state->text, sqlite3_context_db_handle (context), api->xRowid (fts)))
    {
      doc->n_text = state->text.total;
      doc->n_read = 0;
      doc->text = state->text.buffer;
      return SQLITE_OK;
    }

  /* No such row or no text there (an index out of step with its table),
   * or not UTF-8: FTS5's own reading of it, as it always was. */
  if ((rc = api->xColumnText (fts, 0, &doc->text, &n)) != SQLITE_OK)
    return rc;
  doc->n_text = doc->n_read = n;
  return SQLITE_OK;
}

/* Reads the text up to byte upto at least (or its end). */
static int
doc_text_read (SearchState *state,
               DocText     *doc,
               gsize        upto)
{
  int rc;

  if (MIN (upto, doc->n_text) <= doc->n_read)
    return SQLITE_OK;
  g_assert (doc->text == state->text.buffer && state->text.blob != NULL);
  if ((rc = _cw_text_blob_read (&state->text, upto)) != SQLITE_OK)
    return rc;
  doc->n_read = state->text.have;
  return SQLITE_OK;
}

/* The scanner's way. Token order is byte order, so the instances sorted by
 * tokens are the hits in order; each range once, and no more than the
 * search still wants. FALSE, with nothing added, when the scanner cannot
 * vouch for the result. */
static gboolean
fast_hits (SearchState            *state,
           const Fts5ExtensionApi *api,
           Fts5Context            *fts,
           DocText                *doc,
           GArray                 *instances,
           GByteArray             *out,
           int                    *rc)
{
  g_autoptr(GArray) wants = g_array_new (FALSE, FALSE, sizeof (TokenWant));
  g_autoptr(GArray) chosen = g_array_new (FALSE, FALSE, sizeof (Instance));
  g_autoptr(GArray) sorted = g_array_copy (instances);
  ScanCursor cursor = { 0 };
  ScanResult result;
  guint kept = 0;

  g_array_sort (sorted, compare_instance);
  for (guint i = 0; i < sorted->len; i++)
    {
      const Instance *instance = &g_array_index (sorted, Instance, i);

      if (state->remaining > 0 && chosen->len >= state->remaining)
        break;
      if (chosen->len > 0 &&
          compare_instance (instance, &g_array_index (chosen, Instance, chosen->len - 1)) == 0)
        continue; /* the same words hit by two terms */
      g_array_append_val (chosen, *instance);
      add_want (wants, instance->first);
      add_want (wants, instance->last);
    }

  /* The scanner wants each token once, in order: a long phrase's last
   * token can come after the next instance's first. */
  g_array_sort (wants, compare_want);
  for (guint i = 0; i < wants->len; i++)
    if (kept == 0 || g_array_index (wants, TokenWant, i).token != g_array_index (wants, TokenWant, kept - 1).token)
      g_array_index (wants, TokenWant, kept++) = g_array_index (wants, TokenWant, i);
  g_array_set_size (wants, kept);

  /* The text as far as the last wanted token, read a chunk at a time. */
  while ((result = scan_tokens (state, api, fts, doc->text, doc->n_read, doc->n_read == doc->n_text,
                                wants, &cursor)) == SCAN_MORE)
    if ((*rc = doc_text_read (state, doc, doc->n_read + READ_CHUNK)) != SQLITE_OK)
      return FALSE;
  if (result == SCAN_FAILED)
    return FALSE;
  /* A token the text does not have (edited since it was indexed): the
   * tokenizer's way has always had an answer for that, so it answers. */
  if (wants->len > 0 && g_array_index (wants, TokenWant, wants->len - 1).end == 0)
    return FALSE;
  /* And the text the last snippet shows after its hit. */
  if (wants->len > 0 &&
      (*rc = doc_text_read (state, doc, g_array_index (wants, TokenWant, wants->len - 1).end + SNIPPET_BYTES)) != SQLITE_OK)
    return FALSE;

  for (guint i = 0; i < chosen->len; i++)
    {
      const Instance *instance = &g_array_index (chosen, Instance, i);
      const TokenWant *first = find_want (wants, instance->first);
      const TokenWant *last = find_want (wants, instance->last);

      if (first->start > last->end)
        continue; /* as the tokenizer's way skips it */
      /* Read SNIPPET_BYTES past the last hit, the snippet cannot tell
       * the text's end from the end of what was read. */
      append_hit (out, doc->text, doc->n_read, first->start, last->end, first->start_char, last->end_char);
    }
  return TRUE;
}

/* The tokenizer's way: one walk of the tokenizer over the text up to the
 * last instance, then the text walked once more, in byte order, to turn
 * bytes into characters. */
static int
tokenizer_hits (SearchState            *state,
                const Fts5ExtensionApi *api,
                Fts5Context            *fts,
                const char             *text,
                int                     n_text,
                GArray                 *instances,
                GByteArray             *out)
{
  g_autoptr(GArray) wants = g_array_new (FALSE, FALSE, sizeof (TokenWant));
  g_autoptr(GArray) sorted = NULL;
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (ByteRange));
  TokenizeState tokenize = { 0 };
  const char *cursor = text;
  gint64 cursor_chars = 0;
  guint n_hits = 0;
  int rc;

  for (guint i = 0; i < instances->len; i++)
    {
      const Instance *instance = &g_array_index (instances, Instance, i);

      add_want (wants, instance->first);
      add_want (wants, instance->last);
    }
  if (wants->len == 0)
    return SQLITE_OK;

  sorted = g_array_copy (wants);
  g_array_sort (sorted, compare_want);
  tokenize.wants = sorted;
  rc = api->xTokenize (fts, text, n_text, &tokenize, collect_token);
  if (rc != SQLITE_OK && rc != SQLITE_DONE)
    return rc;

  /* Map each instance's first and last token back through the sorted
   * copy (binary search on token index). */
  for (guint i = 0; i < wants->len; i += 2)
    {
      const TokenWant *first = find_want (sorted, g_array_index (wants, TokenWant, i).token);
      const TokenWant *last = find_want (sorted, g_array_index (wants, TokenWant, i + 1).token);
      ByteRange range;

      if (first == NULL || last == NULL)
        continue;
      range.start = first->start;
      range.end = last->end;
      g_array_append_val (order, range);
    }
  g_array_sort (order, compare_range);

  for (guint i = 0; i < order->len && (state->remaining == 0 || n_hits < state->remaining); i++)
    {
      const ByteRange *range = &g_array_index (order, ByteRange, i);
      gint64 start, end;

      if (range->start < 0 || range->end > n_text || range->start > range->end)
        continue;
      if (i > 0 && range->start == range[-1].start && range->end == range[-1].end)
        continue; /* the same words hit by two terms */

      cursor_chars += g_utf8_pointer_to_offset (cursor, text + range->start);
      cursor = text + range->start;
      start = cursor_chars;
      end = cursor_chars + g_utf8_pointer_to_offset (cursor, text + range->end);
      append_hit (out, text, n_text, range->start, range->end, start, end);
      n_hits++;
    }
  return SQLITE_OK;
}

/* cw_hits(document_index, state): the document's hits as a blob of
 * HitRecords, in order, no more than state->remaining (0: all). */
static void
cw_hits_function (const Fts5ExtensionApi *api,
                  Fts5Context            *fts,
                  sqlite3_context        *context,
                  int                     n_values,
                  sqlite3_value         **values)
{
  g_autoptr(GArray) instances = g_array_new (FALSE, FALSE, sizeof (Instance));
  g_autoptr(GByteArray) out = g_byte_array_new ();
  SearchState *state = n_values > 0 ? sqlite3_value_pointer (values[0], SEARCH_STATE_POINTER) : NULL;
  SearchState local = { 0 };
  DocText doc = { 0 };
  int n_instances = 0, rc;

  if ((rc = api->xInstCount (fts, &n_instances)) != SQLITE_OK)
    {
      sqlite3_result_error_code (context, rc);
      return;
    }

  for (int i = 0; i < n_instances; i++)
    {
      int phrase, column, offset;
      Instance instance;

      if ((rc = api->xInst (fts, i, &phrase, &column, &offset)) != SQLITE_OK)
        {
          sqlite3_result_error_code (context, rc);
          return;
        }
      instance.first = offset;
      instance.last = offset + MAX (api->xPhraseSize (fts, phrase), 1) - 1;
      g_array_append_val (instances, instance);
    }

  if (instances->len > 0)
    {
      if (state == NULL)
        state = &local;
      rc = doc_text_open (state, api, fts, context, &doc);
      if (rc == SQLITE_OK && !fast_hits (state, api, fts, &doc, instances, out, &rc) && rc == SQLITE_OK)
        {
          /* The tokenizer's way reads the text whole; nothing was added. */
          if ((rc = doc_text_read (state, &doc, doc.n_text)) == SQLITE_OK)
            rc = tokenizer_hits (state, api, fts, doc.text, (int) doc.n_text, instances, out);
        }
      search_state_clear (&local);
      if (rc != SQLITE_OK)
        {
          sqlite3_result_error_code (context, rc);
          return;
        }
    }

  sqlite3_result_blob64 (context, out->data, out->len, SQLITE_TRANSIENT);
}

static fts5_api *
get_fts5_api (sqlite3 *db)
{
  fts5_api *api = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT fts5(?1)", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_pointer (stmt, 1, (void *) &api, "fts5_api_ptr", NULL);
      sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  return api;
}

gboolean
_cw_search_register (sqlite3  *db,
                     GError  **error)
{
  fts5_api *api = get_fts5_api (db);

  if (api == NULL ||
      api->xCreateFunction (api, "cw_hits", NULL, cw_hits_function, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("this SQLite has no full-text search (FTS5)"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_operator (const char *word)
{
  return strcmp (word, "OR") == 0 || strcmp (word, "AND") == 0 || strcmp (word, "NOT") == 0;
}

static gboolean
has_word_character (const char *s,
                    gsize       len)
{
  const char *end = s + len;

  for (const char *p = s; p < end; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/* A researcher's query in FTS5 syntax. Every term is quoted so that no
 * character of theirs is read as FTS5 syntax: words, "phrases", prefix*,
 * and the operators OR, AND, NOT in capitals. NULL for an empty query. */
static char *
build_match_expression (const char  *query,
                        GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = query;
  gboolean expect_term = TRUE;
  guint terms = 0;

  if (!g_utf8_validate (query, -1, NULL))
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("the search is not valid UTF-8"));
      return NULL;
    }

  while (*p)
    {
      const char *start;
      gsize len;
      gboolean quoted = FALSE, prefix = FALSE;

      while (*p && g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (*p == '\0')
        break;

      if (*p == '"')
        {
          quoted = TRUE;
          start = ++p;
          while (*p && *p != '"')
            p++;
          len = p - start;
          if (*p == '"')
            p++;
        }
      else
        {
          start = p;
          while (*p && !g_unichar_isspace (g_utf8_get_char (p)))
            p = g_utf8_next_char (p);
          len = p - start;
        }
      if (*p == '*')
        {
          prefix = TRUE;
          p++;
        }
      else if (!quoted && len > 1 && start[len - 1] == '*')
        {
          prefix = TRUE;
          len--;
        }

      if (!quoted && !prefix)
        {
          g_autofree char *word = g_strndup (start, len);

          if (is_operator (word))
            {
              if (expect_term)
                {
                  /* Translators: %s is the operator as typed: AND, OR or NOT. */
                  g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                               _("the search cannot start with %s, or have two operators in a row"), word);
                  return NULL;
                }
              g_string_append_printf (out, " %s ", word);
              expect_term = TRUE;
              continue;
            }
        }

      /* Punctuation alone ("-", "?") matches no token: skip it. */
      if (!has_word_character (start, len))
        continue;

      if (!expect_term)
        g_string_append (out, " AND ");
      g_string_append_c (out, '"');
      for (gsize i = 0; i < len; i++)
        {
          if (start[i] == '"')
            g_string_append (out, "\"\"");
          else
            g_string_append_c (out, start[i]);
        }
      g_string_append_c (out, '"');
      if (prefix)
        g_string_append (out, " *");
      expect_term = FALSE;
      terms++;
    }

  if (terms == 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("the search has no words to look for"));
      return NULL;
    }
  if (expect_term)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("the search cannot end with an operator"));
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Adds the hits of one row's blob, as cw_hits wrote it. */
static void
add_hits (GPtrArray     *hits,
          sqlite3_stmt  *stmt,
          const guint8  *blob,
          gsize          n_blob)
{
  gsize at = 0;

  while (n_blob - at >= sizeof (HitRecord))
    {
      HitRecord record;
      CwSearchHit *hit;

      memcpy (&record, blob + at, sizeof record);
      at += sizeof record;
      g_return_if_fail (record.snippet_bytes >= 0 && (guint64) record.snippet_bytes <= n_blob - at);

      hit = g_new0 (CwSearchHit, 1);
      hit->document_id = sqlite3_column_int64 (stmt, 0);
      hit->document = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      hit->start = record.start;
      hit->end = record.end;
      hit->snippet = g_strndup ((const char *) blob + at, record.snippet_bytes);
      hit->snippet_hit_start = record.snippet_hit_start;
      hit->snippet_hit_end = record.snippet_hit_end;
      g_ptr_array_add (hits, hit);
      at += MIN ((gsize) record.snippet_bytes + (8 - record.snippet_bytes % 8) % 8, n_blob - at);
    }
}

GPtrArray *
cw_project_search (CwProject     *self,
                   const char    *query,
                   gint64         document_id,
                   guint          limit,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_search_hit_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *expression = NULL;
  SearchState state = { 0 };
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  expression = build_match_expression (query, error);
  if (expression == NULL)
    {
      g_prefix_error (error, "%s: ", cw_project_get_path (self));
      return NULL;
    }

  /* Texts are read as bytes where they are UTF-8 bytes (every project
   * Codewerk makes; another encoding goes through FTS5's reading). */
  stmt = _cw_project_prepare (self, "PRAGMA encoding", error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    state.utf8 = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "UTF-8") == 0;
  g_clear_pointer (&stmt, _cw_statement_release);

  /* In rowid order, as FTS5 walks its index: with no sort of every match
   * first, the search ends at the limit. One document is looked up by its
   * rowid, not picked out of all matches. */
  db = _cw_project_get_db (self);
  stmt = _cw_project_prepare (self,
                              document_id == 0 ?
                              "SELECT d.id, d.name, cw_hits(document_index, ?2)"
                              " FROM document_index JOIN documents d ON d.id = document_index.rowid"
                              " WHERE document_index MATCH ?1"
                              " ORDER BY document_index.rowid" :
                              "SELECT d.id, d.name, cw_hits(document_index, ?2)"
                              " FROM document_index JOIN documents d ON d.id = document_index.rowid"
                              " WHERE document_index MATCH ?1 AND document_index.rowid = ?3",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, expression, -1, SQLITE_STATIC);
  sqlite3_bind_pointer (stmt, 2, &state, SEARCH_STATE_POINTER, NULL);
  if (document_id != 0)
    sqlite3_bind_int64 (stmt, 3, document_id);

  state.remaining = limit;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          search_state_clear (&state);
          return NULL;
        }
      add_hits (hits, stmt, sqlite3_column_blob (stmt, 2), sqlite3_column_bytes (stmt, 2));
      if (limit > 0 && hits->len >= limit)
        {
          /* cw_hits gave no more than the search still wanted. */
          search_state_clear (&state);
          return g_steal_pointer (&hits);
        }
      state.remaining = limit > 0 ? limit - hits->len : 0;
    }
  search_state_clear (&state);

  if (rc != SQLITE_DONE)
    {
      if (sqlite3_errcode (db) == SQLITE_ERROR)
        g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                     _("%s: cannot search for '%s': %s"), cw_project_get_path (self), query, sqlite3_errmsg (db));
      else
        _cw_project_set_db_error (self, error, _("cannot search"));
      return NULL;
    }

  return g_steal_pointer (&hits);
}
