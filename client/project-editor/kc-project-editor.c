/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-project-editor.c — KcProjectEditor: project.get/create/update, the
 * acts of the workflow, objections on their fields.
 *
 * The window holds the project as last read, the calls, saving as you go and
 * the offline drafts; the form is four sections behind one interface
 * (kc-editor-section.h: dossier, budget, indicators, beneficiaries), in the
 * notebook's first four pages, which read and write their own members.
 */
#include "kc-calls.h"
#include "kc-project-editor.h"

#include <glib/gi18n.h>

#include "kc-ask.h"
#include "kc-attachments-tab.h"
#include "kc-beneficiaries-section.h"
#include "kc-budget-section.h"
#include "kc-choose.h"
#include "kc-comments-tab.h"
#include "kc-dossier-section.h"
#include "kc-draft-store.h"
#include "kc-editor-fields.h"
#include "kc-editor-rows.h"
#include "kc-editor-section.h"
#include "kc-error.h"
#include "kc-errors.h"
#include "kc-form.h"
#include "kc-indicators-section.h"
#include "kc-json.h"
#include "kc-labels.h"
#include "kc-money.h"
#include "kc-project-editor-private.h"
#include "kc-project-tabs.h"
#include "kc-window.h"

G_DEFINE_TYPE (KcProjectEditor, kc_project_editor, GTK_TYPE_WINDOW)

static GHashTable *open_editors; /* id → KcProjectEditor (not owned) */

/* Helpers */

void
kc_project_editor_set_busy (KcProjectEditor *self, gboolean busy)
{
  gboolean idle = kc_form_count_busy (&self->busy, busy, self->spinner);

  gtk_widget_set_sensitive (GTK_WIDGET (self->actions_box), idle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), idle);
}

void
kc_project_editor_show_message (KcProjectEditor *self, GtkMessageType type, const char *text,
                                gboolean offer_reload)
{
  kc_form_show_message (self->message_bar, self->message_label, GTK_WIDGET (self->reload_button),
                        type, text, offer_reload);
}

void
kc_project_editor_hide_message (KcProjectEditor *self)
{
  gtk_widget_hide (GTK_WIDGET (self->message_bar));
}

const char *
kc_project_editor_role (KcProjectEditor *self)
{
  const char *r = kc_session_get_role (self->session);

  return r != NULL ? r : "";
}

gboolean
kc_project_editor_is_province_role (KcProjectEditor *self)
{
  return g_str_equal (kc_project_editor_role (self), "province_officer")
         || g_str_equal (kc_project_editor_role (self), "province_leader");
}

const char *
kc_project_editor_status (KcProjectEditor *self)
{
  const char *s = kc_json_string (self->project, "status");

  return s != NULL ? s : "";
}

gboolean
kc_project_editor_is_editable (KcProjectEditor *self)
{
  return kc_project_editor_is_province_role (self)
         && (self->id == 0 || g_str_equal (kc_project_editor_status (self), "draft")
             || g_str_equal (kc_project_editor_status (self), "revision_requested"));
}

JsonNode *
kc_editor_params_new (const char *first, ...)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  va_list args;

  /* (name, gint64) pairs, NULL-terminated: the ids and versions of the acts. */
  json_builder_begin_object (builder);
  va_start (args, first);
  for (const char *name = first; name != NULL; name = va_arg (args, const char *))
    {
      json_builder_set_member_name (builder, name);
      json_builder_add_int_value (builder, va_arg (args, gint64));
    }
  va_end (args);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The draft plans the user may put a project in (a new one, or a copy). */
void
kc_project_editor_list_draft_plans (KcProjectEditor *self, GAsyncReadyCallback callback)
{
  g_autoptr (JsonNode) params = kc_editor_params_new ("limit", (gint64)1000, NULL);

  json_object_set_string_member (json_node_get_object (params), "status", "draft");
  kc_project_editor_set_busy (self, TRUE);
  kc_session_plan_list_async (self->session, params, self->cancellable, callback, self);
}

/* The form */

static void schedule_autosave (KcProjectEditor *self);

static void
mark_changed_cb (KcProjectEditor *self)
{
  if (self->filling)
    return;
  self->dirty = TRUE;
  self->change_seq++;
  schedule_autosave (self);
}

/* Reading a project into the form */

