/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-dashboard-page.c — KcDashboardPage (see its header).
 */
#include "kc-dashboard-page.h"

#include <glib/gi18n.h>

#include "kc-bar-list.h"
#include "kc-calls.h"
#include "kc-chart.h"
#include "kc-errors.h"
#include "kc-json.h"
#include "kc-labels.h"
#include "kc-money.h"
#include "kc-table-page.h"

/* The per-province list: shown text, then the figures it sorts by. */
enum
{
  COL_NAME,
  COL_PROJECTS,
  COL_PLANNED,
  COL_ALLOCATED,
  COL_PAID,
  COL_SETTLED,
  COL_RATE,
  COL_LATE,
  SORT_PROJECTS,
  SORT_PLANNED,
  SORT_ALLOCATED,
  SORT_PAID,
  SORT_SETTLED,
  SORT_RATE,
  SORT_LATE,
  N_COLUMNS
};

/* The figures beside the money chart. */
static const char *const money_members[] = { "planned", "allocated", "paid", "settled" };

struct _KcDashboardPage
{
  GtkBox parent_instance;

  KcSession *session;
  GCancellable *cancellable;
  gboolean ministry;
  guint refresh_id;

  GtkSpinButton *year_spin;
  GtkSpinner *spinner;
  GtkLabel *error_label;
  GtkLabel *totals_label;
  KcChart *money_chart;
  GtkGrid *money_grid;
  KcBarList *status_bars;
  KcBarList *indicator_bars;
  GtkLabel *late_label;
  KcBarList *late_bars;
  GtkWidget *province_box; /* the Ministry's */
  KcChart *province_chart;
  GtkListStore *province_store;
  GtkTreeView *province_view;
};

G_DEFINE_TYPE (KcDashboardPage, kc_dashboard_page, GTK_TYPE_BOX)

/* Helpers */

char *
kc_dashboard_percent_text (gboolean known, double percent)
{
  return known ? kc_label_percent (percent, 1) : g_strdup ("—");
}

/* @name of @object as a number; FALSE when absent or null. */
static gboolean
number_of (JsonObject *object, const char *name, double *out)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  *out = 0;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
      case G_TYPE_INT64:
        *out = (double)json_node_get_int (node);
        return TRUE;
      case G_TYPE_DOUBLE:
        *out = json_node_get_double (node);
        return TRUE;
      default:
        return FALSE;
    }
}

static char *
percent_of (JsonObject *object, const char *name)
{
  double value;
  gboolean known = number_of (object, name, &value);

  return kc_dashboard_percent_text (known, value);
}

/* An indicator's quantity: "1.250" or "12,5" (transfer full). */
static char *
quantity_text (double value)
{
  g_autofree char *text = NULL;

  if (value == (double)(gint64)value)
    return kc_money_format_plain ((gint64)value);
  text = g_strdup_printf ("%.2f", value);
  g_strdelimit (text, ".", ',');
  return g_steal_pointer (&text);
}

static const char *
late_kind_label (const char *kind)
{
  static const struct
  {
    const char *kind;
    const char *label;
  } names[] = {
    { "progress_report", N_ ("Progress reports") },
    { "settlement_dossier", N_ ("Settlement dossiers") },
    { "settlement", N_ ("Settlements") },
    { "correspondence", N_ ("Requests to answer") },
    { "province_report", N_ ("Province reports") },
    { "registration", N_ ("Plan registration") },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (names[i].kind, kind))
      return _ (names[i].label);
  return kind;
}

static GtkWidget *
grid_label (const char *text, gfloat xalign, gboolean bold)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  if (bold)
    gtk_style_context_add_class (gtk_widget_get_style_context (label), "kc-total");
  gtk_widget_show (label);
  return label;
}

static void
clear_grid (GtkGrid *grid)
{
  g_autoptr (GList) children = gtk_container_get_children (GTK_CONTAINER (grid));

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
}

static void
show_totals (KcDashboardPage *self, JsonObject *totals)
{
  g_autofree char *planned = kc_money_format (kc_json_int (totals, "planned"));
  g_autofree char *allocated = kc_money_format (kc_json_int (totals, "allocated"));
  g_autofree char *paid = kc_money_format (kc_json_int (totals, "paid"));
  g_autofree char *settled = kc_money_format (kc_json_int (totals, "settled"));
  g_autofree char *rate = percent_of (totals, "disbursement_rate");
  g_autofree char *text = g_strdup_printf (
      /* TRANSLATORS: the dashboard's first line: projects, then the money */
      _ ("%d projects · planned %s · allocated %s · paid %s · settled %s · disbursement rate %s"),
      (int)kc_json_int (totals, "projects"), planned, allocated, paid, settled, rate);

  gtk_label_set_text (self->totals_label, text);
}

