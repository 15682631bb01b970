/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-typical-products-page.c — the typical products register (see the
 * header).
 */
#include "kc-typical-products-page.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kc-act-dialog.h"
#include "kc-calls.h"
#include "kc-collate.h"
#include "kc-column-layout.h"
#include "kc-date.h"
#include "kc-json.h"
#include "kc-record-list.h"
#include "kc-typical-product.h"

enum
{
  COL_ID,
  COL_CERTIFICATE,
  COL_LEVEL,
  COL_YEAR,
  COL_PRODUCT,
  COL_ESTABLISHMENT,
  COL_TAX_CODE,
  COL_PROVINCE,
  COL_SCORE,
  COL_VALID_UNTIL,
  COL_STATE,
  COL_KEY,        /* folded text for the search */
  COL_LEVEL_CODE, /* for the level filter */
  N_COLUMNS
};

struct _KcTypicalProductsPage
{
  KcTablePage parent_instance;

  /* The certificates read (KcTypicalProduct), in the server's order; the
   * view shows them through @list, @filter (the search and the level) and
   * a GtkTreeModelSort (the headers). */
  GListStore *products;
  KcRecordList *list;
  GtkTreeModel *filter;
  GtkSearchEntry *search;
  GtkComboBoxText *level_combo;
  GtkWidget *new_button;
  GtkWidget *edit_button;
  GtkLabel *message_label;
  char *query; /* folded */
  JsonArray *provinces;
  GHashTable *province_keys; /* org id → its name folded for the search */
  gboolean writer;
};

G_DEFINE_TYPE (KcTypicalProductsPage, kc_typical_products_page, KC_TYPE_TABLE_PAGE)

static const char *const levels[] = { "district", "province", "regional", "national", NULL };

static const char *
level_label (const char *level)
{
  if (g_strcmp0 (level, "district") == 0)
    return _ ("District level");
  if (g_strcmp0 (level, "province") == 0)
    return _ ("Provincial level");
  if (g_strcmp0 (level, "regional") == 0)
    return _ ("Regional level");
  if (g_strcmp0 (level, "national") == 0)
    return _ ("National level");
  return level != NULL ? level : "";
}

static const char *
province_name (KcTypicalProductsPage *self, gint64 org_id)
{
  for (guint i = 0; self->provinces != NULL && i < json_array_get_length (self->provinces); i++)
    {
      JsonObject *o = json_array_get_object_element (self->provinces, i);

      if (kc_json_int (o, "id") == org_id)
        return kc_json_string (o, "name");
    }
  return "";
}

static char *
date_vn (const char *iso)
{
  GDate date;

  return iso != NULL && kc_date_parse_iso (iso, &date) ? kc_date_format_vn (&date) : g_strdup ("");
}

/* The columns, read from each certificate when the view asks. */

static void
get_id (gpointer product, GValue *value, gpointer page)
{
  g_value_set_int64 (value, kc_typical_product_get_id (product));
}

static void
get_certificate (gpointer product, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_typical_product_get_certificate_no (product));
}

static void
get_level (gpointer product, GValue *value, gpointer page)
{
  g_value_set_string (value, level_label (kc_typical_product_get_level (product)));
}

static void
get_year (gpointer product, GValue *value, gpointer page)
{
  g_value_set_int (value, kc_typical_product_get_year (product));
}

static void
get_product (gpointer product, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_typical_product_get_product_name (product));
}

static void
get_establishment (gpointer product, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_typical_product_get_establishment_name (product));
}

static void
get_tax_code (gpointer product, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_typical_product_get_tax_code (product));
}

static void
get_province (gpointer product, GValue *value, gpointer page)
{
  g_value_set_string (value, province_name (page, kc_typical_product_get_org_id (product)));
}

static void
get_score (gpointer product, GValue *value, gpointer page)
{
  gint64 score;

  if (kc_typical_product_get_score (product, &score))
    g_value_take_string (value, g_strdup_printf ("%" G_GINT64_FORMAT, score));
  else
    g_value_set_static_string (value, "");
}

static void
get_valid_until (gpointer product, GValue *value, gpointer page)
{
  g_value_take_string (value, date_vn (kc_typical_product_get_valid_until (product)));
}

