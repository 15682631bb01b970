/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-round-report-editor.c — KcRoundReportEditor (see its header).
 */
#include "kc-round-report-editor.h"

#include <glib/gi18n.h>

#include "kc-calls.h"
#include "kc-error.h"
#include "kc-errors.h"
#include "kc-export-table.h"
#include "kc-form.h"
#include "kc-json.h"
#include "kc-round.h"

/* How long the text rests before it is saved. */
#define SAVE_DELAY_MS 1200

struct _KcRoundReportEditor
{
  GtkWindow parent_instance;

  GtkLabel *heading_label;
  GtkLabel *status_label;
  GtkInfoBar *message_bar;
  GtkLabel *message_label;
  GtkWidget *keep_button;
  GtkWidget *reload_button;
  GtkBox *sections_box;
  GtkSpinner *spinner;
  GtkLabel *save_label;
  GtkWidget *preview_button;
  GtkWidget *send_button;

  KcSession *session;
  GCancellable *cancellable;
  gint64 round_id;
  gint64 org_id; /* 0: the caller's own */
  char *round_title;
  KcRoundReport *report;
  GHashTable *views;   /* section key → GtkTextView (borrowed) */
  GHashTable *dirty;   /* section keys edited since the last save */
  GHashTable *sending; /* section keys of the save in flight */
  guint save_id;       /* the pending save's timeout */
  gboolean saving;     /* a round.report_update is in flight */
  gboolean send_after; /* send once the save in flight is done */
  gboolean filling;    /* the buffers are being filled: not an edit */
  gboolean stale;      /* 1009: saving waits for the person's choice */
  gboolean reread;     /* read the report again once saved (after a 1009) */
  char *saved_text;    /* "Saved at …" of the last save, or NULL */
  gint64 their_version;
  int busy;
};

G_DEFINE_TYPE (KcRoundReportEditor, kc_round_report_editor, GTK_TYPE_WINDOW)

enum
{
  SIGNAL_SENT,
  SIGNAL_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void save_now (KcRoundReportEditor *self);
static void send_now (KcRoundReportEditor *self);

/* Helpers */

static gboolean
province_role (KcRoundReportEditor *self)
{
  const char *role = kc_session_get_role (self->session);

  return g_strcmp0 (role, "province_officer") == 0 || g_strcmp0 (role, "province_leader") == 0;
}

static gboolean
may_write (KcRoundReportEditor *self)
{
  return province_role (self) && kc_round_report_is_editable (self->report);
}

static void
set_busy (KcRoundReportEditor *self, gboolean busy)
{
  kc_form_count_busy (&self->busy, busy, self->spinner);
}

static void
show_message (KcRoundReportEditor *self, GtkMessageType type, const char *text, gboolean stale)
{
  gtk_widget_set_visible (self->keep_button, stale);
  kc_form_show_message (self->message_bar, self->message_label, self->reload_button, type, text,
                        stale);
}

static void
hide_message (KcRoundReportEditor *self)
{
  gtk_widget_hide (GTK_WIDGET (self->message_bar));
}

static JsonNode *
object_node (JsonObject *object)
{
  return json_node_init_object (json_node_alloc (), object);
}

static char *
buffer_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
show_status (KcRoundReportEditor *self)
{
  g_autofree char *sent = kc_round_format_day (self->report->sent_at);
  g_autofree char *text = NULL;

  if (*sent != '\0')
    /* TRANSLATORS: a round report's status, then the day it was sent */
    text = g_strdup_printf (_ ("Status: %s (sent %s)"),
                            kc_round_status_label (self->report->status), sent);
  else
    text = g_strdup_printf (_ ("Status: %s"), kc_round_status_label (self->report->status));
  if (self->report->late)
    {
      g_autofree char *with = g_strconcat (text, " — ", _ ("Late"), NULL);

      g_free (text);
      text = g_steal_pointer (&with);
    }
  gtk_label_set_text (self->status_label, text);
  gtk_widget_set_visible (self->send_button,
                          g_strcmp0 (kc_session_get_role (self->session), "province_leader") == 0
                              && kc_round_report_is_editable (self->report));
}

/* Saving as one goes */

static gboolean
save_timeout_cb (gpointer user_data)
{
  KcRoundReportEditor *self = user_data;

  self->save_id = 0;
  save_now (self);
  return G_SOURCE_REMOVE;
}

/* (transfer full, nullable): round.report_update's parameters for the
 * sections edited since the last save, which are no longer "dirty". */
static JsonNode *
take_save_params (KcRoundReportEditor *self)
{
  g_autoptr (JsonObject) params = json_object_new ();
  JsonArray *sections;
  GHashTableIter iter;
  gpointer key;

  if (g_hash_table_size (self->dirty) == 0 || self->report == NULL)
    return NULL;
  sections = json_array_new ();
  g_hash_table_iter_init (&iter, self->dirty);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      GtkTextView *view = g_hash_table_lookup (self->views, key);
      g_autofree char *text = NULL;
      JsonObject *section;

      if (view == NULL)
        continue;
      text = buffer_text (view);
      section = json_object_new ();
      json_object_set_string_member (section, "key", key);
      json_object_set_string_member (section, "text", text);
      json_array_add_object_element (sections, section);
    }
  /* Until the answer, the keys sent are no longer dirty but not saved yet. */
  g_hash_table_remove_all (self->sending);
  g_hash_table_iter_init (&iter, self->dirty);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (self->sending, g_strdup (key));
  g_hash_table_remove_all (self->dirty);
  json_object_set_int_member (params, "round_id", self->round_id);
  json_object_set_int_member (params, "version", self->report->version);
  json_object_set_array_member (params, "sections", sections);
  return object_node (params);
}

