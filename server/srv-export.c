/*
 * srv-export.c — report → file: reads and checks the report once, keeps the
 * CSV renderer, and hands xlsx and PDF to srv-export-xlsx.c and
 * srv-export-pdf.c.
 */
#include "srv-export-private.h"

#include "kc-csv.h"
#include "kc-date.h"
#include "kc-error.h"
#include "kc-money.h"

#include <gio/gio.h>
#include <math.h>

gboolean
srv_export_format_parse (const char *name, SrvExportFormat *format)
{
  static const char *const names[] = { "csv", "xlsx", "pdf", "docx", "odt" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (name, names[i]) == 0)
      {
        *format = (SrvExportFormat)i;
        return TRUE;
      }
  return FALSE;
}

const char *
srv_export_mime_type (SrvExportFormat format)
{
  switch (format)
    {
      case SRV_EXPORT_CSV:
        return "text/csv; charset=utf-8";
      case SRV_EXPORT_XLSX:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
      case SRV_EXPORT_PDF:
        return "application/pdf";
      case SRV_EXPORT_DOCX:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
      case SRV_EXPORT_ODT:
        return "application/vnd.oasis.opendocument.text";
    }
  g_assert_not_reached ();
}

const char *
srv_export_extension (SrvExportFormat format)
{
  switch (format)
    {
      case SRV_EXPORT_CSV:
        return "csv";
      case SRV_EXPORT_XLSX:
        return "xlsx";
      case SRV_EXPORT_PDF:
        return "pdf";
      case SRV_EXPORT_DOCX:
        return "docx";
      case SRV_EXPORT_ODT:
        return "odt";
    }
  g_assert_not_reached ();
}

/* ---- cells ---------------------------------------------------------- */

static gboolean
parse_int (const char *text, gint64 *out)
{
  return g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, out, NULL);
}

static gboolean
parse_number (const char *text, double *out)
{
  char *end = NULL;

  if (*text == '\0')
    return FALSE;
  *out = g_ascii_strtod (text, &end);
  return *end == '\0' && isfinite (*out);
}

/* "2026-11-27", or the date of a "2026-11-27T…" timestamp as written. */
static gboolean
parse_date (const char *text, GDate *out)
{
  char head[11];

  if (kc_date_parse_iso (text, out))
    return TRUE;
  if (strlen (text) <= 10 || (text[10] != 'T' && text[10] != ' '))
    return FALSE;
  memcpy (head, text, 10);
  head[10] = '\0';
  return kc_date_parse_iso (head, out);
}

void
srv_export_cell_read (const SrvExportColumn *column, JsonNode *node, SrvExportCell *cell)
{
  memset (cell, 0, sizeof *cell);
  cell->kind = SRV_EXPORT_CELL_EMPTY;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node) || !JSON_NODE_HOLDS_VALUE (node))
    return;

  switch (json_node_get_value_type (node))
    {
      case G_TYPE_INT64:
        cell->integer = json_node_get_int (node);
        cell->number = (double)cell->integer;
        cell->kind
            = column->type == SRV_EXPORT_PERCENT ? SRV_EXPORT_CELL_NUMBER : SRV_EXPORT_CELL_INT;
        return;
      case G_TYPE_DOUBLE:
        cell->number = json_node_get_double (node);
        cell->kind = SRV_EXPORT_CELL_NUMBER;
        return;
      case G_TYPE_BOOLEAN:
        cell->text = json_node_get_boolean (node) ? "Có" : "Không";
        cell->kind = SRV_EXPORT_CELL_TEXT;
        return;
      case G_TYPE_STRING:
        break;
      default:
        return;
    }

  /* PostgreSQL sends numeric sums as strings when asked to keep them exact. */
  const char *text = json_node_get_string (node);
  cell->text = text;
  cell->kind = SRV_EXPORT_CELL_TEXT;
  switch (column->type)
    {
      case SRV_EXPORT_INTEGER:
      case SRV_EXPORT_MONEY:
      case SRV_EXPORT_YEAR:
        if (parse_int (text, &cell->integer))
          {
            cell->number = (double)cell->integer;
            cell->kind = SRV_EXPORT_CELL_INT;
          }
        break;
      case SRV_EXPORT_PERCENT:
        if (parse_number (text, &cell->number))
          cell->kind = SRV_EXPORT_CELL_NUMBER;
        break;
      case SRV_EXPORT_DATE:
        if (parse_date (text, &cell->date))
          cell->kind = SRV_EXPORT_CELL_DATE;
        break;
      case SRV_EXPORT_TEXT:
      case SRV_EXPORT_N_TYPES:
        break;
    }
}

