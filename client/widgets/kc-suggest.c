/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-suggest.c — names offered while typing (see the header).
 *
 * A popover under the entry, not a GtkEntryCompletion: its popup grabs
 * the pointer of the device that typed, and text put in by assistive
 * technologies has none. The popover takes no grab: one button per name,
 * ↓ from the entry goes to them, Enter or a click chooses, Esc closes.
 */
#include "kc-suggest.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kc-collate.h"

#define MAX_SHOWN 8

enum
{
  COL_NAME,
  COL_KEY,
};

typedef struct
{
  GtkEntry *entry; /* not owned: the Suggest is its data */
  GtkTreeModel *names;
  GtkWidget *popover;
  GtkBox *box;
  gboolean choosing; /* the entry's text set by a choice: no new offer */
} Suggest;

GtkListStore *
kc_suggest_store_new (void)
{
  return gtk_list_store_new (2, G_TYPE_STRING, G_TYPE_STRING);
}

void
kc_suggest_store_set (GtkListStore *store, const char *const *names)
{
  gtk_list_store_clear (store);
  for (gsize i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autofree char *key = kc_fold_for_search (names[i]);

      gtk_list_store_insert_with_values (store, NULL, -1, COL_NAME, names[i], COL_KEY, key, -1);
    }
}

/* Every word typed, folded, somewhere in the folded name: "xa dong"
 * offers "Xã Đồng Lương", "luong" too. */
static gboolean
matches (char **words, const char *key)
{
  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0' && (key == NULL || strstr (key, words[i]) == NULL))
      return FALSE;
  return TRUE;
}

static void
on_choice_clicked_cb (GtkButton *button, Suggest *suggest)
{
  /* The name is the button's label (the button holds nothing else). */
  g_autofree char *name
      = g_strdup (gtk_label_get_text (GTK_LABEL (gtk_bin_get_child (GTK_BIN (button)))));

  suggest->choosing = TRUE;
  gtk_entry_set_text (suggest->entry, name);
  suggest->choosing = FALSE;
  gtk_popover_popdown (GTK_POPOVER (suggest->popover));
  gtk_widget_grab_focus (GTK_WIDGET (suggest->entry));
  gtk_editable_set_position (GTK_EDITABLE (suggest->entry), -1);
}

static void
offer (Suggest *suggest)
{
  const char *text = gtk_entry_get_text (suggest->entry);
  g_autofree char *folded = kc_fold_for_search (text);
  g_auto (GStrv) words = g_strsplit_set (folded, " \t", -1);
  g_autoptr (GList) old = gtk_container_get_children (GTK_CONTAINER (suggest->box));
  GtkTreeIter iter;
  int shown = 0;
  gboolean same = FALSE;

  for (GList *l = old; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  if (folded[0] != '\0' && gtk_tree_model_get_iter_first (suggest->names, &iter))
    do
      {
        g_autofree char *name = NULL;
        g_autofree char *key = NULL;
        GtkWidget *button;
        GtkWidget *label;

        gtk_tree_model_get (suggest->names, &iter, COL_NAME, &name, COL_KEY, &key, -1);
        if (!matches (words, key))
          continue;
        same |= g_strcmp0 (name, text) == 0;
        label = gtk_label_new (name);
        gtk_label_set_xalign (GTK_LABEL (label), 0);
        gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
        button = gtk_button_new ();
        gtk_container_add (GTK_CONTAINER (button), label);
        gtk_button_set_relief (GTK_BUTTON (button), GTK_RELIEF_NONE);
        g_signal_connect (button, "clicked", G_CALLBACK (on_choice_clicked_cb), suggest);
        gtk_box_pack_start (suggest->box, button, FALSE, FALSE, 0);
        shown++;
      }
    while (shown < MAX_SHOWN && gtk_tree_model_iter_next (suggest->names, &iter));
  /* Nothing to offer, or exactly what is there already. */
  if (shown == 0 || (shown == 1 && same))
    {
      gtk_popover_popdown (GTK_POPOVER (suggest->popover));
      return;
    }
  gtk_widget_show_all (GTK_WIDGET (suggest->box));
  gtk_widget_set_size_request (suggest->popover,
                               gtk_widget_get_allocated_width (GTK_WIDGET (suggest->entry)), -1);
  gtk_popover_popup (GTK_POPOVER (suggest->popover));
}

static void
on_changed_cb (GtkEntry *entry, Suggest *suggest)
{
  /* Only what is being typed here: not a record loaded into the form. */
  if (suggest->choosing || !gtk_widget_is_focus (GTK_WIDGET (entry)))
    return;
  offer (suggest);
}

static gboolean
on_key_press_cb (GtkWidget *entry, GdkEventKey *event, Suggest *suggest)
{
  g_autoptr (GList) children = NULL;

  if (!gtk_widget_get_visible (suggest->popover))
    return GDK_EVENT_PROPAGATE;
  if (event->keyval == GDK_KEY_Escape)
    {
      gtk_popover_popdown (GTK_POPOVER (suggest->popover));
      return GDK_EVENT_STOP;
    }
  if (event->keyval != GDK_KEY_Down && event->keyval != GDK_KEY_KP_Down)
    return GDK_EVENT_PROPAGATE;
  children = gtk_container_get_children (GTK_CONTAINER (suggest->box));
  if (children != NULL)
    gtk_widget_grab_focus (children->data);
  return GDK_EVENT_STOP;
}

static void
suggest_free (gpointer data)
{
  Suggest *suggest = data;

  g_clear_object (&suggest->names);
  g_free (suggest);
}

void
kc_suggest_attach (GtkEntry *entry, GtkTreeModel *names)
{
  Suggest *suggest;
  GtkWidget *scrolled;

  g_return_if_fail (GTK_IS_ENTRY (entry));

  suggest = g_object_get_data (G_OBJECT (entry), "kc-suggest");
  if (suggest != NULL)
    {
      g_set_object (&suggest->names, names);
      return;
    }
  suggest = g_new0 (Suggest, 1);
  suggest->entry = entry;
  suggest->names = g_object_ref (names);
  suggest->popover = gtk_popover_new (GTK_WIDGET (entry));
  gtk_popover_set_modal (GTK_POPOVER (suggest->popover), FALSE);
  gtk_popover_set_position (GTK_POPOVER (suggest->popover), GTK_POS_BOTTOM);
  suggest->box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 0));
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (suggest->box)), _ ("Suggestions"));
  scrolled = gtk_scrolled_window_new (NULL, NULL);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 300);
  gtk_container_add (GTK_CONTAINER (scrolled), GTK_WIDGET (suggest->box));
  gtk_widget_show (scrolled);
  gtk_container_add (GTK_CONTAINER (suggest->popover), scrolled);
  g_object_set_data_full (G_OBJECT (entry), "kc-suggest", suggest, suggest_free);
  g_signal_connect (entry, "changed", G_CALLBACK (on_changed_cb), suggest);
  g_signal_connect (entry, "key-press-event", G_CALLBACK (on_key_press_cb), suggest);
}
