/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-home-page.c — KcHomePage (see its header).
 */
#include "kc-home-page.h"

#include <glib/gi18n.h>

#include "kc-application.h"
#include "kc-calls.h"
#include "kc-errors.h"
#include "kc-inbox-row.h"
#include "kc-json.h"
#include "kc-project-editor.h"

/* The groups, top to bottom. */
enum
{
  GROUP_LATE,
  GROUP_SENT_BACK,
  GROUP_TODO,
  GROUP_CHANGED,
  N_GROUPS
};

struct _KcHomePage
{
  GtkBox parent_instance;

  GtkLabel *summary_label;
  GtkLabel *error_label;
  GtkLabel *empty_label;
  GtkSpinner *spinner;
  GtkWidget *headings[N_GROUPS];
  GtkListBox *lists[N_GROUPS];

  KcSession *session;
  GCancellable *cancellable;
  char *as_of;       /* the list's as_of, for inbox.mark_seen */
  GHashTable *known; /* the items' keys at the last reading; NULL before the first */
  /* The server sends the first ROWS_SHOWN items of each group and each
   * group's size (inbox.list per_group, sql/0054): hundreds of rows built
   * at login kept the page from painting for seconds at national size
   * (issue 17 point 7), and the first 500 of the whole list left the
   * Ministry's "to do" group empty behind 4,000 late items. The rest of a
   * group comes when its "more" row is activated (inbox.list group, from
   * the offset in the group it holds), a page at a time. */
  GtkWidget *more_rows[N_GROUPS];
  guint shown_rows[N_GROUPS];   /* items shown in each group */
  gint64 group_sizes[N_GROUPS]; /* counts.groups */
  guint refresh_id;             /* a reading asked for by events, a moment later */
  guint periodic_id;            /* every half hour: lateness comes with the calendar */
};

G_DEFINE_TYPE (KcHomePage, kc_home_page, GTK_TYPE_BOX)

enum
{
  SIGNAL_SHOW_PAGE,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

#define ROWS_SHOWN 40
/* A group's "more" row reads this many at a time. */
#define MORE_PAGE 1000

/* inbox.list's names of the groups (counts.groups, the group parameter). */
static const char *const group_names[N_GROUPS] = { "late", "sent_back", "todo", NULL };

/* Helpers */

static void
clear_list (GtkListBox *list)
{
  g_autoptr (GList) children = gtk_container_get_children (GTK_CONTAINER (list));

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
}

/* What tells one item from another across readings. */
static char *
item_key (JsonObject *item)
{
  JsonObject *ref = kc_json_object (item, "ref");
  JsonObject *detail = kc_json_object (item, "detail");

  return g_strdup_printf ("%s/%s/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%s",
                          kc_json_string (item, "kind"), kc_json_string (ref, "type"),
                          kc_json_int (ref, "id"), kc_json_int (item, "project_id"),
                          kc_json_string (detail, "period"));
}

static GSettings *
settings_of (KcHomePage *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GtkApplication *app
      = GTK_IS_WINDOW (toplevel) ? gtk_window_get_application (GTK_WINDOW (toplevel)) : NULL;

  return KC_IS_APPLICATION (app) ? kc_application_get_settings (KC_APPLICATION (app)) : NULL;
}

/* New items while the window is not in front: one desktop notification. */
static void
notify_new (KcHomePage *self, guint count, const char *first_title)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GSettings *settings = settings_of (self);
  GApplication *app = G_APPLICATION (g_application_get_default ());
  g_autoptr (GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;

  if (count == 0 || app == NULL || !GTK_IS_WINDOW (toplevel))
    return;
  if (gtk_window_is_active (GTK_WINDOW (toplevel)) && g_getenv ("KC_NOTIFY_ALWAYS") == NULL)
    return;
  if (settings != NULL && !g_settings_get_boolean (settings, "notify-new-items"))
    return;
  title = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%u new task awaits you", "%u new tasks await you", count),
      count);
  if (count == 1)
    body = g_strdup (first_title);
  else
    /* TRANSLATORS: a notification's text: the first new task, then how many more */
    body = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "%s and %u more", "%s and %u more", count - 1), first_title,
        count - 1);
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_NORMAL);
  /* A click shows the home page, the window in front (app.show-home). */
  g_notification_set_default_action (notification, "app.show-home");
  g_application_send_notification (app, "inbox", notification);
  g_debug ("notified: %s — %s", title, body);
}

static void on_row_activated_cb (GtkListBox *list, GtkListBoxRow *row, gpointer user_data);

static void
set_busy (KcHomePage *self, gboolean busy)
{
  if (busy)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
}