static void
get_state (gpointer product, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_typical_product_get_revoked (product)     ? _ ("Revoked")
                             : kc_typical_product_get_valid_now (product) ? _ ("Valid")
                                                                          : _ ("Expired"));
}

/* The folded text the search looks in: the certificate's, then the
 * province's name. (transfer full) */
static char *
search_key (KcTypicalProductsPage *self, KcTypicalProduct *product)
{
  gint64 org_id = kc_typical_product_get_org_id (product);
  const char *province
      = self->province_keys != NULL ? g_hash_table_lookup (self->province_keys, &org_id) : NULL;

  return g_strconcat (kc_typical_product_get_search_text (product), " ",
                      province != NULL ? province : "", NULL);
}

static void
get_key (gpointer product, GValue *value, gpointer page)
{
  g_value_take_string (value, search_key (page, product));
}

static void
get_level_code (gpointer product, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_typical_product_get_level (product));
}

static const KcRecordColumn columns[N_COLUMNS] = {
  [COL_ID] = { G_TYPE_INT64, get_id },
  [COL_CERTIFICATE] = { G_TYPE_STRING, get_certificate },
  [COL_LEVEL] = { G_TYPE_STRING, get_level },
  [COL_YEAR] = { G_TYPE_INT, get_year },
  [COL_PRODUCT] = { G_TYPE_STRING, get_product },
  [COL_ESTABLISHMENT] = { G_TYPE_STRING, get_establishment },
  [COL_TAX_CODE] = { G_TYPE_STRING, get_tax_code },
  [COL_PROVINCE] = { G_TYPE_STRING, get_province },
  [COL_SCORE] = { G_TYPE_STRING, get_score },
  [COL_VALID_UNTIL] = { G_TYPE_STRING, get_valid_until },
  [COL_STATE] = { G_TYPE_STRING, get_state },
  [COL_KEY] = { G_TYPE_STRING, get_key },
  [COL_LEVEL_CODE] = { G_TYPE_STRING, get_level_code },
};

static void
update_count (KcTypicalProductsPage *self)
{
  int shown = gtk_tree_model_iter_n_children (self->filter, NULL);
  int all = (int)g_list_model_get_n_items (G_LIST_MODEL (self->products));
  g_autofree char *text
      = shown == all ? g_strdup_printf (
            g_dngettext (GETTEXT_PACKAGE, "%d certificate", "%d certificates", all), all)
                     : g_strdup_printf (_ ("%d of %d certificates"), shown, all);

  kc_table_page_set_count (KC_TABLE_PAGE (self), text);
}

static void
list_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcTypicalProductsPage *self = user_data;
  g_autoptr (JsonNode) reply = kc_table_page_finish_call (KC_TABLE_PAGE (self), source, result);
  JsonArray *items;
  g_autoptr (GPtrArray) products = g_ptr_array_new_with_free_func (g_object_unref);

  if (reply == NULL)
    return;
  items = kc_json_array (json_node_get_object (reply), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    g_ptr_array_add (products,
                     kc_typical_product_new_from_json (json_array_get_object_element (items, i)));
  /* Emptied first, as a fresh reading: no row keeps its selection. */
  g_list_store_remove_all (self->products);
  g_list_store_splice (self->products, 0, 0, products->pdata, products->len);
  update_count (self);
}

static void
fetch_list (KcTypicalProductsPage *self)
{
  KcTablePage *page = KC_TABLE_PAGE (self);

  kc_table_page_set_busy (page, TRUE);
  kc_session_typical_product_list_async (kc_table_page_get_session (page),
                                         kc_table_page_get_cancellable (page), list_done_cb, self);
}

static void
provinces_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcTypicalProductsPage *self = user_data;
  g_autoptr (JsonNode) reply = kc_table_page_finish_call (KC_TABLE_PAGE (self), source, result);

  if (reply == NULL)
    return;
  g_clear_pointer (&self->provinces, json_array_unref);
  if (kc_json_array (json_node_get_object (reply), "items") != NULL)
    self->provinces = json_array_ref (kc_json_array (json_node_get_object (reply), "items"));
  g_hash_table_remove_all (self->province_keys);
  for (guint i = 0; self->provinces != NULL && i < json_array_get_length (self->provinces); i++)
    {
      JsonObject *o = json_array_get_object_element (self->provinces, i);
      gint64 id = kc_json_int (o, "id");
      const char *name = kc_json_string (o, "name");

      g_hash_table_insert (self->province_keys, g_memdup2 (&id, sizeof id),
                           kc_fold_for_search (name != NULL ? name : ""));
    }
  fetch_list (self);
}

