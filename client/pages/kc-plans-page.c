/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-plans-page.c — KcPlansPage: plan.list and the plan's acts.
 */
#include "kc-plans-page.h"

#include "kc-calls.h"
#include "kc-lazy.h"
#include "kc-decisions-panel.h"

#include <glib/gi18n.h>

#include "kc-ask.h"
#include "kc-date.h"
#include "kc-error.h"
#include "kc-errors.h"
#include "kc-json.h"
#include "kc-labels.h"
#include "kc-plan.h"
#include "kc-record-list.h"
#include "kc-table-page.h"
#include "kc-window.h"
#include "kc-column-layout.h"

#define PAGE_SIZE 200

enum
{
  COL_ID,
  COL_VERSION,
  COL_YEAR,
  COL_SCOPE,
  COL_ORG,
  COL_TITLE,
  COL_STATUS_CODE,
  COL_STATUS,
  COL_PROJECTS,
  COL_TOTAL,
  COL_TOTAL_TEXT,
  COL_DEADLINE,
  COL_SCOPE_CODE,
  N_COLUMNS
};

struct _KcPlansPage
{
  GtkBox parent_instance;

  GtkButton *new_button;
  GtkButton *submit_button;
  GtkButton *import_button;
  GtkButton *withdraw_button;
  GtkButton *forward_button;
  GtkButton *return_button;
  GtkButton *approve_button;
  GtkSpinner *spinner;
  GtkLabel *count_label;
  GtkTreeView *tree_view;

  KcSession *session;
  /* The plans read (KcPlan), in the server's order; the view shows them
   * through @list (which sorts when a header is clicked). */
  GListStore *plans;
  KcRecordList *list;
  GCancellable *cancellable;
  GtkFileChooserNative *chooser;
  gint64 import_plan_id;
  /* A plan the home page asked for before its row had arrived (the list
   * still loading, or the plan's event not yet fetched): selected as soon as
   * its row is set. */
  gint64 wanted_id;
};

G_DEFINE_TYPE (KcPlansPage, kc_plans_page, GTK_TYPE_BOX)

enum
{
  SIGNAL_PLAN_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void fetch_page (KcPlansPage *self, const char *cursor);
static gboolean select_row (KcPlansPage *self, gint64 id);
static void on_selection_changed_cb (KcPlansPage *self);

/* Helpers */

static void
show_error (KcPlansPage *self, const GError *error, JsonNode *data)
{
  gtk_spinner_stop (self->spinner);
  kc_window_show_error_for (GTK_WIDGET (self), error, data);
}

/* The columns, read from each plan when the view asks (by number:
 * kc-column-layout remembers a sort by its column's number). */

static void
get_id (gpointer plan, GValue *value, gpointer page)
{
  g_value_set_int64 (value, kc_plan_get_id (plan));
}

static void
get_version (gpointer plan, GValue *value, gpointer page)
{
  g_value_set_int64 (value, kc_plan_get_version (plan));
}

static void
get_year (gpointer plan, GValue *value, gpointer page)
{
  g_value_set_int (value, kc_plan_get_year (plan));
}

static void
get_scope (gpointer plan, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_label_scope (kc_plan_get_scope (plan)));
}

static void
get_org (gpointer plan, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_plan_get_org_name (plan));
}

static void
get_title (gpointer plan, GValue *value, gpointer page)
{
  /* an untitled plan by its year and scope, as the home page names it */
  g_value_take_string (value, kc_label_plan_name (kc_plan_get_title (plan), kc_plan_get_year (plan),
                                                  kc_plan_get_scope (plan)));
}

static void
get_status_code (gpointer plan, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_plan_get_status (plan));
}

static void
get_status (gpointer plan, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_label_plan_status (kc_plan_get_status (plan)));
}

static void
get_projects (gpointer plan, GValue *value, gpointer page)
{
  g_value_set_int (value, kc_plan_get_project_count (plan));
}

