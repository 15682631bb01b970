/*
 * kc-json-write.c — the one JSON writer of the tree (see kc-json-text.h):
 * compact (or pretty), members in insertion order, non-ASCII text left as
 * UTF-8, doubles always with a point.
 */
#include "kc-json-text.h"

#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * Writer
 * ------------------------------------------------------------------------ */

void
kc_json_write_int (GString *out, gint64 value)
{
  char digits[24];
  char *p = digits + sizeof digits;
  guint64 magnitude = value < 0 ? 0 - (guint64)value : (guint64)value;

  do
    {
      *--p = (char)('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude != 0);
  if (value < 0)
    *--p = '-';
  g_string_append_len (out, p, digits + sizeof digits - p);
}

static void
write_double (GString *out, double value)
{
  static const char *const formats[] = { "%.15g", "%.16g", "%.17g" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* JSON has no Infinity or NaN. */
  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }

  /* The shortest of these that reads back exactly: 0.1, not
   * 0.10000000000000001. */
  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
  /* Keep it a float for the reader: "2.0", not "2". */
  if (strpbrk (buf, ".eE") == NULL)
    g_string_append (out, ".0");
}

/* 0: copied as is; 1: escaped; 2: first byte of a multi-byte sequence. */
static const guint8 string_class[256] = {
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

void
kc_json_write_string (GString *out, const char *text)
{
  static const char hex[] = "0123456789abcdef";
  const guchar *p = (const guchar *)text;
  const guchar *run = p;

  g_string_append_c (out, '"');
  for (;;)
    {
      guchar c;
      gsize n;

      while (string_class[*p] == 0)
        p++;
      c = *p;
      /* NUL is class 1 too, so the loop above stops at the end. */
      if (c >= 0x80 && (n = kc_json_utf8_sequence (p, 4)) != 0)
        {
          p += n;
          continue;
        }

      g_string_append_len (out, (const char *)run, (const char *)p - (const char *)run);
      if (c == '\0')
        break;
      switch (c)
        {
          case '"':
            g_string_append (out, "\\\"");
            break;
          case '\\':
            g_string_append (out, "\\\\");
            break;
          case '\n':
            g_string_append (out, "\\n");
            break;
          case '\r':
            g_string_append (out, "\\r");
            break;
          case '\t':
            g_string_append (out, "\\t");
            break;
          case '\b':
            g_string_append (out, "\\b");
            break;
          case '\f':
            g_string_append (out, "\\f");
            break;
          default:
            if (c < 0x20)
              {
                char esc[] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF] };

                g_string_append_len (out, esc, sizeof esc);
              }
            else
              {
                /* Not UTF-8 (a bug upstream): the line must stay valid for
                 * the peer's parser, so mark the spot instead. */
                g_string_append (out, "\xEF\xBF\xBD");
              }
            break;
        }
      run = ++p;
    }
  g_string_append_c (out, '"');
}

/* Pretty output (indent >= 0) puts each member on its own line, two spaces
 * per level; compact output (indent < 0) has no whitespace at all. */
static void
write_break (GString *out, int indent)
{
  if (indent < 0)
    return;
  g_string_append_c (out, '\n');
  for (int i = 0; i < indent; i++)
    g_string_append (out, "  ");
}

static void
write_object (GString *out, JsonObject *object, int indent)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  gboolean first = TRUE;
  int inner = indent < 0 ? indent : indent + 1;

  g_string_append_c (out, '{');
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      write_break (out, inner);
      kc_json_write_string (out, name);
      g_string_append (out, indent < 0 ? ":" : ": ");
      kc_json_write_node (out, member, inner);
    }
  if (!first)
    write_break (out, indent);
  g_string_append_c (out, '}');
}

static void
write_array (GString *out, JsonArray *array, int indent)
{
  guint n = json_array_get_length (array);
  int inner = indent < 0 ? indent : indent + 1;

  g_string_append_c (out, '[');
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      write_break (out, inner);
      kc_json_write_node (out, json_array_get_element (array, i), inner);
    }
  if (n > 0)
    write_break (out, indent);
  g_string_append_c (out, ']');
}

void
kc_json_write_node (GString *out, JsonNode *node, int indent)
{
  if (node == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  switch (json_node_get_node_type (node))
    {
      case JSON_NODE_OBJECT:
        write_object (out, json_node_get_object (node), indent);
        return;
      case JSON_NODE_ARRAY:
        write_array (out, json_node_get_array (node), indent);
        return;
      case JSON_NODE_NULL:
        g_string_append (out, "null");
        return;
      case JSON_NODE_VALUE:
        break;
      default:
        g_assert_not_reached ();
    }

  switch (json_node_get_value_type (node))
    {
      case G_TYPE_INT64:
        kc_json_write_int (out, json_node_get_int (node));
        break;
      case G_TYPE_DOUBLE:
        write_double (out, json_node_get_double (node));
        break;
      case G_TYPE_BOOLEAN:
        g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
        break;
      case G_TYPE_STRING:
        {
          const char *text = json_node_get_string (node);

          if (text != NULL)
            kc_json_write_string (out, text);
          else
            g_string_append (out, "null");
        }
        break;
      default:
        g_string_append (out, "null");
        break;
    }
}

char *
kc_json_to_string (JsonNode *node, gboolean pretty)
{
  GString *out = g_string_sized_new (128);

  kc_json_write_node (out, node, pretty ? 0 : -1);
  return g_string_free (out, FALSE);
}

gsize
kc_json_compact_inplace (char *text, gsize len)
{
  gsize out = 0;
  gboolean in_string = FALSE;

  g_return_val_if_fail (text != NULL || len == 0, 0);

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (in_string)
        {
          text[out++] = c;
          if (c == '\\' && i + 1 < len)
            text[out++] = text[++i];
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        {
          in_string = TRUE;
          text[out++] = c;
        }
      else if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        text[out++] = c;
    }
  if (out < len)
    text[out] = '\0';
  return out;
}
