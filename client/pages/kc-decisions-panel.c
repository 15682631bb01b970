/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-decisions-panel.c — the year's plan decisions (see the header).
 */
#include "kc-decisions-panel.h"

#include "kc-lazy.h"
#include <glib/gi18n.h>

#include "kc-act-dialog.h"
#include "kc-calls.h"
#include "kc-date.h"
#include "kc-json.h"
#include "kc-labels.h"
#include "kc-money.h"
#include "kc-table-page.h"
#include "kc-window.h"

enum
{
  COL_NUMBER,
  COL_DATE,
  COL_KIND,
  COL_SIGNER,
  COL_COUNT,
  COL_ITEMS,
  N_COLUMNS
};

struct _KcDecisionsPanel
{
  GtkBox parent_instance;

  GtkSpinButton *year_spin;
  GtkButton *approve_button;
  GtkButton *amend_button;
  GtkLabel *message_label;
  GtkTreeView *tree_view;

  GtkListStore *store;
  KcSession *session;
  GCancellable *cancellable;
  JsonArray *decisions;  /* (nullable) decision.list's items */
  JsonArray *candidates; /* (nullable) the projects offered by the open dialog */
  gboolean approver;
};

G_DEFINE_TYPE (KcDecisionsPanel, kc_decisions_panel, GTK_TYPE_BOX)

static int
year_of (KcDecisionsPanel *self)
{
  return gtk_spin_button_get_value_as_int (self->year_spin);
}

static const char *
action_label (const char *action)
{
  if (g_strcmp0 (action, "add") == 0)
    return _ ("added");
  if (g_strcmp0 (action, "extend") == 0)
    return _ ("extended");
  if (g_strcmp0 (action, "cancel") == 0)
    return _ ("cancelled");
  return _ ("approved");
}

static JsonObject *
approval_decision (KcDecisionsPanel *self)
{
  for (guint i = 0; self->decisions != NULL && i < json_array_get_length (self->decisions); i++)
    {
      JsonObject *d = json_array_get_object_element (self->decisions, i);

      if (g_strcmp0 (kc_json_string (d, "kind"), "approval") == 0)
        return d;
    }
  return NULL;
}

static void
say (KcDecisionsPanel *self, const char *text)
{
  gtk_label_set_text (self->message_label, text != NULL ? text : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->message_label), text);
}

static void
fill (KcDecisionsPanel *self)
{
  gboolean has_approval = approval_decision (self) != NULL;

  gtk_list_store_clear (self->store);
  for (guint i = 0; self->decisions != NULL && i < json_array_get_length (self->decisions); i++)
    {
      JsonObject *d = json_array_get_object_element (self->decisions, i);
      JsonArray *items = kc_json_array (d, "items");
      g_autoptr (GString) text = g_string_new (NULL);
      GDate date;
      g_autofree char *day = kc_date_parse_iso (kc_json_string (d, "signed_on"), &date)
                                 ? kc_date_format_vn (&date)
                                 : g_strdup ("");
      guint n = items != NULL ? json_array_get_length (items) : 0;

      for (guint j = 0; j < n; j++)
        {
          JsonObject *item = json_array_get_object_element (items, j);

          g_string_append_printf (text, "%s%s (%s)", j > 0 ? ", " : "",
                                  kc_json_string (item, "code"),
                                  action_label (kc_json_string (item, "action")));
        }
      gtk_list_store_insert_with_values (
          self->store, NULL, -1, COL_NUMBER, kc_json_string (d, "number"), COL_DATE, day, COL_KIND,
          g_strcmp0 (kc_json_string (d, "kind"), "amendment") == 0 ? _ ("Amending decision")
                                                                   : _ ("Plan decision"),
          COL_SIGNER, kc_json_string (d, "signer"), COL_COUNT, (int)n, COL_ITEMS, text->str, -1);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->approve_button), self->approver && !has_approval);
  gtk_widget_set_visible (GTK_WIDGET (self->amend_button), self->approver && has_approval);
}

