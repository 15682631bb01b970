/*
 * test-frame.c — the line framing reader.
 */
#include "kc-frame.h"

#include <string.h>

typedef struct
{
  const char *name;
  const char *input;
  gsize input_len;         /* 0: strlen (input) */
  const char *expected[6]; /* lines returned, NULL-terminated */
  gsize expected_len[6];   /* 0: strlen (expected[i]) */
  gboolean partial;        /* has_partial() once drained */
} SplitCase;

static const SplitCase split_cases[] = {
  { "one", "abc\n", 0, { "abc", NULL }, { 0 }, FALSE },
  { "several", "a\nbb\nccc\n", 0, { "a", "bb", "ccc", NULL }, { 0 }, FALSE },
  { "blank-lines", "\n\n  \n\t \r\n{}\n\n", 0, { "{}", NULL }, { 0 }, FALSE },
  { "crlf", "{\"a\":1}\r\n{\"b\":2}\r\n", 0, { "{\"a\":1}", "{\"b\":2}", NULL }, { 0 }, FALSE },
  { "only-one-cr-removed", "x\r\r\n", 0, { "x\r", NULL }, { 0 }, FALSE },
  { "inner-cr-kept", "a\rb\n", 0, { "a\rb", NULL }, { 0 }, FALSE },
  { "spaces-kept", "  x  \n", 0, { "  x  ", NULL }, { 0 }, FALSE },
  { "trailing-partial", "a\r\nbc", 0, { "a", NULL }, { 0 }, TRUE },
  { "only-partial", "{\"a\"", 0, { NULL }, { 0 }, TRUE },
  { "blank-partial", "a\n \r", 0, { "a", NULL }, { 0 }, FALSE },
  { "empty", "", 0, { NULL }, { 0 }, FALSE },
  { "embedded-nul", "a\0b\nc\n", 6, { "a\0b", "c", NULL }, { 3, 1 }, FALSE },
  { "nul-only", "\0\n", 2, { "", NULL }, { 1 }, FALSE },
  { "utf8", "Kế hoạch\n", 0, { "Kế hoạch", NULL }, { 0 }, FALSE },
};

typedef enum
{
  FEED_WHOLE,
  FEED_BYTES,
  FEED_CHUNKS,
} FeedMode;

static void
check_split (const SplitCase *c, FeedMode mode)
{
  g_autoptr (KcFrameReader) reader = kc_frame_reader_new (64);
  gsize input_len = c->input_len ? c->input_len : strlen (c->input);
  gsize fed = 0;
  guint got = 0;

  while (fed < input_len || fed == 0)
    {
      gsize n = input_len - fed;
      char *line;
      gsize len;
      KcFrameStatus status;

      if (mode == FEED_BYTES)
        n = MIN (n, 1);
      else if (mode == FEED_CHUNKS)
        {
          gsize chunk = (gsize)g_test_rand_int_range (1, 5);

          n = MIN (n, chunk);
        }
      kc_frame_reader_feed (reader, c->input + fed, n);
      fed += n;

      while ((status = kc_frame_reader_next (reader, &line, &len)) == KC_FRAME_LINE)
        {
          const char *expected = c->expected[got];
          gsize expected_len;

          g_assert_nonnull (expected);
          expected_len = c->expected_len[got] ? c->expected_len[got] : strlen (expected);
          g_assert_cmpmem (line, len, expected, expected_len);
          g_assert_cmpint (line[len], ==, '\0');
          g_free (line);
          got++;
        }
      g_assert_cmpint (status, ==, KC_FRAME_NEED_MORE);
      g_assert_null (line);
      if (input_len == 0)
        break;
    }

  g_assert_null (c->expected[got]);
  g_assert_cmpint (kc_frame_reader_has_partial (reader), ==, c->partial);
}

static void
test_split (gconstpointer data)
{
  const SplitCase *c = data;

  check_split (c, FEED_WHOLE);
  check_split (c, FEED_BYTES);
  for (int i = 0; i < 20; i++)
    check_split (c, FEED_CHUNKS);
}

typedef struct
{
  const char *name;
  gsize max_line;
  const char *input;
  KcFrameStatus first; /* what next() returns after feeding it all */
} LimitCase;

