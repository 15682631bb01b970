/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-report-print.c — KcReportPrint (see its header).
 */
#include "kc-report-print.h"

#include <glib/gi18n.h>

/* Measured once in ::begin-print for the whole table: every page has the
 * same title, header row and column widths. */
typedef struct
{
  double font_size;
  double *widths; /* per column, in points */
  double title_height;
  double header_height;
  double row_height;
  double footer_height;
  int rows_per_page;
  int n_rows;
  int n_pages;
} PrintLayout;

struct _KcReportPrint
{
  GObject parent_instance;

  GtkListStore *store;
  int n_columns;
  GPtrArray *types;  /* of char * */
  GPtrArray *labels; /* of char * */
  char *title;
  char *subtitle;
  char *export_name; /* (nullable) the PDF's base name, when printing to a file */
  PrintLayout layout;

  GtkPrintOperation *operation; /* (nullable) while running */
  KcReportPrintDone done;
  gpointer done_data;
};

G_DEFINE_TYPE (KcReportPrint, kc_report_print, G_TYPE_OBJECT)

/* Helpers */

static void
set_font (PangoLayout *layout, double size, gboolean bold)
{
  g_autoptr (PangoFontDescription) font = pango_font_description_from_string ("Sans");

  pango_font_description_set_size (font, (int)(size * PANGO_SCALE));
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
}

static double
text_width (PangoLayout *layout, const char *text)
{
  int width, height;

  pango_layout_set_width (layout, -1);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_size (layout, &width, &height);
  return (double)width / PANGO_SCALE;
}

/* The header's height at these widths: labels wrap on up to three lines. */
static double
header_height (KcReportPrint *self, PangoLayout *layout, PrintLayout *pl)
{
  double height = 0;

  set_font (layout, pl->font_size, TRUE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  for (int c = 0; c < self->n_columns; c++)
    {
      int w, h;

      pango_layout_set_width (layout, (int)((pl->widths[c] - 4) * PANGO_SCALE));
      pango_layout_set_text (layout, g_ptr_array_index (self->labels, c), -1);
      pango_layout_get_size (layout, &w, &h);
      height = MAX (height, (double)h / PANGO_SCALE);
    }
  return height + 6;
}

static void
on_begin_print_cb (GtkPrintOperation *operation, GtkPrintContext *context, KcReportPrint *self)
{
  PrintLayout *pl = &self->layout;
  double width = gtk_print_context_get_width (context);
  double height = gtk_print_context_get_height (context);
  g_autoptr (PangoLayout) layout = gtk_print_context_create_pango_layout (context);
  GtkTreeModel *model = GTK_TREE_MODEL (self->store);
  double total = 0, extra, text_total = 0;
  g_autofree double *headers = NULL;
  GtkTreeIter iter;

  pl->n_rows = gtk_tree_model_iter_n_children (model, NULL);
  pl->font_size = 8;
  pl->widths = g_new0 (double, MAX (1, self->n_columns));

  /* Each column as wide as its widest cell, a header word at least; a text
   * column at most a third of the page (it is shortened with "…"). */
  headers = g_new0 (double, MAX (1, self->n_columns));
  for (int c = 0; c < self->n_columns; c++)
    {
      const char *label = g_ptr_array_index (self->labels, c);
      g_auto (GStrv) words = g_strsplit (label, " ", -1);

      set_font (layout, pl->font_size, TRUE);
      for (int w = 0; words[w] != NULL; w++)
        pl->widths[c] = MAX (pl->widths[c], text_width (layout, words[w]));
      headers[c] = text_width (layout, label) + 10;
      for (gboolean valid = gtk_tree_model_get_iter_first (model, &iter); valid;
           valid = gtk_tree_model_iter_next (model, &iter))
        {
          g_autofree char *text = NULL;
          int weight = PANGO_WEIGHT_NORMAL;

          gtk_tree_model_get (model, &iter, c, &text, self->n_columns, &weight, -1);
          set_font (layout, pl->font_size, weight >= PANGO_WEIGHT_BOLD);
          pl->widths[c] = MAX (pl->widths[c], text_width (layout, text != NULL ? text : ""));
        }
      pl->widths[c] += 10;
      if (!kc_report_column_is_numeric (g_ptr_array_index (self->types, c)))
        pl->widths[c] = MIN (pl->widths[c], width / 3);
      total += pl->widths[c];
    }

  /* Too wide: a smaller font (down to 5 pt) and narrower columns. Room to
   * spare goes first to headers that would wrap, then to the text columns. */
  if (total > width)
    {
      pl->font_size = MAX (5, pl->font_size * width / total);
      for (int c = 0; c < self->n_columns; c++)
        pl->widths[c] *= width / total;
    }
  else
    {
      double wanted = 0;

      for (int c = 0; c < self->n_columns; c++)
        wanted += MAX (0, headers[c] - pl->widths[c]);
      extra = width - total;
      for (int c = 0; c < self->n_columns && wanted > 0; c++)
        {
          double grow = MAX (0, headers[c] - pl->widths[c]) * MIN (1, extra / wanted);

          pl->widths[c] += grow;
          total += grow;
        }
      for (int c = 0; c < self->n_columns; c++)
        if (!kc_report_column_is_numeric (g_ptr_array_index (self->types, c)))
          text_total += pl->widths[c];
      extra = width - total;
      for (int c = 0; c < self->n_columns; c++)
        if (text_total > 0 && !kc_report_column_is_numeric (g_ptr_array_index (self->types, c)))
          pl->widths[c] += extra * pl->widths[c] / text_total;
    }

  pl->title_height = 2.2 * 12 + (self->subtitle != NULL && *self->subtitle ? 2 * 9 : 0) + 6;
  pl->header_height = header_height (self, layout, pl);
  pl->row_height = pl->font_size * 1.6 + 2;
  pl->footer_height = 2 * 9;
  pl->rows_per_page
      = MAX (1, (int)((height - pl->title_height - pl->header_height - pl->footer_height)
                      / pl->row_height));
  pl->n_pages = MAX (1, (pl->n_rows + pl->rows_per_page - 1) / pl->rows_per_page);
  gtk_print_operation_set_n_pages (operation, pl->n_pages);
}

static void
print_text (cairo_t *cr, PangoLayout *layout, const char *text, double x, double y, double width,
            PangoAlignment alignment, gboolean wrap)
{
  pango_layout_set_width (layout, (int)(MAX (1, width - 4) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, wrap ? PANGO_ELLIPSIZE_NONE : PANGO_ELLIPSIZE_END);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, alignment);
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, x + 2, y);
  pango_cairo_show_layout (cr, layout);
}