static void
fill_history (KcProjectEditor *self)
{
  JsonArray *history = kc_json_array (self->project, "history");

  gtk_list_store_clear (self->history);
  for (guint i = 0; history != NULL && i < json_array_get_length (history); i++)
    {
      JsonObject *h = json_array_get_object_element (history, i);
      g_autofree char *when = kc_label_instant (kc_json_string (h, "at"));
      g_autofree char *change = NULL;
      const char *from = kc_json_string (h, "from_status");

      change = from != NULL
                   ? g_strdup_printf ("%s → %s", kc_label_project_status (from),
                                      kc_label_project_status (kc_json_string (h, "to_status")))
                   : g_strdup (kc_label_project_status (kc_json_string (h, "to_status")));
      gtk_list_store_insert_with_values (
          self->history, NULL, -1, 0, when, 1, change, 2,
          kc_label_stage (kc_json_string (h, "to_stage")), 3,
          kc_role_display_name (kc_json_string (h, "actor_role")), 4,
          kc_json_string (h, "comment") != NULL ? kc_json_string (h, "comment") : "", 5,
          kc_json_string (h, "document_no") != NULL ? kc_json_string (h, "document_no") : "", -1);
    }
}

static void
update_header (KcProjectEditor *self)
{
  g_autofree char *title = NULL;
  g_autofree char *line = NULL;
  g_autofree char *total = NULL;
  g_autofree char *version = NULL;

  if (self->id == 0)
    {
      gtk_header_bar_set_title (self->header_bar, _ ("New project"));
      gtk_header_bar_set_subtitle (self->header_bar, NULL);
      gtk_label_set_text (self->status_label, _ ("Not saved yet"));
      return;
    }
  /* Not read yet, or its reading failed (the error is shown below it): no
   * "(null) — (null)" in the title. */
  if (kc_json_string (self->project, "code") == NULL)
    title = g_strdup (_ ("Project (not read)"));
  else
    title = g_strdup_printf ("%s — %s", kc_json_string (self->project, "code"),
                             kc_json_string (self->project, "title"));
  gtk_header_bar_set_title (self->header_bar, title);
  gtk_window_set_title (GTK_WINDOW (self), title);
  total = kc_money_format (kc_json_int (self->project, "total"));
  /* TRANSLATORS: status, stage, version and total of a project */
  version = g_strdup_printf ("%" G_GINT64_FORMAT, self->version);
  line = g_strdup_printf (_ ("Status: %s · Stage: %s · Version %s · Total %s"),
                          kc_label_project_status (kc_project_editor_status (self)),
                          kc_label_stage (kc_json_string (self->project, "stage")), version, total);
  gtk_label_set_text (self->status_label, line);
  gtk_header_bar_set_subtitle (self->header_bar,
                               kc_label_project_status (kc_project_editor_status (self)));
}

/* An objection to a field, in our words: the rule's sentence with the
 * figures the server sends as data (the cap, the limit), else the rule's
 * name; the server's English only when the rule is unknown. */
static char *
describe_problem (JsonObject *item)
{
  return kc_errors_describe_violation (item, FALSE);
}

static void
show_warnings (KcProjectEditor *self, JsonArray *warnings)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; warnings != NULL && i < json_array_get_length (warnings); i++)
    {
      JsonObject *w = json_array_get_object_element (warnings, i);
      g_autofree char *line = describe_problem (w);

      g_string_append_printf (text, "%s• %s", text->len > 0 ? "\n" : "", line);
    }
  if (text->len > 0)
    /* TRANSLATORS: completeness problems that only matter at submission */
    g_string_prepend (text, _ ("To complete before submission:\n"));
  kc_form_set_label (self->warnings_label, text->str);
  g_string_free (text, TRUE);
}

void
kc_project_editor_clear_errors (KcProjectEditor *self)
{
  for (int i = 0; i < KC_EDITOR_N_TABS; i++)
    kc_editor_section_clear_errors (self->sections[i]);
}

static void
fill_form (KcProjectEditor *self)
{
  JsonObject *p = self->project;
  gboolean editable = kc_project_editor_is_editable (self);

  self->filling = TRUE;
  for (int i = 0; i < KC_EDITOR_N_TABS; i++)
    {
      kc_editor_section_load (self->sections[i], p);
      gtk_widget_set_sensitive (GTK_WIDGET (self->sections[i]), editable);
    }
  fill_history (self);
  show_warnings (self, kc_json_array (p, "warnings"));

  gtk_widget_set_visible (GTK_WIDGET (self->save_button), editable);
  update_header (self);
  kc_editor_actions_update (self);
  self->filling = FALSE;
  self->dirty = FALSE;
}

/* The read-only tabs (kc-project-tabs.c) */

static GtkWidget *
add_read_tab (KcProjectEditor *self, GtkWidget *view, const char *title)
{
  GtkWidget *label = gtk_label_new (title);

  gtk_notebook_append_page (self->notebook, view, label);
  return view;
}

static void
diff_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (JsonNode) reply = kc_project_editor_finish_call (self, source, result);
  JsonObject *diff;

  if (reply == NULL)
    return;
  diff = json_node_get_object (reply);
  /* Only a project the Ministry has sent back has something to compare. */
  if (kc_json_int (diff, "from_version") == 0)
    return;
  if (self->diff_view == NULL)
    {
      int page;

      self->diff_view
          = add_read_tab (self, kc_diff_view_new (), _ ("Changes since the version sent back"));
      /* What a reviewer opens a resubmitted project for. */
      page = gtk_notebook_page_num (self->notebook, self->diff_view);
      if (!kc_project_editor_is_province_role (self)
          && g_strcmp0 (kc_json_string (self->project, "stage"), "resubmitted") == 0)
        gtk_notebook_set_current_page (self->notebook, page);
    }
  kc_diff_view_fill (self->diff_view, diff, self->catalog);
}

