/*
 * kc-editor-rows.h — what the row sections of the project editor share
 * (indicators, beneficiaries): a row's remove button and entries, every
 * edit emitting the section's ::changed. The tab's frame (an objection
 * label, the rows, an Add button) is each section's template; the rows
 * themselves are widgets of their section (KcIndicatorRow, KcBeneficiaryRow).
 */
#pragma once

#include <gtk/gtk.h>

#include "kc-editor-section.h"

G_BEGIN_DECLS

/* Removes every row. */
void kc_editor_rows_clear (GtkBox *rows);
/* The number the next row will have (1 for the first). */
int kc_editor_rows_next_number (GtkBox *rows);

/* Ends @row with a remove button named @remove_name and adds it to @rows;
 * the button removes the row and emits @owner's ::changed. */
void kc_editor_row_add (GtkBox *rows, GtkBox *row, const char *remove_name, KcEditorSection *owner);
/* An entry of @row named (and with the placeholder) @name, @width characters
 * wide, showing @text (nullable); @expand: it takes the spare width. */
GtkEntry *kc_editor_row_entry (GtkBox *row, KcEditorSection *owner, const char *name, int width,
                               const char *text, gboolean expand);

G_END_DECLS