static void
show_money (KcDashboardPage *self, JsonArray *rows)
{
  const char *titles[] = { _ ("Source"), _ ("Planned"), _ ("Allocated"),
                           _ ("Paid"),   _ ("Settled"), _ ("Disbursement rate") };

  kc_chart_clear (self->money_chart);
  clear_grid (self->money_grid);
  for (guint c = 0; c < G_N_ELEMENTS (titles); c++)
    gtk_grid_attach (self->money_grid, grid_label (titles[c], c == 0 ? 0 : 1, TRUE), c, 0, 1, 1);
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      JsonObject *row = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *source = kc_json_string (row, "source");
      g_autofree char *rate = percent_of (row, "disbursement_rate");

      if (row == NULL)
        continue;
      kc_chart_take_bar (self->money_chart, g_strdup (kc_label_source (source)),
                         kc_json_int (row, "planned"), kc_json_int (row, "paid"));
      gtk_grid_attach (self->money_grid, grid_label (kc_label_source (source), 0, FALSE), 0, i + 1,
                       1, 1);
      for (guint c = 0; c < G_N_ELEMENTS (money_members); c++)
        {
          g_autofree char *money = kc_money_format (kc_json_int (row, money_members[c]));

          gtk_grid_attach (self->money_grid, grid_label (money, 1, FALSE), c + 1, i + 1, 1, 1);
        }
      gtk_grid_attach (self->money_grid, grid_label (rate, 1, FALSE), 5, i + 1, 1, 1);
    }
}

static void
show_statuses (KcDashboardPage *self, JsonArray *rows)
{
  gint64 max = 0;
  guint n = rows != NULL ? json_array_get_length (rows) : 0;

  kc_bar_list_clear (self->status_bars, _ ("No projects this year"));
  for (guint i = 0; i < n; i++)
    max = MAX (max, kc_json_int (json_array_get_object_element (rows, i), "projects"));
  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      gint64 count = kc_json_int (row, "projects");

      kc_bar_list_take (self->status_bars,
                        g_strdup (kc_label_project_status (kc_json_string (row, "status"))),
                        max > 0 ? (double)count / max : 0,
                        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d project", "%d projects",
                                                      (gulong)count),
                                         (int)count),
                        FALSE);
    }
}

static void
show_indicators (KcDashboardPage *self, JsonArray *rows)
{
  kc_bar_list_clear (self->indicator_bars, _ ("No indicator targets this year"));
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      double target = 0, achieved = 0, percent = 0;
      gboolean known;
      g_autofree char *target_text = NULL;
      g_autofree char *achieved_text = NULL;
      g_autofree char *percent_text = NULL;
      const char *name = kc_json_string (row, "name");
      const char *unit = kc_json_string (row, "unit");

      number_of (row, "target", &target);
      number_of (row, "achieved", &achieved);
      known = number_of (row, "percent", &percent);
      target_text = quantity_text (target);
      achieved_text = quantity_text (achieved);
      percent_text = kc_dashboard_percent_text (known, percent);
      kc_bar_list_take (self->indicator_bars,
                        g_strdup (name != NULL ? name : kc_json_string (row, "indicator")),
                        target > 0 ? achieved / target : 0,
                        /* TRANSLATORS: an indicator: achieved / target unit (percent) */
                        g_strdup_printf (_ ("%s / %s %s (%s)"), achieved_text, target_text,
                                         unit != NULL ? unit : "", percent_text),
                        FALSE);
    }
}

static void
show_late (KcDashboardPage *self, JsonObject *late)
{
  JsonObject *by_kind = kc_json_object (late, "by_kind");
  g_autoptr (GList) kinds = by_kind != NULL ? json_object_get_members (by_kind) : NULL;
  gint64 total = kc_json_int (late, "total"), max = 0;
  g_autofree char *text = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%d item late", "%d items late", (gulong)total), (int)total);

  gtk_label_set_text (self->late_label, text);
  kc_bar_list_clear (self->late_bars, _ ("Nothing is late."));
  for (GList *l = kinds; l != NULL; l = l->next)
    max = MAX (max, kc_json_int (by_kind, l->data));
  for (GList *l = kinds; l != NULL; l = l->next)
    {
      gint64 count = kc_json_int (by_kind, l->data);

      kc_bar_list_take (self->late_bars, g_strdup (late_kind_label (l->data)),
                        max > 0 ? (double)count / max : 0,
                        g_strdup_printf ("%" G_GINT64_FORMAT, count), TRUE);
    }
}

