/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-reports-page.c — KcReportsPage: report.summary, report.programme,
 * report.province, report.registration_list, report.cost_estimate;
 * report.export and printing.
 */
#include "kc-reports-page.h"

#include <glib/gi18n.h>

#include "kc-calls.h"
#include "kc-chart.h"
#include "kc-date.h"
#include "kc-labels.h"
#include "kc-money.h"
#include "kc-report-print.h"
#include "kc-json.h"

/* The bars: what was planned and what was paid, in tỷ đồng. */
#define LOOKUP_PAGE 100

/* Which parameter widgets a report uses. */
enum
{
  USES_YEARS = 1 << 0,        /* from, to, grouping */
  USES_PROGRAMME = 1 << 1,    /* programme_id */
  USES_YEAR = 1 << 2,         /* year */
  USES_PERIOD = 1 << 3,       /* q1 … year */
  USES_PROVINCE = 1 << 4,     /* org_id, required */
  USES_ANY_PROVINCE = 1 << 5, /* org_id, optional */
  USES_PROJECT = 1 << 6,      /* project_id, found by its code */
};

static const struct
{
  const char *id; /* the report of report.export */
  const char *label;
  const char *file_stem; /* when the result has none */
  guint uses;
  KcCallFunc call; /* report.<id> */
} reports[] = {
  { "summary", N_ ("Summary by province, category or year"), "bao-cao-tong-hop", USES_YEARS,
    kc_session_report_summary_async },
  { "programme", N_ ("Programme: targets and results"), "bao-cao-chuong-trinh", USES_PROGRAMME,
    kc_session_report_programme_async },
  { "province", N_ ("Province report"), "bao-cao-tinh", USES_YEAR | USES_PERIOD | USES_PROVINCE,
    kc_session_report_province_async },
  { "registration_list", N_ ("Registration list (Form 2)"), "danh-muc-dang-ky",
    USES_YEAR | USES_ANY_PROVINCE, kc_session_report_registration_list_async },
  { "cost_estimate", N_ ("Cost estimate (Form 1)"), "du-toan-kinh-phi", USES_PROJECT,
    kc_session_report_cost_estimate_async },
};

static const struct
{
  const char *code;
  const char *label;
} groupings[] = {
  { "province", N_ ("By province") },
  { "source", N_ ("By funding source") },
  { "category", N_ ("By category") },
  { "year", N_ ("By year") },
}, periods[] = {
  { "q1", N_ ("Quarter I") }, { "q2", N_ ("Quarter II") },      { "q3", N_ ("Quarter III") },
  { "q4", N_ ("Quarter IV") }, { "h1", N_ ("First half-year") }, { "year", N_ ("Whole year") },
};

struct _KcReportsPage
{
  KcTablePage parent_instance;

  GtkComboBoxText *report_combo;
  GtkWidget *from_label;
  GtkSpinButton *from_spin;
  GtkWidget *to_label;
  GtkSpinButton *to_spin;
  GtkComboBoxText *group_combo;
  GtkComboBoxText *group2_combo; /* the second dimension, or "none" */
  GtkComboBoxText *programme_combo;
  GtkWidget *year_label;
  GtkSpinButton *year_spin;
  GtkComboBoxText *period_combo;
  GtkComboBoxText *province_combo;
  GtkEntry *project_entry;
  GtkWidget *export_button;
  GtkWidget *print_button;
  GtkWidget *cancel_button;
  GtkWidget *chart_frame;
  KcChart *chart;

  /* The programme and province choices are read once, when first needed. */
  gboolean programmes_loaded;
  gboolean provinces_loaded;
  KcCallFunc lookup;          /* the list being read into a combo */
  gboolean programme_current; /* this year's programme chosen once */
  gboolean filling;           /* the combos are being filled: no refresh */

  GtkListStore *store;
  int n_columns;           /* text columns of the store; one more holds the weight */
  GPtrArray *column_types; /* the result's column types, for printing alignment */
  GPtrArray *column_labels;
  char *title;
  char *subtitle;
  char *file_stem;
  char *report; /* of the table shown, for the export */
  JsonNode *params;

  GtkFileChooserNative *chooser;
  /* (nullable) the printing under way (its dialog may be open): owned
   * until it is done, cancelled in dispose. */
  KcReportPrint *printing;
  GCancellable *export_cancellable;
  GFile *export_file;
};

G_DEFINE_TYPE (KcReportsPage, kc_reports_page, KC_TYPE_TABLE_PAGE)

static void run_report (KcReportsPage *self);

