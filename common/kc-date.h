/*
 * kc-date.h — dates on the wire are "YYYY-MM-DD", instants RFC 3339 UTC;
 * people see dates as "dd/mm/yyyy".
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Strict "YYYY-MM-DD" with a valid calendar date (years 1900–9999). */
gboolean kc_date_parse_iso (const char *text, GDate *out);
/* "YYYY-MM-DD" (transfer full). */
char *kc_date_format_iso (const GDate *date);

/* "dd/mm/yyyy", also accepting "d/m/yyyy". */
gboolean kc_date_parse_vn (const char *text, GDate *out);
/* "dd/mm/yyyy" (transfer full). */
char *kc_date_format_vn (const GDate *date);

/* "2026-11-27T09:38:26Z" (seconds precision, converted to UTC), transfer full. */
char *kc_instant_format (GDateTime *instant);
/* Parses RFC 3339 with Z or an offset; (transfer full) or NULL. */
GDateTime *kc_instant_parse (const char *text);

G_END_DECLS