static void
list_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcDecisionsPanel *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      g_autofree char *text = error != NULL ? kc_describe_error (error) : NULL;
      say (self, text);
      return;
    }
  g_clear_pointer (&self->decisions, json_array_unref);
  if (kc_json_array (json_node_get_object (reply), "items") != NULL)
    self->decisions = json_array_ref (kc_json_array (json_node_get_object (reply), "items"));
  fill (self);
}

void
kc_decisions_panel_refresh (KcDecisionsPanel *self)
{
  g_autoptr (JsonObject) params = json_object_new ();
  g_autoptr (JsonNode) node = NULL;

  g_return_if_fail (KC_IS_DECISIONS_PANEL (self));
  if (!kc_lazy_ready (GTK_WIDGET (self)))
    return;
  json_object_set_int_member (params, "year", year_of (self));
  node = json_node_init_object (json_node_alloc (), params);
  kc_session_decision_list_async (self->session, node, self->cancellable, list_done_cb, self);
}

static void
on_year_changed_cb (KcDecisionsPanel *self)
{
  say (self, NULL);
  kc_decisions_panel_refresh (self);
}

/* The dialogs */

static JsonNode *amend_build (KcActDialog *dialog, gpointer data);
static char *amend_confirm (KcActDialog *dialog, JsonObject *result, gpointer data);
static char *amend_done (KcActDialog *dialog, JsonObject *result, gpointer data);

static JsonObject *
candidate (KcDecisionsPanel *self, gint64 id)
{
  for (guint i = 0; self->candidates != NULL && i < json_array_get_length (self->candidates); i++)
    {
      JsonObject *p = json_array_get_object_element (self->candidates, i);

      if (kc_json_int (p, "id") == id)
        return p;
    }
  return NULL;
}

/* How many projects are checked, and their total cost. */
static guint
checked_projects (KcDecisionsPanel *self, KcActDialog *dialog, gint64 *sum, JsonArray **ids)
{
  g_autoptr (GPtrArray) checked = kc_act_dialog_get_checked (dialog, "project_ids");

  *sum = 0;
  if (ids != NULL)
    *ids = json_array_new ();
  for (guint i = 0; i < checked->len; i++)
    {
      gint64 id = g_ascii_strtoll (checked->pdata[i], NULL, 10);
      JsonObject *p = candidate (self, id);

      if (p != NULL)
        *sum += kc_json_int (p, "total");
      if (ids != NULL)
        json_array_add_int_element (*ids, id);
    }
  return checked->len;
}

static void
set_common (KcActDialog *dialog, JsonObject *params)
{
  g_autofree char *iso = kc_act_dialog_get_iso (dialog, "signed_on");

  json_object_set_string_member (params, "number", kc_act_dialog_get_text (dialog, "number"));
  json_object_set_string_member (params, "signed_on", iso != NULL ? iso : "");
  json_object_set_string_member (params, "signer", kc_act_dialog_get_text (dialog, "signer"));
  if (kc_act_dialog_has_value (dialog, "note"))
    json_object_set_string_member (params, "note", kc_act_dialog_get_text (dialog, "note"));
}

static JsonNode *
approve_build (KcActDialog *dialog, gpointer data)
{
  KcDecisionsPanel *self = data;
  JsonObject *params = json_object_new ();
  JsonArray *ids;
  gint64 sum;

  checked_projects (self, dialog, &sum, &ids);
  json_object_set_int_member (params, "year", year_of (self));
  set_common (dialog, params);
  json_object_set_array_member (params, "project_ids", ids);
  return json_node_init_object (json_node_alloc (), params);
}

static char *
approve_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcDecisionsPanel *self = data;
  gint64 sum;
  guint n = checked_projects (self, dialog, &sum, NULL);
  g_autofree char *money = kc_money_format (sum);

  return g_strdup_printf (_ ("Issue decision %s approving the %d national plan: %u projects, %s "
                             "in all? Only the projects it lists may receive money."),
                          kc_act_dialog_get_text (dialog, "number"), year_of (self), n, money);
}