/* A status of the wire as the documents write it (issue 17: the province
 * report's "Trạng thái" said "settled", "completed"); NULL when unknown. */
static const char *
status_text (const char *code)
{
  static const struct
  {
    const char *code;
    const char *text;
  } names[] = {
    { "draft", "Dự thảo" },
    { "submitted", "Đã gửi" },
    { "forwarded", "Đã chuyển Bộ" },
    { "approved", "Đã phê duyệt" },
    { "revision_requested", "Yêu cầu chỉnh sửa" },
    { "rejected", "Không phê duyệt" },
    { "in_progress", "Đang thực hiện" },
    { "completed", "Đã hoàn thành" },
    { "settled", "Đã quyết toán" },
    { "cancelled", "Đã hủy" },
    { "not_started", "Chưa bắt đầu" },
    { "drafting", "Đang soạn" },
    { "sent", "Đã gửi" },
    { "returned", "Bị trả lại" },
    { "accepted", "Đã chấp nhận" },
    { "open", "Đang mở" },
    { "answered", "Đã trả lời" },
    { "closed", "Đã đóng" },
  };

  for (gsize i = 0; code != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (code, names[i].code))
      return names[i].text;
  return NULL;
}

void
srv_export_report_cell (const SrvExportReport *report, JsonObject *row, gboolean is_totals,
                        guint index, SrvExportCell *cell)
{
  const SrvExportColumn *column = &report->columns[index];

  srv_export_cell_read (column, row != NULL ? json_object_get_member (row, column->key) : NULL,
                        cell);
  if (cell->kind == SRV_EXPORT_CELL_TEXT && g_str_equal (column->key, "status")
      && status_text (cell->text) != NULL)
    cell->text = status_text (cell->text);
  if (is_totals && cell->kind == SRV_EXPORT_CELL_EMPTY && (int)index == report->totals_label_column)
    {
      cell->kind = SRV_EXPORT_CELL_TEXT;
      cell->text = SRV_EXPORT_TOTAL_LABEL;
    }
}

char *
srv_export_cell_format_vn (const SrvExportColumn *column, const SrvExportCell *cell)
{
  switch (cell->kind)
    {
      case SRV_EXPORT_CELL_EMPTY:
        return g_strdup ("");
      case SRV_EXPORT_CELL_TEXT:
        return g_strdup (cell->text);
      case SRV_EXPORT_CELL_DATE:
        return kc_date_format_vn (&cell->date);
      case SRV_EXPORT_CELL_INT:
        if (column->type == SRV_EXPORT_TEXT || column->type == SRV_EXPORT_YEAR)
          return g_strdup_printf ("%" G_GINT64_FORMAT, cell->integer);
        return kc_money_format_plain (cell->integer);
      case SRV_EXPORT_CELL_NUMBER:
        break;
    }

  if (column->type == SRV_EXPORT_PERCENT)
    {
      /* One decimal, with the Vietnamese decimal comma. */
      g_autofree char *text = g_strdup_printf ("%.1f%%", cell->number);
      g_strdelimit (text, ".", ',');
      return g_steal_pointer (&text);
    }
  if ((column->type == SRV_EXPORT_INTEGER || column->type == SRV_EXPORT_MONEY)
      && fabs (cell->number) < 9.2e18)
    return kc_money_format_plain ((gint64)llround (cell->number));

  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  return g_strdup (g_ascii_dtostr (buf, sizeof buf, cell->number));
}

char *
srv_export_upper (const char *text)
{
  return g_utf8_strup (text != NULL ? text : "", -1);
}

/* ---- the report ------------------------------------------------------ */

void
srv_export_report_clear (SrvExportReport *report)
{
  g_free (report->date_line);
  g_free (report->columns);
}

static const char *
optional_string (JsonObject *object, const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  const char *text = json_node_get_string (node);
  return *text != '\0' ? text : NULL;
}

