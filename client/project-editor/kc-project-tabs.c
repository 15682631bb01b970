/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-project-tabs.c — the Changes and Budget & implementation tabs.
 */
#include "kc-project-tabs.h"

#include <glib/gi18n.h>

#include "kc-date.h"
#include "kc-labels.h"
#include "kc-money.h"
#include "kc-project-editor.h"
#include "kc-json.h"

/* A read-only tab: a summary line over a table (the diff and money views). */
#define KC_TYPE_READ_TAB (kc_read_tab_get_type ())
G_DECLARE_FINAL_TYPE (KcReadTab, kc_read_tab, KC, READ_TAB, GtkBox)

struct _KcReadTab
{
  GtkBox parent_instance;

  GtkLabel *summary;
  GtkTreeView *view;
  GtkListStore *store;
};

G_DEFINE_TYPE (KcReadTab, kc_read_tab, GTK_TYPE_BOX)

static void
kc_read_tab_dispose (GObject *object)
{
  g_clear_object (&KC_READ_TAB (object)->store);
  G_OBJECT_CLASS (kc_read_tab_parent_class)->dispose (object);
}

static void
kc_read_tab_class_init (KcReadTabClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = kc_read_tab_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-read-tab.ui");
  gtk_widget_class_bind_template_child (widget_class, KcReadTab, summary);
  gtk_widget_class_bind_template_child (widget_class, KcReadTab, view);
}

static void
kc_read_tab_init (KcReadTab *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* "2027-03-01" or "2027-03-01T08:00:00Z" → "01/03/2027"; other text as it is. */
static char *
date_text (const char *text)
{
  g_autofree char *day = NULL;
  GDate date;

  if (text == NULL)
    return g_strdup ("");
  day = g_strndup (text, 10);
  if (strlen (text) >= 10 && kc_date_parse_iso (day, &date))
    return kc_date_format_vn (&date);
  return g_strdup (text);
}

/* A read tab of @summary_name over the table @view_name of @store (taken),
 * its columns titled @titles (untranslated), the @numeric ones (nullable)
 * right-aligned, the others wrapped. */
static KcReadTab *
kc_read_tab_new (const char *summary_name, const char *view_name, GtkListStore *store,
                 const char *const *titles, const int *numeric)
{
  KcReadTab *self = g_object_new (KC_TYPE_READ_TAB, NULL);
  int n = gtk_tree_model_get_n_columns (GTK_TREE_MODEL (store));

  self->store = store;
  gtk_tree_view_set_model (self->view, GTK_TREE_MODEL (store));
  for (int i = 0; i < n; i++)
    {
      GtkCellRenderer *renderer = gtk_cell_renderer_text_new ();
      GtkTreeViewColumn *col
          = gtk_tree_view_column_new_with_attributes (_ (titles[i]), renderer, "text", i, NULL);

      if (numeric != NULL && numeric[i])
        g_object_set (renderer, "xalign", 1.0, NULL);
      else
        g_object_set (renderer, "wrap-mode", PANGO_WRAP_WORD_CHAR, "wrap-width", 320, NULL);
      gtk_tree_view_column_set_resizable (col, TRUE);
      gtk_tree_view_append_column (self->view, col);
    }
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->summary)), summary_name);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->view)), view_name);
  gtk_widget_show (GTK_WIDGET (self));
  return self;
}

/* The Changes tab */

static gboolean
is_money_field (const char *field)
{
  return g_str_has_prefix (field, "budget_lines.") || g_str_equal (field, "total_cost")
         || g_str_equal (field, "total") || g_str_has_suffix (field, "amount");
}

static char *value_text (JsonNode *node, gboolean money);

static char *
object_text (JsonObject *object)
{
  GString *out = g_string_new (NULL);
  g_autoptr (GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *text
          = value_text (json_object_get_member (object, l->data), is_money_field (l->data));

      if (*text == '\0' || g_str_equal (text, "—"))
        continue;
      if (out->len > 0)
        g_string_append (out, "; ");
      g_string_append (out, text);
    }
  return g_string_free (out, FALSE);
}

/* A value of the dossier as a person reads it: money with its sign, dates
 * dd/mm/yyyy, yes/no, lists one item a line. */
static char *
value_text (JsonNode *node, gboolean money)
{
  GType type;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("—");
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      GString *out = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          g_autofree char *text = JSON_NODE_HOLDS_OBJECT (item)
                                      ? object_text (json_node_get_object (item))
                                      : value_text (item, money);

          if (out->len > 0)
            g_string_append_c (out, '\n');
          g_string_append (out, text);
        }
      if (out->len == 0)
        g_string_append (out, "—");
      return g_string_free (out, FALSE);
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    return object_text (json_node_get_object (node));
  type = json_node_get_value_type (node);
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? _ ("Yes") : _ ("No"));
  if (type == G_TYPE_INT64)
    return money ? kc_money_format (json_node_get_int (node))
                 : g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (type == G_TYPE_DOUBLE)
    return kc_label_decimal (json_node_get_double (node), 2);
  if (type == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      GDate date;

      if (strlen (text) == 10 && kc_date_parse_iso (text, &date))
        return kc_date_format_vn (&date);
      return g_strdup (kc_label_code (text));
    }
  return g_strdup ("");
}

