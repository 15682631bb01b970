/*
 * kc-form.h — the pieces of the client's forms that every form shares: the
 * label under a field that says what is wrong with it (hidden while it has
 * nothing to say).
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Shows @text (nullable) in @label, and the label only while there is text. */
void kc_form_set_label (GtkLabel *label, const char *text);

/* A new objection label: wraps, left-aligned, style class "kc-field-error",
 * hidden until kc_form_set_label() gives it text (transfer floating). */
GtkLabel *kc_form_new_error_label (void);

G_END_DECLS