static guint
current_report (KcReportsPage *self)
{
  const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->report_combo));

  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (reports); i++)
    if (g_str_equal (reports[i].id, id))
      return i;
  return 0;
}

/* A code of the wire in a report's text column, as people read it: the
 * statuses, sources, kinds and confidences by name; a programme report's
 * money rows ("KP.central", named "Kinh phí: …" beside it) without code. */
static const char *
kc_reports_code_text (const char *key, const char *text)
{
  if (g_strcmp0 (key, "status") == 0 || g_str_has_suffix (key, "_status")
      || g_strcmp0 (key, "stage") == 0)
    return kc_label_any_status (text);
  if (g_strcmp0 (key, "source") == 0)
    return kc_label_source (text);
  if (g_strcmp0 (key, "confidence") == 0)
    return kc_label_confidence (text);
  if (g_strcmp0 (key, "kind") == 0)
    return kc_label_project_kind (text);
  if (g_strcmp0 (key, "scope") == 0)
    return kc_label_scope (text);
  if (g_strcmp0 (key, "code") == 0 && g_str_has_prefix (text, "KP."))
    return "";
  return text;
}

/* A cell as the page shows it: money as "1.234.567 ₫", counts grouped,
 * dates dd/mm/yyyy, years as they are. */
static char *
cell_text (JsonObject *row, const char *key, const char *type)
{
  JsonNode *node = row != NULL ? json_object_get_member (row, key) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (!JSON_NODE_HOLDS_VALUE (node))
    return g_strdup ("");
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      GDate date;

      if (g_strcmp0 (type, "date") == 0 && kc_date_parse_iso (text, &date))
        return kc_date_format_vn (&date);
      return g_strdup (kc_reports_code_text (key, text));
    }
  if (g_strcmp0 (type, "money") == 0)
    return kc_money_format (json_node_get_int (node));
  if (g_strcmp0 (type, "integer") == 0)
    return kc_money_format_plain (json_node_get_int (node));
  if (g_strcmp0 (type, "percent") == 0)
    {
      g_autofree char *text = g_strdup_printf ("%.1f %%", json_node_get_double (node));

      /* Vietnamese writes the decimal comma. */
      g_strdelimit (text, ".", ',');
      return g_steal_pointer (&text);
    }
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return kc_label_decimal (json_node_get_double (node), 2);
  return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
}

static void
clear_table (KcReportsPage *self)
{
  GtkTreeView *view = kc_table_page_get_view (KC_TABLE_PAGE (self));
  GList *columns = gtk_tree_view_get_columns (view);

  for (GList *l = columns; l != NULL; l = l->next)
    gtk_tree_view_remove_column (view, l->data);
  g_list_free (columns);
  gtk_tree_view_set_model (view, NULL);
  g_clear_object (&self->store);
  self->n_columns = 0;
  g_ptr_array_set_size (self->column_types, 0);
  g_ptr_array_set_size (self->column_labels, 0);
  kc_chart_clear (self->chart);
  gtk_widget_set_sensitive (self->export_button, FALSE);
  gtk_widget_set_sensitive (self->print_button, FALSE);
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
}

/* @label_column, when not -1, shows @label instead of its value (the
 * totals row's "Tổng"). */
static void
fill_row (KcReportsPage *self, JsonArray *columns, JsonObject *row, int label_column,
          const char *label, int weight)
{
  GtkTreeIter iter;

  gtk_list_store_append (self->store, &iter);
  for (int c = 0; c < self->n_columns; c++)
    {
      JsonObject *column = json_array_get_object_element (columns, c);
      g_autofree char *text
          = cell_text (row, json_object_get_string_member_with_default (column, "key", ""),
                       json_object_get_string_member_with_default (column, "type", "text"));

      gtk_list_store_set (self->store, &iter, c, c == label_column ? label : text, -1);
    }
  gtk_list_store_set (self->store, &iter, self->n_columns, weight, -1);
}

/* The totals row is labelled in its first text column it has no value for
 * (as the exported files are). */
static int
totals_label_column (JsonArray *columns, JsonObject *totals)
{
  for (guint c = 0; c < json_array_get_length (columns); c++)
    {
      JsonObject *column = json_array_get_object_element (columns, c);
      const char *key = json_object_get_string_member_with_default (column, "key", "");
      const char *type = json_object_get_string_member_with_default (column, "type", "text");

      if (g_str_equal (type, "text") && !json_object_has_member (totals, key))
        return (int)c;
    }
  return -1;
}

