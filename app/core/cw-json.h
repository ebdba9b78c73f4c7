/* cw-json.h: a small streaming JSON writer for the CLI's output. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CwJson CwJson;

CwJson *cw_json_new          (void);
void    cw_json_free         (CwJson     *json);
/* Returns the text and frees the writer. */
char   *cw_json_free_to_string (CwJson   *json);

void    cw_json_begin_object (CwJson     *json);
void    cw_json_end_object   (CwJson     *json);
void    cw_json_begin_array  (CwJson     *json);
void    cw_json_end_array    (CwJson     *json);
/* Inside an object: the next value's key. */
void    cw_json_key          (CwJson     *json,
                              const char *key);
void    cw_json_string       (CwJson     *json,
                              const char *value); /* NULL writes null */
void    cw_json_int          (CwJson     *json,
                              gint64      value);
void    cw_json_double       (CwJson     *json,
                              double      value); /* NaN/inf write null */
void    cw_json_bool         (CwJson     *json,
                              gboolean    value);
void    cw_json_null         (CwJson     *json);

/* Appends value to string as a JSON string literal, quotes included. */
void    cw_json_escape       (GString    *string,
                              const char *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwJson, cw_json_free)

G_END_DECLS