static void
get_total (gpointer plan, GValue *value, gpointer page)
{
  g_value_set_int64 (value, kc_plan_get_total (plan));
}

static void
get_total_text (gpointer plan, GValue *value, gpointer page)
{
  g_value_take_string (value, kc_label_money (kc_plan_get_total (plan)));
}

static void
get_deadline (gpointer plan, GValue *value, gpointer page)
{
  const char *iso = kc_plan_get_deadline (plan);
  GDate date;

  if (iso != NULL && kc_date_parse_iso (iso, &date))
    g_value_take_string (value, kc_date_format_vn (&date));
  else
    g_value_set_static_string (value, "");
}

static void
get_scope_code (gpointer plan, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_plan_get_scope (plan));
}

static const KcRecordColumn columns[N_COLUMNS] = {
  [COL_ID] = { G_TYPE_INT64, get_id },
  [COL_VERSION] = { G_TYPE_INT64, get_version },
  [COL_YEAR] = { G_TYPE_INT, get_year },
  [COL_SCOPE] = { G_TYPE_STRING, get_scope },
  [COL_ORG] = { G_TYPE_STRING, get_org },
  [COL_TITLE] = { G_TYPE_STRING, get_title },
  [COL_STATUS_CODE] = { G_TYPE_STRING, get_status_code },
  [COL_STATUS] = { G_TYPE_STRING, get_status },
  [COL_PROJECTS] = { G_TYPE_INT, get_projects },
  [COL_TOTAL] = { G_TYPE_INT64, get_total },
  [COL_TOTAL_TEXT] = { G_TYPE_STRING, get_total_text },
  [COL_DEADLINE] = { G_TYPE_STRING, get_deadline },
  [COL_SCOPE_CODE] = { G_TYPE_STRING, get_scope_code },
};

/* The position of plan @id in the list, or FALSE. */
static gboolean
find_plan (KcPlansPage *self, gint64 id, guint *position)
{
  GListModel *plans = G_LIST_MODEL (self->plans);
  guint n = g_list_model_get_n_items (plans);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (KcPlan) plan = g_list_model_get_item (plans, i);

      if (kc_plan_get_id (plan) == id)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* @plan (borrowed) read now: in place of its old record, else at the end. */
static void
put_plan (KcPlansPage *self, KcPlan *plan)
{
  guint position;

  if (find_plan (self, kc_plan_get_id (plan), &position))
    g_list_store_splice (self->plans, position, 1, (gpointer *)&plan, 1);
  else
    g_list_store_append (self->plans, plan);
}

static gboolean
get_selected (KcPlansPage *self, gint64 *id, gint64 *version, char **status, char **scope)
{
  GtkTreeSelection *selection = gtk_tree_view_get_selection (self->tree_view);
  GtkTreeModel *model;
  GtkTreeIter iter;
  KcPlan *plan;

  if (!gtk_tree_selection_get_selected (selection, &model, &iter))
    return FALSE;
  plan = kc_record_list_get_record (model, &iter);
  *id = kc_plan_get_id (plan);
  *version = kc_plan_get_version (plan);
  *status = g_strdup (kc_plan_get_status (plan));
  *scope = g_strdup (kc_plan_get_scope (plan));
  return TRUE;
}

static void
update_count (KcPlansPage *self)
{
  int n = (int)g_list_model_get_n_items (G_LIST_MODEL (self->plans));
  g_autofree char *count
      = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d plan", "%d plans", n), n);

  gtk_label_set_text (self->count_label, count);
}

static JsonObject *
id_version (gint64 id, gint64 version)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "id", id);
  json_object_set_int_member (object, "version", version);
  return object;
}

/* Callbacks */