static char *
approve_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcDecisionsPanel *self = data;
  JsonArray *items = kc_json_array (result, "items");

  return g_strdup_printf (_ ("Decision %s issued: the %d plan approved with %u projects."),
                          kc_json_string (result, "number"), year_of (self),
                          items != NULL ? json_array_get_length (items) : 0);
}

static void
dialog_finished (gpointer data, const char *text)
{
  KcDecisionsPanel *self = data;

  say (self, text);
  kc_decisions_panel_refresh (self);
}

static void
add_common_fields (KcActDialog *dialog)
{
  kc_act_dialog_add_text (dialog, "number", _ ("Decision _number"), NULL, TRUE,
                          _ ("e.g. 123/QĐ-BCT"));
  kc_act_dialog_add_date (dialog, "signed_on", _ ("_Signed on"), NULL, FALSE);
  kc_act_dialog_add_text (dialog, "signer", _ ("Si_gner"), NULL, TRUE, NULL);
}

/* project.list of the year's national projects the Ministry has appraised
 * (status approved, stage ministry_appraised): those a decision may list. */
static void
open_dialog (KcDecisionsPanel *self, JsonArray *appraised, gboolean amend)
{
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self)));
  KcActDialog *dialog = kc_act_dialog_new (
      parent, self->session, amend ? _ ("Amending decision") : _ ("Plan decision"),
      amend ? _ ("_Issue the amendment") : _ ("_Issue the decision"));
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) checked = g_array_new (FALSE, TRUE, sizeof (gboolean));
  JsonObject *approval = approval_decision (self);

  g_clear_pointer (&self->candidates, json_array_unref);
  self->candidates = json_array_new ();
  for (guint i = 0; appraised != NULL && i < json_array_get_length (appraised); i++)
    {
      JsonObject *p = json_array_get_object_element (appraised, i);
      g_autofree char *money = kc_money_format (kc_json_int (p, "total"));
      gboolean yes = !amend;

      json_array_add_object_element (self->candidates, json_object_ref (p));
      g_ptr_array_add (ids, g_strdup_printf ("%" G_GINT64_FORMAT, kc_json_int (p, "id")));
      g_ptr_array_add (texts, amend ? g_strdup_printf (
                                  _ ("%s — %s, %s (appraised, not in the plan)"),
                                  kc_json_string (p, "code"), kc_json_string (p, "title"), money)
                                    : g_strdup_printf ("%s — %s, %s", kc_json_string (p, "code"),
                                                       kc_json_string (p, "title"), money));
      g_array_append_val (checked, yes);
    }
  /* An amendment also extends or cancels projects of the plan. */
  for (guint i = 0; amend && self->decisions != NULL && i < json_array_get_length (self->decisions);
       i++)
    {
      JsonArray *items
          = kc_json_array (json_array_get_object_element (self->decisions, i), "items");

      for (guint j = 0; items != NULL && j < json_array_get_length (items); j++)
        {
          JsonObject *item = json_array_get_object_element (items, j);
          gboolean no = FALSE;

          if (g_strcmp0 (kc_json_string (item, "action"), "cancel") == 0
              || candidate (self, kc_json_int (item, "project_id")) != NULL)
            continue;
          json_array_add_object_element (self->candidates, json_object_ref (item));
          g_ptr_array_add (ids,
                           g_strdup_printf ("%" G_GINT64_FORMAT, kc_json_int (item, "project_id")));
          g_ptr_array_add (
              texts, g_strdup_printf (_ ("%s — %s (in the plan, %s)"),
                                      kc_json_string (item, "code"), kc_json_string (item, "title"),
                                      kc_label_project_status (kc_json_string (item, "status"))));
          g_array_append_val (checked, no);
        }
    }
  g_ptr_array_add (ids, NULL);
  g_ptr_array_add (texts, NULL);
  if (amend)
    {
      static const char *const actions[] = { "add", "extend", "cancel", NULL };
      const char *labels[]
          = { _ ("Add to the plan"), _ ("Extend into the next year"), _ ("Cancel"), NULL };
      g_autofree char *intro
          = g_strdup_printf (_ ("Amends decision %s of the %d plan."),
                             kc_json_string (approval, "number"), year_of (self));

      kc_act_dialog_set_intro (dialog, intro);
      kc_act_dialog_add_choice (dialog, "action", _ ("_What it does"), actions, labels, "add");
    }
  else
    {
      g_autofree char *intro = g_strdup_printf (
          _ ("The Minister's decision approving the %d national plan (TT 36/2013 "
             "Art. 8.3): the appraised projects it lists move to \"in the "
             "approved plan\" and may receive money."),
          year_of (self));

      kc_act_dialog_set_intro (dialog, intro);
    }
  kc_act_dialog_add_checklist (dialog, "project_ids", _ ("_Projects"),
                               (const char *const *)ids->pdata, (const char *const *)texts->pdata,
                               (const gboolean *)(gpointer)checked->data);
  add_common_fields (dialog);
  kc_act_dialog_add_long_text (dialog, "note", _ ("_Note"), NULL, FALSE, NULL);
  if (amend)
    kc_act_dialog_run (dialog, kc_session_decision_amend_async, amend_build, amend_confirm,
                       amend_done, dialog_finished, g_object_ref (self), g_object_unref);
  else
    kc_act_dialog_run (dialog, kc_session_decision_approve_plan_async, approve_build,
                       approve_confirm, approve_done, dialog_finished, g_object_ref (self),
                       g_object_unref);
}