static void
progress_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (JsonNode) reply = kc_project_editor_finish_call (self, source, result);
  JsonObject *budget;

  if (reply == NULL)
    return;
  g_clear_pointer (&self->progress, json_array_unref);
  if (kc_json_array (json_node_get_object (reply), "items") != NULL)
    self->progress = json_array_ref (kc_json_array (json_node_get_object (reply), "items"));
  /* The acts follow the reports (a confirmation) and the money (limits). */
  kc_editor_actions_update (self);
  budget = self->budget;
  if (budget == NULL)
    return;
  if (self->money_view == NULL)
    self->money_view = add_read_tab (self, kc_money_view_new (), _ ("Budget & implementation"));
  kc_money_view_fill (self->money_view, budget,
                      kc_json_array (json_node_get_object (reply), "items"));
}

static void
budget_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (JsonNode) reply = kc_project_editor_finish_call (self, source, result);

  if (reply == NULL)
    return;
  g_clear_pointer (&self->budget, json_object_unref);
  self->budget = json_object_ref (json_node_get_object (reply));
  kc_project_editor_set_busy (self, TRUE);
  kc_session_progress_list_async (self->session, self->id, self->cancellable, progress_done_cb,
                                  self);
}

static void
adjustments_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (JsonNode) reply = kc_project_editor_finish_call (self, source, result);

  if (reply == NULL)
    return;
  g_clear_pointer (&self->adjustments, json_array_unref);
  if (kc_json_array (json_node_get_object (reply), "items") != NULL)
    self->adjustments = json_array_ref (kc_json_array (json_node_get_object (reply), "items"));
  kc_editor_actions_update (self);
}

/* Each read again after every load: an act or an event may have changed
 * what they show. */
static void
update_read_tabs (KcProjectEditor *self)
{
  const char *st = kc_project_editor_status (self);

  /* The administrator reads no project money (budget.* refuse it). */
  if (self->id == 0 || g_str_equal (kc_project_editor_role (self), "admin"))
    return;
  if (!g_str_equal (st, "draft") || self->diff_view != NULL)
    {
      kc_project_editor_set_busy (self, TRUE);
      kc_session_review_diff_async (self->session, self->id, self->cancellable, diff_done_cb, self);
    }
  if (g_str_equal (st, "approved") || g_str_equal (st, "in_progress")
      || g_str_equal (st, "completed") || g_str_equal (st, "settled")
      || g_str_equal (st, "cancelled"))
    {
      kc_project_editor_set_busy (self, TRUE);
      kc_session_budget_project_async (self->session, self->id, self->cancellable, budget_done_cb,
                                       self);
    }
  if (g_str_equal (st, "approved") || g_str_equal (st, "in_progress"))
    {
      kc_project_editor_set_busy (self, TRUE);
      kc_session_adjustment_list_async (self->session, self->id, self->cancellable,
                                        adjustments_done_cb, self);
    }
}

/* The Attachments tab (kc-attachments-tab.c), once the project has an id. */
static void
update_attachments (KcProjectEditor *self)
{
  KcAttachmentsTab *tab = (KcAttachmentsTab *)self->attachments_tab;

  if (tab == NULL && self->id != 0)
    {
      GtkWidget *label = gtk_label_new (_ ("Attachments"));

      tab = kc_attachments_tab_new (self->session, "project", self->id);
      gtk_widget_show (GTK_WIDGET (tab));
      gtk_notebook_append_page (self->notebook, GTK_WIDGET (tab), label);
      self->attachments_tab = GTK_WIDGET (tab);
    }
  if (tab != NULL)
    kc_attachments_tab_set_status (tab, kc_project_editor_status (self));
}

/* The comment thread (kc-comments-tab.c): a national project's, from the
 * moment it is no longer a draft; who may write is the server's rule too
 * (review.comment refuses before the plan is forwarded, with its reason). */
static void
update_comments (KcProjectEditor *self)
{
  static const char *const writers[]
      = { "ministry_reviewer", "ministry_approver", "province_officer", "province_leader", NULL };
  KcCommentsTab *tab = (KcCommentsTab *)self->comments_tab;
  gboolean shown = self->id != 0
                   && g_strcmp0 (kc_json_string (self->project, "scope"), "national") == 0
                   && g_strcmp0 (kc_project_editor_status (self), "draft") != 0;

  if (tab == NULL && shown)
    {
      GtkWidget *label = gtk_label_new (_ ("Comments"));

      tab = kc_comments_tab_new (self->session, self->id);
      gtk_widget_show (GTK_WIDGET (tab));
      gtk_notebook_append_page (self->notebook, GTK_WIDGET (tab), label);
      self->comments_tab = GTK_WIDGET (tab);
    }
  if (tab != NULL)
    kc_comments_tab_set_can_post (
        tab, g_strv_contains (writers, kc_session_get_role (self->session) != NULL
                                           ? kc_session_get_role (self->session)
                                           : ""));
}

