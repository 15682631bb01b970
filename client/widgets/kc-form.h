/*
 * kc-form.h — the pieces of the client's forms that every form shares: the
 * label under a field that says what is wrong with it (hidden while it has
 * nothing to say), the spinner of the calls under way, the message bar.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Shows @text (nullable) in @label, and the label only while there is text. */
void kc_form_set_label (GtkLabel *label, const char *text);

/* A new objection label: wraps, left-aligned, style class "kc-field-error",
 * hidden until kc_form_set_label() gives it text (transfer floating). */
GtkLabel *kc_form_new_error_label (void);

/* The spinner turns while @busy. */
void kc_form_set_spinning (GtkSpinner *spinner, gboolean busy);
/* Counts the calls under way in *@count (one more when @busy, one less
 * when not); @spinner turns while there is one. Returns TRUE when none is
 * left (the form's buttons may be used again). */
gboolean kc_form_count_busy (int *count, gboolean busy, GtkSpinner *spinner);

/* A message bar: @text in @label and @bar shown as @type; @reload
 * (nullable), a button offering to read the record again, shown only when
 * @offer_reload. */
void kc_form_show_message (GtkInfoBar *bar, GtkLabel *label, GtkWidget *reload, GtkMessageType type,
                           const char *text, gboolean offer_reload);

G_END_DECLS