static void
show_error (KcHomePage *self, const GError *error, JsonNode *data)
{
  g_autofree char *text = kc_errors_describe (error, data);

  gtk_label_set_text (self->error_label, text);
  gtk_widget_show (GTK_WIDGET (self->error_label));
}

static void
on_more_clicked_cb (GtkListBoxRow *row)
{
  g_signal_emit_by_name (row, "activate");
}

/* "N more": the row that reads the rest of a group when activated. */
static void
add_more_row (KcHomePage *self, int group)
{
  gint64 n = self->group_sizes[group] - self->shown_rows[group];
  g_autofree char *text = NULL;
  GtkWidget *label;
  GtkWidget *button;
  GtkWidget *row;

  if (n <= 0 || group == GROUP_CHANGED)
    return;
  text = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%u more — show all", "%u more — show all", (gulong)n),
      (guint)n);
  /* a flat button, as the items' rows: a click, Enter or a screen reader's
   * press activates the row (row-activated → show_more) */
  label = gtk_label_new (text);
  gtk_widget_set_margin_top (label, 8);
  gtk_widget_set_margin_bottom (label, 8);
  button = gtk_button_new ();
  gtk_button_set_relief (GTK_BUTTON (button), GTK_RELIEF_NONE);
  gtk_container_add (GTK_CONTAINER (button), label);
  row = gtk_list_box_row_new ();
  gtk_container_add (GTK_CONTAINER (row), button);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_more_clicked_cb), row);
  gtk_widget_show_all (row);
  gtk_container_add (GTK_CONTAINER (self->lists[group]), row);
  self->more_rows[group] = row;
}

/* One item's row at the end of its group. */
static void
add_item_row (KcHomePage *self, int group, JsonObject *item)
{
  GtkWidget *row = kc_inbox_row_new_item (item);

  gtk_widget_show (row);
  gtk_container_add (GTK_CONTAINER (self->lists[group]), row);
  self->shown_rows[group]++;
}

static void
more_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);
  KcHomePage *self;
  JsonArray *items;
  int group = GROUP_TODO;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = KC_HOME_PAGE (user_data);
  set_busy (self, FALSE);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL)
        show_error (self, error, data);
      return;
    }
  items = kc_json_array (json_node_get_object (reply), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (item == NULL)
        continue;
      group = json_object_get_boolean_member_with_default (item, "overdue", FALSE) ? GROUP_LATE
              : json_object_get_boolean_member_with_default (item, "sent_back", FALSE)
                  ? GROUP_SENT_BACK
                  : GROUP_TODO;
      add_item_row (self, group, item);
    }
  if (items != NULL && json_array_get_length (items) > 0)
    add_more_row (self, group);
}

/* The next page of a group, after the rows it shows. */
static void
show_more (KcHomePage *self, int group)
{
  g_autoptr (JsonObject) params = json_object_new ();
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *cursor = g_strdup_printf ("%u", self->shown_rows[group]);

  gtk_widget_destroy (self->more_rows[group]);
  self->more_rows[group] = NULL;
  json_object_set_string_member (params, "group", group_names[group]);
  json_object_set_int_member (params, "limit", MORE_PAGE);
  json_object_set_string_member (params, "cursor", cursor);
  node = json_node_init_object (json_node_alloc (), params);
  set_busy (self, TRUE);
  kc_session_inbox_list_async (self->session, node, self->cancellable, more_done_cb, self);
}

