/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-editor-actions.c — the acts of the workflow in the project editor:
 * submit and resubmit the plan, the Ministry's decisions (the acts after
 * approval are in kc-editor-acts.c), the copy into a later plan and the pre-flight
 * check; the buttons of those the role may take in the project's status.
 * Each is one call; its answer reloads the project (the editor's state is
 * in kc-project-editor-private.h).
 */
#include "kc-project-editor-private.h"

#include <glib/gi18n.h>

#include "kc-act-dialog.h"
#include "kc-calls.h"
#include "kc-choose.h"
#include "kc-date.h"
#include "kc-editor-rows.h"
#include "kc-error.h"
#include "kc-errors.h"
#include "kc-json.h"
#include "kc-labels.h"
#include "kc-money.h"

/* The acts of the workflow */

/* What an act did, in words (not "Done."), from its method and answer. */
static char *
act_text (KcProjectEditor *self, KcCallFunc method, JsonObject *result)
{
  const char *code = kc_json_string (self->project, "code");
  const char *decision = result != NULL ? kc_json_string (result, "decision") : NULL;

  if (code == NULL)
    code = "";
  if (method == kc_session_plan_submit_async)
    {
      const char *summary = self->plan_summary;

      return g_strdup_printf (_ ("Sent to the province's appraisal: %s."),
                              summary != NULL ? summary : code);
    }
  if (method == kc_session_project_resubmit_async)
    return g_strdup_printf (_ ("Project %s sent back to the Ministry."), code);
  if (g_strcmp0 (decision, "approve") == 0)
    return g_strdup_printf (_ ("Project %s approved."), code);
  if (g_strcmp0 (decision, "reject") == 0)
    return g_strdup_printf (_ ("Project %s rejected."), code);
  if (g_strcmp0 (decision, "request_revision") == 0)
    return g_strdup_printf (_ ("Project %s sent back to the province for revision."), code);
  return g_strdup (_ ("Done."));
}

static void
act_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  kc_project_editor_set_busy (self, FALSE);
  if (reply == NULL)
    {
      if (error != NULL)
        kc_project_editor_handle_failure (self, error, data);
      return;
    }
  kc_project_editor_clear_errors (self);
  text = act_text (self, self->act_call,
                   JSON_NODE_HOLDS_OBJECT (reply) ? json_node_get_object (reply) : NULL);
  kc_project_editor_show_message (self, GTK_MESSAGE_INFO, text, FALSE);
  kc_project_editor_load (self);
}

static void
call_act (KcProjectEditor *self, KcCallFunc method, JsonNode *params)
{
  kc_project_editor_hide_message (self);
  kc_project_editor_set_busy (self, TRUE);
  self->act_call = method;
  method (self->session, params, self->cancellable, act_done_cb, self);
}

/* Asks once before an act that sends or decides: @question in words,
 * @accept on the button; @then runs on yes. */
typedef void (*AskedFunc) (KcProjectEditor *self);

static void
on_question_response_cb (GtkDialog *question, int response, gpointer user_data)
{
  KcProjectEditor *self = KC_PROJECT_EDITOR (user_data);
  AskedFunc then = self->asked_then;

  gtk_widget_destroy (GTK_WIDGET (question));
  if (response == GTK_RESPONSE_ACCEPT)
    then (self);
}

static void
ask_once (KcProjectEditor *self, const char *question, const char *accept, AskedFunc then)
{
  GtkWidget *dialog = gtk_message_dialog_new (
      GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, GTK_MESSAGE_QUESTION,
      GTK_BUTTONS_NONE, "%s", question);

  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _ ("_Go back"), GTK_RESPONSE_CANCEL, accept,
                          GTK_RESPONSE_ACCEPT, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  self->asked_then = then;
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_question_response_cb), self, 0);
  gtk_widget_show (dialog);
}