static const LimitCase limit_cases[] = {
  { "exact", 8, "12345678\n", KC_FRAME_LINE },
  { "one-over", 8, "123456789\n", KC_FRAME_TOO_LONG },
  { "exact-unterminated", 8, "12345678", KC_FRAME_NEED_MORE },
  { "one-over-unterminated", 8, "123456789", KC_FRAME_TOO_LONG },
  /* the limit counts every byte before '\n', so it can be enforced early */
  { "crlf-within", 8, "1234567\r\n", KC_FRAME_LINE },
  { "crlf-over", 8, "12345678\r\n", KC_FRAME_TOO_LONG },
  { "blank-over", 8, "         \n", KC_FRAME_TOO_LONG },
  { "zero-limit-empty", 0, "\n", KC_FRAME_NEED_MORE },
  { "zero-limit-byte", 0, "x", KC_FRAME_TOO_LONG },
};

static void
test_limit (gconstpointer data)
{
  const LimitCase *c = data;
  g_autoptr (KcFrameReader) reader = kc_frame_reader_new (c->max_line);
  g_autofree char *line = NULL;
  gsize len = 99;

  kc_frame_reader_feed (reader, c->input, strlen (c->input));
  g_assert_cmpint (kc_frame_reader_next (reader, &line, &len), ==, c->first);
  if (c->first == KC_FRAME_LINE)
    {
      g_assert_cmpuint (len, <=, c->max_line);
      g_assert_cmpuint (len, ==, strlen (line));
    }
  else
    {
      g_assert_null (line);
      g_assert_cmpuint (len, ==, 0);
    }
  if (c->first == KC_FRAME_TOO_LONG)
    {
      /* the reader stays failed and holds nothing */
      g_assert_cmpuint (kc_frame_reader_buffered (reader), ==, 0);
      kc_frame_reader_feed (reader, "ok\n", 3);
      g_assert_cmpuint (kc_frame_reader_buffered (reader), ==, 0);
      g_assert_cmpint (kc_frame_reader_next (reader, &line, &len), ==, KC_FRAME_TOO_LONG);
    }
}

/* An endless line is refused before its end arrives, with memory bounded
 * by the limit plus one read. */
static void
test_too_long_bounded (void)
{
  g_autoptr (KcFrameReader) reader = kc_frame_reader_new (1024);
  char chunk[100];
  char *line = NULL;
  KcFrameStatus status = KC_FRAME_NEED_MORE;
  int reads = 0;

  memset (chunk, 'x', sizeof chunk);
  while (status == KC_FRAME_NEED_MORE)
    {
      g_assert_cmpint (reads, <, 1000);
      kc_frame_reader_feed (reader, chunk, sizeof chunk);
      reads++;
      g_assert_cmpuint (kc_frame_reader_buffered (reader), <=, 1024 + sizeof chunk);
      g_assert_true (kc_frame_reader_has_partial (reader));
      status = kc_frame_reader_next (reader, &line, NULL);
    }
  g_assert_cmpint (status, ==, KC_FRAME_TOO_LONG);
  g_assert_cmpint (reads, ==, 11); /* 1100 > 1024 */
  g_assert_null (line);

  for (int i = 0; i < 100; i++)
    kc_frame_reader_feed (reader, chunk, sizeof chunk);
  g_assert_cmpuint (kc_frame_reader_buffered (reader), ==, 0);
  g_assert_false (kc_frame_reader_has_partial (reader));
  g_assert_cmpint (kc_frame_reader_next (reader, &line, NULL), ==, KC_FRAME_TOO_LONG);
}

/* Lines complete before the overlong one are still delivered. */
static void
test_lines_before_too_long (void)
{
  g_autoptr (KcFrameReader) reader = kc_frame_reader_new (8);
  char *line;
  gsize len;

  kc_frame_reader_feed (reader, "ok\n\nfine\n0123456789abcdef", 25);
  g_assert_cmpint (kc_frame_reader_next (reader, &line, &len), ==, KC_FRAME_LINE);
  g_assert_cmpstr (line, ==, "ok");
  g_free (line);
  g_assert_cmpint (kc_frame_reader_next (reader, &line, &len), ==, KC_FRAME_LINE);
  g_assert_cmpstr (line, ==, "fine");
  g_free (line);
  g_assert_cmpint (kc_frame_reader_next (reader, &line, &len), ==, KC_FRAME_TOO_LONG);
  g_assert_null (line);
}

