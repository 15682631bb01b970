/*
 * kc-rpc.c — the JSON-RPC 2.0 envelope.
 *
 * Lines are parsed by a strict RFC 8259 parser of our own rather than
 * JsonParser: json-glib 1.6's parser recurses once per nesting level (a
 * line of "[[[[..." would exhaust the stack), silently wraps integers that
 * do not fit gint64 (fatal for money), and accepts hex numbers, leading
 * zeros, single quotes, comments and trailing garbage. Ours is a single
 * non-recursive pass that validates UTF-8 as it goes and builds JsonNodes
 * directly, so every request is scanned once.
 *
 * Output is written by hand too, so that it is compact, keeps members in
 * insertion order and leaves non-ASCII text as UTF-8.
 */
#include "kc-rpc.h"
#include "kc-error.h"

#include <math.h>
#include <string.h>

#define MAX_DEPTH 64

/* ------------------------------------------------------------------------
 * UTF-8
 * ------------------------------------------------------------------------ */

/* Length of the well-formed UTF-8 sequence at @p (at most @avail bytes), or
 * 0 if it is not one: overlong forms, surrogates and code points beyond
 * U+10FFFF are refused, as RFC 3629 requires. Bytes are checked in order,
 * so a NUL terminator stops the check before anything past it is read. */
static gsize
utf8_sequence (const guchar *p, gsize avail)
{
  guchar c = p[0];
  gsize n;

  if (c < 0x80)
    return 1;
  if (c < 0xC2)
    return 0;
  if (c < 0xE0)
    n = 2;
  else if (c < 0xF0)
    n = 3;
  else if (c < 0xF5)
    n = 4;
  else
    return 0;

  if (avail < 2 || (p[1] & 0xC0) != 0x80)
    return 0;
  if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0) || (c == 0xF0 && p[1] < 0x90)
      || (c == 0xF4 && p[1] >= 0x90))
    return 0;
  for (gsize i = 2; i < n; i++)
    if (avail <= i || (p[i] & 0xC0) != 0x80)
      return 0;
  return n;
}

/* ------------------------------------------------------------------------
 * Parser
 * ------------------------------------------------------------------------ */

typedef enum
{
  ST_VALUE,
  ST_ARRAY_FIRST,  /* after '[': a value or ']' */
  ST_OBJECT_FIRST, /* after '{': a name or '}' */
  ST_NAME,
  ST_COLON,
  ST_COMMA, /* after a member or element: ',' or the closing bracket */
  ST_DONE,
} ParseState;

typedef struct
{
  JsonNode *node; /* the container being filled; owned until closed */
  GString *name;  /* objects: the member whose value comes next */
} Frame;

typedef struct
{
  const guchar *begin;
  const guchar *p;
  const guchar *end;
  GError **error;

  GString *scratch;

  /* One bit per open container, set for objects. Containers deeper than
   * MAX_DEPTH are still checked for syntax but not built, so this stack,
   * unlike frames, is as deep as the input. */
  guint8 kinds_inline[16];
  guint8 *kinds;
  gsize kinds_bytes;
  gsize depth;
  gboolean too_deep;

  /* Values met so far, and the most allowed (0: no limit). A request's
   * tree costs some 100 bytes per value: "{},{},…" over 15 MiB was 1.5 GB
   * before this limit (issue 13). */
  gsize n_values;
  gsize max_values;

  Frame frames[MAX_DEPTH];
} Parser;

static gboolean syntax_error (Parser *ps, const guchar *at, const char *format, ...)
    G_GNUC_PRINTF (3, 4);

static gboolean
syntax_error (Parser *ps, const guchar *at, const char *format, ...)
{
  g_autofree char *what = NULL;
  va_list args;

  if (ps->error == NULL)
    return FALSE;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (ps->error, KC_PROTOCOL_ERROR, KC_ERROR_PARSE,
               "Invalid JSON at byte %" G_GSIZE_FORMAT ": %s", (gsize)(at - ps->begin), what);
  return FALSE;
}

static gboolean
unexpected (Parser *ps, const guchar *at, const char *expected)
{
  guchar c = *at;

  if (c == '\0')
    return syntax_error (ps, at, "NUL byte");
  if (c >= 0x80)
    return syntax_error (
        ps, at, "%s", utf8_sequence (at, ps->end - at) ? "unexpected character" : "invalid UTF-8");
  if (c < 0x20 || c == 0x7F)
    return syntax_error (ps, at, "unexpected control character, expected %s", expected);
  return syntax_error (ps, at, "unexpected '%c', expected %s", c, expected);
}

