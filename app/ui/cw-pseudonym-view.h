/* cw-pseudonym-view.h: the project's pseudonym table (real → pseudonym,
 * by category), a page of the window. */
#pragma once

#include <gtk/gtk.h>

#include "cw-project.h"

G_BEGIN_DECLS

#define CW_TYPE_PSEUDONYM_VIEW (cw_pseudonym_view_get_type ())
G_DECLARE_FINAL_TYPE (CwPseudonymView, cw_pseudonym_view, CW, PSEUDONYM_VIEW, GtkWidget)

CwPseudonymView *cw_pseudonym_view_new            (void);
/* Shows project's table (keeps a reference); NULL shows nothing. */
void             cw_pseudonym_view_set_project    (CwPseudonymView *self,
                                                   CwProject       *project);

/* The categories offered, NULL-terminated ("person", "school", ...). */
const char * const *cw_pseudonym_categories       (void);
/* A category as shown ("Person", translated); unknown ones as they are,
 * NULL as "". */
const char      *cw_pseudonym_category_label      (const char      *category);

G_END_DECLS
