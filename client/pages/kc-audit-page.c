/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-audit-page.c — KcAuditPage: audit.list.
 */
#include "kc-audit-page.h"

#include <glib/gi18n.h>

#include "kc-audit-entry.h"
#include "kc-calls.h"
#include "kc-date.h"
#include "kc-labels.h"
#include "kc-record-list.h"
#include "kc-column-layout.h"

#define PAGE_SIZE 100

enum
{
  COL_SEQ,
  COL_AT,
  COL_WHO,
  COL_METHOD,
  COL_RECORD,
  COL_PEER,
  N_COLUMNS
};

struct _KcAuditPage
{
  KcTablePage parent_instance;

  /* The entries read (KcAuditEntry), newest first as the server sends
   * them; the view shows them through @list (which sorts when a header is
   * clicked). */
  GListStore *entries;
  KcRecordList *list;
  char *next_cursor;
  gboolean fetching;
  /* The look for more rows after a page was added: an idle of the page's
   * own, removed in dispose (logging out destroys the page while it is
   * pending, and it reads the page's scrolled window). */
  guint check_more_id;
  /* Live: a server event means new entries; read again a moment later
   * (one read for a burst of events), when the newest rows are in view. */
  guint live_id;
};

G_DEFINE_TYPE (KcAuditPage, kc_audit_page, KC_TYPE_TABLE_PAGE)

static void fetch_page (KcAuditPage *self);

/* The columns, read from each entry when the view asks (by number:
 * kc-column-layout remembers a sort by its column's number). */

static void
get_seq (gpointer entry, GValue *value, gpointer page)
{
  g_value_set_int64 (value, kc_audit_entry_get_seq (entry));
}

static void
get_at (gpointer entry, GValue *value, gpointer page)
{
  g_autoptr (GDateTime) at = kc_instant_parse (kc_audit_entry_get_at (entry));
  g_autoptr (GDateTime) local = at != NULL ? g_date_time_to_local (at) : NULL;

  if (local != NULL)
    g_value_take_string (value, g_date_time_format (local, "%d/%m/%Y %H:%M:%S"));
  else
    g_value_set_static_string (value, "");
}

static void
get_who (gpointer entry, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_audit_entry_get_username (entry));
}

static void
get_method (gpointer entry, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_label_audit_action (kc_audit_entry_get_method (entry)));
}

/* "Đề án: KCĐP-2026-25-003 — Đào tạo nghề mây tre", else its number. */
static void
get_record (gpointer entry, GValue *value, gpointer page)
{
  const char *type = kc_audit_entry_get_record_type (entry);
  const char *name = kc_audit_entry_get_record_name (entry);

  if (type[0] != '\0' && name[0] != '\0')
    /* TRANSLATORS: the kind of record, then its name */
    g_value_take_string (value, g_strdup_printf (_ ("%s: %s"), kc_label_record_type (type), name));
  else if (type[0] != '\0')
    {
      g_autofree char *number
          = g_strdup_printf ("%" G_GINT64_FORMAT, kc_audit_entry_get_record_id (entry));

      /* TRANSLATORS: the kind of record, then its number */
      g_value_take_string (value,
                           g_strdup_printf (_ ("%s no. %s"), kc_label_record_type (type), number));
    }
  else
    g_value_set_static_string (value, "");
}

static void
get_peer (gpointer entry, GValue *value, gpointer page)
{
  const char *peer = kc_audit_entry_get_peer (entry);

  /* "local": kc-server's command line on the server itself */
  g_value_set_string (value, g_str_equal (peer, "local") ? _ ("Command line on the server") : peer);
}

static const KcRecordColumn columns[N_COLUMNS] = {
  [COL_SEQ] = { G_TYPE_INT64, get_seq },        [COL_AT] = { G_TYPE_STRING, get_at },
  [COL_WHO] = { G_TYPE_STRING, get_who },       [COL_METHOD] = { G_TYPE_STRING, get_method },
  [COL_RECORD] = { G_TYPE_STRING, get_record }, [COL_PEER] = { G_TYPE_STRING, get_peer },
};

static void
maybe_fetch_more (KcAuditPage *self)
{
  GtkAdjustment *adj;
  double below;

  if (gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  adj = gtk_scrolled_window_get_vadjustment (kc_table_page_get_scrolled (KC_TABLE_PAGE (self)));
  below = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_value (adj)
          - gtk_adjustment_get_page_size (adj);

  /* An unmapped page (another section is shown) has no size: wait for it. */
  if (self->next_cursor != NULL && !self->fetching && gtk_adjustment_get_page_size (adj) > 0
      && below < gtk_adjustment_get_page_size (adj) / 2)
    fetch_page (self);
}

static gboolean
check_more_cb (gpointer user_data)
{
  KcAuditPage *self = user_data;

  self->check_more_id = 0;
  maybe_fetch_more (self);
  return G_SOURCE_REMOVE;
}

static void
list_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcAuditPage *self = user_data;
  KcTablePage *page = KC_TABLE_PAGE (self);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);
  JsonObject *object;
  JsonArray *items;
  int n;
  g_autofree char *count = NULL;
  g_autoptr (GPtrArray) entries = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->fetching = FALSE;
  kc_table_page_set_busy (page, FALSE);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL)
        kc_table_page_show_error (page, error, data);
      return;
    }
  object = json_node_get_object (reply);
  items = json_object_get_array_member (object, "items");
  entries = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    g_ptr_array_add (entries,
                     kc_audit_entry_new_from_json (json_array_get_object_element (items, i)));
  g_list_store_splice (self->entries, g_list_model_get_n_items (G_LIST_MODEL (self->entries)), 0,
                       entries->pdata, entries->len);
  g_free (self->next_cursor);
  self->next_cursor
      = g_strdup (json_object_get_string_member_with_default (object, "next_cursor", NULL));
  n = (int)g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  count = g_strdup_printf (self->next_cursor != NULL
                               ? g_dngettext (GETTEXT_PACKAGE, "%d entry shown, more below",
                                              "%d entries shown, more below", n)
                               : g_dngettext (GETTEXT_PACKAGE, "%d entry", "%d entries", n),
                           n);
  kc_table_page_set_count (page, count);
  /* A short page may not fill the view, leaving nothing to scroll: look
   * again once the new rows are laid out (the adjustment is stale until then). */
  if (self->check_more_id == 0)
    self->check_more_id = g_idle_add_full (G_PRIORITY_LOW, check_more_cb, self, NULL);
}

