/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-rounds-page.c — KcRoundsPage (see its header).
 */
#include "kc-rounds-page.h"

#include "kc-lazy.h"
#include <glib/gi18n.h>

#include "kc-ask.h"
#include "kc-calls.h"
#include "kc-date.h"
#include "kc-errors.h"
#include "kc-export-table.h"
#include "kc-form.h"
#include "kc-json.h"
#include "kc-round-report-editor.h"
#include "kc-record-row.h"
#include "kc-round-row.h"
#include "kc-round.h"

struct _KcRoundsPage
{
  GtkBox parent_instance;

  GtkWidget *new_button;
  GtkWidget *open_button;
  GtkWidget *return_button;
  GtkWidget *accept_button;
  GtkWidget *consolidate_button;
  GtkWidget *export_button;
  GtkSpinner *spinner;
  GtkLabel *count_label;
  GtkInfoBar *message_bar;
  GtkLabel *message_label;
  GtkListBox *rounds_list;
  GtkLabel *title_label;
  GtkLabel *detail_label;
  GtkListBox *board;
  GtkBox *board_header;

  KcSession *session;
  GCancellable *cancellable;
  GListStore *rounds;   /* round.list's rounds (KcRound), rows of @rounds_list */
  KcRound *round;       /* the round shown (round.get), or NULL */
  gint64 wanted_round;  /* the round to select once the list is read */
  gint64 wanted_report; /* the report whose round and line to select, or 0 */
  gint64 wanted_org;    /* the line to select once the round is read, or 0 */
  /* The Return dialog while it is open (modal: one at a time): the reason's
   * text, the label that says what is missing, the province returned to. */
  GtkTextBuffer *return_buffer;
  GtkLabel *return_error;
  gint64 return_org_id;
  GtkFileChooserNative *chooser;
  char *export_report;  /* round_report or round_consolidated */
  gint64 export_org_id; /* of round_report */
  GFile *export_file;
  int busy;
};

G_DEFINE_TYPE (KcRoundsPage, kc_rounds_page, GTK_TYPE_BOX)

/* Helpers */

static gboolean
role_is (KcRoundsPage *self, const char *role)
{
  return g_strcmp0 (kc_session_get_role (self->session), role) == 0;
}

static gboolean
is_province (KcRoundsPage *self)
{
  return role_is (self, "province_officer") || role_is (self, "province_leader");
}

static gboolean
is_ministry (KcRoundsPage *self)
{
  return role_is (self, "ministry_reviewer") || role_is (self, "ministry_approver");
}

static void
set_busy (KcRoundsPage *self, gboolean busy)
{
  kc_form_count_busy (&self->busy, busy, self->spinner);
}

static void
show_message (KcRoundsPage *self, GtkMessageType type, const char *text)
{
  kc_form_show_message (self->message_bar, self->message_label, NULL, type, text, FALSE);
}

static void
show_error (KcRoundsPage *self, const GError *error, JsonNode *data)
{
  g_autofree char *text = kc_errors_describe (error, data);

  show_message (self, GTK_MESSAGE_ERROR, text);
}

static GtkWindow *
toplevel (KcRoundsPage *self)
{
  return kc_form_toplevel (GTK_WIDGET (self));
}

static KcRoundRow *
selected_row (KcRoundsPage *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->board);

  return row != NULL ? KC_ROUND_ROW (row) : NULL;
}

/* A finished call of the page: NULL after showing its failure, or when it
 * was cancelled (then @self may be gone and is not touched). */
static JsonNode *
finish (KcRoundsPage *self, GObject *source, GAsyncResult *result)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return NULL;
  set_busy (self, FALSE);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL)
        show_error (self, error, data);
      return NULL;
    }
  return g_steal_pointer (&reply);
}

static void
call (KcRoundsPage *self, KcCallFunc method, JsonObject *params, GAsyncReadyCallback callback)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), params);

  set_busy (self, TRUE);
  method (self->session, node, self->cancellable, callback, self);
}

static void
update_buttons (KcRoundsPage *self)
{
  KcRoundRow *row = selected_row (self);
  gboolean sent = row != NULL && g_strcmp0 (kc_round_row_get_status (row), "sent") == 0;

  gtk_widget_set_sensitive (self->open_button,
                            self->round != NULL && (row != NULL || is_province (self)));
  gtk_widget_set_sensitive (self->return_button, sent);
  gtk_widget_set_sensitive (self->accept_button, sent);
  gtk_widget_set_sensitive (self->consolidate_button, self->round != NULL);
  gtk_widget_set_sensitive (self->export_button, self->round != NULL);
}

