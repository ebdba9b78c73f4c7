/* cw-bench-corpus.c: writes a deterministic corpus of Dutch-like interview
 * transcripts (.txt) for the import benchmark.
 *
 * Words are drawn from a Zipf distribution over a vocabulary of common
 * Dutch words (some with diacritics, so NFC and the FTS tokenizer do real
 * work) followed by generated pseudo-words (the long tail of names and rare
 * words a real corpus has). Turns alternate "Interviewer:" / "Deelnemer:",
 * with the odd [hh:mm:ss] stamp. The PRNG is our own xorshift and all
 * weights are integers, so the output is byte-identical on every run and
 * every platform for a given seed.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

/* Roughly in order of frequency: the Zipf rank follows this order. */
static const char *const dutch_words[] = {
  "de", "en", "ik", "het", "een", "van", "is", "dat", "je", "niet",
  "die", "in", "ja", "op", "te", "maar", "wat", "dan", "ze", "er",
  "met", "voor", "was", "heb", "als", "nou", "wel", "ook", "zijn", "naar",
  "dus", "nog", "om", "zo", "aan", "bij", "of", "hij", "we", "kan",
  "had", "gewoon", "heel", "daar", "hebben", "mijn", "moet", "toen", "uit", "al",
  "nee", "weet", "wordt", "door", "over", "hier", "echt", "gaan", "geen", "waren",
  "werd", "doen", "kunnen", "meer", "goed", "veel", "want", "zou", "eigenlijk", "even",
  "mensen", "gaat", "hoe", "zeg", "kijk", "iets", "omdat", "denk", "nu", "wil",
  "worden", "jij", "moeten", "toch", "mij", "alles", "tot", "wij", "mee", "ben",
  "zeggen", "natuurlijk", "beetje", "altijd", "waar", "wie", "hun", "haar", "zelf", "weer",
  "werk", "school", "stage", "baan", "opleiding", "jaar", "tijd", "keer", "dag", "week",
  "ouders", "moeder", "vader", "thuis", "vrienden", "klas", "docent", "mentor", "begeleider", "jobcoach",
  "werkgever", "collega", "baas", "leidinggevende", "contract", "uitkering", "gemeente", "uwv", "mbo", "vmbo",
  "praktijkonderwijs", "entree", "diploma", "certificaat", "niveau", "examen", "les", "lessen", "opdracht", "toets",
  "geld", "uur", "uren", "salaris", "loon", "rooster", "dienst", "ploeg", "winkel", "magazijn",
  "zorg", "hulp", "steun", "gesprek", "gesprekken", "afspraak", "afspraken", "plan", "doel", "doelen",
  "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien",
  "eerste", "tweede", "laatste", "volgende", "andere", "nieuwe", "oude", "grote", "kleine", "lange",
  "moeilijk", "makkelijk", "leuk", "fijn", "rustig", "druk", "zwaar", "spannend", "eng", "lastig",
  "ideeën", "café", "reünie", "coördinator", "geëvalueerd", "geïnteresseerd", "geïnformeerd", "beëindigd", "cliënt", "cliënten",
  "patiënt", "efficiënt", "creëren", "gecreëerd", "financiële", "België", "knieën", "privé", "naïef", "beïnvloed",
  "coöperatie", "reëel", "ruïne", "hè", "hé", "zeeën", "egoïstisch", "geëindigd", "geüpload", "tweeënhalf",
  "zei", "zegt", "vond", "vind", "vindt", "dacht", "denkt", "wist", "weten", "ging",
  "kwam", "komt", "komen", "kreeg", "krijg", "krijgen", "deed", "doet", "zag", "zien",
  "stond", "staat", "zat", "zit", "liep", "loopt", "bleef", "blijft", "begon", "begint",
  "werkte", "werken", "gewerkt", "geleerd", "leren", "leerde", "gevraagd", "vragen", "vroeg", "gezegd",
  "gedaan", "gehad", "geweest", "gekregen", "gekomen", "gegaan", "gezien", "gemaakt", "maken", "maakte",
  "helpen", "hielp", "geholpen", "zoeken", "zocht", "gezocht", "vinden", "gevonden", "proberen", "probeerde",
  "geprobeerd", "stoppen", "gestopt", "beginnen", "begonnen", "afmaken", "afgemaakt", "solliciteren", "gesolliciteerd", "aangenomen",
  "ontslagen", "verlengd", "geregeld", "regelen", "betalen", "betaald", "verdienen", "verdiend", "wonen", "woon",
  "kamer", "huis", "buurt", "stad", "dorp", "bus", "trein", "fiets", "auto", "rijbewijs",
  "ochtend", "middag", "avond", "nacht", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "weekend",
  "zomer", "winter", "vakantie", "periode", "moment", "begin", "einde", "toekomst", "verleden", "straks",
  "vroeger", "later", "eerst", "daarna", "meteen", "soms", "vaak", "nooit", "misschien", "zeker",
  "precies", "helemaal", "best", "ongeveer", "bijna", "alleen", "samen", "allemaal", "iedereen", "niemand",
  "iemand", "niks", "niets", "genoeg", "weinig", "minder", "meest", "zoveel", "zoals", "volgens",
  "tussen", "zonder", "tegen", "onder", "boven", "achter", "voordat", "nadat", "terwijl", "hoewel",
  "waarom", "wanneer", "welke", "hoeveel", "waarvoor", "daarom", "daarvoor", "daarmee", "daarover", "daarbij",
  "probleem", "problemen", "vraag", "antwoord", "reden", "gevoel", "idee", "mening", "ervaring", "ervaringen",
  "kans", "kansen", "keuze", "keuzes", "fout", "fouten", "succes", "resultaat", "verschil", "situatie",
  "familie", "broer", "zus", "oma", "opa", "vriendin", "vriend", "buurman", "kind", "kinderen",
  "jongeren", "jongere", "leerling", "leerlingen", "student", "studenten", "meester", "juf", "directeur", "teamleider",
  "bedrijf", "bedrijven", "organisatie", "instelling", "afdeling", "kantoor", "fabriek", "keuken", "restaurant", "supermarkt",
  "kassa", "vakken", "vullen", "schoonmaken", "koken", "bezorgen", "tillen", "sjouwen", "klanten", "klant",
  "belangrijk", "duidelijk", "anders", "normaal", "gezond", "ziek", "moe", "blij", "boos", "bang",
  "trots", "teleurgesteld", "tevreden", "onzeker", "zenuwachtig", "verdrietig", "gelukkig", "vervelend", "prima", "slecht",
  "snel", "langzaam", "laat", "vroegtijdig", "nauwkeurig", "serieus", "eerlijk", "open", "dicht", "stil",
  "leven", "dingen", "ding", "manier", "soort", "stuk", "deel", "kant", "plek", "plaats",
  "regels", "regel", "papieren", "formulier", "brief", "mail", "telefoon", "appje", "appen", "bellen",
  "gebeld", "geappt", "gemaild", "ingevuld", "invullen", "aanvragen", "aangevraagd", "toeslag", "schulden", "budget",
  "psycholoog", "hulpverlener", "wijkteam", "jeugdzorg", "reclassering", "huisarts", "therapie", "behandeling", "diagnose", "medicijnen",
  "autisme", "adhd", "dyslexie", "concentratie", "stress", "rust", "structuur", "duidelijkheid", "vertrouwen", "respect",
  "motivatie", "gemotiveerd", "zelfstandig", "verantwoordelijk", "betrokken", "aanwezig", "afwezig", "verzuim", "ziekmelden", "ziekgemeld",
  "proeftijd", "sollicitatie", "cv", "vacature", "uitzendbureau", "werkervaring", "vaardigheden", "talent", "interesse", "hobby",
  "sport", "voetbal", "gamen", "muziek", "tekenen", "dansen", "lezen", "schrijven", "rekenen", "taal",
  "nederlands", "engels", "computer", "laptop", "internet", "website", "cursus", "training", "workshop", "traject",
  "begeleiding", "coaching", "ondersteuning", "overleg", "evaluatie", "intake", "dossier", "rapport", "verslag", "beoordeling",
  "voldoende", "onvoldoende", "gehaald", "gezakt", "overgegaan", "blijven", "zitten", "uitvallen", "uitgevallen", "thuiszitter",
  "inderdaad", "sowieso", "trouwens", "nouja", "oké", "hoor", "hmm", "ehm", "joh", "tja",
};