static const char *
amend_action_label (const char *action)
{
  if (g_strcmp0 (action, "extend") == 0)
    return _ ("extends");
  if (g_strcmp0 (action, "cancel") == 0)
    return _ ("cancels");
  return _ ("adds");
}

static JsonNode *
amend_build (KcActDialog *dialog, gpointer data)
{
  KcDecisionsPanel *self = data;
  JsonObject *params = json_object_new ();
  JsonArray *items = json_array_new ();
  g_autoptr (JsonArray) ids = NULL;
  const char *action = kc_act_dialog_get_choice (dialog, "action");
  gint64 sum;

  checked_projects (self, dialog, &sum, &ids);
  for (guint i = 0; i < json_array_get_length (ids); i++)
    {
      JsonObject *item = json_object_new ();

      json_object_set_int_member (item, "project_id", json_array_get_int_element (ids, i));
      json_object_set_string_member (item, "action", action != NULL ? action : "add");
      json_array_add_object_element (items, item);
    }
  json_object_set_int_member (params, "amends_id", kc_json_int (approval_decision (self), "id"));
  set_common (dialog, params);
  json_object_set_array_member (params, "items", items);
  return json_node_init_object (json_node_alloc (), params);
}

static char *
amend_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcDecisionsPanel *self = data;
  gint64 sum;
  guint n = checked_projects (self, dialog, &sum, NULL);

  return g_strdup_printf (_ ("Issue amending decision %s: it %s %u projects of the %d plan?"),
                          kc_act_dialog_get_text (dialog, "number"),
                          amend_action_label (kc_act_dialog_get_choice (dialog, "action")), n,
                          year_of (self));
}

static char *
amend_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  JsonArray *items = kc_json_array (result, "items");

  return g_strdup_printf (_ ("Amending decision %s issued: %u projects."),
                          kc_json_string (result, "number"),
                          items != NULL ? json_array_get_length (items) : 0);
}

static void
appraised_done (KcDecisionsPanel *self, GObject *source, GAsyncResult *result, gboolean amend)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      g_autofree char *text = error != NULL ? kc_describe_error (error) : NULL;
      say (self, text);
      return;
    }
  open_dialog (self, kc_json_array (json_node_get_object (reply), "items"), amend);
}

static void
appraised_for_approval_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  appraised_done (user_data, source, result, FALSE);
}

static void
appraised_for_amendment_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  appraised_done (user_data, source, result, TRUE);
}

