/*
 * kc-labels.h — what people read for the codes of the wire: statuses,
 * stages, funding sources, scopes (translated; borrowed strings), and the
 * money and date cells of the lists.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *kc_label_plan_status (const char *status);
const char *kc_label_project_status (const char *status);
const char *kc_label_stage (const char *stage);
const char *kc_label_source (const char *source);
const char *kc_label_scope (const char *scope);
const char *kc_label_beneficiary_kind (const char *kind);

/* The four funding sources in the order of the forms. */
extern const char *const kc_sources[4];

/* "1.234.567 ₫" for a JSON member that may be absent (transfer full). */
char *kc_label_money (gint64 dong);

G_END_DECLS
