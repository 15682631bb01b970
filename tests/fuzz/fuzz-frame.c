/*
 * fuzz-frame.c — kc-frame against a reference splitter.
 *
 * Input: byte 0 picks the line limit, byte 1 seeds the chunk sizes, the
 * rest is the stream. The reference cuts the whole stream at '\n' in one
 * go; the reader, fed in chunks and drained after each, must return the
 * same lines, and KC_FRAME_TOO_LONG exactly when a line (or the unfinished
 * tail) is longer than the limit. Chunking must never change the result.
 */
#include "kc-frame.h"
#include "kc-fuzz.h"

#include <string.h>

static gboolean
blank (const guint8 *p, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
      return FALSE;
  return TRUE;
}

/* The lines the reference expects, and whether it ends in TOO_LONG. */
static GPtrArray *
reference_lines (const guint8 *s, gsize len, gsize max_line, gboolean *too_long, gsize *tail_start)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
  gsize start = 0;

  *too_long = FALSE;
  for (gsize i = 0; i < len; i++)
    {
      gsize line_len;

      if (s[i] != '\n')
        continue;
      line_len = i - start;
      if (line_len > max_line)
        {
          *too_long = TRUE;
          return lines;
        }
      if (line_len > 0 && s[start + line_len - 1] == '\r')
        line_len--;
      if (!blank (s + start, line_len))
        g_ptr_array_add (lines, g_bytes_new (s + start, line_len));
      start = i + 1;
    }
  *tail_start = start;
  if (len - start > max_line)
    *too_long = TRUE;
  return lines;
}

/* xorshift: chunk sizes from a seed byte, so an input replays exactly. */
static guint32
next_rand (guint32 *state)
{
  guint32 x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *state = x;
}

int
kc_fuzz_frame (const guint8 *data, gsize size)
{
  g_autoptr (KcFrameReader) reader = NULL;
  g_autoptr (GPtrArray) expected = NULL;
  gsize max_line;
  guint32 rng;
  gboolean expect_too_long;
  gboolean got_too_long = FALSE;
  gsize tail_start = 0;
  guint n_lines = 0;
  gsize pos;

  if (size < 2)
    return 0;
  /* Mostly small limits, so that overlong lines are common; sometimes one
   * above the reader's internal buffer sizes (4 KiB, 64 KiB). */
  max_line = data[0] & 0x80 ? (gsize)(data[0] & 0x7f) * 1024 + 1 : data[0];
  rng = 0x9e3779b9u ^ data[1];
  data += 2;
  size -= 2;

  expected = reference_lines (data, size, max_line, &expect_too_long, &tail_start);
  reader = kc_frame_reader_new (max_line);

  for (pos = 0; pos < size && !got_too_long;)
    {
      guint32 r = next_rand (&rng);
      /* 1..16 bytes mostly, now and then up to 8 KiB at once. */
      gsize chunk = (r & 7) == 0 ? 1 + (r >> 8) % 8192 : 1 + (r >> 8) % 16;
      chunk = MIN (chunk, size - pos);
      kc_frame_reader_feed (reader, (const char *)data + pos, chunk);
      pos += chunk;

      for (;;)
        {
          char *line = NULL;
          gsize len = 0;
          KcFrameStatus status = kc_frame_reader_next (reader, &line, &len);

          if (status == KC_FRAME_NEED_MORE)
            {
              g_assert (line == NULL);
              break;
            }
          if (status == KC_FRAME_TOO_LONG)
            {
              g_assert (line == NULL);
              got_too_long = TRUE;
              break;
            }
          g_assert (status == KC_FRAME_LINE && line != NULL);
          if (n_lines >= expected->len)
            g_error ("reader returned more lines than the reference");
          {
            GBytes *want = g_ptr_array_index (expected, n_lines);
            gsize want_len;
            const guint8 *want_data = g_bytes_get_data (want, &want_len);
            if (len != want_len || memcmp (line, want_data, len) != 0 || line[len] != '\0')
              g_error ("line %u differs from the reference", n_lines);
          }
          g_assert (len <= max_line);
          n_lines++;
          g_free (line);
        }
    }

  if (got_too_long != expect_too_long)
    g_error ("reader %s TOO_LONG, the reference %s", got_too_long ? "said" : "never said",
             expect_too_long ? "did" : "did not");
  if (got_too_long)
    {
      char *line = NULL;
      /* A failed reader stays failed and holds nothing. */
      kc_frame_reader_feed (reader, "x\n", 2);
      g_assert (kc_frame_reader_next (reader, &line, NULL) == KC_FRAME_TOO_LONG);
      g_assert (line == NULL);
      g_assert (kc_frame_reader_buffered (reader) == 0);
      /* The reference stops at the first overlong line; lines before it
       * were all returned (the reader may stop at the same point only). */
      g_assert (n_lines == expected->len);
      return 0;
    }

  if (n_lines != expected->len)
    g_error ("reader returned %u lines, the reference %u", n_lines, expected->len);
  g_assert (kc_frame_reader_buffered (reader) == size - tail_start);
  g_assert (kc_frame_reader_has_partial (reader) == !blank (data + tail_start, size - tail_start));
  return 0;
}

#ifdef KC_FUZZ_LIBFUZZER
KC_FUZZ_ENTRY (kc_fuzz_frame)
#endif