static char *
indicator_name (JsonObject *catalog, const char *code)
{
  JsonArray *rows = kc_json_array (catalog, "indicators");

  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (g_strcmp0 (kc_json_string (row, "code"), code) == 0
          && kc_json_string (row, "name_vi") != NULL)
        return g_strdup_printf ("%s — %s", code, kc_json_string (row, "name_vi"));
    }
  return g_strdup (code);
}

static char *
field_text (const char *field, JsonObject *catalog)
{
  if (g_str_has_prefix (field, "budget_lines."))
    /* TRANSLATORS: a budget line in the list of changes, e.g. "Budget: Central budget" */
    return g_strdup_printf (_ ("Budget: %s"), kc_label_source (field + strlen ("budget_lines.")));
  if (g_str_has_prefix (field, "indicators."))
    {
      g_autofree char *name = indicator_name (catalog, field + strlen ("indicators."));

      /* TRANSLATORS: an indicator in the list of changes */
      return g_strdup_printf (_ ("Indicator: %s"), name);
    }
  if (g_str_equal (field, "beneficiaries"))
    return g_strdup (_ ("Beneficiaries"));
  if (g_str_equal (field, "total"))
    return g_strdup (_ ("Total"));
  return g_strdup (kc_project_editor_field_label (field));
}

GtkWidget *
kc_diff_view_new (void)
{
  static const char *const titles[] = { N_ ("Field"), N_ ("In the version sent back"), N_ ("Now") };
  GtkListStore *store = gtk_list_store_new (3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);

  return GTK_WIDGET (kc_read_tab_new (_ ("Comparison with the version sent back"),
                                      _ ("Changes since the version sent back"), store, titles,
                                      NULL));
}

void
kc_diff_view_fill (GtkWidget *view, JsonObject *diff, JsonObject *catalog)
{
  GtkListStore *store = KC_READ_TAB (view)->store;
  GtkLabel *summary = KC_READ_TAB (view)->summary;
  JsonArray *changes = kc_json_array (diff, "changes");
  guint n = changes != NULL ? json_array_get_length (changes) : 0;
  g_autofree char *when = date_text (kc_json_string (diff, "from_at"));
  g_autofree char *text = NULL;

  gtk_list_store_clear (store);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      const char *field = kc_json_string (change, "field");
      gboolean money = field != NULL && is_money_field (field);
      g_autofree char *name = field_text (field != NULL ? field : "", catalog);
      g_autofree char *before = value_text (json_object_get_member (change, "before"), money);
      g_autofree char *after = value_text (json_object_get_member (change, "after"), money);

      gtk_list_store_insert_with_values (store, NULL, -1, 0, name, 1, before, 2, after, -1);
    }
  if (kc_json_int (diff, "from_version") == 0)
    text = g_strdup (_ ("The Ministry has not sent this project back: there is nothing to "
                        "compare."));
  else if (n == 0)
    text = g_strdup_printf (_ ("Nothing has changed since the version sent back on %s."), when);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u change since the version sent back on %s.",
                                         "%u changes since the version sent back on %s.", n),
                            n, when);
  gtk_label_set_text (summary, text);
}

/* The Budget & implementation tab */

enum
{
  M_KIND,
  M_DATE,
  M_NUMBER,
  M_AMOUNT,
  M_DETAILS,
  M_COLUMNS
};

GtkWidget *
kc_money_view_new (void)
{
  static const char *const titles[]
      = { N_ ("Record kind"), N_ ("Date"), N_ ("Number"), N_ ("Amount"), N_ ("Details") };
  static const int numeric[] = { 0, 0, 0, 1, 0 };
  GtkListStore *store = gtk_list_store_new (M_COLUMNS, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                                            G_TYPE_STRING, G_TYPE_STRING);

  return GTK_WIDGET (kc_read_tab_new (_ ("Money of the project"), _ ("Budget and implementation"),
                                      store, titles, numeric));
}

static void
add_row (GtkListStore *store, const char *kind, const char *iso, const char *number, gint64 amount,
         const char *details)
{
  g_autofree char *date = date_text (iso);
  g_autofree char *money = amount != 0 ? kc_money_format (amount) : g_strdup ("");

  gtk_list_store_insert_with_values (store, NULL, -1, M_KIND, kind, M_DATE, date, M_NUMBER,
                                     number != NULL ? number : "", M_AMOUNT, money, M_DETAILS,
                                     details != NULL ? details : "", -1);
}