static void
list_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcPlansPage *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);
  JsonObject *object;
  JsonArray *items;
  const char *next;
  g_autoptr (GPtrArray) page = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL)
        show_error (self, error, data);
      return;
    }
  object = json_node_get_object (reply);
  items = json_object_get_array_member (object, "items");
  page = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    g_ptr_array_add (page, kc_plan_new_from_json (json_array_get_object_element (items, i)));
  g_list_store_splice (self->plans, g_list_model_get_n_items (G_LIST_MODEL (self->plans)), 0,
                       page->pdata, page->len);
  update_count (self);
  if (self->wanted_id != 0 && select_row (self, self->wanted_id))
    self->wanted_id = 0;
  next = json_object_get_string_member_with_default (object, "next_cursor", NULL);
  if (next != NULL)
    fetch_page (self, next);
  else
    {
      self->wanted_id = 0;
      gtk_spinner_stop (self->spinner);
    }
}

static void
fetch_page (KcPlansPage *self, const char *cursor)
{
  g_autoptr (JsonObject) params = json_object_new ();
  g_autoptr (JsonNode) node = NULL;

  json_object_set_int_member (params, "limit", PAGE_SIZE);
  if (cursor != NULL)
    json_object_set_string_member (params, "cursor", cursor);
  node = json_node_init_object (json_node_alloc (), params);
  gtk_spinner_start (self->spinner);
  kc_session_plan_list_async (self->session, node, self->cancellable, list_done_cb, self);
}

static void
plan_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcPlansPage *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);
  g_autoptr (KcPlan) plan = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_spinner_stop (self->spinner);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL && !g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_NOT_FOUND))
        show_error (self, error, data);
      return;
    }
  plan = kc_plan_new_from_json (json_node_get_object (reply));
  put_plan (self, plan);
  update_count (self);
  if (self->wanted_id != 0 && select_row (self, self->wanted_id))
    self->wanted_id = 0;
}

/* A plan's submission lists every objection of its projects. */
static void
act_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcPlansPage *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);
  JsonObject *object;
  JsonArray *violations;
  GString *text;
  GtkWidget *dialog;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_spinner_stop (self->spinner);
  if (reply != NULL)
    {
      g_autoptr (KcPlan) plan = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (reply))
        return;
      plan = kc_plan_new_from_json (json_node_get_object (reply));
      put_plan (self, plan);
      update_count (self);
      on_selection_changed_cb (self);
      return;
    }
  object = data != NULL && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  violations = object != NULL && json_object_has_member (object, "violations")
                   ? json_object_get_array_member (object, "violations")
                   : NULL;
  if (violations == NULL)
    {
      show_error (self, error, data);
      return;
    }
  text = g_string_new (NULL);
  for (guint i = 0; i < json_array_get_length (violations); i++)
    {
      JsonObject *v = json_array_get_object_element (violations, i);
      g_autofree char *line = kc_errors_describe_violation (v, TRUE);

      g_string_append_printf (text, "• %s\n", line);
    }
  dialog = gtk_message_dialog_new (GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE, "%s",
                                   _ ("The server refused: the plan's projects break rules. Open "
                                      "each project to see the problems on its fields."));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", text->str);
  g_string_free (text, TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
call_act (KcPlansPage *self, KcCallFunc method, JsonObject *params)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), params);

  gtk_spinner_start (self->spinner);
  method (self->session, node, self->cancellable, act_done_cb, self);
}

static void
on_session_event_cb (KcSession *session, const char *topic, JsonNode *params, gpointer user_data)
{
  KcPlansPage *self = user_data;
  JsonObject *object;

  if (!g_str_equal (topic, "plan") || params == NULL || !JSON_NODE_HOLDS_OBJECT (params))
    return;
  /* Not shown yet: it reads everything when shown. */
  if (!kc_lazy_ready (GTK_WIDGET (self)))
    return;
  object = json_node_get_object (params);
  kc_session_plan_get_async (self->session, kc_json_int (object, "id"), self->cancellable,
                             plan_done_cb, self);
}

