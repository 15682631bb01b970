/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-form.c — what the client's forms share (see kc-form.h).
 */
#include "kc-form.h"

void
kc_form_set_label (GtkLabel *label, const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && text[0] != '\0');
}

GtkLabel *
kc_form_new_error_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 70);
  gtk_widget_set_no_show_all (label, TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (label), "kc-field-error");
  return GTK_LABEL (label);
}

void
kc_form_set_spinning (GtkSpinner *spinner, gboolean busy)
{
  if (busy)
    gtk_spinner_start (spinner);
  else
    gtk_spinner_stop (spinner);
}

gboolean
kc_form_count_busy (int *count, gboolean busy, GtkSpinner *spinner)
{
  *count += busy ? 1 : -1;
  kc_form_set_spinning (spinner, *count > 0);
  return *count == 0;
}

void
kc_form_show_message (GtkInfoBar *bar, GtkLabel *label, GtkWidget *reload, GtkMessageType type,
                      const char *text, gboolean offer_reload)
{
  gtk_info_bar_set_message_type (bar, type);
  gtk_label_set_text (label, text);
  if (reload != NULL)
    gtk_widget_set_visible (reload, offer_reload);
  gtk_widget_show (GTK_WIDGET (bar));
}