static void update_read_tabs (KcProjectEditor *self);

void
kc_project_editor_set_project (KcProjectEditor *self, JsonObject *project)
{
  gint64 old_id = self->id;

  g_clear_pointer (&self->project, json_object_unref);
  self->project = json_object_ref (project);
  self->id = kc_json_int (project, "id");
  self->version = kc_json_int (project, "version");
  self->plan_id = kc_json_int (project, "plan_id");
  if (old_id == 0 && self->id != 0)
    {
      g_hash_table_insert (open_editors, g_memdup2 (&self->id, sizeof self->id), self);
      kc_dossier_section_lock_plan (self->dossier_section);
    }
  fill_form (self);
  update_attachments (self);
  update_comments (self);
  update_read_tabs (self);
}

/* Writing the form out */

/* The params of project.create (@creating) or project.update: every member
 * for a new project, only what changed for an existing one. */
static JsonObject *
collect (KcProjectEditor *self, gboolean creating, int *bad_section)
{
  g_autoptr (JsonObject) params = json_object_new ();
  gboolean ok = TRUE;

  *bad_section = -1;
  for (int i = 0; i < KC_EDITOR_N_TABS; i++)
    if (!kc_editor_section_apply (self->sections[i], params, self->project, creating))
      {
        ok = FALSE;
        if (*bad_section < 0)
          *bad_section = i;
      }
  if (creating)
    {
      gint64 plan = kc_dossier_section_get_plan_id (self->dossier_section);

      if (plan == 0)
        {
          kc_editor_section_mark (KC_EDITOR_SECTION (self->dossier_section), "plan_id",
                                  _ ("Choose a draft plan. Create one on the Plans page."));
          ok = FALSE;
          if (*bad_section < 0)
            *bad_section = KC_EDITOR_TAB_DOSSIER;
        }
      else
        json_object_set_int_member (params, "plan_id", plan);
    }
  else
    {
      json_object_set_int_member (params, "id", self->id);
      json_object_set_int_member (params, "version", self->version);
    }
  return ok ? g_steal_pointer (&params) : NULL;
}

/* Objections on their fields */

static int
show_on_field (KcProjectEditor *self, const char *field, JsonObject *item)
{
  g_autofree char *text = describe_problem (item);

  for (int i = 0; i < KC_EDITOR_N_TABS; i++)
    if (kc_editor_section_mark (self->sections[i], field, text))
      return i;
  return -1;
}

/* -32602 data.fields and 1022 data.violations; the rest goes to the
 * message bar. A plan's submission names fields "projects[CODE].…". */
/* Marks each item of @object's fields and violations on its field; what
 * names no field here goes to @rest, one "• …" line each. Returns how many
 * were marked and opens the tab of the first. */
guint
kc_project_editor_mark_problems (KcProjectEditor *self, JsonObject *object, GString *rest)
{
  const char *members[] = { "fields", "violations" };
  const char *code = kc_json_string (self->project, "code");
  int first_tab = -1;
  guint shown = 0;

  kc_project_editor_clear_errors (self);
  for (gsize m = 0; object != NULL && m < G_N_ELEMENTS (members); m++)
    {
      JsonArray *list = kc_json_array (object, members[m]);

      for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
        {
          JsonObject *item = json_array_get_object_element (list, i);
          const char *field = kc_json_string (item, "field");
          int tab = -1;

          if (field != NULL && g_str_has_prefix (field, "projects["))
            {
              const char *close = strstr (field, "].");

              if (close != NULL && code != NULL
                  && strncmp (field + strlen ("projects["), code, strlen (code)) == 0)
                field = close + 2;
              else
                field = NULL; /* another project of the plan */
            }
          if (field != NULL)
            tab = show_on_field (self, field, item);
          if (tab < 0)
            {
              g_autofree char *text = describe_problem (item);
              g_string_append_printf (rest, "\n• %s", text);
            }
          else
            {
              shown++;
              if (first_tab < 0)
                first_tab = tab;
            }
        }
    }
  if (object != NULL && json_object_has_member (object, "warnings"))
    show_warnings (self, kc_json_array (object, "warnings"));
  if (first_tab >= 0)
    gtk_notebook_set_current_page (self->notebook, first_tab);
  return shown;
}