static void
kc_typical_products_page_refresh (KcTablePage *page)
{
  KcTypicalProductsPage *self = KC_TYPICAL_PRODUCTS_PAGE (page);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autoptr (JsonObject) params = json_object_new ();
  g_autoptr (JsonNode) node = NULL;

  if (self->provinces != NULL)
    {
      fetch_list (self);
      return;
    }
  json_object_set_string_member (params, "kind", "province");
  json_object_set_string_member (params, "at", today);
  json_object_set_int_member (params, "limit", 1000);
  node = json_node_init_object (json_node_alloc (), params);
  kc_table_page_set_busy (page, TRUE);
  kc_session_org_list_async (kc_table_page_get_session (page), node,
                             kc_table_page_get_cancellable (page), provinces_done_cb, self);
}

static void
kc_typical_products_page_event (KcTablePage *page, const char *topic, JsonNode *params)
{
  if (g_strcmp0 (topic, "typical_product") == 0)
    kc_table_page_refresh (page);
}

/* The search and the level */

static gboolean
visible_func (GtkTreeModel *model, GtkTreeIter *iter, gpointer user_data)
{
  KcTypicalProductsPage *self = user_data;
  const char *level = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->level_combo));
  KcTypicalProduct *product = kc_record_list_get_record (model, iter);
  g_autofree char *key = NULL;

  if (level != NULL && *level != '\0'
      && g_strcmp0 (level, kc_typical_product_get_level (product)) != 0)
    return FALSE;
  if (self->query == NULL || *self->query == '\0')
    return TRUE;
  key = search_key (self, product);
  return strstr (key, self->query) != NULL;
}

static void
on_filter_changed_cb (KcTypicalProductsPage *self)
{
  g_free (self->query);
  self->query = kc_fold_for_search (gtk_entry_get_text (GTK_ENTRY (self->search)));
  gtk_tree_model_filter_refilter (GTK_TREE_MODEL_FILTER (self->filter));
  update_count (self);
}

/* Create and edit */

typedef struct
{
  KcTypicalProductsPage *page;
  gint64 id; /* 0 for a new certificate */
  gint64 version;
} Edit;

static void
edit_free (gpointer p)
{
  Edit *e = p;

  g_object_unref (e->page);
  g_free (e);
}

static JsonNode *
edit_build (KcActDialog *dialog, gpointer data)
{
  Edit *e = data;
  JsonObject *p = json_object_new ();
  const char *org = kc_act_dialog_get_choice (dialog, "org_id");

  if (e->id != 0)
    {
      json_object_set_int_member (p, "id", e->id);
      json_object_set_int_member (p, "version", e->version);
    }
  json_object_set_string_member (p, "product_name",
                                 kc_act_dialog_get_text (dialog, "product_name"));
  json_object_set_string_member (p, "establishment_name",
                                 kc_act_dialog_get_text (dialog, "establishment_name"));
  if (kc_act_dialog_has_value (dialog, "tax_code"))
    json_object_set_string_member (p, "tax_code", kc_act_dialog_get_text (dialog, "tax_code"));
  json_object_set_string_member (p, "level", kc_act_dialog_get_choice (dialog, "level"));
  json_object_set_int_member (p, "year", kc_act_dialog_get_number (dialog, "year"));
  if (kc_act_dialog_has_value (dialog, "score"))
    json_object_set_int_member (p, "score", kc_act_dialog_get_number (dialog, "score"));
  json_object_set_string_member (p, "certificate_no",
                                 kc_act_dialog_get_text (dialog, "certificate_no"));
  json_object_set_int_member (p, "org_id", org != NULL ? g_ascii_strtoll (org, NULL, 10) : 0);
  if (kc_act_dialog_has_value (dialog, "issued_on"))
    {
      g_autofree char *iso = kc_act_dialog_get_iso (dialog, "issued_on");
      json_object_set_string_member (p, "issued_on", iso);
    }
  if (e->id != 0)
    json_object_set_boolean_member (
        p, "revoked", g_strcmp0 (kc_act_dialog_get_choice (dialog, "revoked"), "yes") == 0);
  return json_node_init_object (json_node_alloc (), p);
}

