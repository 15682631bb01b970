/*
 * kc-editor-fields.h — the project's plain members (title, dates, codes,
 * long texts, lists typed one per line, yes/no) as the form fields of the
 * dossier and budget sections, built, read, written and marked from one
 * table; and the catalogue choosers (a code typed or chosen) that the
 * indicator rows use too.
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "kc-editor-section.h"

G_BEGIN_DECLS

/* The tabs of the form, in the notebook's order. */
typedef enum
{
  KC_EDITOR_TAB_DOSSIER,
  KC_EDITOR_TAB_BUDGET,
  KC_EDITOR_TAB_INDICATORS,
  KC_EDITOR_TAB_BENEFICIARIES,
  KC_EDITOR_N_TABS,
} KcEditorTab;

typedef struct _KcEditorFields KcEditorFields;

/* Builds the fields of @tab into @grid from row *@row on (advanced past
 * them); each edit emits @owner's ::changed. Free with kc_editor_fields_free(). */
KcEditorFields *kc_editor_fields_new (KcEditorTab tab, GtkGrid *grid, int *row,
                                      KcEditorSection *owner);
void kc_editor_fields_free (KcEditorFields *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KcEditorFields, kc_editor_fields_free)

/* What KcEditorSection asks of a section, for these fields. */
void kc_editor_fields_set_catalog (KcEditorFields *self, JsonObject *catalog);
void kc_editor_fields_load (KcEditorFields *self, JsonObject *project);
gboolean kc_editor_fields_apply (KcEditorFields *self, JsonObject *params, JsonObject *before,
                                 gboolean creating);
void kc_editor_fields_clear_errors (KcEditorFields *self);
gboolean kc_editor_fields_mark (KcEditorFields *self, const char *field, const char *text);

/* Offers @names (a kc-suggest store) while typing @member: a text field
 * ("implementer") or a column of the list fields ("commune"). */
void kc_editor_fields_suggest (KcEditorFields *self, const char *member, GtkTreeModel *names);

/* The form's name of @member (translated), or NULL when it has no field. */
const char *kc_editor_field_label (const char *member);

/* The form's names of the members that differ between @was (nullable) and
 * @now, ", "-separated; NULL when none does (transfer full). */
char *kc_editor_fields_changed_names (JsonObject *was, JsonObject *now);

/* A catalogue chooser of @section ("indicators", "sectors", …), accessible
 * as @name; filled from @catalog (nullable) (transfer floating). */
GtkWidget *kc_catalog_combo_new (JsonObject *catalog, const char *section, const char *name);
void kc_catalog_combo_fill (GtkComboBoxText *combo, JsonObject *catalog, const char *section);
/* The code shown ("ND45.4.3 — Hỗ trợ …" → "ND45.4.3"), or NULL (transfer full). */
char *kc_catalog_combo_dup_code (GtkComboBox *combo);
void kc_catalog_combo_set_code (GtkComboBox *combo, const char *code);

G_END_DECLS