static void
show_problems (KcProjectEditor *self, const GError *error, JsonNode *data)
{
  JsonObject *object
      = data != NULL && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  GString *rest = g_string_new (NULL);
  guint shown = kc_project_editor_mark_problems (self, object, rest);

  if (shown > 0 || rest->len > 0)
    {
      g_autofree char *text = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "The server refused: %u problem is marked on its field.%s",
                       "The server refused: %u problems are marked on their fields.%s", shown),
          shown, rest->str);
      kc_project_editor_show_message (self, GTK_MESSAGE_ERROR, text, FALSE);
    }
  else
    {
      g_autofree char *text = kc_describe_error (error);
      kc_project_editor_show_message (self, GTK_MESSAGE_ERROR, text, FALSE);
    }
  g_string_free (rest, TRUE);
}

/* What someone else changed: the members of the project as the server now
 * has it that differ from the version this form was built on, named as the
 * form names them. */
static void
conflict_get_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, NULL, &error);
  g_autofree char *changed = NULL;
  g_autofree char *text = NULL;

  /* Cancelled: the editor may be gone (not even its cancellable may be read). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reply != NULL && JSON_NODE_HOLDS_OBJECT (reply))
    changed = kc_editor_fields_changed_names (self->project, json_node_get_object (reply));
  if (changed == NULL)
    return; /* the first message stands */
  /* TRANSLATORS: %s lists the fields someone else changed */
  text = g_strdup_printf (_ ("Someone else changed this project meanwhile: %s. Reload it to see "
                             "their changes (yours are not saved)."),
                          changed);
  kc_project_editor_show_message (self, GTK_MESSAGE_WARNING, text, TRUE);
}

void
kc_project_editor_handle_failure (KcProjectEditor *self, const GError *error, JsonNode *data)
{
  if (g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_CONFLICT))
    {
      kc_project_editor_show_message (
          self, GTK_MESSAGE_WARNING,
          _ ("Someone else changed this project meanwhile. Reload it to see their "
             "changes (yours are not saved)."),
          TRUE);
      /* Then say which fields: the project as it is now, beside the form's. */
      if (self->id != 0)
        kc_session_project_get_async (self->session, self->id, self->cancellable,
                                      conflict_get_done_cb, self);
      return;
    }
  if (g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_PARAMS)
      || g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_RULE))
    {
      show_problems (self, error, data);
      return;
    }
  if (g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_SESSION_EXPIRED)
      || g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_NOT_LOGGED_IN))
    {
      KcWindow *window = kc_window_for_widget (GTK_WIDGET (self));

      if (window != NULL)
        kc_window_show_error (window, error, data);
      return;
    }
  {
    g_autofree char *text = kc_describe_error (error);
    kc_project_editor_show_message (self, GTK_MESSAGE_ERROR, text, FALSE);
  }
}

/* The answer of a call the editor made, when it is an object; NULL when the
 * call was cancelled (the editor may be gone: nothing of it is touched) or
 * failed (shown). Ends the busy state unless cancelled. */
JsonNode *
kc_project_editor_finish_call (KcProjectEditor *self, GObject *source, GAsyncResult *result)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return NULL;
  kc_project_editor_set_busy (self, FALSE);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL)
        kc_project_editor_handle_failure (self, error, data);
      return NULL;
    }
  return g_steal_pointer (&reply);
}

/* Saving and loading */

static gboolean keep_offline (KcProjectEditor *self, const GError *error);

static void
save_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  kc_project_editor_set_busy (self, FALSE);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL && !keep_offline (self, error))
        kc_project_editor_handle_failure (self, error, data);
      return;
    }
  kc_project_editor_clear_errors (self);
  if (self->sent_seq != self->change_seq)
    {
      /* Typed on while it was on its way: keep the form, take the new
       * version, and save the rest in a moment. Not "Saved." yet: the form
       * still holds edits the server has not got (the submit and resubmit
       * buttons refuse a form in that state), and a person who reads
       * "Saved." and sends would be told to save first. */
      JsonObject *saved = json_node_get_object (reply);

      g_clear_pointer (&self->project, json_object_unref);
      self->project = json_object_ref (saved);
      self->version = kc_json_int (saved, "version");
      schedule_autosave (self);
      return;
    }
  kc_project_editor_set_project (self, json_node_get_object (reply));
  kc_project_editor_show_message (self, GTK_MESSAGE_INFO, _ ("Saved."), FALSE);
}

/* Brings the tab of section @index (a KcEditorTab; < 0: none) to the front:
 * where the first mark of a form that cannot be read is. */
static void
show_section (KcProjectEditor *self, int index)
{
  GtkWidget *section;

  if (index < 0)
    return;
  section = GTK_WIDGET (self->sections[index]);
  for (int page = 0; page < gtk_notebook_get_n_pages (self->notebook); page++)
    {
      GtkWidget *child = gtk_notebook_get_nth_page (self->notebook, page);

      if (child == section || gtk_widget_is_ancestor (section, child))
        {
          gtk_notebook_set_current_page (self->notebook, page);
          return;
        }
    }
}

