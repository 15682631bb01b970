/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-org-page.c — KcOrgPage: org.list, all pages, sorted the Vietnamese way.
 */
#include "kc-org-page.h"

#include "kc-lazy.h"
#include <glib/gi18n.h>

#include "kc-calls.h"
#include "kc-collate.h"
#include "kc-date.h"
#include "kc-labels.h"
#include "kc-org.h"
#include "kc-record-list.h"
#include "kc-window.h"
#include "kc-table-page.h"
#include "kc-column-layout.h"

#define PAGE_SIZE 500

enum
{
  COL_ID,
  COL_CODE,
  COL_NAME,
  COL_KIND,
  COL_FROM,
  COL_TO,
  COL_KEY,
  COL_SEARCH,
  N_COLUMNS
};

struct _KcOrgPage
{
  GtkBox parent_instance;

  GtkComboBoxText *kind_combo;
  GtkCheckButton *current_check;
  GtkSearchEntry *search_entry;
  GtkSpinner *spinner;
  GtkLabel *count_label;
  GtkTreeView *tree_view;

  KcSession *session;
  /* The organisations read (KcOrg), in the server's order; the view shows
   * them through @list (sorted by name) and @filter (the search). */
  GListStore *orgs;
  KcRecordList *list;
  GtkTreeModel *filter;
  GCancellable *cancellable;
  char *folded_query;
};

G_DEFINE_TYPE (KcOrgPage, kc_org_page, GTK_TYPE_BOX)

static void fetch_page (KcOrgPage *self, const char *cursor);

/* Helpers */

static int
compare_keys (GtkTreeModel *model, GtkTreeIter *a, GtkTreeIter *b, gpointer user_data)
{
  return g_strcmp0 (kc_org_get_name_key (kc_record_list_get_record (model, a)),
                    kc_org_get_name_key (kc_record_list_get_record (model, b)));
}

/* The columns, read from each organisation when the view asks. */

static void
get_id (gpointer org, GValue *value, gpointer page)
{
  g_value_set_int64 (value, kc_org_get_id (org));
}

static void
get_code (gpointer org, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_org_get_code (org));
}

static void
get_name (gpointer org, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_org_get_name (org));
}

static void
get_kind (gpointer org, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_org_kind_display_name (kc_org_get_kind (org)));
}

/* 1900-01-01 means "before the system's horizon": nothing to show. */
static void
get_from (gpointer org, GValue *value, gpointer page)
{
  const char *from = kc_org_get_valid_from (org);

  if (g_str_equal (from, "1900-01-01"))
    g_value_set_static_string (value, "");
  else
    g_value_take_string (value, kc_format_wire_date (from));
}

static void
get_to (gpointer org, GValue *value, gpointer page)
{
  g_value_take_string (value, kc_format_wire_date (kc_org_get_valid_to (org)));
}

static void
get_key (gpointer org, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_org_get_name_key (org));
}

static void
get_search (gpointer org, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_org_get_search_text (org));
}

static const KcRecordColumn columns[N_COLUMNS] = {
  [COL_ID] = { G_TYPE_INT64, get_id },      [COL_CODE] = { G_TYPE_STRING, get_code },
  [COL_NAME] = { G_TYPE_STRING, get_name }, [COL_KIND] = { G_TYPE_STRING, get_kind },
  [COL_FROM] = { G_TYPE_STRING, get_from }, [COL_TO] = { G_TYPE_STRING, get_to },
  [COL_KEY] = { G_TYPE_STRING, get_key },   [COL_SEARCH] = { G_TYPE_STRING, get_search },
};

static void
update_count (KcOrgPage *self)
{
  int n = gtk_tree_model_iter_n_children (self->filter, NULL);
  g_autofree char *text = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%d organisation", "%d organisations", n), n);

  gtk_label_set_text (self->count_label, text);
}

static void
add_items (KcOrgPage *self, JsonArray *items)
{
  gboolean current_only = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->current_check));
  g_autoptr (GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      KcOrg *org;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      org = kc_org_new_from_json (json_node_get_object (node));
      if (current_only && !kc_org_get_current (org))
        g_object_unref (org);
      else
        g_ptr_array_add (orgs, org);
    }
  g_list_store_splice (self->orgs, g_list_model_get_n_items (G_LIST_MODEL (self->orgs)), 0,
                       orgs->pdata, orgs->len);
}

static gboolean
row_visible (GtkTreeModel *model, GtkTreeIter *iter, gpointer user_data)
{
  KcOrgPage *self = user_data;

  if (self->folded_query == NULL || self->folded_query[0] == '\0')
    return TRUE;
  return strstr (kc_org_get_search_text (kc_record_list_get_record (model, iter)),
                 self->folded_query)
         != NULL;
}

/* Callbacks */

