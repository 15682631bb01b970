/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-ask.c — the small modal forms of the acts.
 */
#include "kc-ask.h"

#include <glib/gi18n.h>

#include "kc-date.h"

typedef struct
{
  GPtrArray *entries;
  GWeakRef owner;
  KcAskFunc done;
  gpointer data;
  GDestroyNotify destroy;
} Ask;

static void
ask_free (gpointer user_data)
{
  Ask *ask = user_data;

  g_ptr_array_free (ask->entries, TRUE);
  g_weak_ref_clear (&ask->owner);
  if (ask->destroy != NULL)
    ask->destroy (ask->data);
  g_free (ask);
}

static void
ask_closure_notify (gpointer data, GClosure *closure)
{
  ask_free (data);
}

static void
on_response_cb (GtkDialog *dialog, int response, gpointer user_data)
{
  Ask *ask = user_data;
  g_autoptr (GObject) owner = g_weak_ref_get (&ask->owner);
  g_auto (GStrv) answers = NULL;

  if (response == GTK_RESPONSE_ACCEPT && owner != NULL)
    {
      answers = g_new0 (char *, ask->entries->len + 1);
      for (guint i = 0; i < ask->entries->len; i++)
        answers[i] = g_strstrip (g_strdup (gtk_entry_get_text (ask->entries->pdata[i])));
    }
  gtk_widget_hide (GTK_WIDGET (dialog));
  if (answers != NULL)
    ask->done (owner, answers, ask->data);
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

void
kc_ask (GtkWindow *parent, const char *title, const char *accept, const char *const *labels,
        const char *const *defaults, GObject *owner, KcAskFunc done, gpointer data,
        GDestroyNotify destroy)
{
  GtkWidget *dialog = gtk_dialog_new_with_buttons (
      title, parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, _ ("_Cancel"),
      GTK_RESPONSE_CANCEL, accept, GTK_RESPONSE_ACCEPT, NULL);
  GtkWidget *grid = gtk_grid_new ();
  Ask *ask = g_new0 (Ask, 1);

  ask->entries = g_ptr_array_new ();
  g_weak_ref_init (&ask->owner, owner);
  ask->done = done;
  ask->data = data;
  ask->destroy = destroy;
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_container_set_border_width (GTK_CONTAINER (grid), 12);
  for (int i = 0; labels[i] != NULL; i++)
    {
      GtkWidget *label = gtk_label_new (labels[i]);
      GtkWidget *entry = gtk_entry_new ();

      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_label_set_mnemonic_widget (GTK_LABEL (label), entry);
      gtk_entry_set_width_chars (GTK_ENTRY (entry), 36);
      gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
      if (defaults != NULL && defaults[i] != NULL)
        gtk_entry_set_text (GTK_ENTRY (entry), defaults[i]);
      atk_object_set_name (gtk_widget_get_accessible (entry), labels[i]);
      gtk_grid_attach (GTK_GRID (grid), label, 0, i, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), entry, 1, i, 1, 1);
      g_ptr_array_add (ask->entries, entry);
    }
  gtk_container_add (GTK_CONTAINER (gtk_dialog_get_content_area (GTK_DIALOG (dialog))), grid);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_response_cb), ask, ask_closure_notify,
                         0);
  gtk_widget_show_all (dialog);
}

/* The decision of kc_ask_decision on its way: what to call with it. */
typedef struct
{
  KcDecisionFunc done;
  gpointer data;
  GDestroyNotify destroy;
} Decision;

static void
decision_free (gpointer user_data)
{
  Decision *d = user_data;

  if (d->destroy != NULL)
    d->destroy (d->data);
  g_free (d);
}

static void
decision_answered_cb (GObject *owner, GStrv answers, gpointer user_data)
{
  Decision *d = user_data;
  g_autoptr (JsonObject) decision = NULL;
  GDate date;

  if (answers[0][0] != '\0' && answers[2][0] != '\0' && kc_date_parse_vn (answers[1], &date))
    {
      g_autofree char *iso = kc_date_format_iso (&date);

      decision = json_object_new ();
      json_object_set_string_member (decision, "number", answers[0]);
      json_object_set_string_member (decision, "date", iso);
      json_object_set_string_member (decision, "signer", answers[2]);
    }
  d->done (owner, decision, d->data);
}

void
kc_ask_decision (GtkWindow *parent, const char *title, GObject *owner, KcDecisionFunc done,
                 gpointer data, GDestroyNotify destroy)
{
  const char *labels[]
      = { _ ("Decision number"), _ ("Signed on (dd/mm/yyyy)"), _ ("Signed by"), NULL };
  Decision *d = g_new0 (Decision, 1);

  d->done = done;
  d->data = data;
  d->destroy = destroy;
  kc_ask (parent, title, _ ("_Save"), labels, NULL, owner, decision_answered_cb, d, decision_free);
}