static void
submit_confirmed (KcProjectEditor *self)
{
  g_autoptr (JsonNode) params
      = kc_editor_params_new ("id", self->plan_id, "version", self->plan_version, NULL);

  call_act (self, kc_session_plan_submit_async, params);
}

static void
plan_for_submit_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (JsonNode) reply = kc_project_editor_finish_call (self, source, result);
  JsonObject *plan;
  JsonArray *projects;
  guint drafts = 0;
  g_autofree char *money = NULL;
  g_autofree char *question = NULL;

  if (reply == NULL)
    return;
  plan = json_node_get_object (reply);
  projects = kc_json_array (plan, "projects");
  for (guint i = 0; projects != NULL && i < json_array_get_length (projects); i++)
    if (g_strcmp0 (kc_json_string (json_array_get_object_element (projects, i), "status"), "draft")
        == 0)
      drafts++;
  money = kc_money_format (kc_json_int (plan, "total"));
  self->plan_version = kc_json_int (plan, "version");
  g_free (self->plan_summary);
  self->plan_summary = g_strdup_printf (_ ("plan %d: %u projects, %s"),
                                        (int)kc_json_int (plan, "year"), drafts, money);
  /* A project goes to the province's appraisal with its whole plan: say so. */
  question = g_strdup_printf (_ ("Send the whole %d plan to the province's appraisal: %u projects, "
                                 "%s? Its projects can no longer be edited until it is returned."),
                              (int)kc_json_int (plan, "year"), drafts, money);
  ask_once (self, question, _ ("S_ubmit the plan"), submit_confirmed);
}

static void
on_submit_clicked_cb (KcProjectEditor *self)
{
  if (self->dirty)
    {
      kc_project_editor_show_message (self, GTK_MESSAGE_WARNING,
                                      _ ("Save your changes before submitting."), FALSE);
      return;
    }
  kc_project_editor_set_busy (self, TRUE);
  kc_session_plan_get_async (self->session, self->plan_id, self->cancellable, plan_for_submit_cb,
                             self);
}

static void
resubmit_confirmed (KcProjectEditor *self)
{
  g_autoptr (JsonNode) params
      = kc_editor_params_new ("id", self->id, "version", self->version, NULL);

  call_act (self, kc_session_project_resubmit_async, params);
}

static void
on_resubmit_clicked_cb (KcProjectEditor *self)
{
  g_autofree char *question = NULL;

  if (self->dirty)
    {
      kc_project_editor_show_message (self, GTK_MESSAGE_WARNING,
                                      _ ("Save your changes before submitting."), FALSE);
      return;
    }
  question = g_strdup_printf (_ ("Send project %s, revised, back to the Ministry?"),
                              kc_json_string (self->project, "code"));
  ask_once (self, question, _ ("Re_submit"), resubmit_confirmed);
}

static void
approve_confirmed (KcProjectEditor *self)
{
  g_autoptr (JsonNode) params
      = kc_editor_params_new ("project_id", self->id, "version", self->version, NULL);

  json_object_set_string_member (json_node_get_object (params), "decision", "approve");
  call_act (self, kc_session_review_decide_async, params);
}

static void
on_approve_clicked_cb (KcProjectEditor *self)
{
  g_autofree char *money = kc_money_format (kc_json_int (self->project, "total"));
  g_autofree char *question
      = g_strdup_printf (_ ("Approve project %s (%s in all)? It then waits for the year's plan "
                            "decision before any money."),
                         kc_json_string (self->project, "code"), money);

  ask_once (self, question, _ ("_Approve"), approve_confirmed);
}

/* Rejecting or sending back: a comment of several lines, required. */
static JsonNode *
decide_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;
  JsonNode *params = kc_editor_params_new ("project_id", self->id, "version", self->version, NULL);

  json_object_set_string_member (json_node_get_object (params), "decision", self->deciding);
  json_object_set_string_member (json_node_get_object (params), "comment",
                                 kc_act_dialog_get_text (dialog, "comment"));
  return params;
}