/* The board */

static void
show_round (KcRoundsPage *self, KcRound *round)
{
  g_autofree char *signed_on = kc_round_format_day (round->signed_on);
  g_autofree char *due = kc_round_format_day (round->due_on);
  g_autofree char *period = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *count = NULL;
  gint64 selected = self->wanted_org != 0         ? self->wanted_org
                    : selected_row (self) != NULL ? kc_round_row_get_org_id (selected_row (self))
                                                  : 0;
  g_autoptr (GList) children = gtk_container_get_children (GTK_CONTAINER (self->board));
  GList *l = children;

  self->wanted_org = 0;
  g_clear_object (&self->round);
  self->round = round;
  gtk_label_set_text (self->title_label, round->title);
  period = round->from_year == round->to_year
               ? g_strdup_printf ("%d", round->from_year)
               : g_strdup_printf ("%d–%d", round->from_year, round->to_year);
  /* TRANSLATORS: a round's document number and date, its period and due day */
  detail = g_strdup_printf (_ ("Document %s of %s · period %s · reports due by %s"),
                            round->document_no, signed_on, period, due);
  gtk_label_set_text (self->detail_label, detail);
  if (is_ministry (self))
    /* TRANSLATORS: sent (or accepted) reports of all, then accepted, then late */
    count = g_strdup_printf (_ ("Sent %d of %d · accepted %d · late %d"),
                             round->sent + round->accepted, round->total, round->accepted,
                             round->late);
  gtk_label_set_text (self->count_label, count != NULL ? count : "");

  /* The rows stay (and the selection with them) when the provinces are the same. */
  for (guint i = 0; i < round->reports->len; i++)
    {
      KcRoundReport *report = g_ptr_array_index (round->reports, i);

      if (l != NULL)
        {
          kc_round_row_update (KC_ROUND_ROW (l->data), report);
          l = l->next;
        }
      else
        {
          GtkWidget *row = kc_round_row_new (report);

          gtk_widget_show (row);
          gtk_container_add (GTK_CONTAINER (self->board), row);
        }
    }
  for (; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  if (selected == 0 && is_province (self) && round->reports->len > 0)
    selected = ((KcRoundReport *)g_ptr_array_index (round->reports, 0))->org_id;
  for (guint i = 0; selected != 0 && i < round->reports->len; i++)
    if (((KcRoundReport *)g_ptr_array_index (round->reports, i))->org_id == selected)
      gtk_list_box_select_row (self->board, gtk_list_box_get_row_at_index (self->board, (int)i));
  update_buttons (self);
}

static void
round_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcRoundsPage *self = user_data;
  g_autoptr (JsonNode) reply = finish (self, source, result);

  if (reply != NULL)
    show_round (self, kc_round_new_from_json (json_node_get_object (reply)));
}

static void
load_round (KcRoundsPage *self, gint64 id)
{
  JsonObject *params = json_object_new ();

  json_object_set_int_member (params, "id", id);
  call (self, kc_session_round_get_async, params, round_done_cb);
  json_object_unref (params);
}

static void
on_round_selected_cb (KcRoundsPage *self, GtkListBoxRow *row)
{
  gint64 id;

  if (row == NULL)
    return;
  id = kc_record_row_get_id (KC_RECORD_ROW (row));
  if (self->round == NULL || self->round->id != id)
    {
      /* Another round: its board starts empty. */
      kc_form_destroy_children (GTK_CONTAINER (self->board));
    }
  load_round (self, id);
}

static void
on_report_selected_cb (KcRoundsPage *self, GtkListBoxRow *row)
{
  update_buttons (self);
}

/* The rounds */

/* The row of a round of @rounds (gtk_list_box_bind_model). */
static GtkWidget *
round_row_new (gpointer item, gpointer user_data)
{
  KcRound *round = item;
  g_autofree char *due = kc_round_format_day (round->due_on);
  g_autofree char *text = g_strdup_printf (_ ("Due by %s"), due);

  return kc_record_row_new (round->id, round->title, text);
}