static void
fetch_page (KcAuditPage *self)
{
  KcTablePage *page = KC_TABLE_PAGE (self);
  g_autoptr (JsonObject) params = json_object_new ();
  g_autoptr (JsonNode) node = NULL;

  json_object_set_int_member (params, "limit", PAGE_SIZE);
  if (self->next_cursor != NULL)
    json_object_set_string_member (params, "cursor", self->next_cursor);
  node = json_node_init_object (json_node_alloc (), params);
  self->fetching = TRUE;
  kc_table_page_set_busy (page, TRUE);
  kc_session_audit_list_async (kc_table_page_get_session (page), node,
                               kc_table_page_get_cancellable (page), list_done_cb, self);
}

static void
on_scrolled_cb (GtkAdjustment *adj, gpointer user_data)
{
  maybe_fetch_more (KC_AUDIT_PAGE (user_data));
}

static void
kc_audit_page_refresh (KcTablePage *page)
{
  KcAuditPage *self = KC_AUDIT_PAGE (page);

  g_list_store_remove_all (self->entries);
  g_clear_pointer (&self->next_cursor, g_free);
  self->fetching = FALSE;
  fetch_page (self);
}

static gboolean
live_cb (gpointer user_data)
{
  KcAuditPage *self = user_data;
  GtkAdjustment *adj
      = gtk_scrolled_window_get_vadjustment (kc_table_page_get_scrolled (KC_TABLE_PAGE (self)));

  self->live_id = 0;
  /* Not while the administrator reads older pages further down. */
  if (gtk_adjustment_get_value (adj) < 1 && !self->fetching)
    kc_table_page_refresh (KC_TABLE_PAGE (self));
  return G_SOURCE_REMOVE;
}

static void
kc_audit_page_event (KcTablePage *page, const char *topic, JsonNode *params)
{
  KcAuditPage *self = KC_AUDIT_PAGE (page);

  /* Every write is audited: whatever was announced has a new entry. */
  if (self->live_id == 0)
    self->live_id = g_timeout_add (800, live_cb, self);
}

static void
kc_audit_page_dispose (GObject *object)
{
  KcAuditPage *self = KC_AUDIT_PAGE (object);

  g_clear_handle_id (&self->live_id, g_source_remove);

  g_clear_handle_id (&self->check_more_id, g_source_remove);
  if (self->list != NULL)
    gtk_tree_view_set_model (kc_table_page_get_view (KC_TABLE_PAGE (self)), NULL);
  g_clear_object (&self->list);
  g_clear_object (&self->entries);
  g_clear_pointer (&self->next_cursor, g_free);
  G_OBJECT_CLASS (kc_audit_page_parent_class)->dispose (object);
}

static void
kc_audit_page_class_init (KcAuditPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kc_audit_page_dispose;
  KC_TABLE_PAGE_CLASS (klass)->refresh = kc_audit_page_refresh;
  KC_TABLE_PAGE_CLASS (klass)->event = kc_audit_page_event;
}

static void
kc_audit_page_init (KcAuditPage *self)
{
  KcTablePage *page = KC_TABLE_PAGE (self);

  self->entries = g_list_store_new (KC_TYPE_AUDIT_ENTRY);
  self->list = kc_record_list_new (G_LIST_MODEL (self->entries), columns, N_COLUMNS, self);
  gtk_tree_view_set_model (kc_table_page_get_view (page), GTK_TREE_MODEL (self->list));
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (kc_table_page_get_view (page))),
                       _ ("Audit log"));
  kc_table_page_add_column (page, _ ("No."), COL_SEQ, COL_SEQ, FALSE, 1);
  kc_table_page_add_column (page, _ ("When"), COL_AT, -1, FALSE, 0);
  kc_table_page_add_column (page, _ ("Who"), COL_WHO, COL_WHO, FALSE, 0);
  kc_table_page_add_column (page, _ ("Action"), COL_METHOD, COL_METHOD, FALSE, 0);
  kc_table_page_add_column (page, _ ("Record"), COL_RECORD, COL_RECORD, TRUE, 0);
  kc_table_page_add_column (page, _ ("Address"), COL_PEER, COL_PEER, FALSE, 0);
  kc_column_layout_remember (kc_table_page_get_view (page), "audit");
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (kc_table_page_get_scrolled (page)),
                           "value-changed", G_CALLBACK (on_scrolled_cb), self, 0);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (kc_table_page_get_scrolled (page)),
                           "changed", G_CALLBACK (on_scrolled_cb), self, 0);
}

KcAuditPage *
kc_audit_page_new (KcSession *session)
{
  KcAuditPage *self = g_object_new (KC_TYPE_AUDIT_PAGE, NULL);

  kc_table_page_set_session (KC_TABLE_PAGE (self), session);
  kc_table_page_refresh (KC_TABLE_PAGE (self));
  return self;
}