static char *
decide_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  return act_text (data, kc_session_review_decide_async, result);
}

static void
decide_finished (gpointer data, const char *text)
{
  KcProjectEditor *self = data;

  kc_project_editor_clear_errors (self);
  kc_project_editor_show_message (self, GTK_MESSAGE_INFO, text, FALSE);
  kc_project_editor_load (self);
}

static void
decide (KcProjectEditor *self, const char *decision)
{
  gboolean reject = g_str_equal (decision, "reject");
  KcActDialog *dialog
      = kc_act_dialog_new (GTK_WINDOW (self), self->session,
                           reject ? _ ("Reject the project") : _ ("Request a revision"),
                           reject ? _ ("Re_ject") : _ ("_Send back"));
  g_autofree char *intro = g_strdup_printf (
      reject ? _ ("Project %s is rejected: say why; the province reads it.")
             : _ ("Project %s goes back to the province to be revised: say what to change."),
      kc_json_string (self->project, "code"));

  self->deciding = decision;
  kc_act_dialog_set_intro (dialog, intro);
  kc_act_dialog_add_long_text (dialog, "comment", _ ("_Comment"), NULL, TRUE, NULL);
  kc_project_editor_hide_message (self);
  kc_act_dialog_run (dialog, kc_session_review_decide_async, decide_build, NULL, decide_done,
                     decide_finished, g_object_ref (self), g_object_unref);
}

static void
on_reject_clicked_cb (KcProjectEditor *self)
{
  decide (self, "reject");
}

static void
on_revision_clicked_cb (KcProjectEditor *self)
{
  decide (self, "request_revision");
}

/* Copy from last year: the project into a later draft plan of the same
 * scope (the server checks the organisation too), then its editor. */

static void
copy_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (JsonNode) reply = kc_project_editor_finish_call (self, source, result);
  gint64 id;

  if (reply == NULL)
    return;
  id = kc_json_int (json_node_get_object (reply), "id");
  kc_project_editor_show_message (self, GTK_MESSAGE_INFO,
                                  _ ("Copied: the new project opens in its own window."), FALSE);
  kc_project_editor_open (gtk_window_get_transient_for (GTK_WINDOW (self)), self->session, id, 0);
}

static void
copy_chosen_cb (GObject *owner, gint64 plan_id, gpointer data)
{
  KcProjectEditor *self = KC_PROJECT_EDITOR (owner);
  g_autoptr (JsonNode) params = kc_editor_params_new ("id", self->id, "plan_id", plan_id, NULL);

  kc_project_editor_hide_message (self);
  kc_project_editor_set_busy (self, TRUE);
  kc_session_project_copy_async (self->session, params, self->cancellable, copy_done_cb, self);
}

static void
copy_plans_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (JsonNode) reply = kc_project_editor_finish_call (self, source, result);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  gint64 year;
  JsonArray *items;

  if (reply == NULL)
    return;
  year = kc_json_int (self->project, "year");
  items = kc_json_array (json_node_get_object (reply), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *plan = json_array_get_object_element (items, i);
      gint64 id = kc_json_int (plan, "id");
      const char *title = kc_json_string (plan, "title");

      if (kc_json_int (plan, "year") <= year
          || g_strcmp0 (kc_json_string (plan, "scope"), kc_json_string (self->project, "scope"))
                 != 0)
        continue;
      g_array_append_val (ids, id);
      g_ptr_array_add (texts, kc_label_plan_choice (title, kc_json_int (plan, "year"),
                                                    kc_json_string (plan, "scope"),
                                                    kc_json_string (plan, "org_name")));
    }
  if (ids->len == 0)
    {
      kc_project_editor_show_message (
          self, GTK_MESSAGE_WARNING,
          _ ("There is no draft plan of a later year to copy into. Create one on the "
             "Plans page."),
          FALSE);
      return;
    }
  kc_choose (GTK_WINDOW (self), _ ("Copy to a later year"), _ ("_Copy"), _ ("Draft plan"),
             (const gint64 *)(gpointer)ids->data, (const char *const *)texts->pdata, ids->len,
             G_OBJECT (self), copy_chosen_cb, NULL, NULL);
}