/* Saves the form; @automatic: the save as you go, which only saves an
 * existing project (a new one is created when the user says so) and says
 * nothing about a form it cannot read yet (the user is still typing). */
static void
save (KcProjectEditor *self, gboolean automatic)
{
  gboolean creating = self->id == 0;
  g_autoptr (JsonObject) params = NULL;
  int bad_section = -1;

  g_clear_handle_id (&self->autosave_id, g_source_remove);
  if (!kc_project_editor_is_editable (self) || self->busy > 0
      || (automatic && (creating || !self->dirty)))
    return;
  if (!automatic)
    {
      kc_project_editor_clear_errors (self);
      kc_project_editor_hide_message (self);
    }
  params = collect (self, creating, &bad_section);
  if (params == NULL)
    {
      if (!automatic)
        {
          show_section (self, bad_section);
          kc_project_editor_show_message (self, GTK_MESSAGE_ERROR,
                                          _ ("Some fields cannot be read: see the marks."), FALSE);
        }
      return;
    }
  self->sent_seq = self->change_seq;
  /* What to keep on this computer should the server be out of reach. */
  g_clear_pointer (&self->sent_params, json_object_unref);
  self->sent_params = json_object_ref (params);
  kc_project_editor_set_busy (self, TRUE);
  if (creating)
    kc_session_project_create_async (self->session, params, self->cancellable, save_done_cb, self);
  else
    kc_session_project_update_async (self->session, params, self->cancellable, save_done_cb, self);
}

static void
on_save_clicked_cb (KcProjectEditor *self)
{
  save (self, FALSE);
}

#define AUTOSAVE_DELAY_S 4

static gboolean
autosave_cb (gpointer user_data)
{
  KcProjectEditor *self = user_data;

  self->autosave_id = 0;
  /* Another call under way (a check, an act): try again after it. */
  if (self->busy > 0)
    schedule_autosave (self);
  else
    save (self, TRUE);
  return G_SOURCE_REMOVE;
}

static void
schedule_autosave (KcProjectEditor *self)
{
  if (self->id == 0 || !kc_project_editor_is_editable (self))
    return;
  g_clear_handle_id (&self->autosave_id, g_source_remove);
  self->autosave_id = g_timeout_add_seconds (AUTOSAVE_DELAY_S, autosave_cb, self);
}

static void
get_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (JsonNode) reply = kc_project_editor_finish_call (self, source, result);

  if (reply == NULL)
    return;
  kc_project_editor_set_project (self, json_node_get_object (reply));
}

void
kc_project_editor_load (KcProjectEditor *self)
{
  kc_project_editor_set_busy (self, TRUE);
  kc_session_project_get_async (self->session, self->id, self->cancellable, get_done_cb, self);
}

static void
plans_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (JsonNode) reply = kc_project_editor_finish_call (self, source, result);

  if (reply == NULL)
    return;
  kc_dossier_section_set_plans (
      self->dossier_section, kc_json_array (json_node_get_object (reply), "items"), self->plan_id);
}

static void
catalog_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  kc_project_editor_set_busy (self, FALSE);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL)
        kc_project_editor_handle_failure (self, error, data);
    }
  else
    {
      self->catalog = json_object_ref (json_node_get_object (reply));
      self->filling = TRUE;
      for (int i = 0; i < KC_EDITOR_N_TABS; i++)
        kc_editor_section_set_catalog (self->sections[i], self->catalog);
      self->filling = FALSE;
    }
  if (self->id != 0)
    kc_project_editor_load (self);
  else
    kc_project_editor_list_draft_plans (self, plans_done_cb);
}

/* Callbacks */

static void
on_session_event_cb (KcSession *session, const char *topic, JsonNode *params, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  JsonObject *object;

  if (self->id == 0 || params == NULL || !JSON_NODE_HOLDS_OBJECT (params))
    return;
  /* A comment changes the thread, not the project. */
  if (g_str_equal (topic, "comment"))
    {
      KcCommentsTab *tab = (KcCommentsTab *)self->comments_tab;

      if (tab != NULL && kc_json_int (json_node_get_object (params), "id") == self->id)
        kc_comments_tab_refresh (tab);
      return;
    }
  if (!g_str_equal (topic, "project") && !g_str_equal (topic, "allocation")
      && !g_str_equal (topic, "payment"))
    return;
  object = json_node_get_object (params);
  if (kc_json_int (object, "id") != self->id)
    return;
  if (!g_str_equal (topic, "project") || kc_json_int (object, "version") != self->version)
    {
      if (!self->dirty)
        kc_project_editor_load (self);
      else
        kc_project_editor_show_message (
            self, GTK_MESSAGE_WARNING,
            _ ("This project was changed elsewhere. Reload it to see the changes "
               "(yours are not saved)."),
            TRUE);
    }
}

