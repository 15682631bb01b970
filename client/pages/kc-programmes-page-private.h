/*
 * kc-programmes-page-private.h — what KcProgrammesPage lends the parts of
 * it kept in their own files (kc-programme-envelopes.c). Nothing outside
 * pages/ includes it.
 */
#pragma once

#include "kc-calls.h"
#include "kc-programmes-page.h"

G_BEGIN_DECLS

/* programme.get's answer shown now, or NULL. */
JsonObject *kc_programmes_page_get_programme (KcProgrammesPage *self);
GtkWindow *kc_programmes_page_toplevel (KcProgrammesPage *self);
void kc_programmes_page_show_message (KcProgrammesPage *self, GtkMessageType type,
                                      const char *text);
/* Sends @method with @params (the page's busy state, its cancellable); a
 * change of an approved programme first asks for the decision that makes
 * it. @callback gets the page as its user data. */
void kc_programmes_page_call (KcProgrammesPage *self, KcCallFunc method, JsonObject *params,
                              GAsyncReadyCallback callback);
/* The answer of kc_programmes_page_call() when an object (transfer full);
 * NULL when cancelled or failed (shown). */
JsonNode *kc_programmes_page_finish (KcProgrammesPage *self, GObject *source, GAsyncResult *result);
/* A copy of the programme's @list ("targets" or "budget") as set_targets
 * takes it, with @amount for entry @index (-1: none); transfer full. */
JsonArray *kc_programmes_page_copy_list (KcProgrammesPage *self, const char *list, int index,
                                         gint64 amount);
/* programme.set_targets with @list replaced by @array (transfer full); the
 * programme is shown again once written. */
void kc_programmes_page_set_list (KcProgrammesPage *self, const char *list, JsonArray *array);
/* What follows the choice of an area: @province_id 0 for the whole
 * programme, @name the province's. */
typedef void (*KcAreaChosenFunc) (KcProgrammesPage *self, gint64 province_id, const char *name);
/* Which area of the (national) programme shown, the whole or a province's
 * share: org.list of the provinces in force when its period began, then a
 * choice under @title (static); @then once chosen, while a programme is
 * shown. */
void kc_programmes_page_choose_area (KcProgrammesPage *self, const char *title,
                                     KcAreaChosenFunc then);
/* "1.234.567" or "1234567" → 1234567; FALSE for anything else. */
gboolean kc_programmes_parse_amount (const char *text, gint64 *value);

G_END_DECLS