static void
kinds_push (Parser *ps, gboolean is_object)
{
  gsize byte = ps->depth / 8;
  guint8 bit = 1u << (ps->depth % 8);

  if (byte >= ps->kinds_bytes)
    {
      gsize bytes = ps->kinds_bytes * 2;

      if (ps->kinds == ps->kinds_inline)
        ps->kinds = g_memdup2 (ps->kinds_inline, sizeof ps->kinds_inline);
      ps->kinds = g_realloc (ps->kinds, bytes);
      ps->kinds_bytes = bytes;
    }
  if (is_object)
    ps->kinds[byte] |= bit;
  else
    ps->kinds[byte] &= ~bit;
  ps->depth++;
}

static gboolean
top_is_object (Parser *ps)
{
  gsize level = ps->depth - 1;

  return (ps->kinds[level / 8] >> (level % 8)) & 1;
}

static void
skip_ws (Parser *ps)
{
  while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
    ps->p++;
}

static int
hex_value (guchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
parse_hex4 (Parser *ps, const guchar *p, gunichar *out)
{
  gunichar value = 0;

  if (ps->end - p < 4)
    return syntax_error (ps, p, "truncated \\u escape");
  for (int i = 0; i < 4; i++)
    {
      int digit = hex_value (p[i]);

      if (digit < 0)
        return syntax_error (ps, p + i, "invalid \\u escape");
      value = value << 4 | (gunichar)digit;
    }
  *out = value;
  return TRUE;
}

/* At the '\\' of an escape; on success ps->p is past it. */
static gboolean
parse_escape (Parser *ps, GString *out)
{
  const guchar *p = ps->p + 1;
  gunichar ch;

  if (p >= ps->end)
    return syntax_error (ps, p, "unterminated string");

  switch (*p)
    {
      case '"':
      case '\\':
      case '/':
        ch = *p;
        break;
      case 'b':
        ch = '\b';
        break;
      case 'f':
        ch = '\f';
        break;
      case 'n':
        ch = '\n';
        break;
      case 'r':
        ch = '\r';
        break;
      case 't':
        ch = '\t';
        break;
      case 'u':
        if (!parse_hex4 (ps, p + 1, &ch))
          return FALSE;
        p += 4;
        /* A lone surrogate cannot be encoded in UTF-8, and U+0000 would
         * silently cut every C string (and PostgreSQL text) short. */
        if (ch == 0)
          return syntax_error (ps, ps->p, "\\u0000 is not allowed");
        if (ch >= 0xDC00 && ch <= 0xDFFF)
          return syntax_error (ps, ps->p, "unpaired surrogate");
        if (ch >= 0xD800 && ch <= 0xDBFF)
          {
            gunichar low;

            if (ps->end - p < 3 || p[1] != '\\' || p[2] != 'u')
              return syntax_error (ps, ps->p, "unpaired surrogate");
            if (!parse_hex4 (ps, p + 3, &low))
              return FALSE;
            if (low < 0xDC00 || low > 0xDFFF)
              return syntax_error (ps, ps->p, "unpaired surrogate");
            ch = 0x10000 + ((ch - 0xD800) << 10) + (low - 0xDC00);
            p += 6;
          }
        break;
      default:
        return unexpected (ps, p, "an escape character");
    }

  if (out != NULL)
    g_string_append_unichar (out, ch);
  ps->p = p + 1;
  return TRUE;
}

/* At the opening '"'. Decodes into @out unless it is NULL (the string is
 * then only checked). */
static gboolean
parse_string (Parser *ps, GString *out)
{
  const guchar *run;

  if (out != NULL)
    g_string_truncate (out, 0);

  run = ++ps->p;
  for (;;)
    {
      const guchar *p = ps->p;
      guchar c;

      /* Plain ASCII is by far the common case: skip it without copying. */
      while (p < ps->end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
        p++;
      ps->p = p;

      if (p >= ps->end)
        return syntax_error (ps, p, "unterminated string");

      c = *p;
      if (c == '"')
        {
          if (out != NULL)
            g_string_append_len (out, (const char *)run, p - run);
          ps->p = p + 1;
          return TRUE;
        }
      else if (c == '\\')
        {
          if (out != NULL)
            g_string_append_len (out, (const char *)run, p - run);
          if (!parse_escape (ps, out))
            return FALSE;
          run = ps->p;
        }
      else if (c >= 0x80)
        {
          gsize n = utf8_sequence (p, ps->end - p);

          if (n == 0)
            return syntax_error (ps, p, "invalid UTF-8");
          ps->p = p + n;
        }
      else if (c == '\0')
        return syntax_error (ps, p, "NUL byte");
      else
        return syntax_error (ps, p, "unescaped control character in a string");
    }
}

static inline gboolean
is_digit (const Parser *ps, const guchar *p)
{
  return p < ps->end && *p >= '0' && *p <= '9';
}

static gboolean
parse_number (Parser *ps, JsonNode **out)
{
  const guchar *start = ps->p;
  const guchar *p = start;
  gboolean negative = FALSE;
  gboolean integral = TRUE;
  gboolean overflow = FALSE;
  guint64 magnitude = 0;

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (!is_digit (ps, p))
    return p < ps->end ? unexpected (ps, p, "a digit") : syntax_error (ps, p, "truncated number");

  if (*p == '0')
    {
      p++;
      if (is_digit (ps, p))
        return syntax_error (ps, p, "leading zeros are not allowed");
    }
  else
    for (; is_digit (ps, p); p++)
      {
        guint digit = *p - '0';

        if (magnitude > (G_MAXUINT64 - digit) / 10)
          overflow = TRUE;
        else
          magnitude = magnitude * 10 + digit;
      }

  if (p < ps->end && *p == '.')
    {
      integral = FALSE;
      p++;
      if (!is_digit (ps, p))
        return p < ps->end ? unexpected (ps, p, "a digit")
                           : syntax_error (ps, p, "truncated number");
      while (is_digit (ps, p))
        p++;
    }
  if (p < ps->end && (*p == 'e' || *p == 'E'))
    {
      integral = FALSE;
      p++;
      if (p < ps->end && (*p == '+' || *p == '-'))
        p++;
      if (!is_digit (ps, p))
        return p < ps->end ? unexpected (ps, p, "a digit")
                           : syntax_error (ps, p, "truncated number");
      while (is_digit (ps, p))
        p++;
    }
  ps->p = p;

  if (integral && !overflow && magnitude <= (guint64)G_MAXINT64 + (negative ? 1 : 0))
    {
      if (out != NULL)
        {
          /* Written so that -2^63 never passes through +2^63. */
          gint64 value
              = negative && magnitude > 0 ? -(gint64)(magnitude - 1) - 1 : (gint64)magnitude;

          *out = json_node_init_int (json_node_alloc (), value);
        }
    }
  else
    {
      char small[64];
      g_autofree char *large = NULL;
      char *text = small;
      gsize len = p - start;
      double value;

      /* Valid JSON that does not fit a gint64 (or a double) still parses:
       * it becomes a double node, infinite if need be, which no integer
       * parameter accepts. The caller then answers -32602 naming the
       * field instead of a -32700 that cannot even say which request it
       * was. A money amount is never rounded on its way in. */
      if (len >= sizeof small)
        text = large = g_malloc (len + 1);
      memcpy (text, start, len);
      text[len] = '\0';
      value = g_ascii_strtod (text, NULL);
      if (out != NULL)
        *out = json_node_init_double (json_node_alloc (), value);
    }
  return TRUE;
}

static gboolean
parse_literal (Parser *ps, JsonNode **out)
{
  static const struct
  {
    const char *text;
    gsize len;
  } literals[] = { { "true", 4 }, { "false", 5 }, { "null", 4 } };

  for (gsize i = 0; i < G_N_ELEMENTS (literals); i++)
    {
      if (*ps->p != (guchar)literals[i].text[0])
        continue;
      if ((gsize)(ps->end - ps->p) < literals[i].len
          || memcmp (ps->p, literals[i].text, literals[i].len) != 0)
        return syntax_error (ps, ps->p, "invalid literal");
      ps->p += literals[i].len;
      if (out != NULL)
        *out = i == 2 ? json_node_init_null (json_node_alloc ())
                      : json_node_init_boolean (json_node_alloc (), i == 0);
      return TRUE;
    }
  return unexpected (ps, ps->p, "a value");
}

static gboolean
building (const Parser *ps)
{
  return ps->depth <= MAX_DEPTH;
}

/* Hands a finished value to the container it belongs to. A NULL @node is a
 * container that was too deep to build: it is left out. */
static void
add_value (Parser *ps, JsonNode *node, JsonNode **root, ParseState *state)
{
  Frame *frame;

  if (ps->depth == 0)
    {
      *root = node;
      *state = ST_DONE;
      return;
    }

  *state = ST_COMMA;
  if (node == NULL)
    return;

  frame = &ps->frames[ps->depth - 1];
  if (JSON_NODE_HOLDS_OBJECT (frame->node))
    json_object_set_member (json_node_get_object (frame->node), frame->name->str, node);
  else
    json_array_add_element (json_node_get_array (frame->node), node);
}

static void
open_container (Parser *ps, gboolean is_object)
{
  gboolean build = ps->depth < MAX_DEPTH;

  if (!build)
    ps->too_deep = TRUE;
  kinds_push (ps, is_object);
  if (build)
    {
      Frame *frame = &ps->frames[ps->depth - 1];

      if (is_object)
        {
          frame->node = json_node_new (JSON_NODE_OBJECT);
          json_node_take_object (frame->node, json_object_new ());
          if (frame->name == NULL)
            frame->name = g_string_sized_new (32);
        }
      else
        {
          frame->node = json_node_new (JSON_NODE_ARRAY);
          json_node_take_array (frame->node, json_array_new ());
        }
    }
  ps->p++;
}

static JsonNode *
close_container (Parser *ps)
{
  JsonNode *node = NULL;

  if (building (ps))
    {
      node = ps->frames[ps->depth - 1].node;
      ps->frames[ps->depth - 1].node = NULL;
    }
  ps->depth--;
  ps->p++;
  return node;
}

/*
 * Parses one JSON text. Containers nested deeper than MAX_DEPTH are
 * validated but left out of the tree and *@too_deep is set, so that the
 * caller can still read the shallow members (the request's "id").
 */
static JsonNode *
parse_json (const char *text, gsize len, gsize max_values, gboolean *too_deep, GError **error)
{
  Parser ps = { 0 };
  JsonNode *root = NULL;
  ParseState state = ST_VALUE;
  gboolean ok = TRUE;

  ps.begin = ps.p = (const guchar *)(text != NULL ? text : "");
  ps.end = ps.begin + (text != NULL ? len : 0);
  ps.error = error;
  ps.scratch = g_string_sized_new (64);
  ps.kinds = ps.kinds_inline;
  ps.kinds_bytes = sizeof ps.kinds_inline;
  ps.max_values = max_values;

  while (ok)
    {
      JsonNode *value = NULL;
      guchar c;

      skip_ws (&ps);
      if (ps.p >= ps.end)
        {
          if (state != ST_DONE)
            ok = syntax_error (&ps, ps.p,
                               state == ST_VALUE && ps.depth == 0 ? "empty message"
                                                                  : "unexpected end of input");
          break;
        }
      c = *ps.p;

      switch (state)
        {
          case ST_DONE:
            ok = unexpected (&ps, ps.p, "end of input");
            break;

          case ST_ARRAY_FIRST:
            if (c == ']')
              {
                value = close_container (&ps);
                add_value (&ps, value, &root, &state);
                break;
              }
            G_GNUC_FALLTHROUGH;
          case ST_VALUE:
            /* Only values that are built count: deeper than MAX_DEPTH
             * nothing is kept, and the depth error says what is wrong. */
            if (ps.max_values > 0 && ps.depth < MAX_DEPTH && ++ps.n_values > ps.max_values)
              {
                if (error != NULL)
                  g_set_error (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_REQUEST,
                               "too many JSON values in one request (more than %" G_GSIZE_FORMAT
                               ")",
                               ps.max_values);
                ok = FALSE;
                break;
              }
            if (c == '{')
              {
                open_container (&ps, TRUE);
                state = ST_OBJECT_FIRST;
                break;
              }
            if (c == '[')
              {
                open_container (&ps, FALSE);
                state = ST_ARRAY_FIRST;
                break;
              }
            if (c == '"')
              {
                ok = parse_string (&ps, building (&ps) ? ps.scratch : NULL);
                if (ok && building (&ps))
                  value = json_node_init_string (json_node_alloc (), ps.scratch->str);
              }
            else if (c == '-' || (c >= '0' && c <= '9'))
              ok = parse_number (&ps, building (&ps) ? &value : NULL);
            else
              ok = parse_literal (&ps, building (&ps) ? &value : NULL);
            if (ok)
              add_value (&ps, value, &root, &state);
            break;

          case ST_OBJECT_FIRST:
            if (c == '}')
              {
                value = close_container (&ps);
                add_value (&ps, value, &root, &state);
                break;
              }
            G_GNUC_FALLTHROUGH;
          case ST_NAME:
            if (c != '"')
              {
                ok = unexpected (&ps, ps.p, "a member name");
                break;
              }
            if (building (&ps))
              {
                const guchar *at = ps.p;
                Frame *frame = &ps.frames[ps.depth - 1];

                ok = parse_string (&ps, frame->name);
                /* Two readers of one message must not see different values:
                 * which duplicate wins is undefined between JSON parsers. */
                if (ok
                    && json_object_has_member (json_node_get_object (frame->node),
                                               frame->name->str))
                  {
                    /* The message goes back to the peer: no echoing megabytes. */
                    if (frame->name->len <= 64)
                      ok = syntax_error (&ps, at, "duplicate member \"%s\"", frame->name->str);
                    else
                      ok = syntax_error (&ps, at, "duplicate member");
                  }
              }
            else
              ok = parse_string (&ps, NULL);
            state = ST_COLON;
            break;

          case ST_COLON:
            if (c == ':')
              {
                ps.p++;
                state = ST_VALUE;
              }
            else
              ok = unexpected (&ps, ps.p, "':'");
            break;

          case ST_COMMA:
            if (c == ',')
              {
                ps.p++;
                state = top_is_object (&ps) ? ST_NAME : ST_VALUE;
              }
            else if (c == (top_is_object (&ps) ? '}' : ']'))
              {
                value = close_container (&ps);
                add_value (&ps, value, &root, &state);
              }
            else
              ok = unexpected (&ps, ps.p, top_is_object (&ps) ? "',' or '}'" : "',' or ']'");
            break;

          default:
            g_assert_not_reached ();
        }
    }

  for (gsize i = 0; i < MAX_DEPTH; i++)
    {
      g_clear_pointer (&ps.frames[i].node, json_node_unref);
      if (ps.frames[i].name != NULL)
        g_string_free (ps.frames[i].name, TRUE);
    }
  if (ps.kinds != ps.kinds_inline)
    g_free (ps.kinds);
  g_string_free (ps.scratch, TRUE);

  if (!ok)
    {
      g_clear_pointer (&root, json_node_unref);
      return NULL;
    }
  *too_deep = ps.too_deep;
  return root;
}

/* ------------------------------------------------------------------------
 * Writer
 * ------------------------------------------------------------------------ */

static void
write_int (GString *out, gint64 value)
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

static void
write_string (GString *out, const char *text)
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
      if (c >= 0x80 && (n = utf8_sequence (p, 4)) != 0)
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

static void write_node (GString *out, JsonNode *node, int indent);

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
      write_string (out, name);
      g_string_append (out, indent < 0 ? ":" : ": ");
      write_node (out, member, inner);
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
      write_node (out, json_array_get_element (array, i), inner);
    }
  if (n > 0)
    write_break (out, indent);
  g_string_append_c (out, ']');
}

