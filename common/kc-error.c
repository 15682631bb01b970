/*
 * kc-error.c — names of the protocol's error codes.
 */
#include "kc-error.h"

/* Spelt out rather than G_DEFINE_QUARK: clang-format splits the hyphenated
 * macro argument into "kc - protocol - ...". */
GQuark
kc_protocol_error_quark (void)
{
  static GQuark quark;

  /* The same benign race as G_DEFINE_QUARK: every thread stores one value. */
  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("kc-protocol-error-quark");
  return quark;
}

typedef struct
{
  int code;
  const char *name;
} KcErrorName;

/* Names are stable identifiers: tests and log parsers match on them. */
static const KcErrorName error_names[] = {
  { KC_ERROR_PARSE, "parse_error" },
  { KC_ERROR_INVALID_REQUEST, "invalid_request" },
  { KC_ERROR_METHOD_NOT_FOUND, "method_not_found" },
  { KC_ERROR_INVALID_PARAMS, "invalid_params" },
  { KC_ERROR_INTERNAL, "internal_error" },
  { KC_ERROR_NOT_LOGGED_IN, "not_logged_in" },
  { KC_ERROR_SESSION_EXPIRED, "session_expired" },
  { KC_ERROR_FORBIDDEN, "forbidden" },
  { KC_ERROR_NOT_FOUND, "not_found" },
  { KC_ERROR_CONFLICT, "conflict" },
  { KC_ERROR_BAD_STATUS, "bad_status" },
  { KC_ERROR_RULE, "rule_violation" },
  { KC_ERROR_TOO_MANY, "too_many_attempts" },
  { KC_ERROR_SECOND_FACTOR, "second_factor_required" },
  { KC_ERROR_UNAVAILABLE, "unavailable" },
};

const char *
kc_error_code_name (int code)
{
  for (gsize i = 0; i < G_N_ELEMENTS (error_names); i++)
    if (error_names[i].code == code)
      return error_names[i].name;
  return "unknown";
}

gboolean
kc_error_code_is_known (int code)
{
  for (gsize i = 0; i < G_N_ELEMENTS (error_names); i++)
    if (error_names[i].code == code)
      return TRUE;
  return FALSE;
}