/* Pieces for pseudo-words: Dutch-ish onsets, nuclei and codas. */
static const char *const onsets[] = {
  "", "b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
  "br", "dr", "gr", "kl", "kr", "pl", "pr", "sch", "schr", "sl", "sm", "sn", "sp", "st", "str", "tr", "vl", "vr", "zw",
};
static const char *const nuclei[] = {
  "a", "e", "i", "o", "u", "aa", "ee", "oo", "uu", "ie", "oe", "eu", "ui", "ij", "ei", "ou", "au",
};
static const char *const codas[] = {
  "", "", "", "n", "r", "l", "s", "t", "k", "m", "nd", "ng", "nk", "rt", "ld", "st", "cht", "rd", "lp", "ts",
};

/* Pseudo-word endings, some with diacritics, as in "ideeën". */
static const char *const endings[] = {
  "", "", "", "", "", "en", "ing", "heid", "lijk", "te", "de", "er", "ën", "ië", "ïng",
};

/* Zipf-Mandelbrot, weight of rank r = (r + ZIPF_SHIFT)^-ZIPF_EXPONENT: the
 * commonest word ("de") is about 4 % of tokens, the generated tail about a
 * third (names, places, Dutch compounds), about 7 characters a word. */
#define N_PSEUDO_WORDS 12000
#define ZIPF_SHIFT     2.7
#define ZIPF_EXPONENT  1.05

