/*
 * srv-export.c — report → file. CSV here; xlsx and pdf renderers come with
 * issue 5's exports.
 */
#include "srv-export.h"

#include "kc-csv.h"
#include "kc-error.h"

#include <gio/gio.h>

gboolean
srv_export_format_parse (const char *name, SrvExportFormat *format)
{
  static const char *const names[] = { "csv", "xlsx", "pdf" };

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
    }
  g_assert_not_reached ();
}

static char *
cell_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  switch (json_node_get_value_type (node))
    {
      case G_TYPE_INT64:
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      case G_TYPE_DOUBLE:
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];
          return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
        }
      case G_TYPE_BOOLEAN:
        return g_strdup (json_node_get_boolean (node) ? "true" : "false");
      case G_TYPE_STRING:
        return g_strdup (json_node_get_string (node));
      default:
        return g_strdup ("");
    }
}

static void
append_record (GString *out, JsonArray *columns, JsonObject *row)
{
  for (guint i = 0; i < json_array_get_length (columns); i++)
    {
      JsonObject *col = json_array_get_object_element (columns, i);
      const char *key = json_object_get_string_member_with_default (col, "key", "");
      g_autofree char *text = cell_text (row ? json_object_get_member (row, key) : NULL);
      g_autofree char *quoted = kc_csv_quote (text, ',');

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, quoted);
    }
  g_string_append (out, "\r\n");
}

/* RFC 4180 with a UTF-8 byte order mark: Excel then reads Vietnamese
 * correctly. Numbers stay plain (no thousands separators) so they remain
 * numbers in any spreadsheet. */
static GBytes *
render_csv (JsonObject *report, JsonArray *columns, JsonArray *rows)
{
  GString *out = g_string_new ("\xEF\xBB\xBF");

  for (guint i = 0; i < json_array_get_length (columns); i++)
    {
      JsonObject *col = json_array_get_object_element (columns, i);
      g_autofree char *quoted
          = kc_csv_quote (json_object_get_string_member_with_default (col, "label", ""), ',');
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, quoted);
    }
  g_string_append (out, "\r\n");
  for (guint r = 0; r < json_array_get_length (rows); r++)
    append_record (out, columns, json_array_get_object_element (rows, r));
  if (json_object_has_member (report, "totals")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (report, "totals")))
    append_record (out, columns, json_object_get_object_member (report, "totals"));
  return g_string_free_to_bytes (out);
}

static gboolean
has_array (JsonObject *report, const char *member)
{
  JsonNode *node = json_object_get_member (report, member);
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node);
}

GBytes *
srv_export_render (JsonObject *report, SrvExportFormat format, GError **error)
{
  if (!has_array (report, "columns") || !has_array (report, "rows"))
    {
      g_set_error_literal (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_PARAMS,
                           "this report has no table to export");
      return NULL;
    }
  JsonArray *columns = json_object_get_array_member (report, "columns");
  JsonArray *rows = json_object_get_array_member (report, "rows");

  switch (format)
    {
      case SRV_EXPORT_CSV:
        return render_csv (report, columns, rows);
      case SRV_EXPORT_XLSX:
      case SRV_EXPORT_PDF:
        break;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "export to %s is not built yet",
               srv_export_extension (format));
  return NULL;
}