static void
list_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcRoundsPage *self = user_data;
  g_autoptr (JsonNode) reply = finish (self, source, result);
  JsonArray *items;
  gint64 wanted;
  int select = -1;
  g_autoptr (GPtrArray) rounds = g_ptr_array_new_with_free_func (g_object_unref);

  if (reply == NULL)
    return;
  wanted
      = self->wanted_round != 0 ? self->wanted_round : (self->round != NULL ? self->round->id : 0);
  self->wanted_round = 0;
  items = kc_json_array (json_node_get_object (reply), "items");
  /* The round of the report asked for (from the home page), and its line. */
  for (guint i = 0; self->wanted_report != 0 && items != NULL && i < json_array_get_length (items);
       i++)
    {
      JsonObject *round = json_array_get_object_element (items, i);
      JsonArray *reports = kc_json_array (round, "reports");

      for (guint r = 0; reports != NULL && r < json_array_get_length (reports); r++)
        {
          JsonObject *report = json_array_get_object_element (reports, r);

          if (kc_json_int (report, "id") == self->wanted_report)
            {
              wanted = kc_json_int (round, "id");
              self->wanted_org = kc_json_int (report, "org_id");
            }
        }
    }
  self->wanted_report = 0;
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      KcRound *round = kc_round_new_from_json (json_array_get_object_element (items, i));

      g_ptr_array_add (rounds, round);
      /* The round shown before (or just opened), else the newest. */
      if (select < 0 || round->id == wanted)
        select = (int)i;
    }
  g_signal_handlers_block_by_func (self->rounds_list, on_round_selected_cb, self);
  g_list_store_splice (self->rounds, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rounds)),
                       rounds->pdata, rounds->len);
  g_signal_handlers_unblock_by_func (self->rounds_list, on_round_selected_cb, self);
  if (select >= 0)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->rounds_list, select);

      gtk_list_box_select_row (self->rounds_list, row);
      on_round_selected_cb (self, row);
    }
  else
    {
      g_clear_object (&self->round);
      gtk_label_set_text (self->title_label, _ ("No reporting round yet."));
      gtk_label_set_text (self->detail_label, "");
      gtk_label_set_text (self->count_label, "");
      update_buttons (self);
    }
}

void
kc_rounds_page_select_report (KcRoundsPage *self, gint64 report_id)
{
  g_return_if_fail (KC_IS_ROUNDS_PAGE (self));
  self->wanted_report = report_id;
  kc_rounds_page_refresh (self);
}

void
kc_rounds_page_refresh (KcRoundsPage *self)
{
  JsonObject *params = json_object_new ();

  g_return_if_fail (KC_IS_ROUNDS_PAGE (self));
  if (!kc_lazy_ready (GTK_WIDGET (self)))
    return;
  json_object_set_int_member (params, "limit", 100);
  call (self, kc_session_round_list_async, params, list_done_cb);
  json_object_unref (params);
}

/* Live: a round opened (the list is read again, the round shown stays
 * selected); a province sent, the Ministry returned or accepted */

static void
on_session_event_cb (KcSession *session, const char *topic, JsonNode *params, gpointer user_data)
{
  KcRoundsPage *self = user_data;

  if (g_strcmp0 (topic, "round") == 0)
    kc_rounds_page_refresh (self);
  else if (g_strcmp0 (topic, "round_report") == 0 && self->round != NULL)
    load_round (self, self->round->id);
}

/* Acts */

static void
act_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcRoundsPage *self = user_data;
  g_autoptr (JsonNode) reply = finish (self, source, result);

  if (reply == NULL)
    return;
  gtk_widget_hide (GTK_WIDGET (self->message_bar));
  if (self->round != NULL)
    load_round (self, self->round->id);
}

static void
created_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcRoundsPage *self = user_data;
  g_autoptr (JsonNode) reply = finish (self, source, result);

  if (reply == NULL)
    return;
  self->wanted_round = kc_json_int (json_node_get_object (reply), "id");
  show_message (self, GTK_MESSAGE_INFO, _ ("The round is open: every province has its report."));
  kc_rounds_page_refresh (self);
}

static gboolean
parse_year (const char *text, gint64 *year)
{
  return g_ascii_string_to_signed (text, 10, 2014, 2100, year, NULL);
}