/* (transfer none, nullable): the key of the section written in @buffer. */
static const char *
section_of_buffer (KcRoundReportEditor *self, GtkTextBuffer *buffer)
{
  GHashTableIter iter;
  gpointer key, view;

  g_hash_table_iter_init (&iter, self->views);
  while (g_hash_table_iter_next (&iter, &key, &view))
    if (gtk_text_view_get_buffer (view) == buffer)
      return key;
  return NULL;
}

static void
on_text_changed_cb (GtkTextBuffer *buffer, KcRoundReportEditor *self)
{
  const char *key = section_of_buffer (self, buffer);

  if (self->filling || key == NULL)
    return;
  g_hash_table_add (self->dirty, g_strdup (key));
  gtk_label_set_text (self->save_label, _ ("Changes not saved yet…"));
  if (self->save_id != 0)
    g_source_remove (self->save_id);
  self->save_id = 0;
  if (!self->stale)
    self->save_id = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
}

static void
save_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcRoundReportEditor *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->saving = FALSE;
  set_busy (self, FALSE);
  if (reply == NULL)
    {
      /* Not saved: those sections are to be saved again. */
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, self->sending);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_hash_table_add (self->dirty, g_strdup (key));
    }
  g_hash_table_remove_all (self->sending);
  if (reply != NULL && JSON_NODE_HOLDS_OBJECT (reply))
    {
      JsonObject *object = json_node_get_object (reply);
      g_autoptr (GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *at = g_date_time_format (now, "%H:%M:%S");
      g_autofree char *text = g_strdup_printf (_ ("Saved at %s"), at);

      self->report->version = kc_json_int (object, "version");
      g_free (self->report->status);
      self->report->status = g_strdup (kc_json_string (object, "status") ?: "drafting");
      show_status (self);
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
      g_free (self->saved_text);
      self->saved_text = g_strdup (text);
      if (g_hash_table_size (self->dirty) == 0)
        gtk_label_set_text (self->save_label, text);
      else if (self->save_id == 0)
        save_now (self);
      /* After a conflict: the other person's sections too. */
      if (self->reread && g_hash_table_size (self->dirty) == 0 && !self->send_after)
        {
          self->reread = FALSE;
          kc_round_report_editor_reload (self);
        }
      if (self->send_after && g_hash_table_size (self->dirty) == 0)
        {
          self->send_after = FALSE;
          send_now (self);
        }
      return;
    }
  self->send_after = FALSE;
  if (g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_CONFLICT))
    {
      JsonObject *d
          = data != NULL && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;

      self->stale = TRUE;
      self->their_version = kc_json_int (d, "current_version");
      gtk_label_set_text (self->save_label, _ ("Not saved"));
      show_message (self, GTK_MESSAGE_WARNING,
                    _ ("Someone else changed this report while you were writing: your last "
                       "changes are not saved. Keep your text (it replaces theirs in the sections "
                       "you changed) or reload theirs (your changes are lost)."),
                    TRUE);
      return;
    }
  gtk_label_set_text (self->save_label, _ ("Not saved"));
  if (g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_BAD_STATUS))
    {
      show_message (self, GTK_MESSAGE_WARNING,
                    _ ("This report has been sent: it can no longer be changed, unless the "
                       "Ministry returns it."),
                    FALSE);
      kc_round_report_editor_reload (self);
      return;
    }
  {
    g_autofree char *text = kc_errors_describe (error, data);

    show_message (self, GTK_MESSAGE_ERROR, text, FALSE);
  }
}