static void
test_has_partial (void)
{
  g_autoptr (KcFrameReader) reader = kc_frame_reader_new (100);
  char *line;

  g_assert_false (kc_frame_reader_has_partial (reader));
  g_assert_cmpint (kc_frame_reader_next (reader, &line, NULL), ==, KC_FRAME_NEED_MORE);
  g_assert_false (kc_frame_reader_has_partial (reader));

  kc_frame_reader_feed (reader, "ab", 2);
  g_assert_true (kc_frame_reader_has_partial (reader));
  g_assert_cmpuint (kc_frame_reader_buffered (reader), ==, 2);

  /* a complete line not yet taken is not a partial one */
  kc_frame_reader_feed (reader, "c\n", 2);
  g_assert_false (kc_frame_reader_has_partial (reader));
  g_assert_cmpuint (kc_frame_reader_buffered (reader), ==, 4);

  kc_frame_reader_feed (reader, "d", 1);
  g_assert_true (kc_frame_reader_has_partial (reader));
  g_assert_cmpint (kc_frame_reader_next (reader, &line, NULL), ==, KC_FRAME_LINE);
  g_assert_cmpstr (line, ==, "abc");
  g_free (line);
  g_assert_true (kc_frame_reader_has_partial (reader));
  g_assert_cmpuint (kc_frame_reader_buffered (reader), ==, 1);

  kc_frame_reader_feed (reader, "\n", 1);
  g_assert_false (kc_frame_reader_has_partial (reader));
  g_assert_cmpint (kc_frame_reader_next (reader, &line, NULL), ==, KC_FRAME_LINE);
  g_assert_cmpstr (line, ==, "d");
  g_free (line);
  g_assert_cmpuint (kc_frame_reader_buffered (reader), ==, 0);

  /* whitespace after the last line is not a message cut short */
  kc_frame_reader_feed (reader, " \t\r", 3);
  g_assert_false (kc_frame_reader_has_partial (reader));
  g_assert_cmpint (kc_frame_reader_next (reader, &line, NULL), ==, KC_FRAME_NEED_MORE);
  kc_frame_reader_feed (reader, " {", 2);
  g_assert_true (kc_frame_reader_has_partial (reader));
}

static void
test_set_max_line (void)
{
  g_autoptr (KcFrameReader) reader = kc_frame_reader_new (4);
  char *line;
  gsize len;

  kc_frame_reader_feed (reader, "abcd", 4);
  g_assert_cmpint (kc_frame_reader_next (reader, &line, &len), ==, KC_FRAME_NEED_MORE);
  /* raised once logged in: the partial line may now grow */
  kc_frame_reader_set_max_line (reader, 16);
  kc_frame_reader_feed (reader, "efghijkl\n", 9);
  g_assert_cmpint (kc_frame_reader_next (reader, &line, &len), ==, KC_FRAME_LINE);
  g_assert_cmpstr (line, ==, "abcdefghijkl");
  g_assert_cmpuint (len, ==, 12);
  g_free (line);

  /* lowered below what is already buffered */
  kc_frame_reader_feed (reader, "0123456789", 10);
  g_assert_cmpint (kc_frame_reader_next (reader, &line, &len), ==, KC_FRAME_NEED_MORE);
  kc_frame_reader_set_max_line (reader, 5);
  g_assert_cmpint (kc_frame_reader_next (reader, &line, &len), ==, KC_FRAME_TOO_LONG);
}

/* Many lines through a small read size, then one long line in small
 * pieces: exercises compaction and growth, and checks every byte. */
