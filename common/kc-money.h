/*
 * kc-money.h — money is an integer number of Vietnamese đồng (gint64),
 * never a float. Formatting follows Vietnamese usage: "1.234.567 ₫".
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "1.234.567 ₫", "-5.000 ₫", "0 ₫" (transfer full). The space before ₫ is a
 * U+00A0 NO-BREAK SPACE so the sign never wraps onto its own line. */
char *kc_money_format (gint64 dong);

/* Same grouping without the currency sign: "1.234.567". */
char *kc_money_format_plain (gint64 dong);

/*
 * Parses what a user types: "1.234.567", "1234567", "1 234 567",
 * "1.234.567 ₫", "1.234.567đ", "-500"; surrounding spaces allowed.
 * Rejects fractions ("1,5"), misplaced group separators ("12.34"), empty
 * text and values outside gint64: KC_PROTOCOL_ERROR / KC_ERROR_INVALID_PARAMS
 * with a message saying why.
 */
gboolean kc_money_parse (const char *text, gint64 *out, GError **error);

G_END_DECLS