static void
on_selection_changed_cb (KcPlansPage *self)
{
  gint64 id = 0, version = 0;
  g_autofree char *status = NULL;
  g_autofree char *scope = NULL;
  gboolean selected = get_selected (self, &id, &version, &status, &scope);

  gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button),
                            selected && g_strcmp0 (status, "draft") == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button),
                            selected && g_strcmp0 (status, "draft") == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->withdraw_button),
                            selected && g_strcmp0 (status, "submitted") == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->forward_button),
                            selected && g_strcmp0 (status, "submitted") == 0
                                && g_strcmp0 (scope, "national") == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->return_button),
                            selected && g_strcmp0 (status, "submitted") == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->approve_button),
                            selected && g_strcmp0 (status, "submitted") == 0
                                && g_strcmp0 (scope, "local") == 0);
}

static void
on_row_activated_cb (KcPlansPage *self, GtkTreePath *path, GtkTreeViewColumn *column)
{
  GtkTreeModel *model = gtk_tree_view_get_model (self->tree_view);
  GtkTreeIter iter;
  KcPlan *plan;
  g_autofree char *name = NULL;

  if (!gtk_tree_model_get_iter (model, &iter, path))
    return;
  plan = kc_record_list_get_record (model, &iter);
  name = kc_label_plan_name (kc_plan_get_title (plan), kc_plan_get_year (plan),
                             kc_plan_get_scope (plan));
  g_signal_emit (self, signals[SIGNAL_PLAN_ACTIVATED], 0, kc_plan_get_id (plan), name);
}

static void
on_submit_button_clicked_cb (KcPlansPage *self)
{
  gint64 id, version;
  g_autofree char *status = NULL;
  g_autofree char *scope = NULL;

  if (get_selected (self, &id, &version, &status, &scope))
    call_act (self, kc_session_plan_submit_async, id_version (id, version));
}

/* Import of projects from CSV (project.import) */

/* The columns of kc-import-errors.ui's store. */
enum
{
  ERR_LINE,
  ERR_COLUMN,
  ERR_MESSAGE
};

/* The file's problems, one a row: the import is all or nothing, so the
 * officer fixes every line the table names and imports the file again. */
static void
show_import_errors (KcPlansPage *self, const char *message, JsonArray *errors)
{
  g_autoptr (GtkBuilder) builder
      = gtk_builder_new_from_resource ("/vn/gov/moit/KhuyenCong/ui/kc-import-errors.ui");
  GtkWidget *dialog = GTK_WIDGET (gtk_builder_get_object (builder, "dialog"));
  GtkListStore *store = GTK_LIST_STORE (gtk_builder_get_object (builder, "store"));

  for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
    {
      JsonObject *e = json_array_get_object_element (errors, i);

      gtk_list_store_insert_with_values (
          store, NULL, -1, ERR_LINE, (int)json_object_get_int_member_with_default (e, "line", 0),
          ERR_COLUMN, kc_json_string (e, "column"), ERR_MESSAGE, kc_json_string (e, "message"), -1);
    }
  gtk_label_set_text (GTK_LABEL (gtk_builder_get_object (builder, "message_label")), message);
  gtk_window_set_transient_for (GTK_WINDOW (dialog),
                                GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))));
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
  gtk_widget_show (dialog);
}

static void
import_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcPlansPage *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);
  JsonObject *object;
  GtkWidget *dialog;
  int created;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_spinner_stop (self->spinner);
  if (reply == NULL)
    {
      object = data != NULL && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
      if (object != NULL && json_object_has_member (object, "errors"))
        {
          g_autofree char *message = kc_describe_error (error);

          show_import_errors (self, message, json_object_get_array_member (object, "errors"));
        }
      else
        show_error (self, error, data);
      return;
    }
  object = JSON_NODE_HOLDS_OBJECT (reply) ? json_node_get_object (reply) : NULL;
  created
      = object != NULL ? (int)json_object_get_int_member_with_default (object, "created", 0) : 0;
  dialog = gtk_message_dialog_new (
      GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))), GTK_DIALOG_DESTROY_WITH_PARENT,
      GTK_MESSAGE_INFO, GTK_BUTTONS_CLOSE,
      g_dngettext (GETTEXT_PACKAGE, "%d project imported", "%d projects imported", created),
      created);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  /* The plan's count and total changed. */
  kc_plans_page_refresh (self);
}