static void
on_message_bar_response_cb (KcProjectEditor *self, int response)
{
  kc_project_editor_hide_message (self);
}

static void
on_reload_clicked_cb (KcProjectEditor *self)
{
  kc_project_editor_hide_message (self);
  kc_project_editor_clear_errors (self);
  if (self->id != 0)
    kc_project_editor_load (self);
}

/* Offline drafts (kc-draft-store.c) */

/* An edit of a draft (or a new project) the server could not receive is kept
 * on this computer and sent when the session is back. */
static gboolean
keep_offline (KcProjectEditor *self, const GError *error)
{
  JsonObject *params = self->sent_params;
  g_autoptr (GError) keep_error = NULL;

  if (params == NULL || !kc_draft_store_is_offline_error (error))
    return FALSE;
  if (!kc_draft_store_keep_from (kc_draft_store_get (self->session), G_OBJECT (self), params,
                                 &keep_error))
    {
      g_warning ("cannot keep the edit: %s", keep_error->message);
      return FALSE;
    }
  kc_project_editor_show_message (
      self, GTK_MESSAGE_WARNING,
      _ ("Saved on this computer; it will be sent when the connection is back."), FALSE);
  return TRUE;
}

static void
on_draft_sent_cb (KcDraftStore *store, gint64 id, JsonNode *project, gpointer user_data)
{
  KcProjectEditor *self = user_data;

  if (id != self->id && (self->id != 0 || id != kc_draft_store_local_id (G_OBJECT (self))))
    return;
  kc_project_editor_clear_errors (self);
  kc_project_editor_set_project (self, json_node_get_object (project));
  kc_project_editor_show_message (self, GTK_MESSAGE_INFO,
                                  _ ("The edit kept on this computer has been sent to the server."),
                                  FALSE);
}

static void
on_draft_conflict_cb (KcDraftStore *store, gint64 id, gpointer user_data)
{
  KcProjectEditor *self = user_data;

  if (id == self->id)
    kc_project_editor_show_message (
        self, GTK_MESSAGE_WARNING,
        _ ("The server refused the edit kept on this computer: choose in the conflict "
           "window which values to keep."),
        FALSE);
}

static void
on_draft_dropped_cb (KcDraftStore *store, gint64 id, gpointer user_data)
{
  KcProjectEditor *self = user_data;

  if (id != self->id)
    return;
  kc_project_editor_hide_message (self);
  kc_project_editor_clear_errors (self);
  kc_project_editor_load (self);
}

static void
watch_drafts (KcProjectEditor *self)
{
  KcDraftStore *store = kc_draft_store_get (self->session);

  g_set_object (&self->drafts, store);
  g_signal_connect_object (store, "sent", G_CALLBACK (on_draft_sent_cb), self, 0);
  g_signal_connect_object (store, "conflict", G_CALLBACK (on_draft_conflict_cb), self, 0);
  g_signal_connect_object (store, "dropped", G_CALLBACK (on_draft_dropped_cb), self, 0);
  if (self->id != 0 && kc_draft_store_lookup (store, self->id) != NULL)
    kc_project_editor_show_message (
        self, GTK_MESSAGE_WARNING,
        _ ("An edit of this project is kept on this computer and waits to be sent."), FALSE);
}

/* GObject overrides */

static void
kc_project_editor_dispose (GObject *object)
{
  KcProjectEditor *self = KC_PROJECT_EDITOR (object);

  /* GTK 3's accessible of a removed notebook page asks the notebook for its
   * tab label (Gtk-CRITICAL gtk_notebook_get_tab_label) when the AT-SPI
   * bridge first meets it, as the pages go; without tabs it does not ask. */
  if (self->notebook != NULL)
    gtk_notebook_set_show_tabs (self->notebook, FALSE);
  g_clear_handle_id (&self->autosave_id, g_source_remove);
  if (self->id != 0 && open_editors != NULL
      && g_hash_table_lookup (open_editors, &self->id) == self)
    g_hash_table_remove (open_editors, &self->id);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* The session and its draft store outlive the editor: no event, sent or
   * conflicting draft may reach a destroyed one. */
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->drafts != NULL)
    g_signal_handlers_disconnect_by_data (self->drafts, self);
  g_clear_object (&self->drafts);
  g_clear_pointer (&self->project, json_object_unref);
  g_clear_pointer (&self->catalog, json_object_unref);
  g_clear_pointer (&self->budget, json_object_unref);
  g_clear_pointer (&self->progress, json_array_unref);
  g_clear_pointer (&self->adjustments, json_array_unref);
  g_clear_pointer (&self->sent_params, json_object_unref);
  g_clear_pointer (&self->plan_summary, g_free);
  g_clear_pointer (&self->acts_shown, g_ptr_array_unref);
  g_clear_object (&self->history);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (kc_project_editor_parent_class)->dispose (object);
}