static char *
edit_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  Edit *e = data;

  return g_strdup_printf (
      e->id != 0 ? _ ("Certificate %s of %s updated.") : _ ("Certificate %s of %s recorded."),
      kc_json_string (result, "certificate_no"), kc_json_string (result, "product_name"));
}

static void
edit_finished (gpointer data, const char *text)
{
  Edit *e = data;

  gtk_label_set_text (e->page->message_label, text);
  kc_table_page_refresh (KC_TABLE_PAGE (e->page));
}

/* @text, or NULL when it is empty (the dialog's "no initial value"). */
static const char *
or_null (const char *text)
{
  return text != NULL && text[0] != '\0' ? text : NULL;
}

static void
open_editor (KcTypicalProductsPage *self, KcTypicalProduct *t)
{
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self)));
  KcActDialog *dialog = kc_act_dialog_new (parent, kc_table_page_get_session (KC_TABLE_PAGE (self)),
                                           t != NULL ? _ ("Typical product certificate")
                                                     : _ ("New typical product certificate"),
                                           t != NULL ? _ ("_Save") : _ ("_Record"));
  const char *level_texts[] = { level_label ("district"), level_label ("province"),
                                level_label ("regional"), level_label ("national"), NULL };
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *org = NULL;
  Edit *e = g_new0 (Edit, 1);
  gint64 score = -1;

  e->page = g_object_ref (self);
  if (t != NULL)
    {
      e->id = kc_typical_product_get_id (t);
      e->version = kc_typical_product_get_version (t);
      org = g_strdup_printf ("%" G_GINT64_FORMAT, kc_typical_product_get_org_id (t));
      kc_typical_product_get_score (t, &score);
    }
  for (guint i = 0; self->provinces != NULL && i < json_array_get_length (self->provinces); i++)
    {
      JsonObject *o = json_array_get_object_element (self->provinces, i);

      g_ptr_array_add (ids, g_strdup_printf ("%" G_GINT64_FORMAT, kc_json_int (o, "id")));
      g_ptr_array_add (names, (gpointer)kc_json_string (o, "name"));
    }
  g_ptr_array_add (ids, NULL);
  g_ptr_array_add (names, NULL);
  kc_act_dialog_set_intro (dialog, _ ("A certificate is valid to 31/12 of the third year counting "
                                      "its year of issue, unless revoked; a project whose "
                                      "beneficiary's tax code holds one on 1 January of the plan "
                                      "year has the typical-product priority."));
  kc_act_dialog_add_text (dialog, "product_name", _ ("_Product"),
                          t != NULL ? or_null (kc_typical_product_get_product_name (t)) : NULL,
                          TRUE, NULL);
  kc_act_dialog_add_text (
      dialog, "establishment_name", _ ("_Establishment"),
      t != NULL ? or_null (kc_typical_product_get_establishment_name (t)) : NULL, TRUE, NULL);
  kc_act_dialog_add_text (dialog, "tax_code", _ ("_Tax code"),
                          t != NULL ? or_null (kc_typical_product_get_tax_code (t)) : NULL, FALSE,
                          _ ("Links the certificate to the projects' beneficiaries"));
  kc_act_dialog_add_choice (dialog, "level", _ ("_Level"), levels, level_texts,
                            t != NULL ? kc_typical_product_get_level (t) : "province");
  kc_act_dialog_add_number (
      dialog, "year", _ ("Round _year"),
      t != NULL ? kc_typical_product_get_year (t) : g_date_time_get_year (now), 2000, 2100, NULL);
  kc_act_dialog_add_number (dialog, "score", _ ("Sc_ore (points)"), score, 70, 100,
                            _ ("70 to 100 points"));
  kc_act_dialog_set_required (dialog, "score", FALSE);
  kc_act_dialog_add_text (dialog, "certificate_no", _ ("_Certificate number"),
                          t != NULL ? or_null (kc_typical_product_get_certificate_no (t)) : NULL,
                          TRUE, NULL);
  kc_act_dialog_add_choice (dialog, "org_id", _ ("Pro_vince"), (const char *const *)ids->pdata,
                            (const char *const *)names->pdata, org);
  kc_act_dialog_add_date (dialog, "issued_on", _ ("_Issued on"),
                          t != NULL ? or_null (kc_typical_product_get_issued_on (t)) : NULL, TRUE);
  kc_act_dialog_set_required (dialog, "issued_on", FALSE);
  if (t != NULL)
    {
      static const char *const yes_no[] = { "no", "yes", NULL };
      const char *texts[] = { _ ("No"), _ ("Yes, revoked"), NULL };

      kc_act_dialog_add_choice (dialog, "revoked", _ ("_Revoked"), yes_no, texts,
                                kc_typical_product_get_revoked (t) ? "yes" : "no");
    }
  kc_act_dialog_run (dialog,
                     t != NULL ? kc_session_typical_product_update_async
                               : kc_session_typical_product_create_async,
                     edit_build, NULL, edit_done, edit_finished, e, edit_free);
}

