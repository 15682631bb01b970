/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-reports-page.c — KcReportsPage: report.summary, report.export.
 */
#include "kc-reports-page.h"

#include <glib/gi18n.h>
#include <math.h>

#include "kc-date.h"
#include "kc-money.h"

/* The bars: what was planned and what was paid, in tỷ đồng. */
#define CHART_HEIGHT 260

struct _KcReportsPage
{
  KcTablePage parent_instance;

  GtkSpinButton *from_spin;
  GtkSpinButton *to_spin;
  GtkComboBoxText *group_combo;
  GtkWidget *export_button;
  GtkWidget *print_button;
  GtkWidget *cancel_button;
  GtkDrawingArea *chart;

  GtkListStore *store;
  int n_columns;           /* text columns of the store; one more holds the weight */
  GPtrArray *column_types; /* the result's column types, for printing alignment */
  GPtrArray *column_labels;
  char *title;
  char *file_stem;
  JsonNode *params; /* of the table shown, for the export */

  GPtrArray *bar_labels;
  GArray *bar_planned;
  GArray *bar_paid;

  GtkFileChooserNative *chooser;
  GCancellable *export_cancellable;
  GFile *export_file;
};

G_DEFINE_TYPE (KcReportsPage, kc_reports_page, KC_TYPE_TABLE_PAGE)

static const struct
{
  const char *code;
  const char *label;
} groupings[] = {
  { "province", N_ ("By province") },
  { "category", N_ ("By category") },
  { "year", N_ ("By year") },
};

static gboolean
is_numeric_type (const char *type)
{
  return g_strcmp0 (type, "money") == 0 || g_strcmp0 (type, "integer") == 0
         || g_strcmp0 (type, "percent") == 0;
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
      return g_strdup (text);
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
    return g_strdup_printf ("%g", json_node_get_double (node));
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
  g_ptr_array_set_size (self->bar_labels, 0);
  g_array_set_size (self->bar_planned, 0);
  g_array_set_size (self->bar_paid, 0);
  gtk_widget_set_sensitive (self->export_button, FALSE);
  gtk_widget_set_sensitive (self->print_button, FALSE);
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
}

static void
fill_row (KcReportsPage *self, JsonArray *columns, JsonObject *row, const char *first, int weight)
{
  GtkTreeIter iter;

  gtk_list_store_append (self->store, &iter);
  for (int c = 0; c < self->n_columns; c++)
    {
      JsonObject *column = json_array_get_object_element (columns, c);
      g_autofree char *text
          = cell_text (row, json_object_get_string_member_with_default (column, "key", ""),
                       json_object_get_string_member_with_default (column, "type", "text"));

      if (c == 0 && first != NULL)
        gtk_list_store_set (self->store, &iter, c, first, -1);
      else
        gtk_list_store_set (self->store, &iter, c, text, -1);
    }
  gtk_list_store_set (self->store, &iter, self->n_columns, weight, -1);
}

static void
show_result (KcReportsPage *self, JsonObject *result)
{
  KcTablePage *page = KC_TABLE_PAGE (self);
  GtkTreeView *view = kc_table_page_get_view (page);
  JsonArray *columns = json_object_get_array_member (result, "columns");
  JsonArray *rows = json_object_get_array_member (result, "rows");
  JsonObject *totals = json_object_get_object_member (result, "totals");
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

      g_object_set (renderer, "xalign", is_numeric_type (type) ? 1.0 : 0.0, NULL);
      gtk_tree_view_column_set_resizable (col, TRUE);
      gtk_tree_view_column_set_expand (col, c == 0);
      gtk_tree_view_append_column (view, col);
      g_ptr_array_add (self->column_types, g_strdup (type));
      g_ptr_array_add (self->column_labels, g_strdup (label));
    }

  for (guint i = 0; i < n_rows; i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      JsonObject *first = json_array_get_object_element (columns, 0);
      g_autofree char *label
          = cell_text (row, json_object_get_string_member_with_default (first, "key", ""), "text");
      gint64 planned = json_object_get_int_member_with_default (row, "planned", 0);
      gint64 paid = json_object_get_int_member_with_default (row, "paid", 0);

      fill_row (self, columns, row, NULL, PANGO_WEIGHT_NORMAL);
      g_ptr_array_add (self->bar_labels, g_steal_pointer (&label));
      g_array_append_val (self->bar_planned, planned);
      g_array_append_val (self->bar_paid, paid);
    }
  if (totals != NULL)
    fill_row (self, columns, totals, _ ("Total"), PANGO_WEIGHT_BOLD);
  gtk_tree_view_set_model (view, GTK_TREE_MODEL (self->store));

  g_free (self->title);
  self->title = g_strdup (json_object_get_string_member_with_default (result, "title", ""));
  g_free (self->file_stem);
  self->file_stem
      = g_strdup (json_object_get_string_member_with_default (result, "file_stem", "bao-cao"));
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d row", "%d rows", (int)n_rows),
                           (int)n_rows);
  kc_table_page_set_count (page, count);
  gtk_widget_set_sensitive (self->export_button, TRUE);
  gtk_widget_set_sensitive (self->print_button, TRUE);
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
}

