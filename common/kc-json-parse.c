/*
 * kc-json-parse.c — a strict RFC 8259 parser of our own (see kc-json-text.h).
 *
 * Not JsonParser: json-glib 1.6's parser recurses once per nesting level (a
 * line of "[[[[..." would exhaust the stack), silently wraps integers that
 * do not fit gint64 (fatal for money), and accepts hex numbers, leading
 * zeros, single quotes, comments and trailing garbage. Ours is a single
 * non-recursive pass that validates UTF-8 as it goes and builds JsonNodes
 * directly, so every request is scanned once.
 */
#include "kc-json-text.h"

#include <math.h>
#include <string.h>

#include "kc-error.h"

/* ------------------------------------------------------------------------
 * UTF-8
 * ------------------------------------------------------------------------ */

/* Length of the well-formed UTF-8 sequence at @p (at most @avail bytes), or
 * 0 if it is not one: overlong forms, surrogates and code points beyond
 * U+10FFFF are refused, as RFC 3629 requires. Bytes are checked in order,
 * so a NUL terminator stops the check before anything past it is read. */
gsize
kc_json_utf8_sequence (const guchar *p, gsize avail)
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
   * KC_JSON_MAX_DEPTH are still checked for syntax but not built, so this stack,
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

  Frame frames[KC_JSON_MAX_DEPTH];
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
    return syntax_error (ps, at, "%s",
                         kc_json_utf8_sequence (at, ps->end - at) ? "unexpected character"
                                                                  : "invalid UTF-8");
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
          gsize n = kc_json_utf8_sequence (p, ps->end - p);

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
  return ps->depth <= KC_JSON_MAX_DEPTH;
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
  gboolean build = ps->depth < KC_JSON_MAX_DEPTH;

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
 * Parses one JSON text. Containers nested deeper than KC_JSON_MAX_DEPTH are
 * validated but left out of the tree and *@too_deep is set, so that the
 * caller can still read the shallow members (the request's "id").
 */
JsonNode *
kc_json_parse_text (const char *text, gsize len, gsize max_values, gboolean *too_deep,
                    GError **error)
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
            /* Only values that are built count: deeper than KC_JSON_MAX_DEPTH
             * nothing is kept, and the depth error says what is wrong. */
            if (ps.max_values > 0 && ps.depth < KC_JSON_MAX_DEPTH && ++ps.n_values > ps.max_values)
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

  for (gsize i = 0; i < KC_JSON_MAX_DEPTH; i++)
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
