/*
 * srv-export.h — renders a report as a file (report.export, kc-cli report).
 *
 * Every report.* method returns one JSON object of this shape, so any report
 * can be exported without code of its own:
 *
 *   title         string   the report's heading (Vietnamese, upper-cased by the
 *                          renderer where the form wants it)
 *   subtitle      string?  period and filters, one line
 *   note          string?  what the reader must know to read the table right
 *                          (per-source rows counting a project once per
 *                          source), a line under the subtitle (PDF, xlsx)
 *   issuer        {parent?, name}?  the left heading block of a Vietnamese
 *                          administrative document ("BỘ CÔNG THƯƠNG" / the unit)
 *   place         string?  for the date line ("Hà Nội, ngày dd tháng mm năm yyyy")
 *   generated_at  string   ISO 8601 date or timestamp of the data
 *   columns       [{key, label, type, group?}]
 *                 type: "text" | "integer" | "money" (integer đồng) |
 *                       "percent" (number, 0–100 or more) | "date" (ISO yyyy-mm-dd) |
 *                       "year" (integer shown without grouping: 2025, not 2.025)
 *                 group: a label spanning adjacent columns with the same group
 *                        (a two-row header)
 *   rows          [{key: value}]  values string, integer, number or null
 *   totals        {key: value}?   the totals row; its first text column is
 *                                 labelled "Tổng cộng" when absent
 *
 *   document      {number, kind?, heading?, recipient?, intro?, sections:
 *                 [{heading, text}], tables: [{title, columns,
 *                 rows, totals}], recipients: [text], signer: {authority?,
 *                 title, name?}}?  a text document (a round's report): docx
 *                 and odt render it (and PDF, through LibreOffice where it is
 *                 installed); a report without it is refused as docx/odt
 *
 * Members a report adds beyond these are ignored by the renderers.
 *
 * Pure functions of their input, safe to call from any worker thread.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  SRV_EXPORT_CSV,
  SRV_EXPORT_XLSX,
  SRV_EXPORT_PDF,
  SRV_EXPORT_DOCX,
  SRV_EXPORT_ODT,
} SrvExportFormat;

/* FALSE when @name is not "csv", "xlsx", "pdf", "docx" or "odt". */
gboolean srv_export_format_parse (const char *name, SrvExportFormat *format);

/* Static strings: "text/csv; charset=utf-8", ... and "csv", ... */
const char *srv_export_mime_type (SrvExportFormat format);
const char *srv_export_extension (SrvExportFormat format);

/* The file's bytes (transfer full), or NULL with @error (KC_PROTOCOL_ERROR /
 * KC_ERROR_INVALID_PARAMS when @report lacks the members above, G_IO_ERROR
 * for a renderer failure). */
GBytes *srv_export_render (JsonObject *report, SrvExportFormat format, GError **error);

G_END_DECLS