static void
write_node (GString *out, JsonNode *node, int indent)
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
        write_int (out, json_node_get_int (node));
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
            write_string (out, text);
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

  write_node (out, node, pretty ? 0 : -1);
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------
 * Requests
 * ------------------------------------------------------------------------ */

void
kc_request_free (KcRequest *request)
{
  if (request == NULL)
    return;
  g_clear_pointer (&request->id, json_node_unref);
  g_free (request->method);
  g_clear_pointer (&request->params, json_object_unref);
  g_free (request);
}

static gboolean
id_is_valid (JsonNode *id)
{
  if (JSON_NODE_HOLDS_NULL (id))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (id))
    return FALSE;
  return json_node_get_value_type (id) == G_TYPE_INT64
         || json_node_get_value_type (id) == G_TYPE_STRING;
}

static gboolean
is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
check_jsonrpc (JsonObject *object, GError **error)
{
  JsonNode *version = json_object_get_member (object, "jsonrpc");

  if (!is_string (version) || strcmp (json_node_get_string (version), "2.0") != 0)
    {
      g_set_error_literal (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_REQUEST,
                           "\"jsonrpc\" must be \"2.0\"");
      return FALSE;
    }
  return TRUE;
}

static void
depth_error (GError **error)
{
  g_set_error (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_REQUEST, "Nesting deeper than %d levels",
               MAX_DEPTH);
}