/* In characters: a text column with longer cells is shortened on screen. */
#define LONG_TEXT 28

static glong
longest_text (JsonArray *rows, const char *key)
{
  glong longest = 0;

  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *text = json_object_get_string_member_with_default (row, key, NULL);

      if (text != NULL)
        longest = MAX (longest, g_utf8_strlen (text, -1));
    }
  return longest;
}

static void
show_result (KcReportsPage *self, JsonObject *result)
{
  KcTablePage *page = KC_TABLE_PAGE (self);
  GtkTreeView *view = kc_table_page_get_view (page);
  JsonArray *columns = kc_json_array (result, "columns");
  JsonArray *rows = kc_json_array (result, "rows");
  JsonObject *totals = kc_json_object (result, "totals");
  gboolean chart = g_strcmp0 (self->report, "summary") == 0;
  g_autofree GType *types = NULL;
  g_autofree char *count = NULL;
  guint n_rows = rows != NULL ? json_array_get_length (rows) : 0;

  if (columns == NULL)
    return;
  self->n_columns = json_array_get_length (columns);
  types = g_new (GType, self->n_columns + 1);
  for (int c = 0; c < self->n_columns; c++)
    types[c] = G_TYPE_STRING;
  types[self->n_columns] = G_TYPE_INT;
  self->store = gtk_list_store_newv (self->n_columns + 1, types);

  for (int c = 0; c < self->n_columns; c++)
    {
      JsonObject *column = json_array_get_object_element (columns, c);
      const char *type = json_object_get_string_member_with_default (column, "type", "text");
      const char *label = json_object_get_string_member_with_default (column, "label", "");
      GtkCellRenderer *renderer = gtk_cell_renderer_text_new ();
      GtkTreeViewColumn *col = gtk_tree_view_column_new_with_attributes (
          label, renderer, "text", c, "weight", self->n_columns, NULL);

      g_object_set (renderer, "xalign", kc_report_column_is_numeric (type) ? 1.0 : 0.0, NULL);
      /* Long titles and contents wrap on more lines; codes and names stay
       * whole on one. */
      gtk_tree_view_column_set_resizable (col, TRUE);
      gtk_tree_view_column_set_expand (col, !kc_report_column_is_numeric (type));
      gtk_tree_view_append_column (view, col);
      if (!kc_report_column_is_numeric (type) && g_strcmp0 (type, "date") != 0
          && longest_text (rows, json_object_get_string_member_with_default (column, "key", ""))
                 > LONG_TEXT)
        kc_table_wrap_column (view, col, 200);
      g_ptr_array_add (self->column_types, g_strdup (type));
      g_ptr_array_add (self->column_labels, g_strdup (label));
    }

  for (guint i = 0; i < n_rows; i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      JsonObject *first = json_array_get_object_element (columns, 0);

      fill_row (self, columns, row, -1, NULL, PANGO_WEIGHT_NORMAL);
      if (chart)
        {
          gint64 planned = json_object_get_int_member_with_default (row, "planned", 0);
          gint64 paid = json_object_get_int_member_with_default (row, "paid", 0);

          kc_chart_take_bar (
              self->chart,
              cell_text (row, json_object_get_string_member_with_default (first, "key", ""),
                         "text"),
              planned, paid);
        }
    }
  if (totals != NULL)
    fill_row (self, columns, totals, totals_label_column (columns, totals), _ ("Total"),
              PANGO_WEIGHT_BOLD);
  gtk_tree_view_set_model (view, GTK_TREE_MODEL (self->store));

  g_free (self->title);
  self->title = g_strdup (json_object_get_string_member_with_default (result, "title", ""));
  g_free (self->subtitle);
  self->subtitle = g_strdup (json_object_get_string_member_with_default (result, "subtitle", ""));
  g_free (self->file_stem);
  self->file_stem = g_strdup (json_object_get_string_member_with_default (
      result, "file_stem", reports[current_report (self)].file_stem));
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d row", "%d rows", (int)n_rows),
                           (int)n_rows);
  kc_table_page_set_count (page, count);
  gtk_widget_set_sensitive (self->export_button, TRUE);
  gtk_widget_set_sensitive (self->print_button, TRUE);
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
}

static void
report_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcReportsPage *self = user_data;
  KcTablePage *page = KC_TABLE_PAGE (self);
  g_autoptr (JsonNode) reply = kc_table_page_finish_call (page, source, result);

  if (reply == NULL)
    return;
  show_result (self, json_node_get_object (reply));
}

/* The choices: programmes and provinces ----------------------------------- */