/* xorshift64*: small, fast, and ours, so no libc differences. */
typedef struct
{
  guint64 state;
} CwRng;

static void
cw_rng_init (CwRng *rng, guint64 seed)
{
  /* splitmix64 once, so that seeds 0, 1, 2 give unrelated streams and the
   * state is never zero. */
  guint64 z = seed + G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  z ^= z >> 31;
  rng->state = z != 0 ? z : 1;
}

static guint64
cw_rng_next (CwRng *rng)
{
  guint64 x = rng->state;

  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  rng->state = x;
  return x * G_GUINT64_CONSTANT (0x2545F4914F6CDD1D);
}

/* Uniform in [0, n); the modulo bias is irrelevant for n this small. */
static guint
cw_rng_below (CwRng *rng, guint n)
{
  return (guint) ((cw_rng_next (rng) >> 11) % n);
}

/* Uniform in [lo, hi]. */
static guint
cw_rng_range (CwRng *rng, guint lo, guint hi)
{
  return lo + cw_rng_below (rng, hi - lo + 1);
}

/* TRUE with probability percent / 100. */
static gboolean
cw_rng_chance (CwRng *rng, guint percent)
{
  return cw_rng_below (rng, 100) < percent;
}

typedef struct
{
  GPtrArray *words;      /* char *, by Zipf rank */
  guint64   *cumulative; /* integer cumulative weights, one per word */
  guint64    total;
} CwVocabulary;

static char *
make_pseudo_word (CwRng *rng)
{
  GString *word = g_string_new (NULL);
  guint roll = cw_rng_below (rng, 10);
  guint syllables = roll < 4 ? 1 : roll < 9 ? 2 : 3;

  for (guint i = 0; i < syllables; i++)
    {
      g_string_append (word, onsets[cw_rng_below (rng, G_N_ELEMENTS (onsets))]);
      g_string_append (word, nuclei[cw_rng_below (rng, G_N_ELEMENTS (nuclei))]);
      g_string_append (word, codas[cw_rng_below (rng, G_N_ELEMENTS (codas))]);
    }
  g_string_append (word, endings[cw_rng_below (rng, G_N_ELEMENTS (endings))]);
  if (word->len < 2)
    g_string_append (word, "st");
  return g_string_free (word, FALSE);
}

static void
cw_vocabulary_init (CwVocabulary *vocabulary, CwRng *rng)
{
  guint n;

  vocabulary->words = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < G_N_ELEMENTS (dutch_words); i++)
    g_ptr_array_add (vocabulary->words, g_strdup (dutch_words[i]));
  for (guint i = 0; i < N_PSEUDO_WORDS; i++)
    g_ptr_array_add (vocabulary->words, make_pseudo_word (rng));

  /* Weights rounded once to integers, so that sampling itself is exact
   * integer work. */
  n = vocabulary->words->len;
  vocabulary->cumulative = g_new (guint64, n);
  vocabulary->total = 0;
  for (guint i = 0; i < n; i++)
    {
      vocabulary->total += (guint64) (1e9 * pow (i + 1 + ZIPF_SHIFT, -ZIPF_EXPONENT) + 0.5);
      vocabulary->cumulative[i] = vocabulary->total;
    }
}

static void
cw_vocabulary_clear (CwVocabulary *vocabulary)
{
  g_clear_pointer (&vocabulary->words, g_ptr_array_unref);
  g_clear_pointer (&vocabulary->cumulative, g_free);
}