KcRequest *
kc_request_parse (const char *line, gsize len, JsonNode **id_out, GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonNode) id = NULL;
  g_autoptr (KcRequest) request = NULL;
  JsonObject *object;
  JsonNode *member;
  gboolean too_deep = FALSE;

  if (id_out != NULL)
    *id_out = NULL;

  root = parse_json (line, len, KC_RPC_MAX_REQUEST_VALUES, &too_deep, error);
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      if (JSON_NODE_HOLDS_ARRAY (root))
        g_set_error_literal (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_REQUEST,
                             "Batch requests are not supported");
      else
        g_set_error_literal (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_REQUEST,
                             "A request must be a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);

  /* The id is checked first so that every later error can be addressed to
   * the caller that is waiting for it. */
  member = json_object_get_member (object, "id");
  if (member != NULL)
    {
      if (!id_is_valid (member))
        {
          g_set_error_literal (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_REQUEST,
                               "\"id\" must be a string, an integer or null");
          return NULL;
        }
      id = json_node_copy (member);
      if (id_out != NULL)
        *id_out = json_node_copy (id);
    }

  if (too_deep)
    {
      depth_error (error);
      return NULL;
    }
  if (!check_jsonrpc (object, error))
    return NULL;

  member = json_object_get_member (object, "method");
  if (!is_string (member))
    {
      g_set_error_literal (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_REQUEST,
                           member == NULL ? "\"method\" is missing"
                                          : "\"method\" must be a string");
      return NULL;
    }

  request = g_new0 (KcRequest, 1);
  request->method = g_strdup (json_node_get_string (member));

  member = json_object_get_member (object, "params");
  if (member == NULL)
    request->params = json_object_new ();
  else if (JSON_NODE_HOLDS_OBJECT (member))
    request->params = json_object_ref (json_node_get_object (member));
  else
    {
      g_set_error_literal (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_PARAMS,
                           "\"params\" must be an object");
      return NULL;
    }

  request->id = g_steal_pointer (&id);
  if (id_out != NULL)
    g_clear_pointer (id_out, json_node_unref);
  return g_steal_pointer (&request);
}