static gboolean
has_array (JsonObject *report, const char *member)
{
  JsonNode *node = json_object_get_member (report, member);
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node);
}

static gboolean
invalid (GError **error, const char *message)
{
  g_set_error_literal (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_PARAMS, message);
  return FALSE;
}

/* "Hà Nội, ngày 27 tháng 11 năm 2026" from generated_at, a date or an
 * instant (whose date is taken in Vietnam, UTC+7); NULL when unreadable.
 * *@unix: the instant, or the date's midnight in Vietnam. */
static char *
date_line (const char *place, const char *generated_at, gint64 *unix_time)
{
  GDate date;

  *unix_time = 0;
  if (generated_at == NULL)
    return NULL;
  if (!kc_date_parse_iso (generated_at, &date))
    {
      g_autoptr (GDateTime) instant = kc_instant_parse (generated_at);
      if (instant != NULL)
        {
          *unix_time = g_date_time_to_unix (instant);
          g_autoptr (GTimeZone) vietnam = g_time_zone_new_offset (7 * 3600);
          g_autoptr (GDateTime) local = g_date_time_to_timezone (instant, vietnam);
          g_date_set_dmy (&date, (GDateDay)g_date_time_get_day_of_month (local),
                          (GDateMonth)g_date_time_get_month (local),
                          (GDateYear)g_date_time_get_year (local));
        }
      else if (!parse_date (generated_at, &date))
        return NULL;
    }
  if (*unix_time == 0)
    *unix_time = (gint64)(g_date_get_julian (&date) - 719163) * 86400 - 7 * 3600;
  return g_strdup_printf ("%s%s %02u tháng %02u năm %u", place != NULL ? place : "",
                          place != NULL ? ", ngày" : "Ngày", g_date_get_day (&date),
                          (guint)g_date_get_month (&date), (guint)g_date_get_year (&date));
}

gboolean
srv_export_report_read (JsonObject *object, SrvExportReport *report, GError **error)
{
  static const char *const types[] = { "text", "integer", "money", "percent", "date", "year" };

  memset (report, 0, sizeof *report);
  report->totals_label_column = -1;
  if (!has_array (object, "columns") || !has_array (object, "rows"))
    return invalid (error, "this report has no table to export");

  JsonArray *columns = json_object_get_array_member (object, "columns");
  report->n_columns = json_array_get_length (columns);
  if (report->n_columns == 0)
    return invalid (error, "this report has no columns to export");
  report->columns = g_new0 (SrvExportColumn, report->n_columns);
  for (guint i = 0; i < report->n_columns; i++)
    {
      JsonNode *node = json_array_get_element (columns, i);
      JsonObject *col = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      SrvExportColumn *column = &report->columns[i];
      const char *type = optional_string (col, "type");

      column->key = optional_string (col, "key");
      if (column->key == NULL)
        return invalid (error, "a column of this report has no key");
      column->label = optional_string (col, "label");
      if (column->label == NULL)
        column->label = column->key;
      column->group = optional_string (col, "group");
      report->has_groups |= column->group != NULL;
      column->type = SRV_EXPORT_TEXT;
      if (type != NULL)
        {
          guint t = 0;
          while (t < G_N_ELEMENTS (types) && !g_str_equal (type, types[t]))
            t++;
          if (t == G_N_ELEMENTS (types))
            {
              g_set_error (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_PARAMS,
                           "column \"%s\" has an unknown type \"%s\"", column->key, type);
              return FALSE;
            }
          column->type = (SrvExportType)t;
        }
      if (column->type == SRV_EXPORT_TEXT && report->totals_label_column < 0)
        report->totals_label_column = (int)i;
    }

  report->rows = json_object_get_array_member (object, "rows");
  for (guint r = 0; r < json_array_get_length (report->rows); r++)
    if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (report->rows, r)))
      return invalid (error, "a row of this report is not an object");
  JsonNode *totals = json_object_get_member (object, "totals");
  report->totals
      = totals != NULL && JSON_NODE_HOLDS_OBJECT (totals) ? json_node_get_object (totals) : NULL;

  report->title = optional_string (object, "title");
  if (report->title == NULL)
    report->title = "";
  report->subtitle = optional_string (object, "subtitle");
  report->note = optional_string (object, "note");
  JsonNode *issuer = json_object_get_member (object, "issuer");
  if (issuer != NULL && JSON_NODE_HOLDS_OBJECT (issuer))
    {
      report->issuer_parent = optional_string (json_node_get_object (issuer), "parent");
      report->issuer_name = optional_string (json_node_get_object (issuer), "name");
    }
  report->date_line = date_line (optional_string (object, "place"),
                                 optional_string (object, "generated_at"), &report->generated_unix);
  return TRUE;
}

