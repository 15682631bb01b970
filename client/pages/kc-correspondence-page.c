/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-correspondence-page.c — KcCorrespondencePage: correspondence.*.
 */
#include "kc-correspondence-page.h"

#include <glib/gi18n.h>

#include "kc-ask.h"
#include "kc-calls.h"
#include "kc-date.h"
#include "kc-record-list.h"
#include "kc-request.h"
#include "kc-column-layout.h"

enum
{
  COL_ID,
  COL_VERSION,
  COL_OPENED,
  COL_SUBJECT,
  COL_STATUS_CODE,
  COL_STATUS,
  COL_DUE,
  COL_OVERDUE,
  N_COLUMNS
};

struct _KcCorrespondencePage
{
  KcTablePage parent_instance;

  /* the acts, each shown to the roles that may do it */
  GtkWidget *open_button;
  GtkWidget *reply_button;
  GtkWidget *answer_button;
  GtkWidget *close_button;
  /* The requests read (KcRequest), in the server's order; the view shows
   * them through @list (which sorts when a header is clicked). */
  GListStore *requests;
  KcRecordList *list;
  /* A request the home page asked for before its row had arrived: selected
   * as soon as a page of the list brings it. */
  gint64 wanted_id;
};

G_DEFINE_TYPE (KcCorrespondencePage, kc_correspondence_page, KC_TYPE_TABLE_PAGE)

static void fetch_page (KcCorrespondencePage *self, const char *cursor);
static gboolean select_row (KcCorrespondencePage *self, gint64 id);

static const char *
status_name (const char *status)
{
  if (g_strcmp0 (status, "open") == 0)
    return _ ("Open");
  if (g_strcmp0 (status, "answered") == 0)
    return _ ("Answered");
  if (g_strcmp0 (status, "closed") == 0)
    return _ ("Closed");
  return status != NULL ? status : "";
}

static char *
vn_day (const char *text)
{
  GDate date;
  g_autoptr (GDateTime) instant = NULL;
  g_autoptr (GDateTime) local = NULL;

  if (text == NULL)
    return g_strdup ("");
  if (kc_date_parse_iso (text, &date))
    return kc_date_format_vn (&date);
  instant = kc_instant_parse (text);
  if (instant == NULL)
    return g_strdup (text);
  local = g_date_time_to_local (instant);
  return g_date_time_format (local, "%d/%m/%Y");
}

/* The columns, read from each request when the view asks (by number:
 * kc-column-layout remembers a sort by its column's number). */

static void
get_id (gpointer request, GValue *value, gpointer page)
{
  g_value_set_int64 (value, kc_request_get_id (request));
}

static void
get_version (gpointer request, GValue *value, gpointer page)
{
  g_value_set_int64 (value, kc_request_get_version (request));
}

static void
get_opened (gpointer request, GValue *value, gpointer page)
{
  g_value_take_string (value, vn_day (kc_request_get_opened_at (request)));
}

static void
get_subject (gpointer request, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_request_get_subject (request));
}

static void
get_status_code (gpointer request, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_request_get_status (request));
}

static void
get_status (gpointer request, GValue *value, gpointer page)
{
  g_value_set_string (value, status_name (kc_request_get_status (request)));
}

static void
get_due (gpointer request, GValue *value, gpointer page)
{
  g_value_take_string (value, vn_day (kc_request_get_due (request)));
}

static void
get_overdue (gpointer request, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_request_get_overdue (request) ? _ ("Overdue") : "");
}

static const KcRecordColumn columns[N_COLUMNS] = {
  [COL_ID] = { G_TYPE_INT64, get_id },
  [COL_VERSION] = { G_TYPE_INT64, get_version },
  [COL_OPENED] = { G_TYPE_STRING, get_opened },
  [COL_SUBJECT] = { G_TYPE_STRING, get_subject },
  [COL_STATUS_CODE] = { G_TYPE_STRING, get_status_code },
  [COL_STATUS] = { G_TYPE_STRING, get_status },
  [COL_DUE] = { G_TYPE_STRING, get_due },
  [COL_OVERDUE] = { G_TYPE_STRING, get_overdue },
};

static gboolean
get_selected (KcCorrespondencePage *self, gint64 *id, gint64 *version)
{
  GtkTreeSelection *selection
      = gtk_tree_view_get_selection (kc_table_page_get_view (KC_TABLE_PAGE (self)));
  GtkTreeModel *model;
  GtkTreeIter iter;
  KcRequest *request;

  if (!gtk_tree_selection_get_selected (selection, &model, &iter))
    return FALSE;
  request = kc_record_list_get_record (model, &iter);
  *id = kc_request_get_id (request);
  *version = kc_request_get_version (request);
  return TRUE;
}