static void
summary_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcReportsPage *self = user_data;
  KcTablePage *page = KC_TABLE_PAGE (self);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  kc_table_page_set_busy (page, FALSE);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL)
        kc_table_page_show_error (page, error, data);
      return;
    }
  show_result (self, json_node_get_object (reply));
}

static void
kc_reports_page_refresh (KcTablePage *page)
{
  KcReportsPage *self = KC_REPORTS_PAGE (page);
  g_autoptr (JsonObject) params = json_object_new ();
  JsonArray *group_by = json_array_new ();
  const char *group = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->group_combo));
  int from = gtk_spin_button_get_value_as_int (self->from_spin);
  int to = gtk_spin_button_get_value_as_int (self->to_spin);

  clear_table (self);
  json_object_set_int_member (params, "from_year", MIN (from, to));
  json_object_set_int_member (params, "to_year", MAX (from, to));
  json_array_add_string_element (group_by, group != NULL ? group : "province");
  json_object_set_array_member (params, "group_by", group_by);
  g_clear_pointer (&self->params, json_node_unref);
  self->params = json_node_init_object (json_node_alloc (), params);
  kc_table_page_set_busy (page, TRUE);
  kc_session_call_async (kc_table_page_get_session (page), "report.summary", self->params,
                         kc_table_page_get_cancellable (page), summary_done_cb, self);
}

static void
kc_reports_page_event (KcTablePage *page, const char *topic, JsonNode *params)
{
  /* The figures are recounted when an allocation or a payment is committed. */
  if (g_str_equal (topic, "allocation") || g_str_equal (topic, "payment"))
    kc_table_page_refresh (page);
}

/* The chart --------------------------------------------------------------- */

static double
nice_step (double max)
{
  double raw = max / 5, magnitude = pow (10, floor (log10 (raw))), residual = raw / magnitude;

  if (residual > 5)
    return 10 * magnitude;
  if (residual > 2)
    return 5 * magnitude;
  if (residual > 1)
    return 2 * magnitude;
  return magnitude;
}

static char *
billions_text (double value)
{
  g_autofree char *text = g_strdup_printf ("%.10g", value);

  g_strdelimit (text, ".", ',');
  return g_steal_pointer (&text);
}