/* ------------------------------------------------------------------------
 * Builders
 * ------------------------------------------------------------------------ */

static GString *
envelope_begin (void)
{
  GString *out = g_string_sized_new (256);

  g_string_append (out, "{\"jsonrpc\":\"2.0\"");
  return out;
}

static char *
envelope_end (GString *out, gsize *len)
{
  g_string_append (out, "}\n");
  if (len != NULL)
    *len = out->len;
  return g_string_free (out, FALSE);
}

static const char *
default_message (int code)
{
  switch (code)
    {
      case KC_ERROR_PARSE:
        return "Parse error";
      case KC_ERROR_INVALID_REQUEST:
        return "Invalid request";
      case KC_ERROR_METHOD_NOT_FOUND:
        return "Method not found";
      case KC_ERROR_INVALID_PARAMS:
        return "Invalid params";
      case KC_ERROR_INTERNAL:
        return "Internal error";
      case KC_ERROR_NOT_LOGGED_IN:
        return "Not logged in";
      case KC_ERROR_SESSION_EXPIRED:
        return "Session expired or revoked";
      case KC_ERROR_FORBIDDEN:
        return "Forbidden for this role";
      case KC_ERROR_NOT_FOUND:
        return "Not found";
      case KC_ERROR_CONFLICT:
        return "The record was changed by someone else";
      case KC_ERROR_BAD_STATUS:
        return "Not allowed in the record's current status";
      case KC_ERROR_RULE:
        return "Refused by a business rule";
      case KC_ERROR_TOO_MANY:
        return "Too many attempts";
      case KC_ERROR_SECOND_FACTOR:
        return "Second factor required";
      case KC_ERROR_UNAVAILABLE:
        return "Temporarily unavailable";
      default:
        return "Error";
    }
}