static void
list_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);
  KcHomePage *self;
  JsonObject *object;
  JsonArray *items;
  JsonArray *changes;
  JsonObject *counts;
  g_autoptr (GHashTable) known = NULL;
  g_autoptr (GHashTable) changed = NULL;
  guint fresh = 0, shown = 0, n_items = 0;
  JsonObject *groups;
  g_autofree char *first_title = NULL;
  g_autofree char *summary = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = KC_HOME_PAGE (user_data);
  set_busy (self, FALSE);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL)
        show_error (self, error, data);
      return;
    }
  gtk_widget_hide (GTK_WIDGET (self->error_label));
  object = json_node_get_object (reply);
  g_free (self->as_of);
  self->as_of = g_strdup (kc_json_string (object, "as_of"));
  counts = kc_json_object (object, "counts");
  groups = kc_json_object (counts, "groups");
  for (int g = 0; g < N_GROUPS; g++)
    {
      clear_list (self->lists[g]);
      self->more_rows[g] = NULL;
      self->shown_rows[g] = 0;
      self->group_sizes[g] = g < GROUP_CHANGED ? kc_json_int (groups, group_names[g]) : 0;
    }

  known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  items = kc_json_array (object, "items");
  n_items = items != NULL ? json_array_get_length (items) : 0;
  for (guint i = 0; i < n_items; i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      int group = GROUP_TODO;
      char *key;

      if (item == NULL)
        continue;
      if (json_object_get_boolean_member_with_default (item, "overdue", FALSE))
        group = GROUP_LATE;
      else if (json_object_get_boolean_member_with_default (item, "sent_back", FALSE))
        group = GROUP_SENT_BACK;
      add_item_row (self, group, item);
      key = item_key (item);
      if (self->known != NULL && !g_hash_table_contains (self->known, key))
        {
          if (fresh++ == 0)
            first_title = kc_inbox_item_title (item); /* as its row says it */
        }
      g_hash_table_add (known, key);
    }
  /* One line per record, its latest change (the server's are newest first). */
  changes = kc_json_array (object, "changes");
  changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; changes != NULL && i < json_array_get_length (changes); i++)
    {
      JsonNode *node = json_array_get_element (changes, i);
      JsonObject *ref;
      GtkWidget *row;
      char *key;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      ref = kc_json_object (json_node_get_object (node), "ref");
      key = g_strdup_printf ("%s/%" G_GINT64_FORMAT, kc_json_string (ref, "type"),
                             kc_json_int (ref, "id"));
      if (!g_hash_table_add (changed, key))
        continue;
      row = kc_inbox_row_new_change (json_node_get_object (node));
      gtk_widget_show (row);
      gtk_container_add (GTK_CONTAINER (self->lists[GROUP_CHANGED]), row);
    }
  for (int g = 0; g < N_GROUPS; g++)
    add_more_row (self, g);
  for (int g = 0; g < N_GROUPS; g++)
    {
      g_autoptr (GList) rows = gtk_container_get_children (GTK_CONTAINER (self->lists[g]));
      gboolean any = rows != NULL;

      shown += g_list_length (rows);
      gtk_widget_set_visible (self->headings[g], any);
      gtk_widget_set_visible (GTK_WIDGET (self->lists[g]), any);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), shown == 0);

  {
    int total = (int)kc_json_int (object, "total");
    int late = (int)kc_json_int (counts, "overdue");
    int fresh_count = (int)kc_json_int (counts, "new");
    g_autofree char *tasks = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "%d task", "%d tasks", (gulong)total), total);
    g_autofree char *lates
        = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d late", "%d late", (gulong)late), late);
    g_autofree char *news = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "%d new", "%d new", (gulong)fresh_count), fresh_count);

    /* TRANSLATORS: the home page's summary: tasks in all, late ones, new ones */
    summary = g_strdup_printf (_ ("%s · %s · %s"), tasks, lates, news);
  }
  gtk_label_set_text (self->summary_label, summary);

  if (self->known != NULL)
    notify_new (self, fresh, first_title);
  g_clear_pointer (&self->known, g_hash_table_unref);
  self->known = g_steal_pointer (&known);
}

static void
mark_seen_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, NULL, &error);

  /* Not worth a message: the items stay "new" a little longer. */
  if (reply == NULL && error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("inbox.mark_seen failed: %s", error->message);
}

/* The person has looked at the list: what was in it is no longer new. */
static void
mark_seen (KcHomePage *self)
{
  g_autoptr (JsonObject) params = json_object_new ();
  g_autoptr (JsonNode) node = NULL;

  if (self->as_of == NULL)
    return;
  json_object_set_string_member (params, "at", self->as_of);
  node = json_node_init_object (json_node_alloc (), params);
  kc_session_inbox_mark_seen_async (self->session, node, NULL, mark_seen_done_cb, NULL);
}

static void
open_row (KcHomePage *self, KcInboxRow *row)
{
  const char *type = kc_inbox_row_get_ref_type (row);
  gint64 id = kc_inbox_row_get_ref_id (row);
  gint64 project = kc_inbox_row_get_project_id (row);
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));

  mark_seen (self);
  /* A project, or what belongs to one (its progress report, its
   * adjustment): the project's editor, where its acts are. */
  if (g_str_equal (type, "project") || project != 0)
    kc_project_editor_open (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL, self->session,
                            g_str_equal (type, "project") && id != 0 ? id : project, 0);
  else if (g_str_equal (type, "plan"))
    g_signal_emit (self, signals[SIGNAL_SHOW_PAGE], 0, "plans", id);
  else if (g_str_equal (type, "plan_year") || g_str_equal (type, "plan_decision_year"))
    g_signal_emit (self, signals[SIGNAL_SHOW_PAGE], 0, "plans", (gint64)0);
  else if (g_str_equal (type, "correspondence"))
    g_signal_emit (self, signals[SIGNAL_SHOW_PAGE], 0, "correspondence", id);
  else if (g_str_has_prefix (type, "round"))
    g_signal_emit (self, signals[SIGNAL_SHOW_PAGE], 0, "rounds", id);
  else
    g_signal_emit (self, signals[SIGNAL_SHOW_PAGE], 0, "reports", id);
}