static void
draw_text (cairo_t *cr, PangoLayout *layout, const char *text, double x, double y, double xalign)
{
  int width, height;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, x - xalign * width, y - height / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static gboolean
on_chart_draw_cb (GtkWidget *widget, cairo_t *cr, KcReportsPage *self)
{
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  int width = gtk_widget_get_allocated_width (widget);
  int height = gtk_widget_get_allocated_height (widget);
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  guint n = self->bar_labels->len;
  double left = 70, right = 16, top = 28, bottom = 70, max = 0, step, plot_w, plot_h, slot;
  GdkRGBA fg;

  gtk_render_background (style, cr, 0, 0, width, height);
  gtk_style_context_get_color (style, gtk_style_context_get_state (style), &fg);
  gdk_cairo_set_source_rgba (cr, &fg);
  if (n == 0)
    {
      draw_text (cr, layout, _ ("No figures for these years"), width / 2.0, height / 2.0, 0.5);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    max = MAX (max, MAX (g_array_index (self->bar_planned, gint64, i),
                         g_array_index (self->bar_paid, gint64, i))
                        / 1e9);
  if (max <= 0)
    max = 1;
  step = nice_step (max);
  max = ceil (max / step) * step;
  plot_w = width - left - right;
  plot_h = height - top - bottom;
  slot = plot_w / n;

  /* Axis title, gridlines and their values in tỷ đồng. */
  draw_text (cr, layout, _ ("billion đồng"), 8, 10, 0);
  cairo_set_line_width (cr, 1);
  for (double v = 0; v <= max + step / 2; v += step)
    {
      double y = top + plot_h - v / max * plot_h;
      g_autofree char *text = billions_text (v);

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.15);
      cairo_move_to (cr, left, floor (y) + 0.5);
      cairo_line_to (cr, left + plot_w, floor (y) + 0.5);
      cairo_stroke (cr);
      gdk_cairo_set_source_rgba (cr, &fg);
      draw_text (cr, layout, text, left - 6, y, 1);
    }

  for (guint i = 0; i < n; i++)
    {
      /* Two bars side by side in the middle of their slot, never wider than 40 px. */
      double x = left + i * slot, bar = CLAMP (slot * 0.35, 1, 40), start = x + slot / 2 - bar;
      double planned = g_array_index (self->bar_planned, gint64, i) / 1e9 / max * plot_h;
      double paid = g_array_index (self->bar_paid, gint64, i) / 1e9 / max * plot_h;

      cairo_set_source_rgb (cr, 0.20, 0.40, 0.70);
      cairo_rectangle (cr, start, top + plot_h - planned, bar, planned);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.90, 0.55, 0.15);
      cairo_rectangle (cr, start + bar, top + plot_h - paid, bar, paid);
      cairo_fill (cr);

      /* Province names are long: slanted under their bars, shortened to fit. */
      gdk_cairo_set_source_rgba (cr, &fg);
      cairo_save (cr);
      cairo_move_to (cr, x + slot / 2, top + plot_h + 6);
      cairo_rotate (cr, n > 8 ? G_PI / 4 : 0);
      pango_layout_set_width (layout, (n > 8 ? 90 : (int)slot - 4) * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_alignment (layout, n > 8 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER);
      pango_layout_set_text (layout, g_ptr_array_index (self->bar_labels, i), -1);
      if (n <= 8)
        cairo_rel_move_to (cr, -(slot - 4) / 2, 0);
      pango_cairo_show_layout (cr, layout);
      cairo_restore (cr);
      pango_layout_set_width (layout, -1);
    }

  /* The legend, top right. */
  pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
  cairo_set_source_rgb (cr, 0.20, 0.40, 0.70);
  cairo_rectangle (cr, width - 260, 4, 12, 12);
  cairo_fill (cr);
  gdk_cairo_set_source_rgba (cr, &fg);
  draw_text (cr, layout, _ ("Planned"), width - 244, 10, 0);
  cairo_set_source_rgb (cr, 0.90, 0.55, 0.15);
  cairo_rectangle (cr, width - 140, 4, 12, 12);
  cairo_fill (cr);
  gdk_cairo_set_source_rgba (cr, &fg);
  draw_text (cr, layout, _ ("Disbursed"), width - 124, 10, 0);
  return FALSE;
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

  json_object_set_string_member (params, "report", "summary");
  json_object_set_member (params, "params", json_node_copy (self->params));
  json_object_set_string_member (params, "format", format);
  node = json_node_init_object (json_node_alloc (), params);
  g_set_object (&self->export_file, file);
  g_clear_object (&self->export_cancellable);
  self->export_cancellable = g_cancellable_new ();
  set_exporting (self, TRUE);
  kc_session_call_async (kc_table_page_get_session (KC_TABLE_PAGE (self)), "report.export", node,
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

/* Printing ---------------------------------------------------------------- */

typedef struct
{
  double row_height;
  int rows_per_page;
  int n_rows;
} PrintLayout;

static void
on_begin_print_cb (GtkPrintOperation *operation, GtkPrintContext *context, KcReportsPage *self)
{
  PrintLayout *layout = g_object_get_data (G_OBJECT (operation), "kc-layout");
  double height = gtk_print_context_get_height (context);

  layout->n_rows = gtk_tree_model_iter_n_children (GTK_TREE_MODEL (self->store), NULL);
  layout->row_height = 14;
  /* Title and header on every page. */
  layout->rows_per_page
      = MAX (1, (int)((height - 3 * layout->row_height - 12) / layout->row_height));
  gtk_print_operation_set_n_pages (
      operation, MAX (1, (layout->n_rows + layout->rows_per_page - 1) / layout->rows_per_page));
}

static void
print_cell (cairo_t *cr, PangoLayout *layout, const char *text, double x, double y, double width,
            gboolean right)
{
  pango_layout_set_width (layout, (int)((width - 6) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, x + 3, y + 1);
  pango_cairo_show_layout (cr, layout);
}

static void
on_draw_page_cb (GtkPrintOperation *operation, GtkPrintContext *context, int page_nr,
                 KcReportsPage *self)
{
  PrintLayout *pl = g_object_get_data (G_OBJECT (operation), "kc-layout");
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  g_autoptr (PangoLayout) layout = gtk_print_context_create_pango_layout (context);
  g_autoptr (PangoFontDescription) font = pango_font_description_from_string ("Sans 8");
  g_autoptr (PangoFontDescription) bold = pango_font_description_from_string ("Sans Bold 8");
  g_autofree char *page_text = NULL;
  double first_width = width * 0.24, other_width, y = 0;
  GtkTreeIter iter;
  gboolean valid;

  other_width = self->n_columns > 1 ? (width - first_width) / (self->n_columns - 1) : 0;
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 0.5);

  pango_layout_set_font_description (layout, bold);
  print_cell (cr, layout, self->title, 0, y, width * 0.8, FALSE);
  pango_layout_set_font_description (layout, font);
  page_text = g_strdup_printf (_ ("Page %d of %d"), page_nr + 1,
                               MAX (1, (pl->n_rows + pl->rows_per_page - 1) / pl->rows_per_page));
  print_cell (cr, layout, page_text, width * 0.8, y, width * 0.2, TRUE);
  y += 2 * pl->row_height;

  /* The header row, repeated on every page. */
  pango_layout_set_font_description (layout, bold);
  for (int c = 0; c < self->n_columns; c++)
    {
      double x = c == 0 ? 0 : first_width + (c - 1) * other_width;

      print_cell (cr, layout, g_ptr_array_index (self->column_labels, c), x, y,
                  c == 0 ? first_width : other_width, c > 0);
    }
  y += pl->row_height;
  cairo_move_to (cr, 0, y);
  cairo_line_to (cr, width, y);
  cairo_stroke (cr);

  valid = gtk_tree_model_iter_nth_child (GTK_TREE_MODEL (self->store), &iter, NULL,
                                         page_nr * pl->rows_per_page);
  for (int r = 0; valid && r < pl->rows_per_page; r++)
    {
      int weight = PANGO_WEIGHT_NORMAL;

      gtk_tree_model_get (GTK_TREE_MODEL (self->store), &iter, self->n_columns, &weight, -1);
      pango_layout_set_font_description (layout, weight >= PANGO_WEIGHT_BOLD ? bold : font);
      for (int c = 0; c < self->n_columns; c++)
        {
          g_autofree char *text = NULL;
          double x = c == 0 ? 0 : first_width + (c - 1) * other_width;

          gtk_tree_model_get (GTK_TREE_MODEL (self->store), &iter, c, &text, -1);
          print_cell (cr, layout, text != NULL ? text : "", x, y,
                      c == 0 ? first_width : other_width,
                      is_numeric_type (g_ptr_array_index (self->column_types, c)));
        }
      y += pl->row_height;
      valid = gtk_tree_model_iter_next (GTK_TREE_MODEL (self->store), &iter);
    }
}

static void
on_print_done_cb (GtkPrintOperation *operation, GtkPrintOperationResult result, KcReportsPage *self)
{
  g_autoptr (GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      kc_table_page_show_error (KC_TABLE_PAGE (self), error, NULL);
    }
  g_object_unref (operation);
}

static void
on_print_clicked_cb (KcReportsPage *self)
{
  GtkPrintOperation *operation;
  g_autoptr (GtkPageSetup) setup = NULL;
  g_autoptr (GtkPaperSize) a4 = NULL;
  g_autoptr (GError) error = NULL;
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self)));

  if (self->store == NULL)
    return;
  operation = gtk_print_operation_new ();
  setup = gtk_page_setup_new ();
  a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_LANDSCAPE);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (operation, self->title);
  /* No nested main loop: the dialog answers through ::done. */
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_object_set_data_full (G_OBJECT (operation), "kc-layout", g_new0 (PrintLayout, 1), g_free);
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print_cb), self);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page_cb), self);
  g_signal_connect (operation, "done", G_CALLBACK (on_print_done_cb), self);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent, &error)
      == GTK_PRINT_OPERATION_RESULT_ERROR)
    kc_table_page_show_error (KC_TABLE_PAGE (self), error, NULL);
}