static void
new_answered_cb (GObject *owner, GStrv answers, gpointer data)
{
  KcRoundsPage *self = KC_ROUNDS_PAGE (owner);
  g_autoptr (JsonObject) params = json_object_new ();
  GDate signed_on, due_on;
  gint64 from_year, to_year;
  g_autofree char *signed_iso = NULL;
  g_autofree char *due_iso = NULL;

  if (!kc_date_parse_vn (answers[2], &signed_on) || !kc_date_parse_vn (answers[5], &due_on))
    {
      show_message (self, GTK_MESSAGE_ERROR, _ ("Enter a date as dd/mm/yyyy."));
      return;
    }
  if (!parse_year (answers[3], &from_year) || !parse_year (answers[4], &to_year))
    {
      show_message (self, GTK_MESSAGE_ERROR,
                    _ ("Enter the period's years, such as 2021 and 2025."));
      return;
    }
  signed_iso = kc_date_format_iso (&signed_on);
  due_iso = kc_date_format_iso (&due_on);
  json_object_set_string_member (params, "title", answers[0]);
  json_object_set_string_member (params, "document_no", answers[1]);
  json_object_set_string_member (params, "signed_on", signed_iso);
  /* A programme's period of several years is summed up; a year is periodic. */
  json_object_set_string_member (params, "kind", to_year > from_year ? "summary" : "periodic");
  json_object_set_int_member (params, "from_year", from_year);
  json_object_set_int_member (params, "to_year", to_year);
  json_object_set_string_member (params, "due_on", due_iso);
  call (self, kc_session_round_create_async, params, created_done_cb);
}

static void
on_new_clicked_cb (KcRoundsPage *self)
{
  const char *labels[] = { _ ("Round title"),
                           _ ("Letter number"),
                           _ ("Signed on"),
                           _ ("From year"),
                           _ ("To year"),
                           _ ("Reports due by"),
                           NULL };
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) due = g_date_time_add_days (now, 30);
  g_autofree char *today = g_date_time_format (now, "%d/%m/%Y");
  g_autofree char *due_text = g_date_time_format (due, "%d/%m/%Y");
  g_autofree char *from = g_strdup_printf ("%d", g_date_time_get_year (now) - 5);
  g_autofree char *to = g_strdup_printf ("%d", g_date_time_get_year (now) - 1);
  const char *defaults[] = { "", "", today, from, to, due_text, NULL };

  kc_ask (toplevel (self), _ ("New reporting round"), _ ("_Open the round"), labels, defaults,
          G_OBJECT (self), new_answered_cb, NULL, NULL);
}

/* The province wrote or sent: its line on the board follows. */
static void
on_editor_changed_cb (KcRoundsPage *self)
{
  if (self->round != NULL)
    load_round (self, self->round->id);
}

static void
open_editor (KcRoundsPage *self, gint64 org_id)
{
  KcRoundReportEditor *editor;

  if (self->round == NULL)
    return;
  editor = kc_round_report_editor_new (toplevel (self), self->session, self->round->id, org_id,
                                       self->round->title);
  g_signal_connect_object (editor, "changed", G_CALLBACK (on_editor_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
on_open_clicked_cb (KcRoundsPage *self)
{
  KcRoundRow *row = selected_row (self);

  if (is_province (self))
    open_editor (self, 0);
  else if (row != NULL)
    open_editor (self, kc_round_row_get_org_id (row));
}

static void
on_report_activated_cb (KcRoundsPage *self, GtkListBoxRow *row)
{
  on_open_clicked_cb (self);
}

/* Return: the reason may take several lines. */

static void
on_return_response_cb (GtkDialog *dialog, int response, KcRoundsPage *self)
{
  GtkTextBuffer *buffer = self->return_buffer;
  gint64 org_id = self->return_org_id;
  GtkTextIter start, end;
  g_autofree char *reason = NULL;
  g_autoptr (JsonObject) params = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  reason = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  if (response != GTK_RESPONSE_OK || self->round == NULL)
    {
      gtk_widget_destroy (GTK_WIDGET (dialog));
      return;
    }
  if (*reason == '\0')
    {
      kc_form_set_label (self->return_error, _ ("Say why the report is returned."));
      return;
    }
  params = json_object_new ();
  json_object_set_int_member (params, "round_id", self->round->id);
  json_object_set_int_member (params, "org_id", org_id);
  json_object_set_string_member (params, "comment", reason);
  gtk_widget_destroy (GTK_WIDGET (dialog));
  call (self, kc_session_round_report_return_async, params, act_done_cb);
}

/* The dialog's widgets go with it. */
static void
on_return_destroy_cb (GtkWidget *dialog, KcRoundsPage *self)
{
  self->return_buffer = NULL;
  self->return_error = NULL;
  self->return_org_id = 0;
}

static void
on_return_clicked_cb (KcRoundsPage *self)
{
  KcRoundRow *row = selected_row (self);
  g_autoptr (GtkBuilder) builder = NULL;
  g_autofree char *title = NULL;
  GtkWidget *dialog, *view;

  if (row == NULL)
    return;
  builder = gtk_builder_new_from_resource ("/vn/gov/moit/KhuyenCong/ui/kc-round-return.ui");
  dialog = GTK_WIDGET (gtk_builder_get_object (builder, "dialog"));
  view = GTK_WIDGET (gtk_builder_get_object (builder, "reason_view"));
  title = g_strdup_printf (_ ("Return the report of %s"), kc_round_row_get_org_name (row));
  gtk_window_set_title (GTK_WINDOW (dialog), title);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), toplevel (self));
  self->return_buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  self->return_error = GTK_LABEL (gtk_builder_get_object (builder, "error_label"));
  self->return_org_id = kc_round_row_get_org_id (row);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_return_destroy_cb), self, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_return_response_cb), self, 0);
  gtk_widget_grab_focus (view);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_accept_clicked_cb (KcRoundsPage *self)
{
  KcRoundRow *row = selected_row (self);
  g_autoptr (JsonObject) params = NULL;

  if (row == NULL || self->round == NULL)
    return;
  params = json_object_new ();
  json_object_set_int_member (params, "round_id", self->round->id);
  json_object_set_int_member (params, "org_id", kc_round_row_get_org_id (row));
  call (self, kc_session_round_report_accept_async, params, act_done_cb);
}