static void
on_draw_page_cb (GtkPrintOperation *operation, GtkPrintContext *context, int page_nr,
                 KcReportPrint *self)
{
  PrintLayout *pl = &self->layout;
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  double height = gtk_print_context_get_height (context);
  g_autoptr (PangoLayout) layout = gtk_print_context_create_pango_layout (context);
  g_autofree char *page_text = NULL;
  GtkTreeModel *model = GTK_TREE_MODEL (self->store);
  double y = 0, x, table_top;
  GtkTreeIter iter;
  gboolean valid;

  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 0.5);

  /* The title on every page, so that a loose sheet says what it is. */
  set_font (layout, 12, TRUE);
  print_text (cr, layout, self->title, 0, y, width, PANGO_ALIGN_CENTER, FALSE);
  y += 2.2 * 12;
  if (self->subtitle != NULL && *self->subtitle)
    {
      set_font (layout, 9, FALSE);
      print_text (cr, layout, self->subtitle, 0, y, width, PANGO_ALIGN_CENTER, FALSE);
    }
  y = table_top = pl->title_height;

  /* The header row, repeated on every page, shaded. */
  cairo_set_source_rgb (cr, 0.9, 0.9, 0.9);
  cairo_rectangle (cr, 0, y, width, pl->header_height);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  set_font (layout, pl->font_size, TRUE);
  x = 0;
  for (int c = 0; c < self->n_columns; c++)
    {
      print_text (cr, layout, g_ptr_array_index (self->labels, c), x, y + 3, pl->widths[c],
                  PANGO_ALIGN_CENTER, TRUE);
      x += pl->widths[c];
    }
  y += pl->header_height;

  valid = gtk_tree_model_iter_nth_child (model, &iter, NULL, page_nr * pl->rows_per_page);
  for (int r = 0; valid && r < pl->rows_per_page; r++)
    {
      int weight = PANGO_WEIGHT_NORMAL;

      gtk_tree_model_get (model, &iter, self->n_columns, &weight, -1);
      set_font (layout, pl->font_size, weight >= PANGO_WEIGHT_BOLD);
      x = 0;
      for (int c = 0; c < self->n_columns; c++)
        {
          g_autofree char *text = NULL;

          gtk_tree_model_get (model, &iter, c, &text, -1);
          print_text (cr, layout, text != NULL ? text : "", x, y + 1, pl->widths[c],
                      kc_report_column_is_numeric (g_ptr_array_index (self->types, c))
                          ? PANGO_ALIGN_RIGHT
                          : PANGO_ALIGN_LEFT,
                      FALSE);
          x += pl->widths[c];
        }
      y += pl->row_height;
      cairo_move_to (cr, 0, y);
      cairo_line_to (cr, width, y);
      cairo_stroke (cr);
      valid = gtk_tree_model_iter_next (model, &iter);
    }

  /* The grid: the frame and the column rules. */
  cairo_rectangle (cr, 0, table_top, width, y - table_top);
  x = 0;
  for (int c = 0; c + 1 < self->n_columns; c++)
    {
      x += pl->widths[c];
      cairo_move_to (cr, x, table_top);
      cairo_line_to (cr, x, y);
    }
  cairo_move_to (cr, 0, table_top + pl->header_height);
  cairo_line_to (cr, width, table_top + pl->header_height);
  cairo_stroke (cr);

  set_font (layout, 8, FALSE);
  page_text = g_strdup_printf (_ ("Page %d of %d"), page_nr + 1, pl->n_pages);
  print_text (cr, layout, page_text, 0, height - 10, width, PANGO_ALIGN_CENTER, FALSE);
}

