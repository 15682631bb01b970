/*
 * kc-csv.c — RFC 4180 reading and quoting (see kc-csv.h).
 */
#include "kc-csv.h"

#include <string.h>

#include "kc-error.h"

void
kc_csv_record_free (KcCsvRecord *record)
{
  if (record == NULL)
    return;
  g_strfreev (record->fields);
  g_free (record);
}

static gboolean
record_is_blank (GPtrArray *fields)
{
  return fields->len == 1 && ((const char *)fields->pdata[0])[0] == '\0';
}

static void
end_record (GPtrArray *records, GPtrArray *fields, guint line, gboolean quoted_seen)
{
  KcCsvRecord *record;

  if (!quoted_seen && record_is_blank (fields))
    {
      g_ptr_array_set_size (fields, 0);
      return;
    }
  record = g_new0 (KcCsvRecord, 1);
  record->line = line;
  record->n_fields = fields->len;
  g_ptr_array_add (fields, NULL);
  record->fields = (char **)g_ptr_array_steal (fields, NULL);
  g_ptr_array_add (records, record);
}

GPtrArray *
kc_csv_parse (const char *text, gssize len, char delimiter, GError **error)
{
  g_autoptr (GPtrArray) records
      = g_ptr_array_new_with_free_func ((GDestroyNotify)kc_csv_record_free);
  g_autoptr (GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) field = g_string_new (NULL);
  const char *p, *end;
  guint line = 1, record_line = 1;
  gboolean quoted_seen = FALSE;

  g_return_val_if_fail (text != NULL || len == 0, NULL);
  if (len < 0)
    len = (gssize)strlen (text);
  if (!g_utf8_validate_len (text, (gsize)len, &end))
    {
      guint bad_line = 1;
      for (const char *c = text; c < end; c++)
        bad_line += *c == '\n';
      g_set_error (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_PARAMS,
                   "line %u: the file is not valid UTF-8", bad_line);
      return NULL;
    }
  p = text;
  end = text + len;
  if (len >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  /* one field per iteration: at p a field starts */
  while (p < end)
    {
      g_string_truncate (field, 0);
      if (*p == '"')
        {
          guint quote_line = line;
          quoted_seen = TRUE;
          p++;
          for (;;)
            {
              if (p >= end)
                {
                  g_set_error (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_PARAMS,
                               "line %u: a quoted field is not closed", quote_line);
                  return NULL;
                }
              if (*p == '"')
                {
                  if (p + 1 < end && p[1] == '"')
                    {
                      g_string_append_c (field, '"');
                      p += 2;
                      continue;
                    }
                  p++;
                  break;
                }
              if (*p == '\n')
                line++;
              g_string_append_c (field, *p++);
            }
          if (p < end && *p != delimiter && *p != '\n'
              && !(*p == '\r' && p + 1 < end && p[1] == '\n') && !(*p == '\r' && p + 1 == end))
            {
              g_set_error (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_PARAMS,
                           "line %u: text after the closing quote of a field", line);
              return NULL;
            }
        }
      else
        {
          while (p < end && *p != delimiter && *p != '\n'
                 && !(*p == '\r' && (p + 1 == end || p[1] == '\n')))
            {
              if (*p == '"')
                {
                  g_set_error (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_PARAMS,
                               "line %u: a quote inside a field that does not start with one "
                               "(write it as \"\" inside a quoted field)",
                               line);
                  return NULL;
                }
              g_string_append_c (field, *p++);
            }
        }
      g_ptr_array_add (fields, g_strdup (field->str));
      if (p >= end)
        break;
      if (*p == delimiter)
        {
          p++;
          if (p >= end) /* a delimiter at the very end: one more empty field */
            g_ptr_array_add (fields, g_strdup (""));
          continue;
        }
      /* end of the record */
      p += *p == '\r' ? 2 : 1;
      if (p > end)
        p = end;
      end_record (records, fields, record_line, quoted_seen);
      line++;
      record_line = line;
      quoted_seen = FALSE;
    }
  if (fields->len > 0)
    end_record (records, fields, record_line, quoted_seen);
  return g_steal_pointer (&records);
}

char
kc_csv_guess_delimiter (const char *text, gssize len)
{
  gboolean quoted = FALSE;
  guint commas = 0, semicolons = 0;

  if (len < 0)
    len = (gssize)strlen (text);
  for (gssize i = 0; i < len; i++)
    {
      char c = text[i];
      if (c == '"')
        quoted = !quoted;
      else if (!quoted && (c == '\n' || c == '\r'))
        break;
      else if (!quoted && c == ',')
        commas++;
      else if (!quoted && c == ';')
        semicolons++;
    }
  return semicolons > 0 && commas == 0 ? ';' : ',';
}

char *
kc_csv_quote (const char *field, char delimiter)
{
  GString *out;
  gsize n = strlen (field);

  if (strchr (field, delimiter) == NULL && strpbrk (field, "\"\r\n") == NULL
      && (n == 0 || (field[0] != ' ' && field[n - 1] != ' ')))
    return g_strdup (field);
  out = g_string_sized_new (n + 2);
  g_string_append_c (out, '"');
  for (const char *c = field; *c != '\0'; c++)
    {
      if (*c == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *c);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

char *
kc_csv_neutralise (const char *text)
{
  if (text[0] != '\0' && strchr ("=+-@\t\r", text[0]) != NULL)
    return g_strconcat ("'", text, NULL);
  return g_strdup (text);
}