static void
list_appraised (KcDecisionsPanel *self, GAsyncReadyCallback callback)
{
  g_autoptr (JsonObject) params = json_object_new ();
  g_autoptr (JsonNode) node = NULL;

  json_object_set_int_member (params, "year", year_of (self));
  json_object_set_string_member (params, "scope", "national");
  json_object_set_string_member (params, "status", "approved");
  json_object_set_string_member (params, "stage", "ministry_appraised");
  json_object_set_int_member (params, "limit", 1000);
  node = json_node_init_object (json_node_alloc (), params);
  kc_session_project_list_async (self->session, node, self->cancellable, callback, self);
}

static void
on_approve_clicked_cb (KcDecisionsPanel *self)
{
  list_appraised (self, appraised_for_approval_cb);
}

static void
on_amend_clicked_cb (KcDecisionsPanel *self)
{
  list_appraised (self, appraised_for_amendment_cb);
}

/* GObject */

static void
on_session_event_cb (KcSession *session, const char *topic, JsonNode *params, gpointer user_data)
{
  if (g_str_equal (topic, "project") || g_str_equal (topic, "decision"))
    kc_decisions_panel_refresh (user_data);
}

static void
kc_decisions_panel_dispose (GObject *object)
{
  KcDecisionsPanel *self = KC_DECISIONS_PANEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->session);
  g_clear_pointer (&self->decisions, json_array_unref);
  g_clear_pointer (&self->candidates, json_array_unref);
  G_OBJECT_CLASS (kc_decisions_panel_parent_class)->dispose (object);
}

static void
kc_decisions_panel_class_init (KcDecisionsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kc_decisions_panel_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-decisions-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, KcDecisionsPanel, year_spin);
  gtk_widget_class_bind_template_child (widget_class, KcDecisionsPanel, approve_button);
  gtk_widget_class_bind_template_child (widget_class, KcDecisionsPanel, amend_button);
  gtk_widget_class_bind_template_child (widget_class, KcDecisionsPanel, message_label);
  gtk_widget_class_bind_template_child (widget_class, KcDecisionsPanel, tree_view);
  gtk_widget_class_bind_template_callback (widget_class, on_year_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_approve_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_amend_clicked_cb);
}

static void
kc_decisions_panel_init (KcDecisionsPanel *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->store = gtk_list_store_new (N_COLUMNS, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                                    G_TYPE_STRING, G_TYPE_INT, G_TYPE_STRING);
  gtk_tree_view_set_model (self->tree_view, GTK_TREE_MODEL (self->store));
  kc_table_add_text_column (self->tree_view, _ ("Decision number"), COL_NUMBER, COL_NUMBER, FALSE,
                            0);
  kc_table_add_text_column (self->tree_view, _ ("Signed on"), COL_DATE, COL_DATE, FALSE, 0);
  kc_table_add_text_column (self->tree_view, _ ("Kind"), COL_KIND, COL_KIND, FALSE, 0);
  kc_table_add_text_column (self->tree_view, _ ("Signer"), COL_SIGNER, COL_SIGNER, FALSE, 0);
  kc_table_add_text_column (self->tree_view, _ ("Projects"), COL_COUNT, COL_COUNT, FALSE, 1);
  kc_table_add_text_column (self->tree_view, _ ("What it decides"), COL_ITEMS, COL_ITEMS, TRUE, 0);
  /* Set before the template's handler may run: no list yet. */
  g_signal_handlers_block_matched (self->year_spin, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_spin_button_set_value (self->year_spin, g_date_time_get_year (now));
  g_signal_handlers_unblock_matched (self->year_spin, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
}

KcDecisionsPanel *
kc_decisions_panel_new (KcSession *session)
{
  KcDecisionsPanel *self = g_object_new (KC_TYPE_DECISIONS_PANEL, NULL);

  self->session = g_object_ref (session);
  self->approver = g_strcmp0 (kc_session_get_role (session), "ministry_approver") == 0;
  g_signal_connect_object (session, "event", G_CALLBACK (on_session_event_cb), self, 0);
  /* Read when the plans page is first shown (issue 17, point 7). */
  kc_lazy_init (GTK_WIDGET (self), G_CALLBACK (kc_decisions_panel_refresh));
  return self;
}
