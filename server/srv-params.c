/*
 * srv-params.c — parameter validation shared by every handler: each
 * problem is collected, all are reported in one -32602.
 */
#include "srv-params.h"

#include <math.h>

#include "kc-date.h"

void
srv_params_init (SrvParams *p, SrvCall *call)
{
  p->call = call;
  p->errors = kc_field_errors_new ();
  p->seen = g_hash_table_new (g_str_hash, g_str_equal);
}

/* The member, or NULL when absent (a missing required one is an error). */
static JsonNode *
lookup (SrvParams *p, const char *name, gboolean required)
{
  JsonNode *node = json_object_get_member (p->call->params, name);

  g_hash_table_add (p->seen, (gpointer)name);
  if (node == NULL && required)
    kc_field_errors_add (p->errors, name, "is required");
  return node;
}

void
srv_params_error (SrvParams *p, const char *name, const char *message)
{
  kc_field_errors_add (p->errors, name, message);
}

void
srv_params_error_rule (SrvParams *p, const char *name, const char *rule, JsonObject *data,
                       const char *message)
{
  kc_field_errors_add_rule (p->errors, name, rule, data, message);
}

gboolean
srv_params_is_null (SrvParams *p, const char *name)
{
  JsonNode *node = json_object_get_member (p->call->params, name);
  return node != NULL && JSON_NODE_HOLDS_NULL (node);
}

gboolean
srv_params_int64 (SrvParams *p, const char *name, gboolean required, gint64 min, gint64 max,
                  gint64 *out)
{
  JsonNode *node = lookup (p, name, required);
  gint64 value;

  if (node == NULL)
    return FALSE;
  /* json-glib keeps integers as gint64 and anything with a fraction or
   * exponent as a double: only the former is an integer to us. */
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      /* The parser turns integers beyond gint64 (and 1e400) into doubles. */
      double d = json_node_get_double (node);
      kc_field_errors_add (p->errors, name,
                           (!isfinite (d) || (d == floor (d) && fabs (d) >= 9.2e18))
                               ? "is out of range"
                               : "must be an integer");
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      kc_field_errors_add (p->errors, name, "must be an integer");
      return FALSE;
    }
  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      g_autofree char *m = g_strdup_printf (
          "must be between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT, min, max);
      kc_field_errors_add (p->errors, name, m);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

gboolean
srv_text_has_control (const char *s, gboolean multiline)
{
  /* Byte by byte, so that text not yet checked to be UTF-8 is never read
   * past its end. C1 controls (U+0080..U+009F) are C2 80..C2 9F in UTF-8,
   * and C2 is only ever a lead byte: invisible, and some terminals and
   * viewers still act on them (U+009B is CSI). */
  for (const guchar *c = (const guchar *)s; *c != '\0'; c++)
    if ((*c < 0x20 && !(multiline && (*c == '\n' || *c == '\t'))) || *c == 0x7f
        || (*c == 0xc2 && c[1] >= 0x80 && c[1] <= 0x9f))
      return TRUE;
  return FALSE;
}

static const char *
get_string (SrvParams *p, const char *name, gboolean required, glong min_chars, glong max_chars,
            gboolean multiline)
{
  JsonNode *node = lookup (p, name, required);
  const char *value;
  glong chars;

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      kc_field_errors_add (p->errors, name, "must be a string");
      return NULL;
    }
  value = json_node_get_string (node);
  chars = g_utf8_strlen (value, -1);
  if (chars < min_chars || chars > max_chars)
    {
      g_autofree char *m
          = min_chars > 0
                ? g_strdup_printf ("must have %ld to %ld characters", min_chars, max_chars)
                : g_strdup_printf ("must have at most %ld characters", max_chars);
      kc_field_errors_add (p->errors, name, m);
      return NULL;
    }
  if (srv_text_has_control (value, multiline))
    {
      kc_field_errors_add (p->errors, name, "must not contain control characters");
      return NULL;
    }
  return value;
}

const char *
srv_params_string (SrvParams *p, const char *name, gboolean required, glong min_chars,
                   glong max_chars)
{
  return get_string (p, name, required, min_chars, max_chars, FALSE);
}

const char *
srv_params_text (SrvParams *p, const char *name, gboolean required, glong min_chars,
                 glong max_chars)
{
  return get_string (p, name, required, min_chars, max_chars, TRUE);
}

gboolean
srv_params_bool (SrvParams *p, const char *name, gboolean required, gboolean *out)
{
  JsonNode *node = lookup (p, name, required);

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      kc_field_errors_add (p->errors, name, "must be true or false");
      return FALSE;
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

const char *
srv_params_enum (SrvParams *p, const char *name, gboolean required, const char *const *choices)
{
  const char *value = srv_params_string (p, name, required, 0, 64);

  if (value == NULL)
    return NULL;
  for (gsize i = 0; choices[i] != NULL; i++)
    if (g_str_equal (choices[i], value))
      return choices[i];
  {
    g_autofree char *list = g_strjoinv (", ", (char **)choices);
    g_autofree char *m = g_strdup_printf ("must be one of: %s", list);
    kc_field_errors_add (p->errors, name, m);
  }
  return NULL;
}

const char *
srv_params_date (SrvParams *p, const char *name, gboolean required)
{
  const char *value = srv_params_string (p, name, required, 0, 10);
  GDate date;

  if (value == NULL)
    return NULL;
  if (!kc_date_parse_iso (value, &date))
    {
      kc_field_errors_add (p->errors, name, "must be a date as YYYY-MM-DD");
      return NULL;
    }
  return value;
}

void
srv_params_page (SrvParams *p, gint64 *limit, const char **cursor)
{
  const char *c;

  *limit = 100;
  *cursor = NULL;
  srv_params_int64 (p, "limit", FALSE, 1, 1000, limit);
  if (srv_params_is_null (p, "cursor"))
    {
      g_hash_table_add (p->seen, (gpointer) "cursor");
      return;
    }
  c = srv_params_string (p, "cursor", FALSE, 1, 20);
  if (c != NULL)
    {
      guint64 v;
      if (!g_ascii_string_to_unsigned (c, 10, 0, G_MAXINT64, &v, NULL))
        srv_params_error (p, "cursor", "is not a cursor this server gave");
      else
        *cursor = c;
    }
}

gboolean
srv_params_finish (SrvParams *p)
{
  JsonObjectIter iter;
  const char *member;
  gboolean ok;

  json_object_iter_init (&iter, p->call->params);
  while (json_object_iter_next (&iter, &member, NULL))
    if (!g_hash_table_contains (p->seen, member))
      kc_field_errors_add (p->errors, member, "is not a parameter of this method");

  ok = kc_field_errors_count (p->errors) == 0;
  if (!ok)
    srv_call_set_error (p->call, KC_ERROR_INVALID_PARAMS, kc_field_errors_to_data (p->errors),
                        "invalid params");
  kc_field_errors_free (p->errors);
  g_hash_table_unref (p->seen);
  p->errors = NULL;
  p->seen = NULL;
  return ok;
}