static gboolean
is_province_user (KcReportsPage *self)
{
  const char *role = kc_session_get_role (kc_table_page_get_session (KC_TABLE_PAGE (self)));

  return g_strcmp0 (role, "province_officer") == 0 || g_strcmp0 (role, "province_leader") == 0;
}

static void lookup_page (KcReportsPage *self, KcCallFunc method, const char *cursor);

static void
lookup_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcReportsPage *self = user_data;
  KcTablePage *page = KC_TABLE_PAGE (self);
  g_autoptr (JsonNode) reply = kc_table_page_finish_call (page, source, result);
  KcCallFunc method = self->lookup;
  gboolean programmes = method == kc_session_programme_list_async;
  GtkComboBox *combo = GTK_COMBO_BOX (programmes ? self->programme_combo : self->province_combo);
  JsonArray *items;
  const char *next;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *current_id = NULL;

  if (reply == NULL)
    return;
  items = kc_json_array (json_node_get_object (reply), "items");
  self->filling = TRUE;
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      g_autofree char *id = g_strdup_printf (
          "%" G_GINT64_FORMAT, json_object_get_int_member_with_default (item, "id", 0));
      g_autofree char *text = NULL;

      if (programmes)
        {
          gint64 from = json_object_get_int_member_with_default (item, "from_year", 0);
          gint64 to = json_object_get_int_member_with_default (item, "to_year", 0);
          int year = g_date_time_get_year (now);

          /* Its years, not the national period's code ("KCQG-2026-2030"),
           * which a province's own programme shares. */
          text = g_strdup_printf (
              "%s (%" G_GINT64_FORMAT "–%" G_GINT64_FORMAT ")",
              json_object_get_string_member_with_default (
                  item, "title", json_object_get_string_member_with_default (item, "period", "")),
              from, to);
          if (current_id == NULL && from <= year && year <= to)
            current_id = g_strdup (id);
        }
      else
        text = g_strdup (json_object_get_string_member_with_default (item, "name", ""));
      gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (combo), id, text);
    }
  /* The first programme; a province's users their province, the
   * Ministry's all of them. */
  /* The programme of this year (the current one), else the first. */
  if (programmes && current_id != NULL && !self->programme_current)
    {
      gtk_combo_box_set_active_id (combo, current_id);
      self->programme_current = TRUE;
    }
  if (gtk_combo_box_get_active_id (combo) == NULL)
    gtk_combo_box_set_active (combo, programmes || !is_province_user (self) ? 0 : 1);
  self->filling = FALSE;
  next = json_object_get_string_member_with_default (json_node_get_object (reply), "next_cursor",
                                                     NULL);
  if (next != NULL)
    {
      lookup_page (self, method, next);
      return;
    }
  if (programmes)
    self->programmes_loaded = TRUE;
  else
    self->provinces_loaded = TRUE;
  run_report (self);
}

static void
lookup_page (KcReportsPage *self, KcCallFunc method, const char *cursor)
{
  KcTablePage *page = KC_TABLE_PAGE (self);
  g_autoptr (JsonObject) params = json_object_new ();
  g_autoptr (JsonNode) node = NULL;

  json_object_set_int_member (params, "limit", LOOKUP_PAGE);
  if (cursor != NULL)
    json_object_set_string_member (params, "cursor", cursor);
  if (method == kc_session_org_list_async)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

      /* Today's map of provinces: the 34 from 2025-07-01. */
      json_object_set_string_member (params, "kind", "province");
      json_object_set_string_member (params, "at", today);
    }
  node = json_node_init_object (json_node_alloc (), params);
  self->lookup = method;
  kc_table_page_set_busy (page, TRUE);
  method (kc_table_page_get_session (page), node, kc_table_page_get_cancellable (page),
          lookup_done_cb, self);
}

/* The report ---------------------------------------------------------------- */

static gint64
active_id (GtkComboBoxText *combo)
{
  const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (combo));

  return id != NULL ? g_ascii_strtoll (id, NULL, 10) : 0;
}