static void
on_copy_clicked_cb (KcProjectEditor *self)
{
  kc_project_editor_list_draft_plans (self, copy_plans_done_cb);
}

/* The buttons wanted by the update under way: compared with those shown
 * at its end, so that a reload that changes nothing leaves the bar alone
 * (no button moves or is replaced under the pointer). */
typedef struct
{
  char *label;
  char *tooltip;
  GCallback callback;
} Act;

static void
act_free (gpointer p)
{
  Act *a = p;

  g_free (a->label);
  g_free (a->tooltip);
  g_free (a);
}

void
kc_editor_actions_add (KcProjectEditor *self, const char *label, const char *tooltip,
                       GCallback callback)
{
  GPtrArray *wanted = self->acts_wanted;
  Act *a = g_new0 (Act, 1);

  a->label = g_strdup (label);
  a->tooltip = g_strdup (tooltip);
  a->callback = callback;
  g_ptr_array_add (wanted, a);
}

static void
show_wanted (KcProjectEditor *self, GPtrArray *wanted)
{
  g_autoptr (GList) shown = gtk_container_get_children (GTK_CONTAINER (self->actions_box));
  gboolean same = self->acts_shown != NULL && g_list_length (shown) == wanted->len
                  && self->acts_shown->len == wanted->len;
  guint i = 0;

  for (GList *l = shown; same && l != NULL; l = l->next, i++)
    {
      Act *a = wanted->pdata[i];
      Act *was = self->acts_shown->pdata[i];
      GtkWidget *button = gtk_bin_get_child (l->data);

      same = GTK_IS_BUTTON (button)
             && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (button)), a->label) == 0
             && was->callback == a->callback;
    }
  if (same)
    return;
  g_clear_pointer (&self->acts_shown, g_ptr_array_unref);
  self->acts_shown = g_ptr_array_ref (wanted);
  for (GList *l = shown; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  for (i = 0; i < wanted->len; i++)
    {
      Act *a = wanted->pdata[i];
      GtkWidget *button = gtk_button_new_with_mnemonic (a->label);

      gtk_widget_set_tooltip_text (button, a->tooltip);
      g_signal_connect_object (button, "clicked", a->callback, self, G_CONNECT_SWAPPED);
      gtk_container_add (GTK_CONTAINER (self->actions_box), button);
      gtk_widget_show (button);
      /* The flow box's wrapper is no keyboard stop of its own: the button is. */
      gtk_widget_set_can_focus (gtk_widget_get_parent (button), FALSE);
      gtk_widget_show (gtk_widget_get_parent (button));
    }
}

/* Only the acts the role may take in the project's current status. */
/* The pre-flight check: project.check runs the rules plan.submit will,
 * changing nothing; what would stop the submission is marked on its
 * fields before anything is sent. Unsaved edits are checked once saved. */
static void
preflight_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (JsonNode) reply = kc_project_editor_finish_call (self, source, result);
  JsonObject *object;
  JsonArray *violations;
  GString *rest;
  guint shown, total;

  if (reply == NULL)
    return;
  object = json_node_get_object (reply);
  violations = kc_json_array (object, "violations");
  total = violations != NULL ? json_array_get_length (violations) : 0;
  rest = g_string_new (NULL);
  shown = kc_project_editor_mark_problems (self, object, rest);
  if (total == 0)
    kc_project_editor_show_message (
        self, GTK_MESSAGE_INFO,
        self->dirty ? _ ("Nothing would stop the submission of the saved version; "
                         "save to check your latest edits.")
                    : _ ("Nothing would stop this project's submission."),
        FALSE);
  else
    {
      g_autofree char *text = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE,
                       "%u problem would stop the submission (%u marked on "
                       "the fields).%s",
                       "%u problems would stop the submission (%u marked on the fields).%s", total),
          total, shown, rest->str);
      kc_project_editor_show_message (self, GTK_MESSAGE_WARNING, text, FALSE);
    }
  g_string_free (rest, TRUE);
}