/* ------------------------------------------------------------------------- */

static void
on_choice_changed_cb (KcReportsPage *self)
{
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
  g_ptr_array_unref (self->bar_labels);
  g_array_unref (self->bar_planned);
  g_array_unref (self->bar_paid);
  g_free (self->title);
  g_free (self->file_stem);
  G_OBJECT_CLASS (kc_reports_page_parent_class)->finalize (object);
}

static void
kc_reports_page_class_init (KcReportsPageClass *klass)
{
  KcTablePageClass *page_class = KC_TABLE_PAGE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = kc_reports_page_dispose;
  G_OBJECT_CLASS (klass)->finalize = kc_reports_page_finalize;
  page_class->refresh = kc_reports_page_refresh;
  page_class->event = kc_reports_page_event;
}

static GtkSpinButton *
add_year (KcReportsPage *self, const char *mnemonic, const char *name, int year, int position)
{
  GtkBox *toolbar = kc_table_page_get_toolbar (KC_TABLE_PAGE (self));
  GtkWidget *label = gtk_label_new_with_mnemonic (mnemonic);
  GtkWidget *spin = gtk_spin_button_new_with_range (2014, 2100, 1);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), year);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), spin);
  atk_object_set_name (gtk_widget_get_accessible (spin), name);
  gtk_box_pack_start (toolbar, label, FALSE, FALSE, 0);
  gtk_box_pack_start (toolbar, spin, FALSE, FALSE, 0);
  gtk_box_reorder_child (toolbar, label, position);
  gtk_box_reorder_child (toolbar, spin, position + 1);
  gtk_widget_show (label);
  gtk_widget_show (spin);
  g_signal_connect_swapped (spin, "value-changed", G_CALLBACK (on_choice_changed_cb), self);
  return GTK_SPIN_BUTTON (spin);
}

