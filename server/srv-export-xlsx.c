/*
 * srv-export-xlsx.c — the report as an Excel workbook (libxlsxwriter).
 *
 * One sheet laid out as a Vietnamese administrative report: the issuer and
 * the national motto side by side, the place and date, the title, then the
 * table with its (one- or two-row) header frozen, filtered and repeated on
 * printed pages. Numbers stay numbers (the format only shows them grouped),
 * so the sheet can be summed and charted; the totals row holds the
 * report's values, not formulas, so every reader shows the same figures
 * without recalculating.
 *
 * libxlsxwriter 1.1 writes only to a named file: each call gets a private
 * temporary directory, which also keeps concurrent calls apart. Its one
 * process-wide state, gmtime ()'s buffer, is guarded by close_lock.
 */
#include "srv-export-private.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <math.h>
#include <xlsxwriter.h>

#define FONT_NAME "Times New Roman"
#define FONT_SIZE 12
#define MIN_WIDTH 6.0
#define MAX_WIDTH 45.0

/* Doubles hold integers exactly up to 2^53; past that a number cell would
 * silently change the amount, so such a value is written as text. */
#define EXACT_LIMIT 9007199254740992.0

typedef struct
{
  lxw_format *issuer_parent, *issuer_name, *nation, *motto, *date_line, *title, *subtitle;
  lxw_format *header;
  lxw_format *cell[SRV_EXPORT_N_TYPES];  /* by SrvExportType */
  lxw_format *total[SRV_EXPORT_N_TYPES]; /* the same, bold */
} Formats;

static lxw_format *
new_format (lxw_workbook *book)
{
  lxw_format *format = workbook_add_format (book);

  format_set_font_name (format, FONT_NAME);
  format_set_font_size (format, FONT_SIZE);
  return format;
}

static lxw_format *
heading_format (lxw_workbook *book, gboolean bold, gboolean italic, gboolean underline, double size)
{
  lxw_format *format = new_format (book);

  format_set_font_size (format, size);
  if (bold)
    format_set_bold (format);
  if (italic)
    format_set_italic (format);
  if (underline)
    format_set_underline (format, LXW_UNDERLINE_SINGLE);
  format_set_align (format, LXW_ALIGN_CENTER);
  format_set_align (format, LXW_ALIGN_VERTICAL_CENTER);
  format_set_text_wrap (format);
  return format;
}

static lxw_format *
table_format (lxw_workbook *book, SrvExportType type, gboolean bold)
{
  lxw_format *format = new_format (book);

  format_set_border (format, LXW_BORDER_THIN);
  format_set_align (format, LXW_ALIGN_VERTICAL_TOP);
  if (bold)
    format_set_bold (format);
  switch (type)
    {
      case SRV_EXPORT_TEXT:
        format_set_text_wrap (format);
        break;
      case SRV_EXPORT_INTEGER:
      case SRV_EXPORT_MONEY:
        /* "," is the grouping placeholder: Excel and LibreOffice show the
         * reader's separator, "." on a Vietnamese system. */
        format_set_num_format (format, "#,##0");
        break;
      case SRV_EXPORT_PERCENT:
        format_set_num_format (format, "0.0%");
        break;
      case SRV_EXPORT_DATE:
        format_set_num_format (format, "dd/mm/yyyy");
        format_set_align (format, LXW_ALIGN_CENTER);
        break;
      case SRV_EXPORT_YEAR:
        /* A number without grouping: 2025, not 2.025. */
        format_set_num_format (format, "0");
        format_set_align (format, LXW_ALIGN_CENTER);
        break;
      case SRV_EXPORT_N_TYPES:
        break;
    }
  return format;
}

static void
formats_init (Formats *f, lxw_workbook *book)
{
  f->issuer_parent = heading_format (book, FALSE, FALSE, FALSE, FONT_SIZE);
  f->issuer_name = heading_format (book, TRUE, FALSE, FALSE, FONT_SIZE);
  f->nation = heading_format (book, TRUE, FALSE, FALSE, FONT_SIZE);
  f->motto = heading_format (book, TRUE, FALSE, TRUE, FONT_SIZE + 1);
  f->date_line = heading_format (book, FALSE, TRUE, FALSE, FONT_SIZE + 1);
  f->title = heading_format (book, TRUE, FALSE, FALSE, FONT_SIZE + 2);
  f->subtitle = heading_format (book, FALSE, TRUE, FALSE, FONT_SIZE + 1);
  f->header = table_format (book, SRV_EXPORT_TEXT, TRUE);
  format_set_align (f->header, LXW_ALIGN_CENTER);
  format_set_align (f->header, LXW_ALIGN_VERTICAL_CENTER);
  format_set_pattern (f->header, LXW_PATTERN_SOLID);
  format_set_bg_color (f->header, 0xDDEBF7);
  for (int t = 0; t < SRV_EXPORT_N_TYPES; t++)
    {
      f->cell[t] = table_format (book, (SrvExportType)t, FALSE);
      f->total[t] = table_format (book, (SrvExportType)t, TRUE);
    }
}