static void
on_row_activated_cb (GtkListBox *list, GtkListBoxRow *row, gpointer user_data)
{
  KcHomePage *self = KC_HOME_PAGE (user_data);

  if (KC_IS_INBOX_ROW (row))
    open_row (self, KC_INBOX_ROW (row));
  else
    for (int g = 0; g < N_GROUPS; g++)
      if (self->more_rows[g] == GTK_WIDGET (row))
        show_more (self, g);
}

static gboolean
refresh_later_cb (gpointer user_data)
{
  KcHomePage *self = user_data;

  self->refresh_id = 0;
  kc_home_page_refresh (self);
  return G_SOURCE_REMOVE;
}

static gboolean
periodic_cb (gpointer user_data)
{
  kc_home_page_refresh (KC_HOME_PAGE (user_data));
  return G_SOURCE_CONTINUE;
}

/* Every topic whose records make or end items; a burst of events (a plan
 * decision touches many projects) is one reading. */
static void
on_session_event_cb (KcSession *session, const char *topic, JsonNode *params, gpointer user_data)
{
  KcHomePage *self = user_data;
  static const char *const topics[]
      = { "plan",    "project", "correspondence", "round_report", "round", "inbox", "allocation",
          "payment", NULL };

  if (!g_strv_contains (topics, topic))
    return;
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (400, refresh_later_cb, self);
}

/* GObject overrides */

static void
kc_home_page_dispose (GObject *object)
{
  KcHomePage *self = KC_HOME_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->periodic_id, g_source_remove);
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_clear_object (&self->session);
    }
  G_OBJECT_CLASS (kc_home_page_parent_class)->dispose (object);
}

static void
kc_home_page_finalize (GObject *object)
{
  KcHomePage *self = KC_HOME_PAGE (object);

  g_free (self->as_of);
  g_clear_pointer (&self->known, g_hash_table_unref);
  G_OBJECT_CLASS (kc_home_page_parent_class)->finalize (object);
}

static void
kc_home_page_class_init (KcHomePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = kc_home_page_dispose;
  G_OBJECT_CLASS (klass)->finalize = kc_home_page_finalize;
  signals[SIGNAL_SHOW_PAGE]
      = g_signal_new ("show-page", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT64);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-home-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KcHomePage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, KcHomePage, error_label);
  gtk_widget_class_bind_template_child (widget_class, KcHomePage, empty_label);
  gtk_widget_class_bind_template_child (widget_class, KcHomePage, spinner);
  /* The groups' headings and lists, in the order of GROUP_. */
  for (int g = 0; g < N_GROUPS; g++)
    {
      static const char *const ids[N_GROUPS] = { "late", "sent_back", "todo", "changed" };
      g_autofree char *heading = g_strdup_printf ("%s_heading", ids[g]);
      g_autofree char *list = g_strdup_printf ("%s_list", ids[g]);

      gtk_widget_class_bind_template_child_full (widget_class, heading, FALSE,
                                                 G_STRUCT_OFFSET (KcHomePage, headings)
                                                     + g * (gssize)sizeof (GtkWidget *));
      gtk_widget_class_bind_template_child_full (widget_class, list, FALSE,
                                                 G_STRUCT_OFFSET (KcHomePage, lists)
                                                     + g * (gssize)sizeof (GtkListBox *));
    }
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
}

static void
kc_home_page_init (KcHomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self)), _ ("What awaits me"));
}

/* Public API */

KcHomePage *
kc_home_page_new (KcSession *session)
{
  KcHomePage *self = g_object_new (KC_TYPE_HOME_PAGE, NULL);

  self->session = g_object_ref (session);
  g_signal_connect_object (session, "event", G_CALLBACK (on_session_event_cb), self, 0);
  self->periodic_id = g_timeout_add_seconds (30 * 60, periodic_cb, self);
  kc_home_page_refresh (self);
  return self;
}

void
kc_home_page_refresh (KcHomePage *self)
{
  g_autoptr (JsonObject) params = json_object_new ();
  g_autoptr (JsonNode) node = NULL;

  g_return_if_fail (KC_IS_HOME_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  /* what the page shows: the first of each group, and the groups' sizes */
  json_object_set_int_member (params, "per_group", ROWS_SHOWN);
  node = json_node_init_object (json_node_alloc (), params);
  set_busy (self, TRUE);
  kc_session_inbox_list_async (self->session, node, self->cancellable, list_done_cb, self);
}
