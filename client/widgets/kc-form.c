/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-form.c — what the client's forms share (see kc-form.h).
 */
#include "kc-form.h"

#include "kc-money.h"

void
kc_form_set_label (GtkLabel *label, const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && text[0] != '\0');
}

static gboolean
money_focus_out_cb (GtkEntry *entry, GdkEvent *event, gpointer data)
{
  const char *text = gtk_entry_get_text (entry);
  g_autofree char *formatted = NULL;
  gint64 value;

  if (text[0] != '\0' && kc_money_parse (text, &value, NULL))
    {
      formatted = kc_money_format_plain (value);
      if (!g_str_equal (formatted, text))
        gtk_entry_set_text (entry, formatted);
    }
  return GDK_EVENT_PROPAGATE;
}

void
kc_form_money_entry (GtkEntry *entry)
{
  gtk_entry_set_alignment (entry, 1);
  gtk_entry_set_input_hints (entry, GTK_INPUT_HINT_NO_SPELLCHECK);
  g_signal_connect (entry, "focus-out-event", G_CALLBACK (money_focus_out_cb), NULL);
}

void
kc_form_combo_limit_width (GtkComboBox *combo, int max_chars)
{
  g_autoptr (GList) cells = gtk_cell_layout_get_cells (GTK_CELL_LAYOUT (combo));
  GtkWidget *child = gtk_bin_get_child (GTK_BIN (combo));

  for (GList *l = cells; l != NULL; l = l->next)
    if (GTK_IS_CELL_RENDERER_TEXT (l->data))
      g_object_set (l->data, "ellipsize", PANGO_ELLIPSIZE_END, "max-width-chars", max_chars, NULL);
  /* With an entry, the entry's own width. */
  if (GTK_IS_ENTRY (child))
    {
      gtk_entry_set_width_chars (GTK_ENTRY (child), MIN (max_chars, 30));
      gtk_entry_set_max_width_chars (GTK_ENTRY (child), max_chars);
    }
  gtk_combo_box_set_popup_fixed_width (combo, TRUE);
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

static void
destroy_child (GtkWidget *child, gpointer data)
{
  gtk_widget_destroy (child);
}

void
kc_form_destroy_children (GtkContainer *container)
{
  gtk_container_foreach (container, destroy_child, NULL);
}

GtkWindow *
kc_form_toplevel (GtkWidget *widget)
{
  GtkWidget *top = gtk_widget_get_toplevel (widget);

  return GTK_IS_WINDOW (top) ? GTK_WINDOW (top) : NULL;
}
