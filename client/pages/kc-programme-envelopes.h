/*
 * kc-programme-envelopes.h — a programme's budget envelope on
 * KcProgrammesPage: a grid with a row per year of the period (and one for
 * what is not split by year), their total, what is approved for projects,
 * then each province's share; a column per funding source and their total.
 * Envelope… changes the selected row in place, or asks which area (a
 * national programme: the whole or a province's share) and which year
 * first; the whole envelope goes back through programme.set_targets.
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "kc-programmes-page.h"
#include "kc-table-page.h"

G_BEGIN_DECLS

/* The grid's store, put on @view with its columns (transfer full). */
GtkListStore *kc_programme_envelopes_init (GtkTreeView *view);
/* Fills @store from @programme's budget; @approved (nullable): what is
 * approved for projects by kc_sources, -1 for none. FALSE when the
 * programme has no envelope at all (the store then holds what is approved
 * for projects, if anything, and no empty years). */
gboolean kc_programme_envelopes_show (GtkListStore *store, KcRefill *refill, JsonObject *programme,
                                      const gint64 *approved);
/* Envelope…: the selected row of @view changed, or a new one asked for. */
void kc_programme_envelopes_edit (KcProgrammesPage *page, GtkTreeView *view);

G_END_DECLS