static void
show_provinces (KcDashboardPage *self, JsonArray *rows)
{
  kc_chart_clear (self->province_chart);
  gtk_list_store_clear (self->province_store);
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *name = kc_json_string (row, "province_name");
      g_autofree char *planned = kc_money_format (kc_json_int (row, "planned"));
      g_autofree char *allocated = kc_money_format (kc_json_int (row, "allocated"));
      g_autofree char *paid = kc_money_format (kc_json_int (row, "paid"));
      g_autofree char *settled = kc_money_format (kc_json_int (row, "settled"));
      g_autofree char *rate_text = percent_of (row, "disbursement_rate");
      g_autofree char *projects = g_strdup_printf ("%d", (int)kc_json_int (row, "projects"));
      g_autofree char *late = g_strdup_printf ("%d", (int)kc_json_int (row, "late"));
      double rate = -1;

      if (!number_of (row, "disbursement_rate", &rate))
        rate = -1;
      if (name == NULL)
        name = kc_json_string (row, "province_code");
      kc_chart_take_bar (self->province_chart, g_strdup (name), kc_json_int (row, "planned"),
                         kc_json_int (row, "paid"));
      gtk_list_store_insert_with_values (
          self->province_store, NULL, -1, COL_NAME, name, COL_PROJECTS, projects, COL_PLANNED,
          planned, COL_ALLOCATED, allocated, COL_PAID, paid, COL_SETTLED, settled, COL_RATE,
          rate_text, COL_LATE, late, SORT_PROJECTS, kc_json_int (row, "projects"), SORT_PLANNED,
          kc_json_int (row, "planned"), SORT_ALLOCATED, kc_json_int (row, "allocated"), SORT_PAID,
          kc_json_int (row, "paid"), SORT_SETTLED, kc_json_int (row, "settled"), SORT_RATE, rate,
          SORT_LATE, kc_json_int (row, "late"), -1);
    }
}

static void
dashboard_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);
  KcDashboardPage *self;
  JsonObject *object;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = KC_DASHBOARD_PAGE (user_data);
  gtk_spinner_stop (self->spinner);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      g_autofree char *text = error != NULL ? kc_errors_describe (error, data) : NULL;

      gtk_label_set_text (self->error_label, text != NULL ? text : "");
      gtk_widget_show (GTK_WIDGET (self->error_label));
      return;
    }
  gtk_widget_hide (GTK_WIDGET (self->error_label));
  object = json_node_get_object (reply);
  show_totals (self, kc_json_object (object, "totals"));
  show_money (self, kc_json_array (object, "money_by_source"));
  show_statuses (self, kc_json_array (object, "projects_by_status"));
  show_indicators (self, kc_json_array (object, "indicators"));
  show_late (self, kc_json_object (object, "late"));
  if (self->ministry)
    show_provinces (self, kc_json_array (object, "by_province"));
}