char *
kc_rpc_build_result (JsonNode *id, JsonNode *result, gsize *len)
{
  GString *out = envelope_begin ();

  g_string_append (out, ",\"id\":");
  write_node (out, id, -1);
  g_string_append (out, ",\"result\":");
  write_node (out, result, -1);
  return envelope_end (out, len);
}

char *
kc_rpc_build_error (JsonNode *id, int code, const char *message, JsonNode *data, gsize *len)
{
  GString *out = envelope_begin ();

  g_string_append (out, ",\"id\":");
  write_node (out, id, -1);
  g_string_append (out, ",\"error\":{\"code\":");
  write_int (out, code);
  g_string_append (out, ",\"message\":");
  write_string (out, message != NULL ? message : default_message (code));
  if (data != NULL)
    {
      g_string_append (out, ",\"data\":");
      write_node (out, data, -1);
    }
  g_string_append_c (out, '}');
  return envelope_end (out, len);
}

char *
kc_rpc_build_notification (const char *method, JsonNode *params, gsize *len)
{
  GString *out;

  g_return_val_if_fail (method != NULL, NULL);

  out = envelope_begin ();
  g_string_append (out, ",\"method\":");
  write_string (out, method);
  if (params != NULL)
    {
      g_string_append (out, ",\"params\":");
      write_node (out, params, -1);
    }
  return envelope_end (out, len);
}