static void
list_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcCorrespondencePage *self = user_data;
  KcTablePage *page = KC_TABLE_PAGE (self);
  g_autoptr (JsonNode) reply = kc_table_page_finish_call (page, source, result);
  JsonObject *object;
  JsonArray *items;
  const char *next;
  int n;
  g_autofree char *count = NULL;
  g_autoptr (GPtrArray) requests = NULL;

  if (reply == NULL)
    return;
  object = json_node_get_object (reply);
  items = json_object_get_array_member (object, "items");
  requests = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    g_ptr_array_add (requests, kc_request_new_from_json (json_array_get_object_element (items, i)));
  g_list_store_splice (self->requests, g_list_model_get_n_items (G_LIST_MODEL (self->requests)), 0,
                       requests->pdata, requests->len);
  n = (int)g_list_model_get_n_items (G_LIST_MODEL (self->requests));
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d request", "%d requests", n), n);
  kc_table_page_set_count (page, count);
  if (self->wanted_id != 0 && select_row (self, self->wanted_id))
    self->wanted_id = 0;
  next = json_object_get_string_member_with_default (object, "next_cursor", NULL);
  if (next != NULL)
    fetch_page (self, next);
  else
    self->wanted_id = 0;
}

static void
fetch_page (KcCorrespondencePage *self, const char *cursor)
{
  KcTablePage *page = KC_TABLE_PAGE (self);
  g_autoptr (JsonObject) params = json_object_new ();
  g_autoptr (JsonNode) node = NULL;

  json_object_set_int_member (params, "limit", 200);
  if (cursor != NULL)
    json_object_set_string_member (params, "cursor", cursor);
  node = json_node_init_object (json_node_alloc (), params);
  kc_table_page_set_busy (page, TRUE);
  kc_session_correspondence_list_async (kc_table_page_get_session (page), node,
                                        kc_table_page_get_cancellable (page), list_done_cb, self);
}

static void
act_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcCorrespondencePage *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  kc_table_page_set_busy (KC_TABLE_PAGE (self), FALSE);
  if (reply == NULL && error != NULL)
    kc_table_page_show_error (KC_TABLE_PAGE (self), error, data);
  kc_table_page_refresh (KC_TABLE_PAGE (self));
}

static void
call_act (KcCorrespondencePage *self, KcCallFunc method, JsonObject *params)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), params);

  kc_table_page_set_busy (KC_TABLE_PAGE (self), TRUE);
  method (kc_table_page_get_session (KC_TABLE_PAGE (self)), node,
          kc_table_page_get_cancellable (KC_TABLE_PAGE (self)), act_done_cb, self);
}

static void
open_answered_cb (GObject *owner, GStrv answers, gpointer data)
{
  JsonObject *params = json_object_new ();

  json_object_set_string_member (params, "subject", answers[0]);
  json_object_set_string_member (params, "body", answers[1]);
  call_act (KC_CORRESPONDENCE_PAGE (owner), kc_session_correspondence_open_async, params);
}

static void
on_open_clicked_cb (KcCorrespondencePage *self)
{
  const char *labels[] = { _ ("Subject"), _ ("Request"), NULL };
  static const gboolean multiline[] = { FALSE, TRUE };

  kc_ask_full (GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))), _ ("New request"),
               _ ("_Send"), labels, NULL, multiline, NULL, G_OBJECT (self), open_answered_cb, NULL,
               NULL);
}

/* An act that asks for one text: its call, its parameters (id, and
 * version) and the member the answer goes into. */
typedef struct
{
  KcCallFunc method;
  JsonObject *params;
  const char *member; /* static */
} TextAct;

static void
text_act_free (gpointer data)
{
  TextAct *act = data;

  json_object_unref (act->params);
  g_free (act);
}

static void
text_answered_cb (GObject *owner, GStrv answers, gpointer data)
{
  TextAct *act = data;
  JsonObject *params = json_object_ref (act->params);

  json_object_set_string_member (params, act->member, answers[0]);
  call_act (KC_CORRESPONDENCE_PAGE (owner), act->method, params);
}