/* Text over columns @first..@last of @row: merged when it spans more
 * than one (libxlsxwriter refuses a one-cell merge). */
static lxw_error
write_span (lxw_worksheet *sheet, lxw_row_t row, lxw_col_t first, lxw_col_t last, const char *text,
            lxw_format *format)
{
  if (first == last)
    return worksheet_write_string (sheet, row, first, text, format);
  return worksheet_merge_range (sheet, row, first, row, last, text, format);
}

/* Widths in Excel's units (characters of the default font), from the
 * longest text each column shows, within limits so that a long name wraps
 * instead of pushing the numbers off the page. */
static void
measure_columns (const SrvExportReport *report, double *widths)
{
  guint n_rows = json_array_get_length (report->rows);

  for (guint i = 0; i < report->n_columns; i++)
    {
      const SrvExportColumn *column = &report->columns[i];
      g_auto (GStrv) words = g_strsplit (column->label, " ", -1);
      double width = 0;

      /* A header may wrap between words, but wider than its longest word. */
      for (guint w = 0; words[w] != NULL; w++)
        width = MAX (width, g_utf8_strlen (words[w], -1));
      width = MAX (width, g_utf8_strlen (column->label, -1) / 2.0);
      for (guint r = 0; r <= n_rows; r++)
        {
          JsonObject *row
              = r < n_rows ? json_array_get_object_element (report->rows, r) : report->totals;
          SrvExportCell cell;

          if (row == NULL)
            continue;
          srv_export_report_cell (report, row, r == n_rows, i, &cell);
          g_autofree char *text = srv_export_cell_format_vn (column, &cell);
          width = MAX (width, g_utf8_strlen (text, -1));
        }
      widths[i] = CLAMP (width * 1.1 + 2, MIN_WIDTH, MAX_WIDTH);
    }
}

static lxw_error
write_cell (lxw_worksheet *sheet, lxw_row_t row, lxw_col_t col, const SrvExportColumn *column,
            const SrvExportCell *cell, lxw_format *format, lxw_format *text_format)
{
  switch (cell->kind)
    {
      case SRV_EXPORT_CELL_EMPTY:
        return worksheet_write_blank (sheet, row, col, format);
      case SRV_EXPORT_CELL_TEXT:
        return worksheet_write_string (sheet, row, col, cell->text, text_format);
      case SRV_EXPORT_CELL_DATE:
        {
          lxw_datetime when = {
            .year = g_date_get_year (&cell->date),
            .month = g_date_get_month (&cell->date),
            .day = g_date_get_day (&cell->date),
          };
          return worksheet_write_datetime (sheet, row, col, &when, format);
        }
      case SRV_EXPORT_CELL_INT:
      case SRV_EXPORT_CELL_NUMBER:
        break;
    }

  double value = cell->kind == SRV_EXPORT_CELL_INT ? (double)cell->integer : cell->number;
  if (fabs (value) > EXACT_LIMIT)
    {
      g_autofree char *text = srv_export_cell_format_vn (column, cell);
      return worksheet_write_string (sheet, row, col, text, text_format);
    }
  /* Percent columns hold 0–100; a spreadsheet's percent is a fraction. */
  if (column->type == SRV_EXPORT_PERCENT)
    value /= 100.0;
  return worksheet_write_number (sheet, row, col, value, format);
}

/* How many lines @text takes wrapped in a column @width characters wide
 * (Times New Roman runs about 0.8 of the width unit, a digit of the
 * default font, a character). An estimate: libxlsxwriter cannot measure
 * text, and LibreOffice keeps the heights a file gives instead of fitting
 * rows to wrapped text. */
static guint
estimate_lines (const char *text, double width)
{
  g_auto (GStrv) paragraphs = g_strsplit (text, "\n", -1);
  double per_line = MAX (width - 2, 1);
  guint lines = 0;

  for (guint i = 0; paragraphs[i] != NULL; i++)
    lines += MAX (1, (guint)ceil (g_utf8_strlen (paragraphs[i], -1) * 0.8 / per_line));
  return MAX (lines, 1);
}