char *
kc_rpc_build_request (gint64 id, const char *method, JsonNode *params, gsize *len)
{
  GString *out;

  g_return_val_if_fail (method != NULL, NULL);

  out = envelope_begin ();
  g_string_append (out, ",\"id\":");
  write_int (out, id);
  g_string_append (out, ",\"method\":");
  write_string (out, method);
  if (params != NULL)
    {
      g_string_append (out, ",\"params\":");
      write_node (out, params, -1);
    }
  return envelope_end (out, len);
}

/* ------------------------------------------------------------------------
 * Responses
 * ------------------------------------------------------------------------ */

void
kc_response_free (KcResponse *response)
{
  if (response == NULL)
    return;
  g_clear_pointer (&response->id, json_node_unref);
  g_clear_pointer (&response->result, json_node_unref);
  g_free (response->error_message);
  g_clear_pointer (&response->error_data, json_node_unref);
  g_free (response->method);
  g_clear_pointer (&response->params, json_node_unref);
  g_free (response);
}

static gboolean
invalid_response (GError **error, const char *message)
{
  g_set_error_literal (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_REQUEST, message);
  return FALSE;
}

static gboolean
parse_error_member (KcResponse *response, JsonNode *node, GError **error)
{
  JsonObject *object;
  JsonNode *code;
  JsonNode *message;
  JsonNode *data;
  gint64 value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid_response (error, "\"error\" must be an object");
  object = json_node_get_object (node);

  code = json_object_get_member (object, "code");
  if (code == NULL || !JSON_NODE_HOLDS_VALUE (code)
      || json_node_get_value_type (code) != G_TYPE_INT64)
    return invalid_response (error, "\"error.code\" must be an integer");
  value = json_node_get_int (code);
  /* 0 is how KcResponse says "success", so no error may carry it. */
  if (value == 0 || value < G_MININT || value > G_MAXINT)
    return invalid_response (error, "\"error.code\" is out of range");

  message = json_object_get_member (object, "message");
  if (!is_string (message))
    return invalid_response (error, "\"error.message\" must be a string");

  response->error_code = (int)value;
  response->error_message = g_strdup (json_node_get_string (message));
  data = json_object_get_member (object, "data");
  if (data != NULL)
    response->error_data = json_node_copy (data);
  return TRUE;
}