/* Export: report.export as docx, odt or pdf, through a save dialog */

static void
export_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcRoundsPage *self = user_data;
  g_autoptr (JsonNode) reply = finish (self, source, result);
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree guchar *content = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  gsize size = 0;

  if (reply == NULL)
    {
      g_clear_object (&self->export_file);
      return;
    }
  file = g_steal_pointer (&self->export_file);
  content = g_base64_decode (kc_json_string (json_node_get_object (reply), "content_base64") ?: "",
                             &size);
  if (!g_file_replace_contents (file, (const char *)content, size, NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, &error))
    {
      show_message (self, GTK_MESSAGE_ERROR, error->message);
      return;
    }
  name = g_file_get_basename (file);
  text = g_strdup_printf (_ ("Saved as %s"), name);
  show_message (self, GTK_MESSAGE_INFO, text);
}

static void
on_chooser_response_cb (GtkNativeDialog *dialog, int response, KcRoundsPage *self)
{
  static const char *formats[] = { "docx", "odt", "pdf" };
  g_autoptr (GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *lower = NULL;
  const char *format = NULL;
  g_autoptr (JsonObject) params = NULL;
  JsonObject *inner;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->chooser);
  if (file == NULL || self->round == NULL)
    return;
  /* The format follows the file's extension; a name without one gets .docx. */
  path = g_file_get_path (file);
  lower = g_ascii_strdown (path != NULL ? path : "", -1);
  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *suffix = g_strconcat (".", formats[i], NULL);

      if (g_str_has_suffix (lower, suffix))
        format = formats[i];
    }
  if (format == NULL)
    {
      g_autofree char *with = g_strconcat (path, ".docx", NULL);

      g_object_unref (file);
      file = g_file_new_for_path (with);
      format = "docx";
    }
  params = json_object_new ();
  inner = json_object_new ();
  json_object_set_int_member (inner, "round_id", self->round->id);
  if (g_strcmp0 (self->export_report, "round_report") == 0)
    json_object_set_int_member (inner, "org_id", self->export_org_id);
  json_object_set_string_member (params, "report", self->export_report);
  json_object_set_object_member (params, "params", inner);
  json_object_set_string_member (params, "format", format);
  g_set_object (&self->export_file, file);
  call (self, kc_session_report_export_async, params, export_done_cb);
}