static void
on_preflight_clicked_cb (KcProjectEditor *self)
{
  g_autoptr (JsonNode) params = kc_editor_params_new ("id", self->id, NULL);

  kc_project_editor_set_busy (self, TRUE);
  kc_session_project_check_async (self->session, params, self->cancellable, preflight_done_cb,
                                  self);
}

static void add_wanted (KcProjectEditor *self, const char *st, const char *stage, gboolean ministry,
                        gboolean approver, gboolean in_queue);

void
kc_editor_actions_update (KcProjectEditor *self)
{
  const char *st = kc_project_editor_status (self);
  const char *stage = kc_json_string (self->project, "stage");
  gboolean ministry = g_str_equal (kc_project_editor_role (self), "ministry_reviewer")
                      || g_str_equal (kc_project_editor_role (self), "ministry_approver");
  gboolean approver = g_str_equal (kc_project_editor_role (self), "ministry_approver");
  gboolean in_queue
      = g_str_equal (st, "submitted")
        && (g_strcmp0 (stage, "base_appraised") == 0 || g_strcmp0 (stage, "resubmitted") == 0
            || g_strcmp0 (stage, "submitted_direct") == 0); /* a regional centre's (4b) */

  g_autoptr (GPtrArray) wanted = g_ptr_array_new_with_free_func (act_free);

  self->acts_wanted = wanted;
  if (self->id != 0)
    add_wanted (self, st, stage, ministry, approver, in_queue);
  self->acts_wanted = NULL;
  show_wanted (self, wanted);
}

static void
add_wanted (KcProjectEditor *self, const char *st, const char *stage, gboolean ministry,
            gboolean approver, gboolean in_queue)
{
  if (kc_project_editor_is_province_role (self) && g_str_equal (st, "draft"))
    kc_editor_actions_add (
        self, _ ("S_ubmit the plan"),
        _ ("Submit the project's plan with all its draft projects to the province's "
           "appraisal"),
        G_CALLBACK (on_submit_clicked_cb));
  if (kc_project_editor_is_province_role (self) && kc_project_editor_is_editable (self))
    kc_editor_actions_add (
        self, _ ("C_heck before sending"),
        _ ("List everything that would stop this project's submission, without sending"),
        G_CALLBACK (on_preflight_clicked_cb));
  if (kc_project_editor_is_province_role (self))
    kc_editor_actions_add (self, _ ("Cop_y to a later year…"),
                           _ ("Start a project of a later year's draft plan from this one"),
                           G_CALLBACK (on_copy_clicked_cb));
  if (kc_project_editor_is_province_role (self) && g_str_equal (st, "revision_requested"))
    kc_editor_actions_add (self, _ ("Re_submit"),
                           _ ("Send the revised project back to the Ministry"),
                           G_CALLBACK (on_resubmit_clicked_cb));
  if (ministry && in_queue)
    kc_editor_actions_add (self, _ ("Request _revision…"),
                           _ ("Send the project back to the province"),
                           G_CALLBACK (on_revision_clicked_cb));
  if (approver && in_queue)
    {
      kc_editor_actions_add (self, _ ("_Approve"), _ ("Approve the project"),
                             G_CALLBACK (on_approve_clicked_cb));
      kc_editor_actions_add (self, _ ("Re_ject…"), _ ("Reject the project"),
                             G_CALLBACK (on_reject_clicked_cb));
    }
  kc_editor_acts_add (self);
}