static void
import_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KcPlansPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (JsonObject) params = json_object_new ();
  g_autoptr (JsonNode) node = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error, NULL);
      return;
    }
  if (!g_utf8_validate (contents, length, NULL))
    {
      g_autoptr (GError) invalid
          = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                 _ ("The file is not UTF-8 text: save it as CSV UTF-8."));

      show_error (self, invalid, NULL);
      return;
    }
  json_object_set_int_member (params, "plan_id", self->import_plan_id);
  json_object_set_string_member (params, "csv", contents);
  node = json_node_init_object (json_node_alloc (), params);
  kc_session_project_import_async (self->session, node, self->cancellable, import_done_cb, self);
}

static void
on_import_chooser_response_cb (GtkNativeDialog *dialog, int response, KcPlansPage *self)
{
  g_autoptr (GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;
  gtk_spinner_start (self->spinner);
  g_file_load_contents_async (file, self->cancellable, import_read_cb, g_object_ref (self));
}

static void
on_import_button_clicked_cb (KcPlansPage *self)
{
  GtkFileFilter *filter;
  gint64 version;
  g_autofree char *status = NULL;
  g_autofree char *scope = NULL;

  if (self->chooser != NULL
      || !get_selected (self, &self->import_plan_id, &version, &status, &scope))
    return;
  self->chooser = gtk_file_chooser_native_new (
      _ ("Import projects from CSV"), GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))),
      GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Import"), _ ("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  /* Not "Recent": the spreadsheets are in the user's folders. */
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), g_get_home_dir ());
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _ ("CSV (*.csv)"));
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_filter_add_pattern (filter, "*.CSV");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_import_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_withdraw_button_clicked_cb (KcPlansPage *self)
{
  gint64 id, version;
  g_autofree char *status = NULL;
  g_autofree char *scope = NULL;

  if (get_selected (self, &id, &version, &status, &scope))
    call_act (self, kc_session_plan_withdraw_async, id_version (id, version));
}

static void
appraise_answered_cb (GObject *owner, GStrv answers, gpointer data)
{
  JsonObject *params = json_object_ref (data);

  json_object_set_string_member (params, "comment", answers[0]);
  call_act (KC_PLANS_PAGE (owner), kc_session_plan_appraise_async, params);
}

static void
appraise (KcPlansPage *self, const char *decision)
{
  gint64 id, version;
  g_autofree char *status = NULL;
  g_autofree char *scope = NULL;
  const char *labels[] = { _ ("Comment"), NULL };
  JsonObject *params;

  if (!get_selected (self, &id, &version, &status, &scope))
    return;
  params = id_version (id, version);
  json_object_set_string_member (params, "decision", decision);
  static const gboolean multiline[] = { TRUE };

  kc_ask_full (GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))),
               g_str_equal (decision, "forward") ? _ ("Forward the plan to the Ministry")
                                                 : _ ("Return the plan"),
               _ ("_Send"), labels, NULL, multiline, NULL, G_OBJECT (self), appraise_answered_cb,
               params, (GDestroyNotify)json_object_unref);
}

static void
on_forward_button_clicked_cb (KcPlansPage *self)
{
  appraise (self, "forward");
}

static void
on_return_button_clicked_cb (KcPlansPage *self)
{
  appraise (self, "return");
}

static void
approve_answered_cb (GObject *owner, GStrv answers, gpointer data)
{
  JsonObject *params = json_object_ref (data);
  GDate date;

  json_object_set_string_member (params, "decision_no", answers[0]);
  if (kc_date_parse_vn (answers[1], &date))
    {
      g_autofree char *iso = kc_date_format_iso (&date);
      json_object_set_string_member (params, "decision_date", iso);
    }
  else
    json_object_set_string_member (params, "decision_date", answers[1]);
  json_object_set_string_member (params, "issuer", answers[2]);
  call_act (KC_PLANS_PAGE (owner), kc_session_plan_approve_local_async, params);
}

