/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-choose.c — the modal choice of one record.
 */
#include "kc-choose.h"

#include <glib/gi18n.h>

typedef struct
{
  GtkComboBox *combo;
  GWeakRef owner;
  KcChooseFunc done;
  gpointer data;
  GDestroyNotify destroy;
} Choose;

static void
choose_closure_notify (gpointer user_data, GClosure *closure)
{
  Choose *choose = user_data;

  g_weak_ref_clear (&choose->owner);
  if (choose->destroy != NULL)
    choose->destroy (choose->data);
  g_free (choose);
}

static void
on_response_cb (GtkDialog *dialog, int response, gpointer user_data)
{
  Choose *choose = user_data;
  g_autoptr (GObject) owner = g_weak_ref_get (&choose->owner);
  const char *id = gtk_combo_box_get_active_id (choose->combo);
  gboolean chosen = response == GTK_RESPONSE_ACCEPT && owner != NULL && id != NULL;
  gint64 value = chosen ? g_ascii_strtoll (id, NULL, 10) : 0;

  gtk_widget_hide (GTK_WIDGET (dialog));
  if (chosen)
    choose->done (owner, value, choose->data);
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

void
kc_choose (GtkWindow *parent, const char *title, const char *accept, const char *label,
           const gint64 *ids, const char *const *texts, guint n, GObject *owner, KcChooseFunc done,
           gpointer data, GDestroyNotify destroy)
{
  GtkWidget *dialog = gtk_dialog_new_with_buttons (
      title, parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, _ ("_Cancel"),
      GTK_RESPONSE_CANCEL, accept, GTK_RESPONSE_ACCEPT, NULL);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *caption = gtk_label_new (label);
  GtkWidget *combo = gtk_combo_box_text_new ();
  Choose *choose = g_new0 (Choose, 1);

  choose->combo = GTK_COMBO_BOX (combo);
  g_weak_ref_init (&choose->owner, owner);
  choose->done = done;
  choose->data = data;
  choose->destroy = destroy;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, ids[i]);

      gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (combo), id, texts[i]);
    }
  if (n > 0)
    gtk_combo_box_set_active (GTK_COMBO_BOX (combo), 0);
  gtk_label_set_xalign (GTK_LABEL (caption), 1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (caption), combo);
  atk_object_set_name (gtk_widget_get_accessible (combo), label);
  gtk_widget_set_hexpand (combo, TRUE);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_container_set_border_width (GTK_CONTAINER (grid), 12);
  gtk_grid_attach (GTK_GRID (grid), caption, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), combo, 1, 0, 1, 1);
  gtk_container_add (GTK_CONTAINER (gtk_dialog_get_content_area (GTK_DIALOG (dialog))), grid);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  gtk_dialog_set_response_sensitive (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT, n > 0);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_response_cb), choose,
                         choose_closure_notify, 0);
  gtk_widget_set_size_request (dialog, 480, -1);
  gtk_widget_show_all (dialog);
}