static void
ask_text (KcCorrespondencePage *self, const char *title, const char *label, KcCallFunc method,
          const char *member, gboolean with_version)
{
  gint64 id, version;
  const char *labels[] = { label, NULL };
  TextAct *act;

  if (!get_selected (self, &id, &version))
    return;
  act = g_new0 (TextAct, 1);
  act->method = method;
  act->member = member;
  act->params = json_object_new ();
  json_object_set_int_member (act->params, "id", id);
  if (with_version)
    json_object_set_int_member (act->params, "version", version);
  static const gboolean multiline[] = { TRUE };

  kc_ask_full (GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))), title, _ ("_Send"), labels,
               NULL, multiline, NULL, G_OBJECT (self), text_answered_cb, act, text_act_free);
}

static void
on_reply_clicked_cb (KcCorrespondencePage *self)
{
  ask_text (self, _ ("Reply"), _ ("Message"), kc_session_correspondence_reply_async, "body", FALSE);
}

static void
on_answer_clicked_cb (KcCorrespondencePage *self)
{
  ask_text (self, _ ("Answer the request"), _ ("Answer"), kc_session_correspondence_answer_async,
            "answer", TRUE);
}

static void
on_close_clicked_cb (KcCorrespondencePage *self)
{
  gint64 id, version;
  JsonObject *params;

  if (!get_selected (self, &id, &version))
    return;
  params = json_object_new ();
  json_object_set_int_member (params, "id", id);
  json_object_set_int_member (params, "version", version);
  call_act (self, kc_session_correspondence_close_async, params);
}

static void
thread_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcCorrespondencePage *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);
  JsonObject *c;
  JsonArray *messages;
  GString *text;
  GtkWidget *dialog;
  const char *answer;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  kc_table_page_set_busy (KC_TABLE_PAGE (self), FALSE);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL)
        kc_table_page_show_error (KC_TABLE_PAGE (self), error, data);
      return;
    }
  c = json_node_get_object (reply);
  text = g_string_new (json_object_get_string_member_with_default (c, "body", ""));
  messages = json_object_get_array_member (c, "messages");
  for (guint i = 0; messages != NULL && i < json_array_get_length (messages); i++)
    {
      JsonObject *m = json_array_get_object_element (messages, i);
      g_autofree char *at = vn_day (json_object_get_string_member_with_default (m, "at", NULL));

      g_string_append_printf (
          text, "\n\n%s — %s:\n%s", at,
          kc_role_display_name (json_object_get_string_member_with_default (m, "author_role", "")),
          json_object_get_string_member_with_default (m, "body", ""));
    }
  answer = json_object_get_string_member_with_default (c, "answer", NULL);
  if (answer != NULL)
    g_string_append_printf (text, "\n\n%s\n%s", _ ("Answer of the Ministry:"), answer);
  dialog = gtk_message_dialog_new (GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))),
                                   GTK_DIALOG_DESTROY_WITH_PARENT, GTK_MESSAGE_INFO,
                                   GTK_BUTTONS_CLOSE, "%s",
                                   json_object_get_string_member_with_default (c, "subject", ""));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", text->str);
  g_string_free (text, TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
kc_correspondence_page_activated (KcTablePage *page, GtkTreeIter *iter)
{
  KcCorrespondencePage *self = KC_CORRESPONDENCE_PAGE (page);
  gint64 id = kc_request_get_id (
      kc_record_list_get_record (gtk_tree_view_get_model (kc_table_page_get_view (page)), iter));

  kc_table_page_set_busy (page, TRUE);
  kc_session_correspondence_get_async (kc_table_page_get_session (page), id,
                                       kc_table_page_get_cancellable (page), thread_done_cb, self);
}

static void
kc_correspondence_page_refresh (KcTablePage *page)
{
  KcCorrespondencePage *self = KC_CORRESPONDENCE_PAGE (page);

  g_list_store_remove_all (self->requests);
  fetch_page (self, NULL);
}

static void
kc_correspondence_page_event (KcTablePage *page, const char *topic, JsonNode *params)
{
  if (g_str_equal (topic, "correspondence"))
    kc_table_page_refresh (page);
}

static void
kc_correspondence_page_dispose (GObject *object)
{
  KcCorrespondencePage *self = KC_CORRESPONDENCE_PAGE (object);

  if (self->list != NULL)
    gtk_tree_view_set_model (kc_table_page_get_view (KC_TABLE_PAGE (self)), NULL);
  g_clear_object (&self->list);
  g_clear_object (&self->requests);
  G_OBJECT_CLASS (kc_correspondence_page_parent_class)->dispose (object);
}

static void
kc_correspondence_page_class_init (KcCorrespondencePageClass *klass)
{
  KcTablePageClass *page_class = KC_TABLE_PAGE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = kc_correspondence_page_dispose;
  page_class->refresh = kc_correspondence_page_refresh;
  page_class->event = kc_correspondence_page_event;
  page_class->activated = kc_correspondence_page_activated;

  gtk_widget_class_set_template_from_resource (
      GTK_WIDGET_CLASS (klass), "/vn/gov/moit/KhuyenCong/ui/kc-correspondence-page.ui");
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), KcCorrespondencePage,
                                        open_button);
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), KcCorrespondencePage,
                                        reply_button);
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), KcCorrespondencePage,
                                        answer_button);
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), KcCorrespondencePage,
                                        close_button);
  gtk_widget_class_bind_template_callback (GTK_WIDGET_CLASS (klass), on_open_clicked_cb);
  gtk_widget_class_bind_template_callback (GTK_WIDGET_CLASS (klass), on_reply_clicked_cb);
  gtk_widget_class_bind_template_callback (GTK_WIDGET_CLASS (klass), on_answer_clicked_cb);
  gtk_widget_class_bind_template_callback (GTK_WIDGET_CLASS (klass), on_close_clicked_cb);
}