static void
list_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcOrgPage *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);
  JsonObject *object;
  const char *next;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* self may be gone */
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      KcWindow *window = kc_window_for_widget (GTK_WIDGET (self));

      gtk_spinner_stop (self->spinner);
      if (window != NULL && error != NULL)
        kc_window_show_error (window, error, data);
      return;
    }
  object = json_node_get_object (reply);
  if (json_object_has_member (object, "items"))
    add_items (self, json_object_get_array_member (object, "items"));
  update_count (self);
  next = json_object_get_string_member_with_default (object, "next_cursor", NULL);
  if (next != NULL)
    fetch_page (self, next);
  else
    gtk_spinner_stop (self->spinner);
}

static void
fetch_page (KcOrgPage *self, const char *cursor)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) params = NULL;
  const char *kind = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->kind_combo));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "limit");
  json_builder_add_int_value (builder, PAGE_SIZE);
  if (kind != NULL && kind[0] != '\0')
    {
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, kind);
    }
  if (cursor != NULL)
    {
      json_builder_set_member_name (builder, "cursor");
      json_builder_add_string_value (builder, cursor);
    }
  json_builder_end_object (builder);
  params = json_builder_get_root (builder);
  kc_session_org_list_async (self->session, params, self->cancellable, list_done_cb, self);
}

static void
on_kind_combo_changed_cb (KcOrgPage *self)
{
  kc_org_page_refresh (self);
}

static void
on_search_entry_changed_cb (KcOrgPage *self)
{
  g_free (self->folded_query);
  self->folded_query = kc_fold_for_search (gtk_entry_get_text (GTK_ENTRY (self->search_entry)));
  gtk_tree_model_filter_refilter (GTK_TREE_MODEL_FILTER (self->filter));
  update_count (self);
}

/* GObject overrides */

static void
kc_org_page_dispose (GObject *object)
{
  KcOrgPage *self = KC_ORG_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->tree_view != NULL)
    gtk_tree_view_set_model (self->tree_view, NULL);
  g_clear_object (&self->filter);
  g_clear_object (&self->list);
  g_clear_object (&self->orgs);
  g_clear_object (&self->session);
  g_clear_pointer (&self->folded_query, g_free);
  G_OBJECT_CLASS (kc_org_page_parent_class)->dispose (object);
}

static void
kc_org_page_class_init (KcOrgPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kc_org_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-org-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KcOrgPage, kind_combo);
  gtk_widget_class_bind_template_child (widget_class, KcOrgPage, current_check);
  gtk_widget_class_bind_template_child (widget_class, KcOrgPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KcOrgPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, KcOrgPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, KcOrgPage, tree_view);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_combo_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_changed_cb);
}

static void
kc_org_page_init (KcOrgPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->orgs = g_list_store_new (KC_TYPE_ORG);
  self->list = kc_record_list_new (G_LIST_MODEL (self->orgs), columns, N_COLUMNS, self);
  gtk_tree_sortable_set_sort_func (GTK_TREE_SORTABLE (self->list), COL_KEY, compare_keys, NULL,
                                   NULL);
  gtk_tree_sortable_set_sort_column_id (GTK_TREE_SORTABLE (self->list), COL_KEY,
                                        GTK_SORT_ASCENDING);
  self->filter = gtk_tree_model_filter_new (GTK_TREE_MODEL (self->list), NULL);
  gtk_tree_model_filter_set_visible_func (GTK_TREE_MODEL_FILTER (self->filter), row_visible, self,
                                          NULL);
  /* Sorting through the filter: the headers sort the store. */
  gtk_tree_view_set_model (self->tree_view, self->filter);

  kc_table_add_text_column (self->tree_view, _ ("Name"), COL_NAME, -1, TRUE, 0);
  kc_table_add_text_column (self->tree_view, _ ("Code"), COL_CODE, -1, FALSE, 0);
  kc_table_add_text_column (self->tree_view, _ ("Kind"), COL_KIND, -1, FALSE, 0);
  kc_table_add_text_column (self->tree_view, _ ("Valid from"), COL_FROM, -1, FALSE, 0);
  kc_table_add_text_column (self->tree_view, _ ("Valid until"), COL_TO, -1, FALSE, 0);
  kc_column_layout_remember (self->tree_view, "organisations");
}

/* Public API */

KcOrgPage *
kc_org_page_new (KcSession *session)
{
  KcOrgPage *self = g_object_new (KC_TYPE_ORG_PAGE, NULL);

  self->session = g_object_ref (session);
  /* The first reading when first shown (issue 17, point 7). */
  kc_lazy_init (GTK_WIDGET (self), G_CALLBACK (kc_org_page_refresh));
  return self;
}

void
kc_org_page_refresh (KcOrgPage *self)
{
  g_return_if_fail (KC_IS_ORG_PAGE (self));
  if (!kc_lazy_ready (GTK_WIDGET (self)))
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_list_store_remove_all (self->orgs);
  gtk_spinner_start (self->spinner);
  fetch_page (self, NULL);
}

const char *
kc_org_kind_display_name (const char *kind)
{
  return kc_label_org_kind (kind);
}

char *
kc_format_wire_date (const char *iso)
{
  GDate date;

  if (iso == NULL || !kc_date_parse_iso (iso, &date))
    return g_strdup ("");
  return kc_date_format_vn (&date);
}