static lxw_error
set_height (lxw_worksheet *sheet, lxw_row_t row, guint lines)
{
  /* Rows of one line keep the default height (and Excel its autofit). */
  if (lines <= 1)
    return LXW_NO_ERROR;
  return worksheet_set_row (sheet, row, lines * (FONT_SIZE * 1.3), NULL);
}

/* One data or totals row, its height fitted to its wrapped text. */
static lxw_error
write_line (lxw_worksheet *sheet, const SrvExportReport *report, lxw_row_t row, JsonObject *data,
            gboolean is_totals, lxw_format *const *formats, const double *widths)
{
  lxw_error err = LXW_NO_ERROR;
  guint lines = 1;

  for (guint i = 0; i < report->n_columns && err == LXW_NO_ERROR; i++)
    {
      const SrvExportColumn *column = &report->columns[i];
      SrvExportCell cell;

      srv_export_report_cell (report, data, is_totals, i, &cell);
      if (cell.kind == SRV_EXPORT_CELL_TEXT)
        lines = MAX (lines, estimate_lines (cell.text, widths[i]));
      err = write_cell (sheet, row, i, column, &cell, formats[column->type],
                        formats[SRV_EXPORT_TEXT]);
    }
  return err == LXW_NO_ERROR ? set_height (sheet, row, lines) : err;
}

static lxw_error
write_header (lxw_worksheet *sheet, const SrvExportReport *report, lxw_row_t top,
              lxw_format *format)
{
  lxw_error err = LXW_NO_ERROR;

  for (guint i = 0; i < report->n_columns && err == LXW_NO_ERROR; i++)
    {
      const SrvExportColumn *column = &report->columns[i];

      if (!report->has_groups)
        err = worksheet_write_string (sheet, top, i, column->label, format);
      else if (column->group == NULL)
        err = worksheet_merge_range (sheet, top, i, top + 1, i, column->label, format);
      else
        {
          guint last = i;
          while (last + 1 < report->n_columns && report->columns[last + 1].group != NULL
                 && g_str_equal (report->columns[last + 1].group, column->group))
            last++;
          err = write_span (sheet, top, i, last, column->group, format);
          for (guint j = i; j <= last && err == LXW_NO_ERROR; j++)
            err = worksheet_write_string (sheet, top + 1, j, report->columns[j].label, format);
          i = last;
        }
    }
  return err;
}