static void
save_now (KcRoundReportEditor *self)
{
  g_autoptr (JsonNode) node = NULL;

  self->save_id = 0;
  if (self->saving || self->stale)
    return;
  node = take_save_params (self);
  if (node == NULL)
    return;
  self->saving = TRUE;
  set_busy (self, TRUE);
  gtk_label_set_text (self->save_label, _ ("Saving…"));
  kc_session_round_report_update_async (self->session, node, self->cancellable, save_done_cb, self);
}

static void
on_keep_clicked_cb (KcRoundReportEditor *self)
{
  /* The sections not saved go again, over the other version; the others
   * keep what the other person wrote. */
  self->stale = FALSE;
  self->reread = TRUE;
  self->report->version = self->their_version;
  hide_message (self);
  save_now (self);
}

static void
on_reload_clicked_cb (KcRoundReportEditor *self)
{
  self->stale = FALSE;
  g_hash_table_remove_all (self->dirty);
  hide_message (self);
  kc_round_report_editor_reload (self);
}

/* Filling the window */

static GtkWidget *
add_label (KcRoundReportEditor *self, const char *text, const char *style_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (style_class != NULL)
    gtk_style_context_add_class (gtk_widget_get_style_context (label), style_class);
  gtk_widget_show (label);
  gtk_box_pack_start (self->sections_box, label, FALSE, FALSE, 0);
  return label;
}

static void
add_heading (KcRoundReportEditor *self, const char *text)
{
  GtkWidget *label = add_label (self, text, NULL);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  gtk_label_set_attributes (GTK_LABEL (label), attrs);
  pango_attr_list_unref (attrs);
  gtk_widget_set_margin_top (label, 12);
}

static void
add_section (KcRoundReportEditor *self, guint index, const KcRoundSection *section,
             gboolean editable)
{
  g_autofree char *heading = g_strdup_printf ("%u. %s", index + 1, section->title);
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *view = gtk_text_view_new ();
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));

  add_heading (self, heading);
  if (section->guidance != NULL && *section->guidance != '\0')
    add_label (self, section->guidance, "dim-label");
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), editable);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (view), editable);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 4);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 4);
  gtk_widget_set_size_request (view, -1, editable ? 110 : 40);
  atk_object_set_name (gtk_widget_get_accessible (view), section->title);
  gtk_text_buffer_set_text (buffer, section->text, -1);
  g_signal_connect (buffer, "changed", G_CALLBACK (on_text_changed_cb), self);
  gtk_container_add (GTK_CONTAINER (frame), view);
  gtk_widget_show_all (frame);
  gtk_box_pack_start (self->sections_box, frame, FALSE, FALSE, 0);
  g_hash_table_insert (self->views, g_strdup (section->key), view);
}

static void
add_tables (KcRoundReportEditor *self)
{
  JsonArray *tables = self->report->tables;

  if (tables == NULL || json_array_get_length (tables) == 0)
    return;
  add_heading (self, _ ("Figures (computed by the system)"));
  add_label (self,
             self->report->tables_frozen
                 ? _ ("As they were when the report was sent; they no longer change.")
                 : _ ("Computed today from the projects of the period; they are frozen when the "
                      "report is sent."),
             "dim-label");
  for (guint i = 0; i < json_array_get_length (tables); i++)
    {
      JsonNode *node = json_array_get_element (tables, i);
      GtkWidget *scrolled, *table;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      add_label (self, kc_json_string (json_node_get_object (node), "title") ?: "", NULL);
      table = kc_export_table_new (json_node_get_object (node));
      scrolled = gtk_scrolled_window_new (NULL, NULL);
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_AUTOMATIC,
                                      GTK_POLICY_NEVER);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
      gtk_container_add (GTK_CONTAINER (scrolled), table);
      gtk_widget_show_all (scrolled);
      gtk_box_pack_start (self->sections_box, scrolled, FALSE, FALSE, 0);
    }
}