/* ---- CSV ------------------------------------------------------------- */

static void
append_field (GString *out, guint i, const char *text)
{
  g_autofree char *quoted = kc_csv_quote (text, ',');

  if (i > 0)
    g_string_append_c (out, ',');
  g_string_append (out, quoted);
}

static char *
csv_cell_text (const SrvExportColumn *column, const SrvExportCell *cell)
{
  switch (cell->kind)
    {
      case SRV_EXPORT_CELL_EMPTY:
        return g_strdup ("");
      case SRV_EXPORT_CELL_TEXT:
        /* A project titled =HYPERLINK(…) must reach Excel as text. */
        return kc_csv_neutralise (cell->text);
      case SRV_EXPORT_CELL_INT:
        return g_strdup_printf ("%" G_GINT64_FORMAT, cell->integer);
      case SRV_EXPORT_CELL_DATE:
        return kc_date_format_iso (&cell->date);
      case SRV_EXPORT_CELL_NUMBER:
        break;
    }
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  return g_strdup (g_ascii_dtostr (buf, sizeof buf, cell->number));
}

static void
append_record (GString *out, const SrvExportReport *report, JsonObject *row, gboolean is_totals)
{
  for (guint i = 0; i < report->n_columns; i++)
    {
      SrvExportCell cell;
      srv_export_report_cell (report, row, is_totals, i, &cell);
      g_autofree char *text = csv_cell_text (&report->columns[i], &cell);
      append_field (out, i, text);
    }
  g_string_append (out, "\r\n");
}

/* RFC 4180 with a UTF-8 byte order mark: Excel then reads Vietnamese
 * correctly. Numbers stay plain (no thousands separators) and dates ISO so
 * that any spreadsheet or script reads them as numbers and dates. The
 * header is the labels alone (groups are for the two-row headers of xlsx
 * and PDF): scripts match on them. */
static GBytes *
render_csv (const SrvExportReport *report)
{
  GString *out = g_string_new ("\xEF\xBB\xBF");

  for (guint i = 0; i < report->n_columns; i++)
    {
      g_autofree char *label = kc_csv_neutralise (report->columns[i].label);
      append_field (out, i, label);
    }
  g_string_append (out, "\r\n");
  for (guint r = 0; r < json_array_get_length (report->rows); r++)
    append_record (out, report, json_array_get_object_element (report->rows, r), FALSE);
  if (report->totals != NULL)
    append_record (out, report, report->totals, TRUE);
  return g_string_free_to_bytes (out);
}

GBytes *
srv_export_render (JsonObject *object, SrvExportFormat format, GError **error)
{
  g_auto (SrvExportReport) report = { 0 };

  if (!srv_export_report_read (object, &report, error))
    return NULL;
  switch (format)
    {
      case SRV_EXPORT_CSV:
        return render_csv (&report);
      case SRV_EXPORT_XLSX:
        return srv_export_render_xlsx (&report, error);
      case SRV_EXPORT_PDF:
        /* A document (a round's report) as LibreOffice prints its .docx
         * where LibreOffice is installed; otherwise, and for every table
         * report, the table through cairo. */
        if (json_object_has_member (object, "document"))
          {
            g_autoptr (GError) local = NULL;
            GBytes *pdf = srv_export_render_doc_pdf (&report, object, &local);
            if (pdf != NULL)
              return pdf;
            if (!g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
              {
                g_propagate_error (error, g_steal_pointer (&local));
                return NULL;
              }
          }
        return srv_export_render_pdf (&report, error);
      case SRV_EXPORT_DOCX:
      case SRV_EXPORT_ODT:
        return srv_export_render_doc (&report, object, format == SRV_EXPORT_ODT, error);
    }
  g_assert_not_reached ();
}