/* (transfer none, nullable): the selected certificate. */
static KcTypicalProduct *
selected (KcTypicalProductsPage *self)
{
  GtkTreeSelection *selection
      = gtk_tree_view_get_selection (kc_table_page_get_view (KC_TABLE_PAGE (self)));
  GtkTreeModel *model;
  GtkTreeIter iter;

  if (!gtk_tree_selection_get_selected (selection, &model, &iter))
    return NULL;
  return kc_record_list_get_record (model, &iter);
}

static void
on_new_clicked_cb (KcTypicalProductsPage *self)
{
  open_editor (self, NULL);
}

static void
on_edit_clicked_cb (KcTypicalProductsPage *self)
{
  KcTypicalProduct *t = selected (self);

  /* A reference: the list may be read again while the form opens. */
  if (t != NULL)
    {
      g_autoptr (KcTypicalProduct) held = g_object_ref (t);

      open_editor (self, held);
    }
}

static void
kc_typical_products_page_activated (KcTablePage *page, GtkTreeIter *iter)
{
  KcTypicalProductsPage *self = KC_TYPICAL_PRODUCTS_PAGE (page);

  if (self->writer)
    on_edit_clicked_cb (self);
}

static void
on_selection_changed_cb (KcTypicalProductsPage *self)
{
  gtk_widget_set_sensitive (self->edit_button, selected (self) != NULL);
}

/* GObject */

static void
kc_typical_products_page_dispose (GObject *object)
{
  KcTypicalProductsPage *self = KC_TYPICAL_PRODUCTS_PAGE (object);

  if (self->list != NULL)
    gtk_tree_view_set_model (kc_table_page_get_view (KC_TABLE_PAGE (self)), NULL);
  g_clear_object (&self->filter);
  g_clear_object (&self->list);
  g_clear_object (&self->products);
  g_clear_pointer (&self->province_keys, g_hash_table_unref);
  g_clear_pointer (&self->provinces, json_array_unref);
  g_clear_pointer (&self->query, g_free);
  G_OBJECT_CLASS (kc_typical_products_page_parent_class)->dispose (object);
}

static void
kc_typical_products_page_class_init (KcTypicalProductsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = kc_typical_products_page_dispose;
  KC_TABLE_PAGE_CLASS (klass)->refresh = kc_typical_products_page_refresh;
  KC_TABLE_PAGE_CLASS (klass)->event = kc_typical_products_page_event;
  KC_TABLE_PAGE_CLASS (klass)->activated = kc_typical_products_page_activated;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/vn/gov/moit/KhuyenCong/ui/kc-typical-products-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KcTypicalProductsPage, search);
  gtk_widget_class_bind_template_child (widget_class, KcTypicalProductsPage, level_combo);
  gtk_widget_class_bind_template_child (widget_class, KcTypicalProductsPage, new_button);
  gtk_widget_class_bind_template_child (widget_class, KcTypicalProductsPage, edit_button);
  gtk_widget_class_bind_template_child (widget_class, KcTypicalProductsPage, message_label);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_new_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_edit_clicked_cb);
}