static void
fill (KcRoundReportEditor *self, KcRoundReport *report)
{
  gboolean editable;
  g_autofree char *title = NULL;
  g_autoptr (GHashTable) kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  /* Text written here and not saved yet stays (an event reloads the report). */
  if (self->report != NULL && kc_round_report_is_editable (report))
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, self->dirty);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          GtkTextView *view = g_hash_table_lookup (self->views, key);

          if (view != NULL)
            g_hash_table_insert (kept, g_strdup (key), buffer_text (view));
        }
    }
  else
    g_hash_table_remove_all (self->dirty);
  g_clear_pointer (&self->report, kc_round_report_free);
  self->report = report;
  editable = may_write (self);
  title = g_strdup_printf ("%s — %s", report->org_name, self->round_title);
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_label_set_text (self->heading_label, title);
  show_status (self);
  if (g_strcmp0 (report->status, "returned") == 0 && report->returned_comment != NULL)
    {
      g_autofree char *text
          = g_strdup_printf (_ ("The Ministry returned this report: %s"), report->returned_comment);

      show_message (self, GTK_MESSAGE_WARNING, text, FALSE);
    }
  self->filling = TRUE;
  g_hash_table_remove_all (self->views);
  kc_form_destroy_children (GTK_CONTAINER (self->sections_box));
  for (guint i = 0; i < report->sections->len; i++)
    {
      KcRoundSection *section = g_ptr_array_index (report->sections, i);
      const char *mine = g_hash_table_lookup (kept, section->key);

      if (mine != NULL)
        {
          g_free (section->text);
          section->text = g_strdup (mine);
        }
      add_section (self, i, section, editable);
    }
  add_tables (self);
  self->filling = FALSE;
  if (!editable)
    gtk_label_set_text (self->save_label, province_role (self)
                                              ? _ ("This report can no longer be changed.")
                                              : _ ("Read only"));
  else if (g_hash_table_size (self->dirty) == 0)
    gtk_label_set_text (self->save_label, self->saved_text != NULL
                                              ? self->saved_text
                                              : _ ("Your text is saved as you write."));
}

static void
get_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcRoundReportEditor *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      g_autofree char *text = kc_errors_describe (error, data);

      show_message (self, GTK_MESSAGE_ERROR, text, FALSE);
      return;
    }
  fill (self, kc_round_report_new_from_json (json_node_get_object (reply)));
}

void
kc_round_report_editor_reload (KcRoundReportEditor *self)
{
  g_autoptr (JsonObject) params = json_object_new ();
  g_autoptr (JsonNode) node = NULL;

  g_return_if_fail (KC_IS_ROUND_REPORT_EDITOR (self));
  json_object_set_int_member (params, "round_id", self->round_id);
  if (self->org_id != 0)
    json_object_set_int_member (params, "org_id", self->org_id);
  node = object_node (params);
  set_busy (self, TRUE);
  kc_session_round_report_get_async (self->session, node, self->cancellable, get_done_cb, self);
}

gint64
kc_round_report_editor_get_round_id (KcRoundReportEditor *self)
{
  return self->round_id;
}

/* Sending */

static void
send_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcRoundReportEditor *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  gtk_widget_set_sensitive (self->send_button, TRUE);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      g_autofree char *text = kc_errors_describe (error, data);

      show_message (self, GTK_MESSAGE_ERROR, text, FALSE);
      return;
    }
  show_message (self, GTK_MESSAGE_INFO, _ ("The report was sent to the Ministry."), FALSE);
  fill (self, kc_round_report_new_from_json (json_node_get_object (reply)));
  g_signal_emit (self, signals[SIGNAL_SENT], 0);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
send_now (KcRoundReportEditor *self)
{
  g_autoptr (JsonObject) params = json_object_new ();
  g_autoptr (JsonNode) node = NULL;

  json_object_set_int_member (params, "round_id", self->round_id);
  json_object_set_int_member (params, "version", self->report->version);
  node = object_node (params);
  set_busy (self, TRUE);
  gtk_widget_set_sensitive (self->send_button, FALSE);
  kc_session_round_report_send_async (self->session, node, self->cancellable, send_done_cb, self);
}

static void
on_confirm_response_cb (GtkDialog *dialog, int response, KcRoundReportEditor *self)
{
  gtk_widget_destroy (GTK_WIDGET (dialog));
  if (response != GTK_RESPONSE_OK)
    return;
  /* What is on the screen is what goes: the text not saved yet first. */
  if (self->save_id != 0)
    {
      g_source_remove (self->save_id);
      self->save_id = 0;
    }
  if (self->saving || g_hash_table_size (self->dirty) > 0)
    {
      self->send_after = TRUE;
      save_now (self);
      return;
    }
  send_now (self);
}