static void
add_filter (GtkFileChooser *chooser, const char *name, const char *pattern)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void export(KcRoundsPage *self, const char *report, gint64 org_id, const char *org_name)
{
  g_autofree char *title = NULL;
  g_autofree char *stem = NULL;
  GtkFileChooser *chooser;

  if (self->round == NULL || self->chooser != NULL)
    return;
  g_free (self->export_report);
  self->export_report = g_strdup (report);
  self->export_org_id = org_id;
  title = org_name != NULL ? g_strdup_printf (_ ("Export the report of %s"), org_name)
                           : g_strdup (_ ("Export the national summary"));
  self->chooser = gtk_file_chooser_native_new (title, toplevel (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _ ("_Save"), _ ("_Cancel"));
  chooser = GTK_FILE_CHOOSER (self->chooser);
  gtk_file_chooser_set_do_overwrite_confirmation (chooser, TRUE);
  stem = org_name != NULL ? g_strdup_printf (_ ("Report %s.docx"), org_name)
                          : g_strdup (_ ("National summary.docx"));
  gtk_file_chooser_set_current_name (chooser, stem);
  add_filter (chooser, _ ("Word document (.docx)"), "*.docx");
  add_filter (chooser, _ ("OpenDocument text (.odt)"), "*.odt");
  add_filter (chooser, _ ("PDF document (.pdf)"), "*.pdf");
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_export_clicked_cb (KcRoundsPage *self)
{
  KcRoundRow *row = selected_row (self);

  /* The Ministry exports the selected province's report, or the national
   * summary when no province is selected; a province its own report. */
  if (row != NULL)
    export(self, "round_report", kc_round_row_get_org_id (row), kc_round_row_get_org_name (row));
  else if (is_ministry (self))
    export(self, "round_consolidated", 0, NULL);
}

/* The national summary */

static GtkWidget *
summary_label (GtkBox *box, const char *text, gboolean bold)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (bold)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      gtk_label_set_attributes (GTK_LABEL (label), attrs);
      pango_attr_list_unref (attrs);
      gtk_widget_set_margin_top (label, 10);
    }
  gtk_box_pack_start (box, label, FALSE, FALSE, 0);
  return label;
}

static void
on_summary_export_clicked_cb (KcRoundsPage *self)
{
  export(self, "round_consolidated", 0, NULL);
}

static void
consolidate_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcRoundsPage *self = user_data;
  g_autoptr (JsonNode) reply = finish (self, source, result);
  JsonObject *summary;
  JsonArray *array;
  g_autoptr (GtkBuilder) builder = NULL;
  GtkWidget *window, *box;
  g_autofree char *title = NULL;
  g_autoptr (GString) not_sent = g_string_new (NULL);

  if (reply == NULL || self->round == NULL)
    return;
  summary = json_node_get_object (reply);
  title = g_strdup_printf (_ ("National summary — %s"), self->round->title);
  builder = gtk_builder_new_from_resource ("/vn/gov/moit/KhuyenCong/ui/kc-round-summary.ui");
  window = GTK_WIDGET (gtk_builder_get_object (builder, "window"));
  box = GTK_WIDGET (gtk_builder_get_object (builder, "content_box"));
  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_transient_for (GTK_WINDOW (window), toplevel (self));
  g_signal_connect_object (gtk_builder_get_object (builder, "export_button"), "clicked",
                           G_CALLBACK (on_summary_export_clicked_cb), self, G_CONNECT_SWAPPED);

  array = kc_json_array (summary, "not_sent");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    g_string_append_printf (not_sent, "%s%s", i > 0 ? ", " : "",
                            kc_json_string (json_array_get_object_element (array, i), "org_name")
                                ?: "");
  summary_label (GTK_BOX (box), _ ("Not sent yet"), TRUE);
  atk_object_set_name (
      gtk_widget_get_accessible (summary_label (
          GTK_BOX (box), not_sent->len > 0 ? not_sent->str : _ ("Every province has sent."),
          FALSE)),
      _ ("Provinces that have not sent"));

  array = kc_json_array (summary, "tables");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *table = json_array_get_object_element (array, i);
      GtkWidget *inner = gtk_scrolled_window_new (NULL, NULL);

      summary_label (GTK_BOX (box), kc_json_string (table, "title") ?: "", TRUE);
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (inner), GTK_POLICY_AUTOMATIC,
                                      GTK_POLICY_NEVER);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (inner), TRUE);
      gtk_container_add (GTK_CONTAINER (inner), kc_export_table_new (table));
      gtk_box_pack_start (GTK_BOX (box), inner, FALSE, FALSE, 0);
    }

  /* Each outline item: the provinces' texts one after the other. */
  array = kc_json_array (summary, "sections");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *section = json_array_get_object_element (array, i);
      JsonArray *provinces = kc_json_array (section, "provinces");
      g_autofree char *heading
          = g_strdup_printf ("%u. %s", i + 1, kc_json_string (section, "title") ?: "");

      summary_label (GTK_BOX (box), heading, TRUE);
      if (provinces == NULL || json_array_get_length (provinces) == 0)
        summary_label (GTK_BOX (box), _ ("No province has sent a text yet."), FALSE);
      for (guint p = 0; provinces != NULL && p < json_array_get_length (provinces); p++)
        {
          JsonObject *province = json_array_get_object_element (provinces, p);
          g_autofree char *text
              = g_strdup_printf ("%s: %s", kc_json_string (province, "org_name") ?: "",
                                 kc_json_string (province, "text") ?: "");

          gtk_widget_set_margin_start (summary_label (GTK_BOX (box), text, FALSE), 12);
        }
    }

  gtk_widget_show_all (window);
}