static void
show_parameters (KcReportsPage *self)
{
  guint uses = reports[current_report (self)].uses;

  gtk_widget_set_visible (self->from_label, uses & USES_YEARS);
  gtk_widget_set_visible (GTK_WIDGET (self->from_spin), uses & USES_YEARS);
  gtk_widget_set_visible (self->to_label, uses & USES_YEARS);
  gtk_widget_set_visible (GTK_WIDGET (self->to_spin), uses & USES_YEARS);
  gtk_widget_set_visible (GTK_WIDGET (self->group_combo), uses & USES_YEARS);
  gtk_widget_set_visible (GTK_WIDGET (self->group2_combo), uses & USES_YEARS);
  gtk_widget_set_visible (GTK_WIDGET (self->programme_combo), uses & USES_PROGRAMME);
  gtk_widget_set_visible (self->year_label, uses & USES_YEAR);
  gtk_widget_set_visible (GTK_WIDGET (self->year_spin), uses & USES_YEAR);
  gtk_widget_set_visible (GTK_WIDGET (self->period_combo), uses & USES_PERIOD);
  gtk_widget_set_visible (GTK_WIDGET (self->province_combo),
                          uses & (USES_PROVINCE | USES_ANY_PROVINCE));
  gtk_widget_set_visible (GTK_WIDGET (self->project_entry), uses & USES_PROJECT);
  gtk_widget_set_visible (self->chart_frame, uses & USES_YEARS);
}

static void
project_found_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcReportsPage *self = user_data;
  KcTablePage *page = KC_TABLE_PAGE (self);
  g_autoptr (JsonNode) reply = kc_table_page_finish_call (page, source, result);
  g_autofree char *code = g_strstrip (g_strdup (gtk_entry_get_text (self->project_entry)));
  g_autoptr (JsonObject) params = json_object_new ();
  JsonArray *items;
  gint64 id = 0;

  if (reply == NULL)
    return;
  /* q matches titles too: only the project of exactly this code counts. */
  items = kc_json_array (json_node_get_object (reply), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (g_ascii_strcasecmp (json_object_get_string_member_with_default (item, "code", ""), code)
          == 0)
        id = json_object_get_int_member_with_default (item, "id", 0);
    }
  if (id == 0)
    {
      g_autofree char *text = g_strdup_printf (_ ("No project has the code %s"), code);

      kc_table_page_set_count (page, text);
      return;
    }
  json_object_set_int_member (params, "project_id", id);
  g_clear_pointer (&self->params, json_node_unref);
  self->params = json_node_init_object (json_node_alloc (), params);
  kc_table_page_set_busy (page, TRUE);
  kc_session_report_cost_estimate_async (kc_table_page_get_session (page), self->params,
                                         kc_table_page_get_cancellable (page), report_done_cb,
                                         self);
}

/* Builds the parameters of the chosen report from the toolbar and calls it;
 * the choices it needs are read first. */
static void
run_report (KcReportsPage *self)
{
  KcTablePage *page = KC_TABLE_PAGE (self);
  guint r = current_report (self);
  guint uses = reports[r].uses;
  g_autoptr (JsonObject) params = json_object_new ();

  g_free (self->report);
  self->report = g_strdup (reports[r].id);
  if ((uses & USES_PROGRAMME) && !self->programmes_loaded)
    {
      lookup_page (self, kc_session_programme_list_async, NULL);
      return;
    }
  if ((uses & (USES_PROVINCE | USES_ANY_PROVINCE)) && !self->provinces_loaded)
    {
      lookup_page (self, kc_session_org_list_async, NULL);
      return;
    }

  if (uses & USES_YEARS)
    {
      JsonArray *group_by = json_array_new ();
      const char *group = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->group_combo));
      int from = gtk_spin_button_get_value_as_int (self->from_spin);
      int to = gtk_spin_button_get_value_as_int (self->to_spin);

      json_object_set_int_member (params, "from_year", MIN (from, to));
      json_object_set_int_member (params, "to_year", MAX (from, to));
      const char *then = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->group2_combo));

      json_array_add_string_element (group_by, group != NULL ? group : "province");
      /* Any two of province, source, category and year. */
      if (then != NULL && !g_str_equal (then, "none") && g_strcmp0 (then, group) != 0)
        json_array_add_string_element (group_by, then);
      json_object_set_array_member (params, "group_by", group_by);
    }
  if (uses & USES_PROGRAMME)
    {
      if (active_id (self->programme_combo) == 0)
        {
          kc_table_page_set_count (page, _ ("No programme to report on"));
          return;
        }
      json_object_set_int_member (params, "programme_id", active_id (self->programme_combo));
    }
  if (uses & USES_YEAR)
    json_object_set_int_member (params, "year", gtk_spin_button_get_value_as_int (self->year_spin));
  if (uses & USES_PERIOD)
    json_object_set_string_member (
        params, "period", gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->period_combo)));
  if (uses & (USES_PROVINCE | USES_ANY_PROVINCE))
    {
      gint64 org = active_id (self->province_combo);

      /* The province report is of one province: the first, for "all". */
      if (org == 0 && (uses & USES_PROVINCE))
        {
          self->filling = TRUE;
          gtk_combo_box_set_active (GTK_COMBO_BOX (self->province_combo), 1);
          self->filling = FALSE;
          org = active_id (self->province_combo);
        }
      /* A province user's own organisation is in its province's subtree. */
      if (org == 0 && (uses & USES_PROVINCE))
        org = kc_session_get_org_id (kc_table_page_get_session (page));
      if (org != 0)
        json_object_set_int_member (params, "org_id", org);
    }
  if (uses & USES_PROJECT)
    {
      g_autofree char *code = g_strstrip (g_strdup (gtk_entry_get_text (self->project_entry)));
      g_autoptr (JsonObject) query = json_object_new ();
      g_autoptr (JsonNode) node = NULL;

      if (*code == '\0')
        {
          kc_table_page_set_count (page, _ ("Type a project code and press Enter"));
          return;
        }
      json_object_set_string_member (query, "q", code);
      json_object_set_int_member (query, "limit", 20);
      node = json_node_init_object (json_node_alloc (), query);
      kc_table_page_set_busy (page, TRUE);
      kc_session_project_list_async (kc_table_page_get_session (page), node,
                                     kc_table_page_get_cancellable (page), project_found_cb, self);
      return;
    }

  g_clear_pointer (&self->params, json_node_unref);
  self->params = json_node_init_object (json_node_alloc (), params);
  kc_table_page_set_busy (page, TRUE);
  reports[r].call (kc_table_page_get_session (page), self->params,
                   kc_table_page_get_cancellable (page), report_done_cb, self);
}

