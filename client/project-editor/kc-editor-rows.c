/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-editor-rows.c — the row sections' shared row parts (see the header).
 */
#include "kc-editor-rows.h"

#include "kc-window.h"

/* Callbacks */

static void
on_remove_clicked_cb (GtkButton *button, gpointer user_data)
{
  gtk_widget_destroy (gtk_widget_get_parent (GTK_WIDGET (button)));
  kc_editor_section_changed (KC_EDITOR_SECTION (user_data));
}

/* Public API */

void
kc_editor_rows_clear (GtkBox *rows)
{
  GList *children = gtk_container_get_children (GTK_CONTAINER (rows));

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  g_list_free (children);
}

int
kc_editor_rows_next_number (GtkBox *rows)
{
  GList *children = gtk_container_get_children (GTK_CONTAINER (rows));
  int n = (int)g_list_length (children) + 1;

  g_list_free (children);
  return n;
}

void
kc_editor_row_add (GtkBox *rows, GtkBox *row, const char *remove_name, KcEditorSection *owner)
{
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic", GTK_ICON_SIZE_BUTTON);

  kc_set_accessible_name (remove, remove_name);
  gtk_widget_set_tooltip_text (remove, remove_name);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_clicked_cb), owner, 0);
  gtk_box_pack_end (row, remove, FALSE, FALSE, 0);
  gtk_box_pack_start (rows, GTK_WIDGET (row), FALSE, FALSE, 0);
}

GtkEntry *
kc_editor_row_entry (GtkBox *row, KcEditorSection *owner, const char *name, int width,
                     const char *text, gboolean expand)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_width_chars (GTK_ENTRY (entry), width);
  gtk_entry_set_text (GTK_ENTRY (entry), text != NULL ? text : "");
  kc_set_accessible_name (entry, name);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), name);
  g_signal_connect_object (entry, "changed", G_CALLBACK (kc_editor_section_changed), owner,
                           G_CONNECT_SWAPPED);
  gtk_box_pack_start (row, entry, expand, TRUE, 0);
  return GTK_ENTRY (entry);
}