static void
on_send_clicked_cb (KcRoundReportEditor *self)
{
  guint written = 0, n = self->report->sections->len, tables = 0;
  g_autofree char *what = NULL;
  GtkWidget *dialog;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->views);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *text = buffer_text (value);

      if (*g_strstrip (text) != '\0')
        written++;
    }
  if (self->report->tables != NULL)
    tables = json_array_get_length (self->report->tables);
  /* TRANSLATORS: the confirmation of a round report's send: the sections
   * written out of all, the tables; then what follows */
  what = g_strdup_printf (_ ("What is sent: the text of %u of the %u sections as written now, and "
                             "%u tables of figures as the system computes them today. The "
                             "figures are frozen when sent. After sending, the report can no "
                             "longer be changed unless the Ministry returns it."),
                          written, n, tables);
  dialog = gtk_message_dialog_new (
      GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, GTK_MESSAGE_QUESTION,
      GTK_BUTTONS_NONE, _ ("Send %s's report to the Ministry?"), self->report->org_name);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", what);
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _ ("_Cancel"), GTK_RESPONSE_CANCEL, _ ("_Send"),
                          GTK_RESPONSE_OK, NULL);
  gtk_window_set_title (GTK_WINDOW (dialog), _ ("Send the report"));
  atk_object_set_name (gtk_widget_get_accessible (dialog), _ ("Send the report"));
  g_signal_connect (dialog, "response", G_CALLBACK (on_confirm_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Preview: the document as report.round_report lays it out */

static void
preview_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcRoundReportEditor *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);
  JsonObject *document;
  g_autoptr (GString) text = g_string_new (NULL);
  GtkWidget *window, *scrolled, *view;
  JsonArray *array;
  JsonObject *signer;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      g_autofree char *message = kc_errors_describe (error, data);

      show_message (self, GTK_MESSAGE_ERROR, message, FALSE);
      return;
    }
  document = kc_json_object (json_node_get_object (reply), "document");
  g_string_append_printf (text, "%s\n\n", kc_json_string (document, "number") ?: "");
  g_string_append_printf (text, "%s\n\n", kc_json_string (document, "heading") ?: "");
  if (kc_json_string (document, "recipient") != NULL)
    g_string_append_printf (text, "%s\n\n", kc_json_string (document, "recipient"));
  if (kc_json_string (document, "intro") != NULL)
    g_string_append_printf (text, "%s\n\n", kc_json_string (document, "intro"));
  array = kc_json_array (document, "sections");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *s = json_array_get_object_element (array, i);

      g_string_append_printf (text, "%s\n%s\n\n", kc_json_string (s, "heading") ?: "",
                              kc_json_string (s, "text") ?: "");
    }
  array = kc_json_array (document, "tables");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    g_string_append_printf (
        text, "[%s]\n", kc_json_string (json_array_get_object_element (array, i), "title") ?: "");
  array = kc_json_array (document, "recipients");
  if (array != NULL)
    {
      g_string_append_printf (text, "\n%s\n", _ ("Recipients:"));
      for (guint i = 0; i < json_array_get_length (array); i++)
        g_string_append_printf (text, "- %s\n", json_array_get_string_element (array, i));
    }
  signer = kc_json_object (document, "signer");
  if (signer != NULL)
    g_string_append_printf (text, "\n%s\n%s\n%s\n", kc_json_string (signer, "authority") ?: "",
                            kc_json_string (signer, "title") ?: "",
                            kc_json_string (signer, "name") ?: "");

  window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  gtk_window_set_title (GTK_WINDOW (window), _ ("Preview of the report"));
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 640);
  scrolled = gtk_scrolled_window_new (NULL, NULL);
  view = gtk_text_view_new ();
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 24);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 24);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 16);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text->str, -1);
  atk_object_set_name (gtk_widget_get_accessible (view), _ ("Preview of the report"));
  gtk_container_add (GTK_CONTAINER (scrolled), view);
  gtk_container_add (GTK_CONTAINER (window), scrolled);
  gtk_widget_show_all (window);
}

static void
on_preview_clicked_cb (KcRoundReportEditor *self)
{
  g_autoptr (JsonObject) params = json_object_new ();
  g_autoptr (JsonNode) node = NULL;

  if (self->report == NULL)
    return;
  /* The preview shows what is saved: save what is not yet. */
  if (self->save_id != 0)
    {
      g_source_remove (self->save_id);
      save_now (self);
    }
  json_object_set_int_member (params, "round_id", self->round_id);
  json_object_set_int_member (params, "org_id", self->report->org_id);
  node = object_node (params);
  set_busy (self, TRUE);
  kc_session_report_round_report_async (self->session, node, self->cancellable, preview_done_cb,
                                        self);
}

