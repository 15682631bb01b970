/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-ask.c — the small modal forms of the acts.
 */
#include "kc-ask.h"

#include <glib/gi18n.h>

#include "kc-date.h"

typedef struct
{
  GPtrArray *entries; /* GtkEntry or GtkTextView */
  GtkLabel *error;
  KcAskCheck check;
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

static char *
widget_text (GtkWidget *widget)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  if (GTK_IS_ENTRY (widget))
    return g_strdup (gtk_entry_get_text (GTK_ENTRY (widget)));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
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
        answers[i] = g_strstrip (widget_text (ask->entries->pdata[i]));
      if (ask->check != NULL)
        {
          g_autofree char *wrong = ask->check (answers, ask->data);

          if (wrong != NULL)
            {
              /* Stays open, everything typed kept, what is wrong said. */
              gtk_label_set_text (ask->error, wrong);
              gtk_widget_show (GTK_WIDGET (ask->error));
              g_signal_stop_emission_by_name (dialog, "response");
              return;
            }
        }
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
  kc_ask_full (parent, title, accept, labels, defaults, NULL, NULL, owner, done, data, destroy);
}

void
kc_ask_full (GtkWindow *parent, const char *title, const char *accept, const char *const *labels,
             const char *const *defaults, const gboolean *multiline, KcAskCheck check,
             GObject *owner, KcAskFunc done, gpointer data, GDestroyNotify destroy)
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
  ask->check = check;
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_container_set_border_width (GTK_CONTAINER (grid), 12);
  int i;

  for (i = 0; labels[i] != NULL; i++)
    {
      GtkWidget *label = gtk_label_new (labels[i]);
      GtkWidget *entry, *attach;

      if (multiline != NULL && multiline[i])
        {
          entry = gtk_text_view_new ();
          attach = gtk_scrolled_window_new (NULL, NULL);
          gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (entry), GTK_WRAP_WORD_CHAR);
          gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (entry), FALSE);
          gtk_scrolled_window_set_shadow_type (GTK_SCROLLED_WINDOW (attach), GTK_SHADOW_IN);
          gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (attach), GTK_POLICY_NEVER,
                                          GTK_POLICY_AUTOMATIC);
          gtk_widget_set_size_request (attach, 360, 110);
          gtk_container_add (GTK_CONTAINER (attach), entry);
          if (defaults != NULL && defaults[i] != NULL)
            gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (entry)), defaults[i],
                                      -1);
          gtk_label_set_yalign (GTK_LABEL (label), 0);
        }
      else
        {
          entry = attach = gtk_entry_new ();
          gtk_entry_set_width_chars (GTK_ENTRY (entry), 36);
          gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
          if (defaults != NULL && defaults[i] != NULL)
            gtk_entry_set_text (GTK_ENTRY (entry), defaults[i]);
        }
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_label_set_mnemonic_widget (GTK_LABEL (label), entry);
      atk_object_set_name (gtk_widget_get_accessible (entry), labels[i]);
      gtk_grid_attach (GTK_GRID (grid), label, 0, i, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), attach, 1, i, 1, 1);
      g_ptr_array_add (ask->entries, entry);
    }
  ask->error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (ask->error, 0);
  gtk_label_set_line_wrap (ask->error, TRUE);
  gtk_label_set_max_width_chars (ask->error, 50);
  gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (ask->error)),
                               "kc-field-error");
  gtk_widget_set_no_show_all (GTK_WIDGET (ask->error), TRUE);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (ask->error), 1, i, 1, 1);
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
  g_autoptr (JsonObject) decision = json_object_new ();
  g_autofree char *iso = NULL;
  GDate date;

  /* decision_check let only a full decision through. */
  if (!kc_date_parse_vn (answers[1], &date))
    g_return_if_reached ();
  iso = kc_date_format_iso (&date);
  json_object_set_string_member (decision, "number", answers[0]);
  json_object_set_string_member (decision, "date", iso);
  json_object_set_string_member (decision, "signer", answers[2]);
  d->done (owner, decision, d->data);
}

/* Stays open until the answers make a decision. */
static char *
decision_check (GStrv answers, gpointer data)
{
  GDate date;

  if (answers[0][0] == '\0')
    return g_strdup (_ ("Give the decision's number."));
  if (!kc_date_parse_vn (answers[1], &date))
    return g_strdup (_ ("Give the day it was signed as dd/mm/yyyy."));
  if (answers[2][0] == '\0')
    return g_strdup (_ ("Give who signed it."));
  return NULL;
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
  kc_ask_full (parent, title, _ ("_Save"), labels, NULL, NULL, decision_check, owner,
               decision_answered_cb, d, decision_free);
}