static const char *
decision_action (const char *action)
{
  if (g_strcmp0 (action, "approve") == 0)
    return _ ("approves the project");
  if (g_strcmp0 (action, "add") == 0)
    return _ ("adds the project");
  if (g_strcmp0 (action, "extend") == 0)
    return _ ("extends the project");
  if (g_strcmp0 (action, "cancel") == 0)
    return _ ("cancels the project");
  return action;
}

static const char *
payment_kind (const char *kind)
{
  if (g_strcmp0 (kind, "final") == 0)
    return _ ("Final payment");
  if (g_strcmp0 (kind, "refund") == 0)
    return _ ("Refund");
  return _ ("Advance");
}

void
kc_money_view_fill (GtkWidget *view, JsonObject *budget, JsonArray *progress)
{
  GtkListStore *store = KC_READ_TAB (view)->store;
  GtkLabel *summary = KC_READ_TAB (view)->summary;
  JsonNode *totals_node = json_object_get_member (budget, "totals");
  JsonObject *totals = totals_node != NULL && JSON_NODE_HOLDS_OBJECT (totals_node)
                           ? json_node_get_object (totals_node)
                           : NULL;
  const char *names[] = { "allocated", "contracted", "advanced", "final", "refunded", "paid" };
  char *money[G_N_ELEMENTS (names)];
  JsonArray *rows;
  g_autofree char *text = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    money[i] = kc_money_format (kc_json_int (totals, names[i]));
  text = g_strdup_printf (_ ("Allocated %s · Contracted %s · Advanced %s · Final payments %s · "
                             "Refunded %s · Paid in all %s"),
                          money[0], money[1], money[2], money[3], money[4], money[5]);
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    g_free (money[i]);
  gtk_label_set_text (summary, text);

  gtk_list_store_clear (store);
  rows = kc_json_array (budget, "decisions");
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonObject *d = json_array_get_object_element (rows, i);
      g_autofree char *details = g_strdup_printf (
          "%s (%s)", decision_action (kc_json_string (d, "action")),
          kc_json_string (d, "signer") != NULL ? kc_json_string (d, "signer") : "");

      add_row (store,
               g_strcmp0 (kc_json_string (d, "kind"), "amendment") == 0 ? _ ("Amending decision")
                                                                        : _ ("Plan decision"),
               kc_json_string (d, "signed_on"), kc_json_string (d, "number"), 0, details);
    }
  rows = kc_json_array (budget, "allocations");
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonObject *a = json_array_get_object_element (rows, i);
      g_autofree char *details
          = g_strdup_printf ("%s %" G_GINT64_FORMAT, kc_label_source (kc_json_string (a, "source")),
                             kc_json_int (a, "year"));

      add_row (store, _ ("Allocation"), kc_json_string (a, "allocated_at"), NULL,
               kc_json_int (a, "amount"), details);
    }
  rows = kc_json_array (budget, "contracts");
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonObject *c = json_array_get_object_element (rows, i);
      g_autofree char *details = g_strdup_printf ("%s — %s", kc_json_string (c, "party_a"),
                                                  kc_json_string (c, "party_b"));

      add_row (store, _ ("Contract"), kc_json_string (c, "signed_on"), kc_json_string (c, "number"),
               kc_json_int (c, "amount"), details);
    }
  rows = kc_json_array (budget, "disbursements");
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonObject *d = json_array_get_object_element (rows, i);

      add_row (store, payment_kind (kc_json_string (d, "kind")), kc_json_string (d, "paid_on"),
               kc_json_string (d, "document_no"), kc_json_int (d, "amount"), NULL);
    }
  for (guint i = 0; progress != NULL && i < json_array_get_length (progress); i++)
    {
      JsonObject *r = json_array_get_object_element (progress, i);
      const char *period = kc_json_string (r, "period");
      g_autofree char *month = NULL;
      g_autofree char *details = NULL;

      /* "2027-05" → "05/2027" */
      if (period != NULL && strlen (period) == 7)
        month = g_strdup_printf ("%.2s/%.4s", period + 5, period);
      details = g_strdup_printf (
          _ ("%d%% done; %s%s"), (int)kc_json_int (r, "percent_done"),
          json_object_get_boolean_member_with_default (r, "confirmed", FALSE) ? _ ("confirmed")
          : json_object_get_boolean_member_with_default (r, "returned", FALSE)
              ? _ ("returned to be reported again")
              : _ ("not confirmed yet"),
          json_object_get_boolean_member_with_default (r, "late", FALSE) ? _ ("; late") : "");
      gtk_list_store_insert_with_values (store, NULL, -1, M_KIND, _ ("Progress report"), M_DATE,
                                         month != NULL ? month : "", M_NUMBER, "", M_AMOUNT, "",
                                         M_DETAILS, details, -1);
    }
}
