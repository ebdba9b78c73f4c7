/* cw-import.h: turning transcript files into stored text and speaker turns.
 *
 * Every format parser turns the file's bytes into a list of CwParagraph
 * (plain text plus what the format itself says: a bold "Name:" label, a
 * WebVTT voice, a cue time). cw_parsed_document_build() then does what all
 * formats share: timestamps, speaker labels, NFC, code-point offsets.
 */
#pragma once

#include <gio/gio.h>

#include "cw-types.h"

G_BEGIN_DECLS

#define CW_IMPORT_ERROR (cw_import_error_quark ())

typedef enum
{
  CW_IMPORT_ERROR_EMPTY,       /* no text at all */
  CW_IMPORT_ERROR_BINARY,      /* binary data where text was expected */
  CW_IMPORT_ERROR_ENCODING,    /* undecodable text */
  CW_IMPORT_ERROR_CORRUPT,     /* broken zip, non-well-formed XML, bad cue */
  CW_IMPORT_ERROR_TOO_LARGE,   /* over the size caps (decompression bombs) */
  CW_IMPORT_ERROR_UNSUPPORTED, /* a file of the wrong kind */
  CW_IMPORT_ERROR_IO,          /* cannot read the file */
} CwImportError;

/* Caps that bound memory whatever the input. */
#define CW_IMPORT_MAX_FILE_BYTES     (32 * 1024 * 1024)  /* a file read from disk: transcripts are a few MB at most */
#define CW_IMPORT_MAX_ENTRY_BYTES    (64 * 1024 * 1024)  /* one decompressed zip entry */
#define CW_IMPORT_MAX_RATIO          200                 /* decompressed / compressed */
#define CW_IMPORT_MAX_LINE_BYTES     (4 * 1024 * 1024)   /* one line of a text file (transcript, subtitles, CSV) */

typedef struct
{
  char    *text;        /* UTF-8, without the paragraph's final newline;
                         * "\n" inside for line breaks; "\t" for tabs */
  guint    label_bytes; /* > 0: the first label_bytes bytes of text are a
                         * speaker label known from formatting (a bold run
                         * ending in ':' in docx/odt), colon included */
  char    *speaker;     /* a speaker known from the format (WebVTT <v>) */
  double   time;        /* seconds, known from the format (a cue); < 0 if not */
  gboolean cue;         /* a subtitle cue: always its own turn */
} CwParagraph;

CwParagraph *cw_paragraph_new  (const char *text,
                                gssize      len);
void         cw_paragraph_free (CwParagraph *paragraph);

/* Returns a GPtrArray that frees its CwParagraph elements. */
GPtrArray   *cw_paragraph_array_new (void);

typedef struct
{
  char      *text;       /* NFC, LF line ends */
  gint64     characters; /* code points in text */
  GPtrArray *turns;      /* CwTurn, in order */
} CwParsedDocument;

void cw_parsed_document_free (CwParsedDocument *document);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwParsedDocument, cw_parsed_document_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwParagraph, cw_paragraph_free)

/* Joins paragraphs with "\n"; removes #hh:mm:ss-d# and [hh:mm:ss] stamps
 * (their time goes to the turn); finds "Name:" labels at line starts (and
 * takes label_bytes/speaker where the format gave them); normalises to NFC.
 * filename is only used in error messages. */
CwParsedDocument *cw_parsed_document_build (GPtrArray   *paragraphs,
                                            const char  *filename,
                                            GError     **error);

/* If line starts with a speaker label ("Naam:", "I:", "Leerling 2:"),
 * returns TRUE with the label's name (without colon) and the byte offset
 * where the utterance starts. Does not fire on "Het punt is: ...". */
gboolean cw_detect_speaker_label (const char  *line,
                                  char       **speaker,
                                  gsize       *utterance_offset);

/* Parsers: bytes of one file -> paragraphs. */
GPtrArray *cw_import_parse_txt  (GBytes      *bytes,
                                 const char  *filename,
                                 GError     **error);
GPtrArray *cw_import_parse_srt  (GBytes      *bytes,
                                 const char  *filename,
                                 GError     **error);
GPtrArray *cw_import_parse_vtt  (GBytes      *bytes,
                                 const char  *filename,
                                 GError     **error);
GPtrArray *cw_import_parse_docx (GBytes      *bytes,
                                 const char  *filename,
                                 GError     **error);
GPtrArray *cw_import_parse_odt  (GBytes      *bytes,
                                 const char  *filename,
                                 GError     **error);

/* Decodes a text file's bytes: UTF-8 (BOM or not), UTF-16 LE/BE with BOM,
 * else Windows-1252; CRLF and CR become LF. Refuses empty and binary data. */
char *cw_import_decode_text (GBytes      *bytes,
                             const char  *filename,
                             GError     **error);

/* Reads a file (capped), picks the parser from extension and content, and
 * builds the document. Errors read "FILE: reason" or "FILE:LINE: reason". */
CwParsedDocument *cw_import_file (GFile         *file,
                                  GCancellable  *cancellable,
                                  GError       **error);

CwParsedDocument *cw_import_bytes (GBytes      *bytes,
                                   const char  *filename,
                                   GError     **error);

/* From the file name, then the text; CW_DOCUMENT_KIND_OTHER if no clue. */
CwDocumentKind cw_import_guess_kind (const char *filename,
                                     const char *text);

/* Sets an error "FILENAME: message" or, with line > 0, "FILENAME:LINE: message". */
void cw_import_set_error (GError      **error,
                          CwImportError code,
                          const char   *filename,
                          guint         line,
                          const char   *format,
                          ...) G_GNUC_PRINTF (5, 6);

GQuark cw_import_error_quark (void);

G_END_DECLS
