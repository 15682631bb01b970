/*
 * kc-frame.c — incremental line framing.
 *
 * The buffer holds the live bytes in [start, end). Bytes in [start, scan)
 * are known to contain no '\n', so each byte is searched once however the
 * input is chunked. Consumed space at the front is reclaimed only when a
 * feed does not fit, and when that would copy more than it frees the buffer
 * doubles as well, so copying stays linear in the bytes fed.
 */
#include "kc-frame.h"

#include <string.h>

/* Buffers grown past this by a long line are released once drained, so an
 * idle connection does not keep a 16 MiB buffer. */
#define KEEP_CAPACITY (64 * 1024)
#define MIN_CAPACITY 4096

struct _KcFrameReader
{
  char *buf;
  gsize cap;
  gsize start;
  gsize end;
  gsize scan;
  gsize max_line;
  gboolean failed;
  gboolean skipping; /* dropping bytes up to the next '\n' */
};

KcFrameReader *
kc_frame_reader_new (gsize max_line)
{
  KcFrameReader *reader = g_new0 (KcFrameReader, 1);

  reader->max_line = max_line;
  return reader;
}

void
kc_frame_reader_free (KcFrameReader *reader)
{
  if (reader == NULL)
    return;
  g_free (reader->buf);
  g_free (reader);
}

void
kc_frame_reader_set_max_line (KcFrameReader *reader, gsize max_line)
{
  g_return_if_fail (reader != NULL);

  reader->max_line = max_line;
}

static void
release_buffer (KcFrameReader *reader)
{
  g_clear_pointer (&reader->buf, g_free);
  reader->cap = 0;
  reader->start = reader->end = reader->scan = 0;
}

/* Called whenever the buffer becomes empty: resetting the offsets makes the
 * common case (whole lines per read) never move memory at all. */
static void
reset_if_drained (KcFrameReader *reader)
{
  if (reader->start != reader->end)
    return;
  if (reader->cap > KEEP_CAPACITY)
    release_buffer (reader);
  else
    reader->start = reader->end = reader->scan = 0;
}

static void
make_room (KcFrameReader *reader, gsize len)
{
  gsize live = reader->end - reader->start;
  gboolean grow;

  if (reader->cap - reader->end >= len)
    return;

  /* Moving the live bytes down alone is only worth it when it frees at
   * least as much as it copies; otherwise grow too (geometrically), which
   * keeps the total work linear in the bytes fed. */
  grow = reader->cap - live < len || reader->start < live;

  if (reader->start > 0)
    {
      memmove (reader->buf, reader->buf + reader->start, live);
      reader->scan -= reader->start;
      reader->end = live;
      reader->start = 0;
    }

  if (grow)
    {
      gsize cap = MAX (MAX (reader->cap * 2, MIN_CAPACITY), live + len);

      reader->buf = g_realloc (reader->buf, cap);
      reader->cap = cap;
    }
}

void
kc_frame_reader_feed (KcFrameReader *reader, const char *data, gsize len)
{
  g_return_if_fail (reader != NULL);
  g_return_if_fail (data != NULL || len == 0);

  /* After an overlong line the stream cannot be resynchronised; keeping
   * what follows would only let a peer grow our memory. */
  if (reader->failed || len == 0)
    return;
  if (reader->skipping)
    {
      const char *nl = memchr (data, '\n', len);

      if (nl == NULL)
        return;
      reader->skipping = FALSE;
      len -= (gsize)(nl + 1 - data);
      data = nl + 1;
      if (len == 0)
        return;
    }

  make_room (reader, len);
  memcpy (reader->buf + reader->end, data, len);
  reader->end += len;
}

static gboolean
is_blank (const char *p, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
      return FALSE;
  return TRUE;
}

static KcFrameStatus
fail (KcFrameReader *reader)
{
  reader->failed = TRUE;
  release_buffer (reader);
  return KC_FRAME_TOO_LONG;
}

KcFrameStatus
kc_frame_reader_next (KcFrameReader *reader, char **line, gsize *len)
{
  g_return_val_if_fail (reader != NULL, KC_FRAME_NEED_MORE);
  g_return_val_if_fail (line != NULL, KC_FRAME_NEED_MORE);

  *line = NULL;
  if (len != NULL)
    *len = 0;

  if (reader->failed)
    return KC_FRAME_TOO_LONG;

  for (;;)
    {
      const char *begin;
      const char *nl;
      gsize line_len;
      char *copy;

      nl = reader->scan < reader->end
               ? memchr (reader->buf + reader->scan, '\n', reader->end - reader->scan)
               : NULL;
      if (nl == NULL)
        {
          reader->scan = reader->end;
          if (reader->end - reader->start > reader->max_line)
            return fail (reader);
          return KC_FRAME_NEED_MORE;
        }

      /* The limit counts every byte before '\n', a '\r' included, so that
       * it can be enforced before the terminator has arrived. */
      begin = reader->buf + reader->start;
      line_len = (gsize)(nl - begin);
      if (line_len > reader->max_line)
        return fail (reader);

      reader->start += line_len + 1;
      reader->scan = reader->start;

      if (line_len > 0 && begin[line_len - 1] == '\r')
        line_len--;

      if (is_blank (begin, line_len))
        {
          reset_if_drained (reader);
          continue;
        }

      copy = g_malloc (line_len + 1);
      memcpy (copy, begin, line_len);
      copy[line_len] = '\0';
      reset_if_drained (reader);

      *line = copy;
      if (len != NULL)
        *len = line_len;
      return KC_FRAME_LINE;
    }
}

gboolean
kc_frame_reader_has_partial (KcFrameReader *reader)
{
  const char *begin;
  const char *last_nl;
  gsize tail_start;

  g_return_val_if_fail (reader != NULL, FALSE);

  if (reader->skipping)
    return TRUE;
  if (reader->start == reader->end)
    return FALSE;

  begin = reader->buf + reader->start;
  last_nl = memrchr (begin, '\n', reader->end - reader->start);
  tail_start = last_nl != NULL ? (gsize)(last_nl - reader->buf) + 1 : reader->start;

  /* Whitespace after the last '\n' is a blank line in the making, not a
   * message cut short: a peer may well close after "...\n\r" or "\n ". */
  return !is_blank (reader->buf + tail_start, reader->end - tail_start);
}

gsize
kc_frame_reader_buffered (KcFrameReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  return reader->end - reader->start;
}

const char *
kc_frame_reader_peek_partial (KcFrameReader *reader, gsize *len)
{
  g_return_val_if_fail (reader != NULL, NULL);

  *len = reader->failed ? 0 : reader->end - reader->start;
  return *len > 0 ? reader->buf + reader->start : NULL;
}

void
kc_frame_reader_skip_partial (KcFrameReader *reader)
{
  g_return_if_fail (reader != NULL);

  if (reader->failed)
    return;
  reader->start = reader->end = reader->scan = 0;
  if (reader->cap > KEEP_CAPACITY)
    release_buffer (reader);
  reader->skipping = TRUE;
}
