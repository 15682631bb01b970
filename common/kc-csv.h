/*
 * kc-csv.h — a small RFC 4180 reader and field quoting for CSV files
 * (project import, issue 3). Pure: no I/O, no locale.
 *
 * Accepted: fields separated by @delimiter (',' or ';'), records ended by
 * CRLF or LF (a last record without one too), fields in double quotes with
 * "" for a quote and embedded delimiters and newlines, a UTF-8 byte order
 * mark at the start (skipped). Blank lines are skipped. Refused, with the
 * line number: an unterminated quoted field, text after a closing quote, a
 * quote inside an unquoted field, invalid UTF-8.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint line; /* line of the file (from 1) where the record starts */
  guint n_fields;
  char **fields; /* n_fields strings, NULL-terminated */
} KcCsvRecord;

void kc_csv_record_free (KcCsvRecord *record);

/* Parses @len bytes of @text (-1: NUL-terminated). Returns a GPtrArray of
 * KcCsvRecord (transfer full, frees its records), or NULL with @error
 * (KC_PROTOCOL_ERROR / KC_ERROR_INVALID_PARAMS, the message naming the line). */
GPtrArray *kc_csv_parse (const char *text, gssize len, char delimiter, GError **error);

/* ';' when the first line has semicolons outside quotes and no commas, else ','. */
char kc_csv_guess_delimiter (const char *text, gssize len);

/* @field as a CSV field: quoted (with "" for ") when it holds the
 * delimiter, a quote, CR or LF, or starts or ends with a space (transfer full). */
char *kc_csv_quote (const char *field, char delimiter);

/* @text made safe to open in a spreadsheet (transfer full): a cell that
 * begins with '=', '+', '-', '@', a tab or a CR would be read by Excel or
 * LibreOffice as a formula (=HYPERLINK(…) sends data away), so it gets a
 * leading apostrophe (OWASP "CSV injection"). For text cells only: numbers
 * are written as they are, so -5 stays a number. Quote the result as any
 * other field. */
char *kc_csv_neutralise (const char *text);

G_END_DECLS