static void
kc_typical_products_page_init (KcTypicalProductsPage *self)
{
  KcTablePage *page = KC_TABLE_PAGE (self);
  GtkTreeView *view = kc_table_page_get_view (page);
  g_autoptr (GtkTreeModel) sorted = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->province_keys = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->products = g_list_store_new (KC_TYPE_TYPICAL_PRODUCT);
  self->list = kc_record_list_new (G_LIST_MODEL (self->products), columns, N_COLUMNS, self);
  self->filter = gtk_tree_model_filter_new (GTK_TREE_MODEL (self->list), NULL);
  gtk_tree_model_filter_set_visible_func (GTK_TREE_MODEL_FILTER (self->filter), visible_func, self,
                                          NULL);
  sorted = gtk_tree_model_sort_new_with_model (self->filter);
  gtk_tree_view_set_model (view, sorted);
  g_signal_handlers_block_by_func (self->level_combo, on_filter_changed_cb, self);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->level_combo), "");
  g_signal_handlers_unblock_by_func (self->level_combo, on_filter_changed_cb, self);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (view)),
                       _ ("Typical rural industrial products"));
  kc_table_page_add_column (page, _ ("Certificate"), COL_CERTIFICATE, COL_CERTIFICATE, FALSE, 0);
  kc_table_page_add_column (page, _ ("Level"), COL_LEVEL, COL_LEVEL, FALSE, 0);
  kc_table_page_add_column (page, _ ("Year"), COL_YEAR, COL_YEAR, FALSE, 1);
  kc_table_page_add_column (page, _ ("Product"), COL_PRODUCT, COL_PRODUCT, TRUE, 0);
  kc_table_page_add_column (page, _ ("Establishment"), COL_ESTABLISHMENT, COL_ESTABLISHMENT, TRUE,
                            0);
  kc_table_page_add_column (page, _ ("Tax code"), COL_TAX_CODE, COL_TAX_CODE, FALSE, 0);
  kc_table_page_add_column (page, _ ("Province"), COL_PROVINCE, COL_PROVINCE, FALSE, 0);
  kc_table_page_add_column (page, _ ("Score"), COL_SCORE, COL_SCORE, FALSE, 1);
  kc_table_page_add_column (page, _ ("Valid until"), COL_VALID_UNTIL, COL_VALID_UNTIL, FALSE, 1);
  kc_table_page_add_column (page, _ ("State"), COL_STATE, COL_STATE, FALSE, 0);
  /* Ten columns at 1366×768: the two names share what the others leave. */
  gtk_tree_view_column_set_min_width (gtk_tree_view_get_column (view, COL_PRODUCT - 1), 90);
  gtk_tree_view_column_set_min_width (gtk_tree_view_get_column (view, COL_ESTABLISHMENT - 1), 90);
  kc_column_layout_remember (view, "typical-products");

  g_signal_connect_object (gtk_tree_view_get_selection (view), "changed",
                           G_CALLBACK (on_selection_changed_cb), self, G_CONNECT_SWAPPED);
}

KcTypicalProductsPage *
kc_typical_products_page_new (KcSession *session)
{
  KcTypicalProductsPage *self = g_object_new (KC_TYPE_TYPICAL_PRODUCTS_PAGE, NULL);
  const char *role = kc_session_get_role (session);

  kc_table_page_set_session (KC_TABLE_PAGE (self), session);
  /* A province's users see their own province only: no column for it. */
  if (g_str_has_prefix (role != NULL ? role : "", "province_"))
    gtk_tree_view_column_set_visible (
        gtk_tree_view_get_column (kc_table_page_get_view (KC_TABLE_PAGE (self)), COL_PROVINCE - 1),
        FALSE);
  self->writer = g_strcmp0 (role, "admin") == 0 || g_strcmp0 (role, "province_leader") == 0;
  gtk_widget_set_visible (self->new_button, self->writer);
  gtk_widget_set_visible (self->edit_button, self->writer);
  kc_table_page_refresh (KC_TABLE_PAGE (self));
  return self;
}