static void
kc_reports_page_refresh (KcTablePage *page)
{
  KcReportsPage *self = KC_REPORTS_PAGE (page);

  clear_table (self);
  kc_table_page_set_count (page, "");
  show_parameters (self);
  run_report (self);
}

static void
kc_reports_page_event (KcTablePage *page, const char *topic, JsonNode *params)
{
  /* The figures are recounted when an allocation or a payment is committed. */
  if (g_str_equal (topic, "allocation") || g_str_equal (topic, "payment"))
    kc_table_page_refresh (page);
}

/* Export ------------------------------------------------------------------ */

static void
set_exporting (KcReportsPage *self, gboolean exporting)
{
  gtk_widget_set_visible (self->cancel_button, exporting);
  gtk_widget_set_sensitive (self->export_button, !exporting);
  kc_table_page_set_busy (KC_TABLE_PAGE (self), exporting);
}

static void
export_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcReportsPage *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);
  g_autoptr (GFile) file = NULL;
  g_autofree guchar *content = NULL;
  g_autofree char *name = NULL;
  g_autofree char *saved = NULL;
  gsize size = 0;
  const char *base64;

  /* Cancel has already put the page back. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_exporting (self, FALSE);
  g_clear_object (&self->export_cancellable);
  file = g_steal_pointer (&self->export_file);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL)
        kc_table_page_show_error (KC_TABLE_PAGE (self), error, data);
      return;
    }
  base64 = json_object_get_string_member_with_default (json_node_get_object (reply),
                                                       "content_base64", "");
  content = g_base64_decode (base64, &size);
  /* A report is a few hundred kilobytes at most: written at once. */
  if (!g_file_replace_contents (file, (const char *)content, size, NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, &error))
    {
      kc_table_page_show_error (KC_TABLE_PAGE (self), error, NULL);
      return;
    }
  name = g_file_get_basename (file);
  saved = g_strdup_printf (_ ("Saved %s"), name);
  kc_table_page_set_count (KC_TABLE_PAGE (self), saved);
}

static void
on_chooser_response_cb (GtkNativeDialog *dialog, int response, KcReportsPage *self)
{
  g_autoptr (GFile) file = NULL;
  g_autoptr (JsonObject) params = json_object_new ();
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *path = NULL;
  const char *format = NULL;
  const char *formats[] = { "xlsx", "csv", "pdf" };

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->chooser);
  if (file == NULL || self->params == NULL)
    return;

  /* The format follows the file's extension; a name without one gets .xlsx. */
  path = g_file_get_path (file);
  for (gsize i = 0; path != NULL && i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *suffix = g_strconcat (".", formats[i], NULL);
      g_autofree char *lower = g_ascii_strdown (path, -1);

      if (g_str_has_suffix (lower, suffix))
        format = formats[i];
    }
  if (format == NULL)
    {
      g_autofree char *with = g_strconcat (path, ".xlsx", NULL);

      g_object_unref (file);
      file = g_file_new_for_path (with);
      format = "xlsx";
    }

  json_object_set_string_member (params, "report", self->report);
  json_object_set_member (params, "params", json_node_copy (self->params));
  json_object_set_string_member (params, "format", format);
  node = json_node_init_object (json_node_alloc (), params);
  g_set_object (&self->export_file, file);
  g_clear_object (&self->export_cancellable);
  self->export_cancellable = g_cancellable_new ();
  set_exporting (self, TRUE);
  kc_session_report_export_async (kc_table_page_get_session (KC_TABLE_PAGE (self)), node,
                                  self->export_cancellable, export_done_cb, self);
}