static void
on_approve_button_clicked_cb (KcPlansPage *self)
{
  gint64 id, version;
  g_autofree char *status = NULL;
  g_autofree char *scope = NULL;
  const char *labels[] = { _ ("Decision number"), _ ("Decision date"), _ ("Issuer"), NULL };

  if (!get_selected (self, &id, &version, &status, &scope))
    return;
  kc_ask (GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))), _ ("Approve the local plan"),
          _ ("_Approve"), labels, NULL, G_OBJECT (self), approve_answered_cb,
          id_version (id, version), (GDestroyNotify)json_object_unref);
}

/* GObject overrides */

static void
kc_plans_page_dispose (GObject *object)
{
  KcPlansPage *self = KC_PLANS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  /* The view lets go of the list before it goes. */
  if (self->tree_view != NULL)
    gtk_tree_view_set_model (self->tree_view, NULL);
  g_clear_object (&self->list);
  g_clear_object (&self->plans);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (kc_plans_page_parent_class)->dispose (object);
}

static void
kc_plans_page_class_init (KcPlansPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kc_plans_page_dispose;

  signals[SIGNAL_PLAN_ACTIVATED]
      = g_signal_new ("plan-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-plans-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KcPlansPage, new_button);
  gtk_widget_class_bind_template_child (widget_class, KcPlansPage, submit_button);
  gtk_widget_class_bind_template_child (widget_class, KcPlansPage, import_button);
  gtk_widget_class_bind_template_child (widget_class, KcPlansPage, withdraw_button);
  gtk_widget_class_bind_template_child (widget_class, KcPlansPage, forward_button);
  gtk_widget_class_bind_template_child (widget_class, KcPlansPage, return_button);
  gtk_widget_class_bind_template_child (widget_class, KcPlansPage, approve_button);
  gtk_widget_class_bind_template_child (widget_class, KcPlansPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, KcPlansPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, KcPlansPage, tree_view);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_submit_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_import_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_withdraw_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_forward_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_return_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_approve_button_clicked_cb);
}

static void
kc_plans_page_init (KcPlansPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->plans = g_list_store_new (KC_TYPE_PLAN);
  self->list = kc_record_list_new (G_LIST_MODEL (self->plans), columns, N_COLUMNS, self);
  gtk_tree_view_set_model (self->tree_view, GTK_TREE_MODEL (self->list));
  kc_table_add_text_column (self->tree_view, _ ("Year"), COL_YEAR, COL_YEAR, FALSE, 0);
  kc_table_add_text_column (self->tree_view, _ ("Scope"), COL_SCOPE, COL_SCOPE, FALSE, 0);
  kc_table_add_text_column (self->tree_view, _ ("Organisation"), COL_ORG, COL_ORG, TRUE, 0);
  kc_table_add_text_column (self->tree_view, _ ("Title"), COL_TITLE, COL_TITLE, TRUE, 0);
  kc_table_add_text_column (self->tree_view, _ ("Status"), COL_STATUS, COL_STATUS, FALSE, 0);
  kc_table_add_text_column (self->tree_view, _ ("Projects"), COL_PROJECTS, COL_PROJECTS, FALSE, 1);
  kc_table_add_text_column (self->tree_view, _ ("Total"), COL_TOTAL_TEXT, COL_TOTAL, FALSE, 1);
  kc_table_add_text_column (self->tree_view, _ ("Deadline"), COL_DEADLINE, COL_DEADLINE, FALSE, 0);
  kc_column_layout_remember (self->tree_view, "plans");
}

/* Public API */