/* GObject */

static void
closing_save_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, NULL, &error);

  if (reply == NULL)
    g_message ("the last save of a round report failed: %s", error->message);
}

static void
kc_round_report_editor_dispose (GObject *object)
{
  KcRoundReportEditor *self = KC_ROUND_REPORT_EDITOR (object);

  if (self->save_id != 0)
    {
      g_source_remove (self->save_id);
      self->save_id = 0;
      /* Closing does not lose the last words: the save still goes, and
       * its answer comes to nobody. */
      if (self->session != NULL && !self->saving && !self->stale)
        {
          g_autoptr (JsonNode) node = take_save_params (self);

          if (node != NULL)
            kc_session_round_report_update_async (self->session, node, NULL, closing_save_done_cb,
                                                  NULL);
        }
    }
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (kc_round_report_editor_parent_class)->dispose (object);
}

static void
kc_round_report_editor_finalize (GObject *object)
{
  KcRoundReportEditor *self = KC_ROUND_REPORT_EDITOR (object);

  g_clear_pointer (&self->report, kc_round_report_free);
  g_hash_table_unref (self->views);
  g_hash_table_unref (self->dirty);
  g_hash_table_unref (self->sending);
  g_free (self->round_title);
  g_free (self->saved_text);
  G_OBJECT_CLASS (kc_round_report_editor_parent_class)->finalize (object);
}

static void
kc_round_report_editor_class_init (KcRoundReportEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kc_round_report_editor_dispose;
  object_class->finalize = kc_round_report_editor_finalize;
  /* ::sent: the report was sent to the Ministry. */
  signals[SIGNAL_SENT] = g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* ::changed: saved or sent (its status may have changed). */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/vn/gov/moit/KhuyenCong/ui/kc-round-report-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, KcRoundReportEditor, heading_label);
  gtk_widget_class_bind_template_child (widget_class, KcRoundReportEditor, status_label);
  gtk_widget_class_bind_template_child (widget_class, KcRoundReportEditor, message_bar);
  gtk_widget_class_bind_template_child (widget_class, KcRoundReportEditor, message_label);
  gtk_widget_class_bind_template_child (widget_class, KcRoundReportEditor, keep_button);
  gtk_widget_class_bind_template_child (widget_class, KcRoundReportEditor, reload_button);
  gtk_widget_class_bind_template_child (widget_class, KcRoundReportEditor, sections_box);
  gtk_widget_class_bind_template_child (widget_class, KcRoundReportEditor, spinner);
  gtk_widget_class_bind_template_child (widget_class, KcRoundReportEditor, save_label);
  gtk_widget_class_bind_template_child (widget_class, KcRoundReportEditor, preview_button);
  gtk_widget_class_bind_template_child (widget_class, KcRoundReportEditor, send_button);
  gtk_widget_class_bind_template_callback (widget_class, on_keep_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_reload_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_preview_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_send_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, gtk_widget_destroy);
}

static void
kc_round_report_editor_init (KcRoundReportEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->views = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->dirty = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->sending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* Sent, returned or accepted elsewhere: read it again. */
static void
on_session_event_cb (KcSession *session, const char *topic, JsonNode *params, gpointer user_data)
{
  KcRoundReportEditor *self = user_data;
  JsonObject *object
      = params != NULL && JSON_NODE_HOLDS_OBJECT (params) ? json_node_get_object (params) : NULL;

  if (g_strcmp0 (topic, "round_report") == 0 && self->report != NULL
      && kc_json_int (object, "id") == self->report->id)
    kc_round_report_editor_reload (self);
}

KcRoundReportEditor *
kc_round_report_editor_new (GtkWindow *parent, KcSession *session, gint64 round_id, gint64 org_id,
                            const char *round_title)
{
  KcRoundReportEditor *self = g_object_new (KC_TYPE_ROUND_REPORT_EDITOR, NULL);

  gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  self->session = g_object_ref (session);
  self->round_id = round_id;
  self->org_id = org_id;
  self->round_title = g_strdup (round_title != NULL ? round_title : "");
  g_signal_connect_object (session, "event", G_CALLBACK (on_session_event_cb), self, 0);
  kc_round_report_editor_reload (self);
  return self;
}
