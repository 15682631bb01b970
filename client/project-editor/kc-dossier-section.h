/*
 * kc-dossier-section.h — KcDossierSection: the Dossier tab of the project
 * editor (a KcEditorSection): the dossier's fields (kc-editor-fields) and,
 * for a new project, the draft plan it goes in.
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "kc-session.h"

G_BEGIN_DECLS

#define KC_TYPE_DOSSIER_SECTION (kc_dossier_section_get_type ())
G_DECLARE_FINAL_TYPE (KcDossierSection, kc_dossier_section, KC, DOSSIER_SECTION, GtkGrid)

/* A new project: the plan chooser heads the tab (empty until set_plans). */
void kc_dossier_section_add_plan_chooser (KcDossierSection *self);
/* The draft plans of plan.list's @items (nullable), @plan_id chosen if
 * there (else the first); says so when there is none. */
void kc_dossier_section_set_plans (KcDossierSection *self, JsonArray *items, gint64 plan_id);
/* The plan chosen, or 0 (no chooser, or none to choose). */
gint64 kc_dossier_section_get_plan_id (KcDossierSection *self);
/* A province's editor (issue 17): the implementer offered among the
 * province's organisations (kc-org-directory), a location's commune among
 * those the province's projects already name (catalog.communes), both
 * searched without diacritics while typing; any text is still taken. */
void kc_dossier_section_suggest (KcDossierSection *self, KcSession *session);
/* Saved: the project stays in its plan. */
void kc_dossier_section_lock_plan (KcDossierSection *self);

G_END_DECLS