static const char *
cw_vocabulary_pick (CwVocabulary *vocabulary, CwRng *rng)
{
  guint64 target = (cw_rng_next (rng) >> 8) % vocabulary->total;
  guint lo = 0, hi = vocabulary->words->len - 1;

  /* The first index whose cumulative weight exceeds target. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (vocabulary->cumulative[mid] > target)
        hi = mid;
      else
        lo = mid + 1;
    }
  return g_ptr_array_index (vocabulary->words, lo);
}

/* Appends word with its first character in upper case ("één" -> "Één"). */
static void
append_capitalised (GString *out, const char *word)
{
  gunichar first = g_utf8_get_char (word);

  g_string_append_unichar (out, g_unichar_totitle (first));
  g_string_append (out, g_utf8_next_char (word));
}

/* One sentence; returns the number of words written. */
static guint
append_sentence (GString      *out,
                 CwVocabulary *vocabulary,
                 CwRng        *rng,
                 gboolean      question)
{
  guint length = cw_rng_range (rng, 3, 10) + cw_rng_range (rng, 0, 10);

  for (guint i = 0; i < length; i++)
    {
      const char *word = cw_vocabulary_pick (vocabulary, rng);

      if (i == 0)
        append_capitalised (out, word);
      else
        {
          g_string_append_c (out, ' ');
          g_string_append (out, word);
        }
      if (i + 1 < length && i > 1 && cw_rng_chance (rng, 7))
        g_string_append_c (out, ',');
    }

  if (question)
    g_string_append_c (out, '?');
  else if (cw_rng_chance (rng, 3))
    g_string_append (out, "...");
  else if (cw_rng_chance (rng, 3))
    g_string_append_c (out, '!');
  else
    g_string_append_c (out, '.');
  return length;
}

/* One transcript of at least target_words words (whole turns). */
static void
append_transcript (GString      *out,
                   CwVocabulary *vocabulary,
                   CwRng        *rng,
                   guint         target_words)
{
  guint words = 0;
  guint seconds = cw_rng_range (rng, 0, 20);
  gboolean interviewer = TRUE;

  while (words < target_words)
    {
      guint sentences;

      /* Interviewers ask short questions; participants talk longer. */
      sentences = interviewer ? cw_rng_range (rng, 1, 3) : cw_rng_range (rng, 1, 6);

      /* A stamp opens the recording and turns up now and then after. */
      if (words == 0 || cw_rng_chance (rng, 8))
        g_string_append_printf (out, "[%02u:%02u:%02u] ",
                                seconds / 3600, (seconds / 60) % 60, seconds % 60);
      g_string_append (out, interviewer ? "Interviewer: " : "Deelnemer: ");

      for (guint s = 0; s < sentences; s++)
        {
          gboolean question = interviewer && s + 1 == sentences && cw_rng_chance (rng, 80);
          guint n;

          if (s > 0)
            {
              /* A long answer sometimes goes on in a new paragraph of the
               * same turn. */
              if (!interviewer && s >= 2 && cw_rng_chance (rng, 20))
                g_string_append (out, "\n\n");
              else
                g_string_append_c (out, ' ');
            }
          n = append_sentence (out, vocabulary, rng, question);
          words += n;
          seconds += n / 2 + 1; /* about two words a second */
        }
      g_string_append (out, "\n\n");
      interviewer = !interviewer;
    }
}

/* The cohort file: one row per transcript, its id the transcript's number
 * ("P0007" for interview-0007.txt), variables as a Dutch spreadsheet writes
 * them (';', decimal comma). Its own PRNG stream, so adding it changes
 * nothing in the transcripts. */
static gboolean
write_cohort (const char  *path,
              guint        count,
              int          width,
              guint64      seed,
              GError     **error)
{
  static const char *const levels[] = { "pro", "entree", "mbo-1", "mbo-2", "vmbo" };
  static const char *const outcomes[] = { "werk", "opleiding", "werk en opleiding", "geen van beide" };
  static const char *const places[] = { "Almere", "Zwolle", "Tilburg", "Rotterdam", "Groningen", "Den Bosch" };
  g_autoptr(GString) text = g_string_new ("Deelnemer;Opleiding;Leeftijd;Geslacht;Uitkomst;Woonplaats;Cijfer;Startdatum\n");
  CwRng rng;

  cw_rng_init (&rng, seed ^ G_GUINT64_CONSTANT (0xC0407));
  for (guint i = 0; i < count; i++)
    {
      /* One draw per statement: the order of a call's arguments is
       * unspecified in C, and the file must not depend on the compiler. */
      const char *level = levels[cw_rng_below (&rng, G_N_ELEMENTS (levels))];
      guint age = cw_rng_range (&rng, 16, 27);
      const char *sex = cw_rng_chance (&rng, 55) ? "m" : "v";
      const char *outcome = outcomes[cw_rng_below (&rng, G_N_ELEMENTS (outcomes))];
      const char *place = places[cw_rng_below (&rng, G_N_ELEMENTS (places))];
      guint mark = cw_rng_range (&rng, 40, 99);
      guint day = cw_rng_range (&rng, 1, 28);
      guint month = cw_rng_range (&rng, 1, 12);
      guint year = cw_rng_range (&rng, 2014, 2019);

      g_string_append_printf (text, "P%0*u;%s;%u;%s;%s;%s;%u,%u;%02u-%02u-%u\n", width, i + 1, level, age, sex,
                              outcome, place, mark / 10, mark % 10, day, month, year);
    }
  return g_file_set_contents (path, text->str, (gssize) text->len, error);
}

static gboolean
write_corpus (const char  *directory,
              guint        count,
              guint        words,
              guint64      seed,
              const char  *cohort,
              gboolean     quiet,
              GError     **error)
{
  CwVocabulary vocabulary = { 0 };
  CwRng rng;
  g_autoptr(GString) text = g_string_sized_new (64 * 1024);
  guint64 total_bytes = 0;
  guint64 total_chars = 0;
  int width = 4;

  if (g_mkdir_with_parents (directory, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s: %s", directory, g_strerror (saved_errno));
      return FALSE;
    }

  /* The vocabulary has its own stream, so --count does not change it. */
  cw_rng_init (&rng, seed ^ G_GUINT64_CONSTANT (0x5DEECE66D));
  cw_vocabulary_init (&vocabulary, &rng);

  for (guint c = count; c >= 10000; c /= 10)
    width++;

  for (guint i = 0; i < count; i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;

      /* One stream per file: file i is the same whatever --count says. */
      cw_rng_init (&rng, seed * G_GUINT64_CONSTANT (1000003) + i);
      g_string_truncate (text, 0);
      append_transcript (text, &vocabulary, &rng, words);

      name = g_strdup_printf ("interview-%0*u.txt", width, i + 1);
      path = g_build_filename (directory, name, NULL);
      if (!g_file_set_contents (path, text->str, text->len, error))
        {
          cw_vocabulary_clear (&vocabulary);
          return FALSE;
        }
      total_bytes += text->len;
      total_chars += g_utf8_strlen (text->str, text->len);
    }

  if (cohort != NULL && !write_cohort (cohort, count, width, seed, error))
    {
      cw_vocabulary_clear (&vocabulary);
      return FALSE;
    }

  if (!quiet)
    g_print ("%u files, %" G_GUINT64_FORMAT " characters, %" G_GUINT64_FORMAT " bytes in %s\n",
             count, total_chars, total_bytes, directory);

  cw_vocabulary_clear (&vocabulary);
  return TRUE;
}

int
main (int argc, char **argv)
{
  int count = 200;
  int words = 5000;
  int scale = 1;
  gint64 seed = 20240611;
  gboolean smoke = FALSE;
  gboolean quiet = FALSE;
  g_autofree char *cohort = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  const GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, "Number of transcripts (default 200)", "N" },
    { "words", 'w', 0, G_OPTION_ARG_INT, &words, "Words per transcript (default 5000)", "W" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, "PRNG seed (default 20240611)", "SEED" },
    { "scale", 0, 0, G_OPTION_ARG_INT, &scale, "Multiply the number of transcripts", "K" },
    { "smoke", 0, 0, G_OPTION_ARG_NONE, &smoke, "A tiny corpus: 3 transcripts of 300 words", NULL },
    { "cohort", 0, 0, G_OPTION_ARG_FILENAME, &cohort, "Also write a cohort file (.csv), one case per transcript", "FILE" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print nothing on success", NULL },
    { NULL }
  };

  context = g_option_context_new ("DIRECTORY");
  g_option_context_set_summary (context,
                                "Writes a deterministic corpus of Dutch-like interview transcripts\n"
                                "(.txt) into DIRECTORY for the import benchmark.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("cw-bench-corpus: %s\n", error->message);
      return 2;
    }
  if (argc != 2)
    {
      g_printerr ("cw-bench-corpus: expected one DIRECTORY (see --help)\n");
      return 2;
    }
  if (smoke)
    {
      count = 3;
      words = 300;
    }
  if (count < 1 || words < 1 || scale < 1 || (gint64) count * scale > 10000000)
    {
      g_printerr ("cw-bench-corpus: --count, --words and --scale must be positive\n");
      return 2;
    }

  if (!write_corpus (argv[1], (guint) (count * scale), (guint) words, (guint64) seed, cohort, quiet, &error))
    {
      g_printerr ("cw-bench-corpus: %s\n", error->message);
      return 1;
    }
  return 0;
}