static void
kc_reports_page_init (KcReportsPage *self)
{
  KcTablePage *page = KC_TABLE_PAGE (self);
  GtkBox *toolbar = kc_table_page_get_toolbar (page);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  int year = g_date_time_get_year (now);
  GtkWidget *combo = gtk_combo_box_text_new ();
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *chart = gtk_drawing_area_new ();

  self->column_types = g_ptr_array_new_with_free_func (g_free);
  self->column_labels = g_ptr_array_new_with_free_func (g_free);
  self->bar_labels = g_ptr_array_new_with_free_func (g_free);
  self->bar_planned = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->bar_paid = g_array_new (FALSE, FALSE, sizeof (gint64));

  self->from_spin = add_year (self, _ ("_From"), _ ("From year"), year - 1, 0);
  self->to_spin = add_year (self, _ ("_To"), _ ("To year"), year, 2);
  for (gsize i = 0; i < G_N_ELEMENTS (groupings); i++)
    gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (combo), groupings[i].code,
                               _ (groupings[i].label));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (combo), "province");
  atk_object_set_name (gtk_widget_get_accessible (combo), _ ("Grouping"));
  gtk_box_pack_start (toolbar, combo, FALSE, FALSE, 0);
  gtk_box_reorder_child (toolbar, combo, 4);
  gtk_widget_show (combo);
  self->group_combo = GTK_COMBO_BOX_TEXT (combo);
  g_signal_connect_swapped (combo, "changed", G_CALLBACK (on_choice_changed_cb), self);

  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (kc_table_page_get_view (page))),
                       _ ("Report"));

  gtk_widget_set_size_request (chart, -1, CHART_HEIGHT);
  atk_object_set_name (gtk_widget_get_accessible (chart), _ ("Chart"));
  g_signal_connect (chart, "draw", G_CALLBACK (on_chart_draw_cb), self);
  gtk_container_add (GTK_CONTAINER (frame), chart);
  gtk_box_pack_end (GTK_BOX (self), frame, FALSE, FALSE, 0);
  gtk_widget_show_all (frame);
  self->chart = GTK_DRAWING_AREA (chart);
}

KcReportsPage *
kc_reports_page_new (KcSession *session)
{
  KcReportsPage *self = g_object_new (KC_TYPE_REPORTS_PAGE, NULL);
  KcTablePage *page = KC_TABLE_PAGE (self);

  kc_table_page_set_session (page, session);
  self->export_button
      = kc_table_page_add_button (page, _ ("E_xport…"), _ ("Save the report as xlsx, CSV or PDF"),
                                  G_CALLBACK (on_export_clicked_cb), self);
  self->print_button = kc_table_page_add_button (page, _ ("_Print…"), _ ("Print the table"),
                                                 G_CALLBACK (on_print_clicked_cb), self);
  self->cancel_button
      = kc_table_page_add_button (page, _ ("_Cancel export"), _ ("Abandon the export in progress"),
                                  G_CALLBACK (on_cancel_clicked_cb), self);
  gtk_widget_hide (self->cancel_button);
  kc_table_page_refresh (page);
  return self;
}