KcResponse *
kc_response_parse (const char *line, gsize len, GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (KcResponse) response = NULL;
  JsonObject *object;
  JsonNode *id;
  JsonNode *method;
  JsonNode *result;
  JsonNode *error_node;
  gboolean too_deep = FALSE;

  root = parse_json (line, len, 0, &too_deep, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      invalid_response (error, "A response must be a JSON object");
      return NULL;
    }
  if (too_deep)
    {
      depth_error (error);
      return NULL;
    }

  object = json_node_get_object (root);
  if (!check_jsonrpc (object, error))
    return NULL;

  response = g_new0 (KcResponse, 1);
  id = json_object_get_member (object, "id");
  method = json_object_get_member (object, "method");

  if (method != NULL)
    {
      JsonNode *params;

      /* The server never calls the client, so a method is always a
       * notification. */
      if (id != NULL)
        {
          invalid_response (error, "Requests from the server are not supported");
          return NULL;
        }
      if (!is_string (method))
        {
          invalid_response (error, "\"method\" must be a string");
          return NULL;
        }

      response->is_notification = TRUE;
      response->method = g_strdup (json_node_get_string (method));
      params = json_object_get_member (object, "params");
      if (params != NULL)
        response->params = json_node_copy (params);
      return g_steal_pointer (&response);
    }

  if (id == NULL)
    {
      invalid_response (error, "A response must have an \"id\"");
      return NULL;
    }
  if (!id_is_valid (id))
    {
      invalid_response (error, "\"id\" must be a string, an integer or null");
      return NULL;
    }
  response->id = json_node_copy (id);

  result = json_object_get_member (object, "result");
  error_node = json_object_get_member (object, "error");
  if ((result == NULL) == (error_node == NULL))
    {
      invalid_response (error, "A response must have exactly one of \"result\" and \"error\"");
      return NULL;
    }

  if (result != NULL)
    response->result = json_node_copy (result);
  else if (!parse_error_member (response, error_node, error))
    return NULL;

  return g_steal_pointer (&response);
}

/* ------------------------------------------------------------------------
 * Field errors
 * ------------------------------------------------------------------------ */

typedef struct
{
  char *field;
  char *message;
  char *rule;
  JsonObject *data;
} FieldError;

struct _KcFieldErrors
{
  GArray *items; /* of FieldError */
};

static void
field_error_clear (gpointer data)
{
  FieldError *item = data;

  g_free (item->field);
  g_free (item->message);
  g_free (item->rule);
  if (item->data != NULL)
    json_object_unref (item->data);
}

KcFieldErrors *
kc_field_errors_new (void)
{
  KcFieldErrors *errors = g_new0 (KcFieldErrors, 1);

  errors->items = g_array_new (FALSE, FALSE, sizeof (FieldError));
  g_array_set_clear_func (errors->items, field_error_clear);
  return errors;
}

void
kc_field_errors_free (KcFieldErrors *errors)
{
  if (errors == NULL)
    return;
  g_array_unref (errors->items);
  g_free (errors);
}

void
kc_field_errors_add (KcFieldErrors *errors, const char *field, const char *message)
{
  FieldError item;

  g_return_if_fail (errors != NULL);
  g_return_if_fail (field != NULL);
  g_return_if_fail (message != NULL);

  item.field = g_strdup (field);
  item.message = g_strdup (message);
  item.rule = NULL;
  item.data = NULL;
  g_array_append_val (errors->items, item);
}

void
kc_field_errors_add_rule (KcFieldErrors *errors, const char *field, const char *rule,
                          JsonObject *data, const char *message)
{
  FieldError item;

  g_return_if_fail (errors != NULL);
  g_return_if_fail (field != NULL);
  g_return_if_fail (message != NULL);

  item.field = g_strdup (field);
  item.message = g_strdup (message);
  item.rule = g_strdup (rule);
  item.data = data;
  g_array_append_val (errors->items, item);
}

guint
kc_field_errors_count (KcFieldErrors *errors)
{
  g_return_val_if_fail (errors != NULL, 0);

  return errors->items->len;
}

JsonNode *
kc_field_errors_to_data (KcFieldErrors *errors)
{
  JsonObject *data;
  JsonArray *fields;
  JsonNode *node;

  g_return_val_if_fail (errors != NULL, NULL);

  fields = json_array_sized_new (errors->items->len);
  for (guint i = 0; i < errors->items->len; i++)
    {
      const FieldError *item = &g_array_index (errors->items, FieldError, i);
      JsonObject *entry = json_object_new ();

      json_object_set_string_member (entry, "field", item->field);
      json_object_set_string_member (entry, "message", item->message);
      if (item->rule != NULL)
        json_object_set_string_member (entry, "rule", item->rule);
      if (item->data != NULL)
        json_object_set_object_member (entry, "data", json_object_ref (item->data));
      json_array_add_object_element (fields, entry);
    }

  data = json_object_new ();
  json_object_set_array_member (data, "fields", fields);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, data);
  return node;
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