/* The end: says it once, then lets go of the operation. */
static void
finish (KcReportPrint *self, const GError *error, const char *text)
{
  KcReportPrintDone done = self->done;
  gpointer data = self->done_data;

  self->done = NULL;
  if (self->operation != NULL)
    g_signal_handlers_disconnect_by_data (self->operation, self);
  /* Last: the callback may drop the last reference to self. */
  if (done != NULL)
    done (self, error, text, data);
}

static void
on_done_cb (GtkPrintOperation *operation, GtkPrintOperationResult result, KcReportPrint *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    gtk_print_operation_get_error (operation, &error);
  else if (result == GTK_PRINT_OPERATION_RESULT_APPLY)
    text = self->export_name != NULL ? g_strdup_printf (_ ("Printed to %s"), self->export_name)
                                     : g_strdup (_ ("Sent to the printer"));
  finish (self, error, text);
}

/* GObject overrides */

static void
kc_report_print_finalize (GObject *object)
{
  KcReportPrint *self = KC_REPORT_PRINT (object);

  if (self->operation != NULL)
    g_signal_handlers_disconnect_by_data (self->operation, self);
  g_clear_object (&self->operation);
  g_clear_object (&self->store);
  g_ptr_array_unref (self->types);
  g_ptr_array_unref (self->labels);
  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->export_name);
  g_free (self->layout.widths);
  G_OBJECT_CLASS (kc_report_print_parent_class)->finalize (object);
}

static void
kc_report_print_class_init (KcReportPrintClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kc_report_print_finalize;
}

static void
kc_report_print_init (KcReportPrint *self)
{
  self->types = g_ptr_array_new_with_free_func (g_free);
  self->labels = g_ptr_array_new_with_free_func (g_free);
}

/* Public API */

KcReportPrint *
kc_report_print_new (GtkListStore *store, int n_columns, GPtrArray *column_types,
                     GPtrArray *column_labels, const char *title, const char *subtitle)
{
  KcReportPrint *self = g_object_new (KC_TYPE_REPORT_PRINT, NULL);

  self->store = g_object_ref (store);
  self->n_columns = n_columns;
  for (guint i = 0; i < column_types->len; i++)
    g_ptr_array_add (self->types, g_strdup (g_ptr_array_index (column_types, i)));
  for (guint i = 0; i < column_labels->len; i++)
    g_ptr_array_add (self->labels, g_strdup (g_ptr_array_index (column_labels, i)));
  self->title = g_strdup (title != NULL ? title : "");
  self->subtitle = g_strdup (subtitle);
  return self;
}

void
kc_report_print_run (KcReportPrint *self, GtkWindow *parent, const char *to_file,
                     KcReportPrintDone done, gpointer data)
{
  g_autoptr (GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr (GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  g_autoptr (GError) error = NULL;
  GtkPrintOperationAction action = GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG;
  GtkPrintOperation *operation;

  g_return_if_fail (KC_IS_REPORT_PRINT (self));
  g_return_if_fail (self->operation == NULL);

  /* Held until the end here: ::done may come (and its callback drop the
   * caller's reference) before gtk_print_operation_run() returns. */
  g_object_ref (self);
  self->done = done;
  self->done_data = data;
  operation = self->operation = gtk_print_operation_new ();
  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_LANDSCAPE);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (operation, self->title);
  /* No nested main loop: the dialog answers through ::done. */
  gtk_print_operation_set_allow_async (operation, TRUE);
  if (to_file != NULL && *to_file != '\0')
    {
      action = GTK_PRINT_OPERATION_ACTION_EXPORT;
      gtk_print_operation_set_export_filename (operation, to_file);
      self->export_name = g_path_get_basename (to_file);
    }
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print_cb), self);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page_cb), self);
  g_signal_connect (operation, "done", G_CALLBACK (on_done_cb), self);
  /* ::done may have come already (a file): then done is NULL and this is a
   * refusal before it began, which no ::done follows. */
  if (gtk_print_operation_run (operation, action, parent, &error)
          == GTK_PRINT_OPERATION_RESULT_ERROR
      && self->done != NULL)
    finish (self, error, NULL);
  g_object_unref (self);
}

void
kc_report_print_cancel (KcReportPrint *self)
{
  g_return_if_fail (KC_IS_REPORT_PRINT (self));

  self->done = NULL;
  if (self->operation != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->operation, self);
      gtk_print_operation_cancel (self->operation);
    }
}

gboolean
kc_report_column_is_numeric (const char *type)
{
  return g_strcmp0 (type, "money") == 0 || g_strcmp0 (type, "integer") == 0
         || g_strcmp0 (type, "percent") == 0 || g_strcmp0 (type, "year") == 0;
}