static lxw_error
write_sheet (lxw_worksheet *sheet, const SrvExportReport *report, const Formats *f)
{
  guint n = report->n_columns;
  lxw_col_t last = n - 1;
  g_autofree double *widths = g_new0 (double, n);
  lxw_error err = LXW_NO_ERROR;

  measure_columns (report, widths);
  for (guint i = 0; i < n && err == LXW_NO_ERROR; i++)
    err = worksheet_set_column (sheet, i, i, widths[i], NULL);

  /* The issuer takes about two fifths of the width, the motto the rest;
   * with one column they stack. */
  double total = 0, left = 0;
  for (guint i = 0; i < n; i++)
    total += widths[i];
  guint split = 0;
  while (split + 1 < n - 1 && left + widths[split] < total * 0.4)
    left += widths[split++];
  lxw_col_t right_first = n > 1 ? (lxw_col_t)(split + 1) : 0;
  lxw_row_t row = 0;

  g_autofree char *parent = srv_export_upper (report->issuer_parent);
  g_autofree char *name = srv_export_upper (report->issuer_name);
  g_autofree char *title = srv_export_upper (report->title);
  lxw_row_t motto_row = n > 1 ? 0 : 2;

  if (err == LXW_NO_ERROR && report->issuer_parent != NULL)
    err = write_span (sheet, row, 0, split, parent, f->issuer_parent);
  if (err == LXW_NO_ERROR && report->issuer_name != NULL)
    err = write_span (sheet, report->issuer_parent != NULL ? 1 : 0, 0, split, name, f->issuer_name);
  if (err == LXW_NO_ERROR)
    err = write_span (sheet, motto_row, right_first, last, SRV_EXPORT_NATION, f->nation);
  if (err == LXW_NO_ERROR)
    err = write_span (sheet, motto_row + 1, right_first, last, SRV_EXPORT_MOTTO, f->motto);
  row = motto_row + 2;
  if (err == LXW_NO_ERROR && report->date_line != NULL)
    err = write_span (sheet, row++, right_first, last, report->date_line, f->date_line);
  row++;
  if (err == LXW_NO_ERROR)
    err = write_span (sheet, row++, 0, last, title, f->title);
  if (err == LXW_NO_ERROR && report->subtitle != NULL)
    err = write_span (sheet, row++, 0, last, report->subtitle, f->subtitle);
  if (err == LXW_NO_ERROR && report->note != NULL)
    err = write_span (sheet, row++, 0, last, report->note, f->subtitle);
  row++;

  lxw_row_t header_top = row;
  lxw_row_t header_rows = report->has_groups ? 2 : 1;
  if (err == LXW_NO_ERROR)
    err = write_header (sheet, report, header_top, f->header);
  for (guint h = 0; h < header_rows && err == LXW_NO_ERROR; h++)
    {
      guint lines = 1;
      for (guint i = 0; i < n; i++)
        if (h + 1 == header_rows)
          lines = MAX (lines, estimate_lines (report->columns[i].label, widths[i]));
      err = set_height (sheet, header_top + h, lines);
    }
  row += header_rows;

  guint n_rows = json_array_get_length (report->rows);
  for (guint r = 0; r < n_rows && err == LXW_NO_ERROR; r++, row++)
    err = write_line (sheet, report, row, json_array_get_object_element (report->rows, r), FALSE,
                      f->cell, widths);
  lxw_row_t last_data = row - 1;
  if (report->totals != NULL && err == LXW_NO_ERROR)
    err = write_line (sheet, report, row++, report->totals, TRUE, f->total, widths);
  if (err != LXW_NO_ERROR)
    return err;

  /* The filter covers the data only: sorting must not move the totals. */
  lxw_row_t filter_row = header_top + header_rows - 1;
  err = worksheet_autofilter (sheet, filter_row, 0, MAX (last_data, filter_row), last);
  if (err != LXW_NO_ERROR)
    return err;
  worksheet_freeze_panes (sheet, header_top + header_rows, 0);
  worksheet_set_landscape (sheet);
  worksheet_set_paper (sheet, 9); /* A4 */
  worksheet_fit_to_pages (sheet, 1, 0);
  worksheet_set_footer (sheet, "&CTrang &P/&N");
  return worksheet_repeat_rows (sheet, header_top, header_top + header_rows - 1);
}

static gboolean
xlsx_error (GError **error, const char *what, lxw_error err)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "could not %s the workbook: %s", what,
               lxw_strerror (err));
  return FALSE;
}

static GMutex close_lock;

GBytes *
srv_export_render_xlsx (const SrvExportReport *report, GError **error)
{
  g_autofree char *dir = g_dir_make_tmp ("kc-export-XXXXXX", error);
  if (dir == NULL)
    return NULL;
  g_autofree char *path = g_build_filename (dir, "report.xlsx", NULL);
  lxw_workbook_options options = { .tmpdir = dir };
  lxw_workbook *book = workbook_new_opt (path, &options);
  GBytes *bytes = NULL;

  if (book == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "could not create the workbook in %s", dir);
  else
    {
      Formats formats;
      lxw_worksheet *sheet = workbook_add_worksheet (book, "Báo cáo");
      lxw_error err;

      g_autofree char *title = srv_export_upper (report->title);
      /* The data's time, not the clock's: the same report gives the same
       * bytes. */
      lxw_doc_properties properties = {
        .title = title,
        .subject = (char *)report->subtitle,
        .company = (char *)report->issuer_name,
        .author = "Khuyến Công",
        .created = (time_t)report->generated_unix,
      };
      workbook_set_properties (book, &properties);
      formats_init (&formats, book);
      err = sheet != NULL ? write_sheet (sheet, report, &formats) : LXW_ERROR_MEMORY_MALLOC_FAILED;
      if (err != LXW_NO_ERROR)
        xlsx_error (error, "fill", err);
      /* Always closed: that is what frees the workbook. Closing writes the
       * dates of the package through gmtime (), whose result is one static
       * buffer per process: one close at a time. */
      g_mutex_lock (&close_lock);
      lxw_error closed = workbook_close (book);
      g_mutex_unlock (&close_lock);
      if (err == LXW_NO_ERROR && closed != LXW_NO_ERROR)
        xlsx_error (error, "write", closed);
      else if (err == LXW_NO_ERROR)
        {
          char *contents = NULL;
          gsize length = 0;

          if (g_file_get_contents (path, &contents, &length, error))
            bytes = g_bytes_new_take (contents, length);
        }
    }
  g_unlink (path);
  g_rmdir (dir);
  return bytes;
}