KcPlansPage *
kc_plans_page_new (KcSession *session)
{
  KcPlansPage *self = g_object_new (KC_TYPE_PLANS_PAGE, NULL);
  const char *role = kc_session_get_role (session);
  gboolean province
      = g_strcmp0 (role, "province_officer") == 0 || g_strcmp0 (role, "province_leader") == 0;
  gboolean leader = g_strcmp0 (role, "province_leader") == 0;

  self->session = g_object_ref (session);
  /* Only the acts the role may take. */
  gtk_widget_set_visible (GTK_WIDGET (self->new_button), province);
  gtk_widget_set_visible (GTK_WIDGET (self->submit_button), province);
  gtk_widget_set_visible (GTK_WIDGET (self->import_button), province);
  gtk_widget_set_visible (GTK_WIDGET (self->withdraw_button), province);
  gtk_widget_set_visible (GTK_WIDGET (self->forward_button), leader);
  gtk_widget_set_visible (GTK_WIDGET (self->return_button), leader);
  gtk_widget_set_visible (GTK_WIDGET (self->approve_button), leader);
  g_signal_connect_object (session, "event", G_CALLBACK (on_session_event_cb), self, 0);
  /* The Ministry's side: the year's plan decisions below its plans. */
  if (g_str_has_prefix (role != NULL ? role : "", "ministry_"))
    {
      GtkWidget *panel = GTK_WIDGET (kc_decisions_panel_new (session));

      gtk_widget_show (panel);
      gtk_box_pack_end (GTK_BOX (self), panel, FALSE, TRUE, 0);
    }
  /* The first reading when first shown (issue 17, point 7). */
  kc_lazy_init (GTK_WIDGET (self), G_CALLBACK (kc_plans_page_refresh));
  return self;
}

void
kc_plans_page_refresh (KcPlansPage *self)
{
  g_return_if_fail (KC_IS_PLANS_PAGE (self));
  if (!kc_lazy_ready (GTK_WIDGET (self)))
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_list_store_remove_all (self->plans);
  fetch_page (self, NULL);
}

static void
new_plan_answered_cb (GObject *owner, GStrv answers, gpointer data)
{
  KcPlansPage *self = KC_PLANS_PAGE (owner);
  JsonObject *params = json_object_new ();
  const char *scope;

  /* The scope may be typed in either language. */
  scope = g_str_equal (answers[1], "local") || g_str_equal (answers[1], _ ("local")) ? "local"
                                                                                     : "national";
  json_object_set_int_member (params, "org_id", kc_session_get_org_id (self->session));
  json_object_set_int_member (params, "year", g_ascii_strtoll (answers[0], NULL, 10));
  json_object_set_string_member (params, "scope", scope);
  if (answers[2][0] != '\0')
    json_object_set_string_member (params, "title", answers[2]);
  call_act (self, kc_session_plan_create_async, params);
}

void
kc_plans_page_new_plan (KcPlansPage *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *next_year = g_strdup_printf ("%d", g_date_time_get_year (now) + 1);
  const char *labels[] = { _ ("Year"), _ ("Scope (national or local)"), _ ("Plan title"), NULL };
  const char *defaults[] = { next_year, _ ("national"), NULL, NULL };

  kc_ask (GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))), _ ("New plan"), _ ("C_reate"),
          labels, defaults, G_OBJECT (self), new_plan_answered_cb, NULL, NULL);
}

static gboolean
select_row (KcPlansPage *self, gint64 id)
{
  guint position;
  g_autoptr (GtkTreePath) path = NULL;

  if (!find_plan (self, id, &position))
    return FALSE;
  path = kc_record_list_path_of (gtk_tree_view_get_model (self->tree_view), position);
  gtk_tree_view_set_cursor (self->tree_view, path, NULL, FALSE);
  gtk_tree_view_scroll_to_cell (self->tree_view, path, NULL, FALSE, 0, 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->tree_view));
  return TRUE;
}

void
kc_plans_page_select (KcPlansPage *self, gint64 id)
{
  g_return_if_fail (KC_IS_PLANS_PAGE (self));

  self->wanted_id = id != 0 && !select_row (self, id) ? id : 0;
}