static void
kc_project_editor_class_init (KcProjectEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kc_project_editor_dispose;

  /* The sections in the template. */
  g_type_ensure (KC_TYPE_DOSSIER_SECTION);
  g_type_ensure (KC_TYPE_BUDGET_SECTION);
  g_type_ensure (KC_TYPE_INDICATORS_SECTION);
  g_type_ensure (KC_TYPE_BENEFICIARIES_SECTION);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-project-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, header_bar);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, spinner);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, message_bar);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, message_label);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, reload_button);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, status_label);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, actions_box);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, warnings_label);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, notebook);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, dossier_section);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, budget_section);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, indicators_section);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, beneficiaries_section);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, history_view);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_message_bar_response_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_reload_clicked_cb);
}

static void
kc_project_editor_init (KcProjectEditor *self)
{
  const char *titles[]
      = { N_ ("When"), N_ ("Status"), N_ ("Stage"), N_ ("Role"), N_ ("Comment"), N_ ("Document") };
  GtkAccelGroup *accels = gtk_accel_group_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->history = gtk_list_store_new (6, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                                      G_TYPE_STRING, G_TYPE_STRING);
  gtk_tree_view_set_model (self->history_view, GTK_TREE_MODEL (self->history));
  for (int i = 0; i < 6; i++)
    {
      GtkCellRenderer *renderer = gtk_cell_renderer_text_new ();
      GtkTreeViewColumn *col
          = gtk_tree_view_column_new_with_attributes (_ (titles[i]), renderer, "text", i, NULL);

      gtk_tree_view_column_set_resizable (col, TRUE);
      gtk_tree_view_append_column (self->history_view, col);
    }
  gtk_window_add_accel_group (GTK_WINDOW (self), accels);
  gtk_widget_add_accelerator (GTK_WIDGET (self->save_button), "clicked", accels, GDK_KEY_s,
                              GDK_CONTROL_MASK, GTK_ACCEL_VISIBLE);
  g_object_unref (accels);
  self->sections[KC_EDITOR_TAB_DOSSIER] = KC_EDITOR_SECTION (self->dossier_section);
  self->sections[KC_EDITOR_TAB_BUDGET] = KC_EDITOR_SECTION (self->budget_section);
  self->sections[KC_EDITOR_TAB_INDICATORS] = KC_EDITOR_SECTION (self->indicators_section);
  self->sections[KC_EDITOR_TAB_BENEFICIARIES] = KC_EDITOR_SECTION (self->beneficiaries_section);
  for (int i = 0; i < KC_EDITOR_N_TABS; i++)
    {
      GtkWidget *viewport = gtk_widget_get_parent (GTK_WIDGET (self->sections[i]));

      g_signal_connect_object (self->sections[i], "changed", G_CALLBACK (mark_changed_cb), self,
                               G_CONNECT_SWAPPED);
      /* A field given the focus (Tab, a mnemonic, an error shown, assistive
       * technologies) is scrolled into view, and what is offered under it
       * with it (issue 17). */
      if (GTK_IS_SCROLLABLE (viewport))
        gtk_container_set_focus_vadjustment (
            GTK_CONTAINER (self->sections[i]),
            gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (viewport)));
    }
}

/* Public API */

KcProjectEditor *
kc_project_editor_open (GtkWindow *parent, KcSession *session, gint64 id, gint64 plan_id)
{
  KcProjectEditor *self;

  if (open_editors == NULL)
    open_editors = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self = id != 0 ? g_hash_table_lookup (open_editors, &id) : NULL;
  if (self != NULL)
    {
      gtk_window_present (GTK_WINDOW (self));
      return self;
    }
  self = g_object_new (KC_TYPE_PROJECT_EDITOR, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  self->id = id;
  self->plan_id = plan_id;
  if (id != 0)
    g_hash_table_insert (open_editors, g_memdup2 (&id, sizeof id), self);
  else
    kc_dossier_section_add_plan_chooser (self->dossier_section);
  g_signal_connect_object (session, "event", G_CALLBACK (on_session_event_cb), self, 0);
  watch_drafts (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button),
                            kc_project_editor_is_province_role (self));
  gtk_widget_set_visible (GTK_WIDGET (self->save_button),
                          kc_project_editor_is_province_role (self));
  /* Who writes the dossier is offered names while typing (issue 17). */
  if (kc_project_editor_is_province_role (self))
    kc_dossier_section_suggest (self->dossier_section, session);
  update_header (self);
  kc_project_editor_set_busy (self, TRUE);
  kc_session_catalog_get_async (session, self->cancellable, catalog_done_cb, self);
  gtk_window_present (GTK_WINDOW (self));
  return self;
}

const char *
kc_project_editor_field_label (const char *member)
{
  const char *label = kc_editor_field_label (member);

  return label != NULL ? label : member;
}
