/*
 * kc-form.h — the pieces of the client's forms that every form shares: the
 * label under a field that says what is wrong with it (hidden while it has
 * nothing to say), the spinner of the calls under way, the message bar.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The window @widget is in, or NULL while it is in none (a dialog's parent). */
GtkWindow *kc_form_toplevel (GtkWidget *widget);

/* Destroys every child of @container (a list rebuilt from a new answer). */
void kc_form_destroy_children (GtkContainer *container);

/* Shows @text (nullable) in @label, and the label only while there is text. */
void kc_form_set_label (GtkLabel *label, const char *text);

/* Makes @entry an amount in đồng: right-aligned, and what was typed
 * ("300000000", "300 000 000") written as "300.000.000" when the focus
 * leaves it. Text that is not an amount is left as typed, for the form's
 * own check to mark. */
void kc_form_money_entry (GtkEntry *entry);

/* Keeps @combo and its drop-down within @max_chars characters: longer
 * rows (a content's full legal name) end in "…" instead of making the
 * combo, and so the window, wider than the screen. */
void kc_form_combo_limit_width (GtkComboBox *combo, int max_chars);

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