static void
add_filter (GtkFileChooser *chooser, const char *name, const char *pattern)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
on_export_clicked_cb (KcReportsPage *self)
{
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self)));
  g_autofree char *name = g_strconcat (self->file_stem, ".xlsx", NULL);

  if (self->chooser != NULL || self->file_stem == NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (
      _ ("Export the report"), parent, GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Export"), _ ("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  add_filter (GTK_FILE_CHOOSER (self->chooser), _ ("Excel workbook (*.xlsx)"), "*.xlsx");
  add_filter (GTK_FILE_CHOOSER (self->chooser), _ ("CSV (*.csv)"), "*.csv");
  add_filter (GTK_FILE_CHOOSER (self->chooser), _ ("PDF (*.pdf)"), "*.pdf");
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_cancel_clicked_cb (KcReportsPage *self)
{
  /* The server may still finish it; the answer is dropped. */
  g_cancellable_cancel (self->export_cancellable);
  g_clear_object (&self->export_cancellable);
  g_clear_object (&self->export_file);
  set_exporting (self, FALSE);
  kc_table_page_set_count (KC_TABLE_PAGE (self), _ ("Export cancelled"));
}

/* Printing (kc-report-print.c) ------------------------------------------- */

static void
print_done_cb (KcReportPrint *print, const GError *error, const char *text, gpointer data)
{
  KcReportsPage *self = data;

  if (error != NULL)
    kc_table_page_show_error (KC_TABLE_PAGE (self), error, NULL);
  else if (text != NULL)
    kc_table_page_set_count (KC_TABLE_PAGE (self), text);
  if (self->printing == print)
    g_clear_object (&self->printing);
}

static void
on_print_clicked_cb (KcReportsPage *self)
{
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self)));

  if (self->store == NULL || self->printing != NULL)
    return;
  self->printing = kc_report_print_new (self->store, self->n_columns, self->column_types,
                                        self->column_labels, self->title, self->subtitle);
  /* Tests (and a user without a printer) print to a PDF without the dialog. */
  kc_report_print_run (self->printing, parent, g_getenv ("KC_PRINT_TO_FILE"), print_done_cb, self);
}

/* ------------------------------------------------------------------------- */

static void
on_choice_changed_cb (KcReportsPage *self)
{
  if (!self->filling)
    kc_table_page_refresh (KC_TABLE_PAGE (self));
}

static void
kc_reports_page_dispose (GObject *object)
{
  KcReportsPage *self = KC_REPORTS_PAGE (object);

  g_cancellable_cancel (self->export_cancellable);
  g_clear_object (&self->export_cancellable);
  g_clear_object (&self->export_file);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->printing != NULL)
    {
      kc_report_print_cancel (self->printing);
      g_clear_object (&self->printing);
    }
  g_clear_object (&self->store);
  g_clear_pointer (&self->params, json_node_unref);
  G_OBJECT_CLASS (kc_reports_page_parent_class)->dispose (object);
}

static void
kc_reports_page_finalize (GObject *object)
{
  KcReportsPage *self = KC_REPORTS_PAGE (object);

  g_ptr_array_unref (self->column_types);
  g_ptr_array_unref (self->column_labels);
  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->file_stem);
  g_free (self->report);
  G_OBJECT_CLASS (kc_reports_page_parent_class)->finalize (object);
}