static void
on_consolidate_clicked_cb (KcRoundsPage *self)
{
  g_autoptr (JsonObject) params = NULL;

  if (self->round == NULL)
    return;
  params = json_object_new ();
  json_object_set_int_member (params, "round_id", self->round->id);
  call (self, kc_session_round_consolidate_async, params, consolidate_done_cb);
}

/* GObject */

static void
kc_rounds_page_dispose (GObject *object)
{
  KcRoundsPage *self = KC_ROUNDS_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->chooser);
  g_clear_object (&self->export_file);
  g_clear_object (&self->session);
  g_clear_object (&self->rounds);
  G_OBJECT_CLASS (kc_rounds_page_parent_class)->dispose (object);
}

static void
kc_rounds_page_finalize (GObject *object)
{
  KcRoundsPage *self = KC_ROUNDS_PAGE (object);

  g_clear_object (&self->round);
  g_free (self->export_report);
  G_OBJECT_CLASS (kc_rounds_page_parent_class)->finalize (object);
}

static void
kc_rounds_page_class_init (KcRoundsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kc_rounds_page_dispose;
  object_class->finalize = kc_rounds_page_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-rounds-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KcRoundsPage, new_button);
  gtk_widget_class_bind_template_child (widget_class, KcRoundsPage, open_button);
  gtk_widget_class_bind_template_child (widget_class, KcRoundsPage, return_button);
  gtk_widget_class_bind_template_child (widget_class, KcRoundsPage, accept_button);
  gtk_widget_class_bind_template_child (widget_class, KcRoundsPage, consolidate_button);
  gtk_widget_class_bind_template_child (widget_class, KcRoundsPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, KcRoundsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, KcRoundsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, KcRoundsPage, message_bar);
  gtk_widget_class_bind_template_child (widget_class, KcRoundsPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, KcRoundsPage, rounds_list);
  gtk_widget_class_bind_template_child (widget_class, KcRoundsPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, KcRoundsPage, detail_label);
  gtk_widget_class_bind_template_child (widget_class, KcRoundsPage, board);
  gtk_widget_class_bind_template_child (widget_class, KcRoundsPage, board_header);
  gtk_widget_class_bind_template_callback (widget_class, on_new_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_open_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_return_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_accept_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_consolidate_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_round_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_report_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_report_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, gtk_widget_hide);
}

static void
kc_rounds_page_init (KcRoundsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->rounds = g_list_store_new (KC_TYPE_ROUND);
  gtk_list_box_bind_model (self->rounds_list, G_LIST_MODEL (self->rounds), round_row_new, NULL,
                           NULL);
  gtk_box_pack_start (self->board_header, kc_round_row_new_header (), TRUE, TRUE, 0);
}

KcRoundsPage *
kc_rounds_page_new (KcSession *session)
{
  KcRoundsPage *self = g_object_new (KC_TYPE_ROUNDS_PAGE, NULL);

  self->session = g_object_ref (session);
  gtk_widget_set_visible (self->new_button, role_is (self, "ministry_approver"));
  gtk_widget_set_visible (self->return_button, is_ministry (self));
  gtk_widget_set_visible (self->accept_button, role_is (self, "ministry_approver"));
  gtk_widget_set_visible (self->consolidate_button, is_ministry (self));
  if (is_province (self))
    gtk_button_set_label (GTK_BUTTON (self->open_button), _ ("_Write the report"));
  g_signal_connect_object (session, "event", G_CALLBACK (on_session_event_cb), self, 0);
  update_buttons (self);
  /* The first reading when first shown (issue 17, point 7). */
  kc_lazy_init (GTK_WIDGET (self), G_CALLBACK (kc_rounds_page_refresh));
  return self;
}