static gboolean
refresh_later_cb (gpointer user_data)
{
  KcDashboardPage *self = user_data;

  self->refresh_id = 0;
  kc_dashboard_page_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
on_session_event_cb (KcSession *session, const char *topic, JsonNode *params, gpointer user_data)
{
  KcDashboardPage *self = user_data;
  static const char *const topics[] = { "plan", "project", "allocation", "payment", "inbox", NULL };

  /* Only while shown: a hidden dashboard reads again when it is shown. */
  if (!g_strv_contains (topics, topic) || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add_seconds (2, refresh_later_cb, self);
}

static void
on_map_cb (KcDashboardPage *self)
{
  kc_dashboard_page_refresh (self);
}

/* The Ministry's part: the provinces' table. */
static void
show_province_part (KcDashboardPage *self)
{
  GtkTreeView *view = self->province_view;

  self->province_store = gtk_list_store_new (
      N_COLUMNS, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
      G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_INT64,
      G_TYPE_INT64, G_TYPE_INT64, G_TYPE_DOUBLE, G_TYPE_INT64);
  gtk_tree_view_set_model (view, GTK_TREE_MODEL (self->province_store));
  kc_table_add_text_column (view, _ ("Province"), COL_NAME, COL_NAME, TRUE, 0);
  kc_table_add_text_column (view, _ ("Projects"), COL_PROJECTS, SORT_PROJECTS, FALSE, 1);
  kc_table_add_text_column (view, _ ("Planned"), COL_PLANNED, SORT_PLANNED, FALSE, 1);
  kc_table_add_text_column (view, _ ("Allocated"), COL_ALLOCATED, SORT_ALLOCATED, FALSE, 1);
  kc_table_add_text_column (view, _ ("Paid"), COL_PAID, SORT_PAID, FALSE, 1);
  kc_table_add_text_column (view, _ ("Settled"), COL_SETTLED, SORT_SETTLED, FALSE, 1);
  kc_table_add_text_column (view, _ ("Disbursement rate"), COL_RATE, SORT_RATE, FALSE, 1);
  kc_table_add_text_column (view, _ ("Late"), COL_LATE, SORT_LATE, FALSE, 1);
  gtk_widget_show (self->province_box);
}

/* GObject overrides */

static void
kc_dashboard_page_dispose (GObject *object)
{
  KcDashboardPage *self = KC_DASHBOARD_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_clear_object (&self->session);
    }
  g_clear_object (&self->province_store);
  G_OBJECT_CLASS (kc_dashboard_page_parent_class)->dispose (object);
}

static void
kc_dashboard_page_class_init (KcDashboardPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = kc_dashboard_page_dispose;
  g_type_ensure (KC_TYPE_CHART);
  g_type_ensure (KC_TYPE_BAR_LIST);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KcDashboardPage, year_spin);
  gtk_widget_class_bind_template_child (widget_class, KcDashboardPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, KcDashboardPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, KcDashboardPage, totals_label);
  gtk_widget_class_bind_template_child (widget_class, KcDashboardPage, money_chart);
  gtk_widget_class_bind_template_child (widget_class, KcDashboardPage, money_grid);
  gtk_widget_class_bind_template_child (widget_class, KcDashboardPage, status_bars);
  gtk_widget_class_bind_template_child (widget_class, KcDashboardPage, indicator_bars);
  gtk_widget_class_bind_template_child (widget_class, KcDashboardPage, late_label);
  gtk_widget_class_bind_template_child (widget_class, KcDashboardPage, late_bars);
  gtk_widget_class_bind_template_child (widget_class, KcDashboardPage, province_box);
  gtk_widget_class_bind_template_child (widget_class, KcDashboardPage, province_chart);
  gtk_widget_class_bind_template_child (widget_class, KcDashboardPage, province_view);
  gtk_widget_class_bind_template_callback (widget_class, kc_dashboard_page_refresh);
}

static void
kc_dashboard_page_init (KcDashboardPage *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  gtk_widget_init_template (GTK_WIDGET (self));
  /* This year, without reading it: the page has no session yet. */
  g_signal_handlers_block_by_func (self->year_spin, kc_dashboard_page_refresh, self);
  gtk_spin_button_set_value (self->year_spin, g_date_time_get_year (now));
  g_signal_handlers_unblock_by_func (self->year_spin, kc_dashboard_page_refresh, self);
}

/* Public API */

KcDashboardPage *
kc_dashboard_page_new (KcSession *session)
{
  KcDashboardPage *self = g_object_new (KC_TYPE_DASHBOARD_PAGE, NULL);

  self->session = g_object_ref (session);
  self->ministry = g_str_has_prefix (kc_session_get_role (session), "ministry_");
  if (self->ministry)
    show_province_part (self);
  g_signal_connect_object (session, "event", G_CALLBACK (on_session_event_cb), self, 0);
  /* Read when shown (it is not the first page), and again at each showing. */
  g_signal_connect (self, "map", G_CALLBACK (on_map_cb), NULL);
  return self;
}

void
kc_dashboard_page_refresh (KcDashboardPage *self)
{
  g_autoptr (JsonObject) params = json_object_new ();
  g_autoptr (JsonNode) node = NULL;

  g_return_if_fail (KC_IS_DASHBOARD_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  json_object_set_int_member (params, "year", gtk_spin_button_get_value_as_int (self->year_spin));
  json_object_set_string_member (params, "sort", "province_name");
  node = json_node_init_object (json_node_alloc (), params);
  gtk_spinner_start (self->spinner);
  kc_session_report_dashboard_async (self->session, node, self->cancellable, dashboard_done_cb,
                                     self);
}