static void
kc_correspondence_page_init (KcCorrespondencePage *self)
{
  KcTablePage *page = KC_TABLE_PAGE (self);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->requests = g_list_store_new (KC_TYPE_REQUEST);
  self->list = kc_record_list_new (G_LIST_MODEL (self->requests), columns, N_COLUMNS, self);
  gtk_tree_view_set_model (kc_table_page_get_view (page), GTK_TREE_MODEL (self->list));
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (kc_table_page_get_view (page))),
                       _ ("Requests"));
  kc_table_page_add_column (page, _ ("Opened"), COL_OPENED, -1, FALSE, 0);
  kc_table_page_add_column (page, _ ("Subject"), COL_SUBJECT, COL_SUBJECT, TRUE, 0);
  kc_table_page_add_column (page, _ ("Status"), COL_STATUS, COL_STATUS, FALSE, 0);
  kc_table_page_add_column (page, _ ("Answer due"), COL_DUE, -1, FALSE, 0);
  kc_table_page_add_column (page, _ ("Overdue"), COL_OVERDUE, COL_OVERDUE, FALSE, 0);
  kc_column_layout_remember (kc_table_page_get_view (page), "requests");
}

KcCorrespondencePage *
kc_correspondence_page_new (KcSession *session)
{
  KcCorrespondencePage *self = g_object_new (KC_TYPE_CORRESPONDENCE_PAGE, NULL);
  KcTablePage *page = KC_TABLE_PAGE (self);
  const char *role = kc_session_get_role (session);
  gboolean province
      = g_strcmp0 (role, "province_officer") == 0 || g_strcmp0 (role, "province_leader") == 0;
  gboolean ministry
      = g_strcmp0 (role, "ministry_reviewer") == 0 || g_strcmp0 (role, "ministry_approver") == 0;

  kc_table_page_set_session (page, session);
  gtk_widget_set_visible (self->open_button, province);
  gtk_widget_set_visible (self->reply_button, province || ministry);
  gtk_widget_set_visible (self->answer_button, ministry);
  gtk_widget_set_visible (self->close_button, province || ministry);
  kc_table_page_refresh (page);
  return self;
}

static gboolean
select_row (KcCorrespondencePage *self, gint64 id)
{
  GListModel *requests = G_LIST_MODEL (self->requests);
  guint n = g_list_model_get_n_items (requests);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (KcRequest) request = g_list_model_get_item (requests, i);
      GtkTreeView *view = kc_table_page_get_view (KC_TABLE_PAGE (self));
      g_autoptr (GtkTreePath) path = NULL;

      if (kc_request_get_id (request) != id)
        continue;
      path = kc_record_list_path_of (gtk_tree_view_get_model (view), i);
      if (path == NULL)
        return FALSE;
      gtk_tree_view_set_cursor (view, path, NULL, FALSE);
      gtk_tree_view_scroll_to_cell (view, path, NULL, FALSE, 0, 0);
      gtk_widget_grab_focus (GTK_WIDGET (view));
      return TRUE;
    }
  return FALSE;
}

void
kc_correspondence_page_select (KcCorrespondencePage *self, gint64 id)
{
  g_return_if_fail (KC_IS_CORRESPONDENCE_PAGE (self));

  self->wanted_id = id != 0 && !select_row (self, id) ? id : 0;
}