static void
kc_reports_page_class_init (KcReportsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KcTablePageClass *page_class = KC_TABLE_PAGE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = kc_reports_page_dispose;
  G_OBJECT_CLASS (klass)->finalize = kc_reports_page_finalize;
  page_class->refresh = kc_reports_page_refresh;
  page_class->event = kc_reports_page_event;

  g_type_ensure (KC_TYPE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-reports-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KcReportsPage, report_combo);
  gtk_widget_class_bind_template_child (widget_class, KcReportsPage, from_label);
  gtk_widget_class_bind_template_child (widget_class, KcReportsPage, from_spin);
  gtk_widget_class_bind_template_child (widget_class, KcReportsPage, to_label);
  gtk_widget_class_bind_template_child (widget_class, KcReportsPage, to_spin);
  gtk_widget_class_bind_template_child (widget_class, KcReportsPage, group_combo);
  gtk_widget_class_bind_template_child (widget_class, KcReportsPage, group2_combo);
  gtk_widget_class_bind_template_child (widget_class, KcReportsPage, programme_combo);
  gtk_widget_class_bind_template_child (widget_class, KcReportsPage, year_label);
  gtk_widget_class_bind_template_child (widget_class, KcReportsPage, year_spin);
  gtk_widget_class_bind_template_child (widget_class, KcReportsPage, period_combo);
  gtk_widget_class_bind_template_child (widget_class, KcReportsPage, province_combo);
  gtk_widget_class_bind_template_child (widget_class, KcReportsPage, project_entry);
  gtk_widget_class_bind_template_child (widget_class, KcReportsPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, KcReportsPage, print_button);
  gtk_widget_class_bind_template_child (widget_class, KcReportsPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, KcReportsPage, chart_frame);
  gtk_widget_class_bind_template_child (widget_class, KcReportsPage, chart);
  gtk_widget_class_bind_template_callback (widget_class, on_choice_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_print_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked_cb);
}

/* Long report and province names must not widen the window: shortened
 * with "…" in the box, whole in its list. */
static void
shorten_choices (GtkComboBoxText *combo, int width_chars)
{
  g_autoptr (GList) cells = gtk_cell_layout_get_cells (GTK_CELL_LAYOUT (combo));

  for (GList *l = cells; l != NULL; l = l->next)
    g_object_set (l->data, "ellipsize", PANGO_ELLIPSIZE_END, "width-chars", width_chars, NULL);
}

static void
kc_reports_page_init (KcReportsPage *self)
{
  KcTablePage *page = KC_TABLE_PAGE (self);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  int year = g_date_time_get_year (now);

  self->column_types = g_ptr_array_new_with_free_func (g_free);
  self->column_labels = g_ptr_array_new_with_free_func (g_free);

  /* The choices are filled in without a refresh each. */
  self->filling = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  /* A report is as wide as its figures, often wider than the page: its
   * scroll bar stays in sight, so that the columns past the edge are seen
   * to be there. */
  gtk_scrolled_window_set_overlay_scrolling (
      GTK_SCROLLED_WINDOW (gtk_widget_get_parent (GTK_WIDGET (kc_table_page_get_view (page)))),
      FALSE);
  shorten_choices (self->report_combo, 20);
  for (gsize i = 0; i < G_N_ELEMENTS (reports); i++)
    gtk_combo_box_text_append (self->report_combo, reports[i].id, _ (reports[i].label));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->report_combo), "summary");
  gtk_spin_button_set_value (self->from_spin, year - 1);
  gtk_spin_button_set_value (self->to_spin, year);
  shorten_choices (self->group_combo, 14);
  for (gsize i = 0; i < G_N_ELEMENTS (groupings); i++)
    gtk_combo_box_text_append (self->group_combo, groupings[i].code, _ (groupings[i].label));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->group_combo), "province");
  shorten_choices (self->group2_combo, 14);
  for (gsize i = 0; i < G_N_ELEMENTS (groupings); i++)
    gtk_combo_box_text_append (self->group2_combo, groupings[i].code, _ (groupings[i].label));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->group2_combo), "none");
  shorten_choices (self->programme_combo, 30);
  gtk_spin_button_set_value (self->year_spin, year);
  shorten_choices (self->period_combo, 14);
  for (gsize i = 0; i < G_N_ELEMENTS (periods); i++)
    gtk_combo_box_text_append (self->period_combo, periods[i].code, _ (periods[i].label));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->period_combo), "year");
  shorten_choices (self->province_combo, 18);
  self->filling = FALSE;

  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (kc_table_page_get_view (page))),
                       _ ("Report"));

  show_parameters (self);
}

KcReportsPage *
kc_reports_page_new (KcSession *session)
{
  KcReportsPage *self = g_object_new (KC_TYPE_REPORTS_PAGE, NULL);
  KcTablePage *page = KC_TABLE_PAGE (self);

  kc_table_page_set_session (page, session);
  kc_table_page_refresh (page);
  return self;
}
