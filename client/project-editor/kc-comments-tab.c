/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-comments-tab.c — KcCommentsTab: a project's comment thread.
 */
#include "kc-comments-tab.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kc-calls.h"
#include "kc-labels.h"
#include "kc-window.h"

struct _KcCommentsTab
{
  GtkBox parent_instance;

  KcSession *session;
  gint64 project_id;
  GCancellable *cancellable;

  GtkListBox *list;
  GtkLabel *empty_label;
  GtkTextView *entry;
  GtkButton *send_button;
  GtkLabel *status_label;
  GtkWidget *compose;
};

G_DEFINE_TYPE (KcCommentsTab, kc_comments_tab, GTK_TYPE_BOX)

/* A decision's comment as the server keeps it, "request_revision: why",
 * with the decision named: "Yêu cầu chỉnh sửa: why" (transfer full). */
static char *
decision_body (const char *kind, const char *body)
{
  const char *colon = strstr (body, ": ");
  g_autofree char *code = colon != NULL ? g_strndup (body, (gsize)(colon - body)) : g_strdup (body);
  const char *label = kc_label_decision (code);

  if (g_strcmp0 (kind, "decision") != 0 || label == code)
    return g_strdup (body);
  if (colon == NULL || colon[2] == '\0')
    return g_strdup (label);
  /* TRANSLATORS: a review decision, then its comment */
  return g_strdup_printf (_ ("%s: %s"), label, colon + 2);
}

/* One comment: who (role) and when in bold, then the text. */
static GtkWidget *
comment_row (JsonObject *c)
{
  const char *author = json_object_get_string_member_with_default (c, "author", "");
  const char *role = json_object_get_string_member_with_default (c, "author_role", NULL);
  g_autofree char *body
      = decision_body (json_object_get_string_member_with_default (c, "kind", NULL),
                       json_object_get_string_member_with_default (c, "body", ""));
  g_autofree char *when
      = kc_label_instant (json_object_get_string_member_with_default (c, "at", ""));
  g_autofree char *head = g_markup_printf_escaped (
      "<b>%s</b> (%s) · %s", author, role != NULL ? kc_role_display_name (role) : "", when);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *head_label = gtk_label_new (NULL);
  GtkWidget *body_label = gtk_label_new (body);
  g_autofree char *name = g_strdup_printf ("%s: %s", author, body);

  gtk_label_set_markup (GTK_LABEL (head_label), head);
  gtk_label_set_xalign (GTK_LABEL (head_label), 0);
  gtk_label_set_xalign (GTK_LABEL (body_label), 0);
  gtk_label_set_line_wrap (GTK_LABEL (body_label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (body_label), TRUE);
  gtk_container_add (GTK_CONTAINER (box), head_label);
  gtk_container_add (GTK_CONTAINER (box), body_label);
  g_object_set (box, "margin", 6, NULL);
  gtk_widget_show_all (box);
  kc_set_accessible_name (box, name);
  return box;
}

static void
fill (KcCommentsTab *self, JsonArray *items)
{
  g_autoptr (GList) rows = gtk_container_get_children (GTK_CONTAINER (self->list));
  guint n = items != NULL ? json_array_get_length (items) : 0;

  for (GList *l = rows; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  for (guint i = 0; i < n; i++)
    gtk_list_box_insert (self->list, comment_row (json_array_get_object_element (items, i)), -1);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), n == 0);
}

static void
comments_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcCommentsTab *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, NULL, &error);
  JsonObject *object;
  JsonNode *items;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reply == NULL)
    {
      g_autofree char *text = kc_describe_error (error);

      gtk_label_set_text (self->status_label, text);
      return;
    }
  object = JSON_NODE_HOLDS_OBJECT (reply) ? json_node_get_object (reply) : NULL;
  items = object != NULL ? json_object_get_member (object, "items") : NULL;
  fill (self, items != NULL && JSON_NODE_HOLDS_ARRAY (items) ? json_node_get_array (items) : NULL);
}

void
kc_comments_tab_refresh (KcCommentsTab *self)
{
  g_return_if_fail (KC_IS_COMMENTS_TAB (self));
  kc_session_review_comments_async (self->session, self->project_id, self->cancellable,
                                    comments_done_cb, self);
}

static void
comment_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcCommentsTab *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, NULL, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->send_button), TRUE);
  if (reply == NULL)
    {
      g_autofree char *text = kc_describe_error (error);

      /* The text stays in the box: nothing typed is lost. */
      gtk_label_set_text (self->status_label, text);
      return;
    }
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->entry), "", -1);
  gtk_label_set_text (self->status_label, _ ("Comment sent."));
  kc_comments_tab_refresh (self);
}

static void
on_send_clicked_cb (KcCommentsTab *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->entry);
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_autoptr (JsonNode) params = json_node_new (JSON_NODE_OBJECT);
  g_autoptr (JsonObject) object = json_object_new ();

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  if (text[0] == '\0')
    {
      gtk_label_set_text (self->status_label, _ ("Write the comment first."));
      return;
    }
  json_object_set_int_member (object, "project_id", self->project_id);
  json_object_set_string_member (object, "body", text);
  json_node_set_object (params, object);
  gtk_widget_set_sensitive (GTK_WIDGET (self->send_button), FALSE);
  gtk_label_set_text (self->status_label, "");
  kc_session_review_comment_async (self->session, params, self->cancellable, comment_done_cb, self);
}

static void
kc_comments_tab_dispose (GObject *object)
{
  KcCommentsTab *self = KC_COMMENTS_TAB (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (kc_comments_tab_parent_class)->dispose (object);
}

static void
kc_comments_tab_class_init (KcCommentsTabClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = kc_comments_tab_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-comments-tab.ui");
  gtk_widget_class_bind_template_child (widget_class, KcCommentsTab, list);
  gtk_widget_class_bind_template_child (widget_class, KcCommentsTab, empty_label);
  gtk_widget_class_bind_template_child (widget_class, KcCommentsTab, entry);
  gtk_widget_class_bind_template_child (widget_class, KcCommentsTab, send_button);
  gtk_widget_class_bind_template_child (widget_class, KcCommentsTab, status_label);
  gtk_widget_class_bind_template_child (widget_class, KcCommentsTab, compose);
  gtk_widget_class_bind_template_callback (widget_class, on_send_clicked_cb);
}

static void
kc_comments_tab_init (KcCommentsTab *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

KcCommentsTab *
kc_comments_tab_new (KcSession *session, gint64 project_id)
{
  KcCommentsTab *self = g_object_new (KC_TYPE_COMMENTS_TAB, NULL);

  self->session = g_object_ref (session);
  self->project_id = project_id;
  kc_comments_tab_refresh (self);
  return self;
}

void
kc_comments_tab_set_can_post (KcCommentsTab *self, gboolean can_post)
{
  g_return_if_fail (KC_IS_COMMENTS_TAB (self));
  gtk_widget_set_visible (self->compose, can_post);
}