static void
test_stream (void)
{
  g_autoptr (KcFrameReader) reader = kc_frame_reader_new (2 * 1024 * 1024);
  g_autoptr (GString) input = g_string_new (NULL);
  g_autoptr (GString) long_line = g_string_new (NULL);
  gsize fed = 0;
  guint count = 0;
  const guint n_lines = 20000;

  for (guint i = 0; i < n_lines; i++)
    g_string_append_printf (input, "{\"jsonrpc\":\"2.0\",\"id\":%u,\"method\":\"m\"}%s", i,
                            i % 3 ? "\n" : "\r\n");
  for (guint i = 0; i < 1024 * 1024; i++)
    g_string_append_c (long_line, (char)('a' + i % 26));
  g_string_append_len (input, long_line->str, long_line->len);
  g_string_append (input, "\n");

  while (fed < input->len)
    {
      gsize n = MIN (input->len - fed, 4093);
      char *line;
      gsize len;

      kc_frame_reader_feed (reader, input->str + fed, n);
      fed += n;
      while (kc_frame_reader_next (reader, &line, &len) == KC_FRAME_LINE)
        {
          if (count < n_lines)
            {
              g_autofree char *expected
                  = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":%u,\"method\":\"m\"}", count);

              g_assert_cmpstr (line, ==, expected);
            }
          else
            g_assert_cmpmem (line, len, long_line->str, long_line->len);
          g_free (line);
          count++;
        }
    }
  g_assert_cmpuint (count, ==, n_lines + 1);
  g_assert_cmpuint (kc_frame_reader_buffered (reader), ==, 0);
  g_assert_false (kc_frame_reader_has_partial (reader));
}

/* A line refused while it arrives: dropped up to its '\n', in any pieces;
 * the lines after it are read; nothing of it stays buffered. */
static void
test_skip_partial (void)
{
  g_autoptr (KcFrameReader) reader = kc_frame_reader_new (1024);
  g_autofree char *line = NULL;
  const char *head;
  gsize len = 0;

  kc_frame_reader_feed (reader, "{\"a\":1}\n{\"method\":\"x\",", 22);
  g_assert_cmpint (kc_frame_reader_next (reader, &line, &len), ==, KC_FRAME_LINE);
  g_assert_cmpstr (line, ==, "{\"a\":1}");
  g_clear_pointer (&line, g_free);
  g_assert_cmpint (kc_frame_reader_next (reader, &line, &len), ==, KC_FRAME_NEED_MORE);
  head = kc_frame_reader_peek_partial (reader, &len);
  g_assert_cmpmem (head, len, "{\"method\":\"x\",", 14);
  kc_frame_reader_skip_partial (reader);
  g_assert_cmpuint (kc_frame_reader_buffered (reader), ==, 0);
  g_assert_true (kc_frame_reader_has_partial (reader));
  kc_frame_reader_feed (reader, "zzzz", 4);
  kc_frame_reader_feed (reader, "zz", 2);
  g_assert_cmpuint (kc_frame_reader_buffered (reader), ==, 0);
  g_assert_cmpint (kc_frame_reader_next (reader, &line, &len), ==, KC_FRAME_NEED_MORE);
  kc_frame_reader_feed (reader, "zz}\n{\"b\":2}\n", 12);
  g_assert_false (kc_frame_reader_has_partial (reader));
  g_assert_cmpint (kc_frame_reader_next (reader, &line, &len), ==, KC_FRAME_LINE);
  g_assert_cmpstr (line, ==, "{\"b\":2}");
  g_clear_pointer (&line, g_free);
  g_assert_cmpint (kc_frame_reader_next (reader, &line, &len), ==, KC_FRAME_NEED_MORE);
  g_assert_null (kc_frame_reader_peek_partial (reader, &len));
  g_assert_cmpuint (len, ==, 0);
}

static void
test_free_null (void)
{
  kc_frame_reader_free (NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (split_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/frame/split/%s", split_cases[i].name);

      g_test_add_data_func (path, &split_cases[i], test_split);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (limit_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/frame/limit/%s", limit_cases[i].name);

      g_test_add_data_func (path, &limit_cases[i], test_limit);
    }
  g_test_add_func ("/frame/too-long-bounded", test_too_long_bounded);
  g_test_add_func ("/frame/lines-before-too-long", test_lines_before_too_long);
  g_test_add_func ("/frame/has-partial", test_has_partial);
  g_test_add_func ("/frame/set-max-line", test_set_max_line);
  g_test_add_func ("/frame/stream", test_stream);
  g_test_add_func ("/frame/skip-partial", test_skip_partial);
  g_test_add_func ("/frame/free-null", test_free_null);

  return g_test_run ();
}
