/*
 * test-export.c — the report renderers read back by real readers.
 *
 * One fixture report (every Vietnamese letter, 200 rows over several PDF
 * pages, money up to 10^13, nulls, a grouped header) is rendered in the
 * three formats; then
 *   - the CSV is parsed back with kc-csv,
 *   - the xlsx is converted to CSV by LibreOffice (soffice --headless),
 *   - the PDF's text is extracted by pdftotext -layout and its fonts listed
 *     by pdffonts,
 * and what they read is compared with the fixture.
 *
 * KC_EXPORT_KEEP=DIR keeps the files in DIR to look at.
 */
#include "srv-export.h"

#include "kc-csv.h"
#include "kc-date.h"
#include "kc-error.h"
#include "kc-money.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <zip.h>

#define N_ROWS 200

/* Each vowel with its six tones, and đ: every letter Vietnamese adds. */
static const char *const vowels_lower[] = {
  "aáàảãạ", "ăắằẳẵặ", "âấầẩẫậ", "eéèẻẽẹ", "êếềểễệ", "iíìỉĩị", "oóòỏõọ",
  "ôốồổỗộ", "ơớờởỡợ", "uúùủũụ", "ưứừửữự", "yýỳỷỹỵ", "đ",
};
static const char *const vowels_upper[] = {
  "AÁÀẢÃẠ", "ĂẮẰẲẴẶ", "ÂẤẦẨẪẬ", "EÉÈẺẼẸ", "ÊẾỀỂỄỆ", "IÍÌỈĨỊ", "OÓÒỎÕỌ",
  "ÔỐỒỔỖỘ", "ƠỚỜỞỠỢ", "UÚÙỦŨỤ", "ƯỨỪỬỮỰ", "YÝỲỶỸỴ", "Đ",
};

static const char *const provinces[] = {
  "Hà Nội",     "Thành phố Hồ Chí Minh",
  "Đắk Lắk",    "Thừa Thiên Huế",
  "Quảng Ngãi", "Bắc Ninh",
  "Cà Mau",     "Điện Biên",
  "Khánh Hòa",  "Lạng Sơn",
};

#define TITLE "Báo cáo tổng hợp kinh phí khuyến công"
#define TITLE_UPPER "BÁO CÁO TỔNG HỢP KINH PHÍ KHUYẾN CÔNG"
#define SUBTITLE "Giai đoạn 2014–2025, theo tỉnh và nguồn kinh phí"
#define DATE_LINE "Hà Nội, ngày 27 tháng 11 năm 2026"

typedef struct
{
  char *dir;
  JsonNode *fixture; /* the report */
  char *csv_path, *xlsx_path, *pdf_path;
  gint64 sum_national, sum_local, sum_total;
} Fixture;

static Fixture fx;

static char *
project_name (guint r)
{
  if (r % 17 == 3)
    return g_strdup_printf ("Hỗ trợ xây dựng mô hình trình diễn kỹ thuật ứng dụng máy móc "
                            "thiết bị tiên tiến trong sản xuất sản phẩm thủ công mỹ nghệ "
                            "mây tre đan xuất khẩu, giai đoạn %u (kéo dài, xuống dòng trong ô)",
                            r);
  if (r == 5)
    return g_strdup ("Đề án \"Nâng cao năng lực\", có dấu phẩy\nvà một dòng mới");
  return g_strdup_printf ("Đề án số %u: tập huấn, hội chợ", r);
}

static void
build_fixture (void)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  static const struct
  {
    const char *key, *label, *type, *group;
  } columns[] = {
    { "stt", "STT", "integer", NULL },
    { "province", "Tỉnh, thành phố", "text", NULL },
    { "name", "Tên đề án", "text", NULL },
    { "start", "Ngày bắt đầu", "date", NULL },
    { "national", "KCQG", "money", "Kinh phí (đồng)" },
    { "local", "KCĐP", "money", "Kinh phí (đồng)" },
    { "total", "Tổng", "money", "Kinh phí (đồng)" },
    { "rate", "Tỷ lệ giải ngân", "percent", NULL },
    { "year", "Năm", "year", NULL },
  };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, TITLE);
  json_builder_set_member_name (b, "subtitle");
  json_builder_add_string_value (b, SUBTITLE);
  json_builder_set_member_name (b, "issuer");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "parent");
  json_builder_add_string_value (b, "Bộ Công Thương");
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "Cục Công Thương địa phương");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "place");
  json_builder_add_string_value (b, "Hà Nội");
  /* 01:30 on the 27th in Vietnam. */
  json_builder_set_member_name (b, "generated_at");
  json_builder_add_string_value (b, "2026-11-26T18:30:00Z");

  json_builder_set_member_name (b, "columns");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "key");
      json_builder_add_string_value (b, columns[i].key);
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, columns[i].label);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, columns[i].type);
      if (columns[i].group != NULL)
        {
          json_builder_set_member_name (b, "group");
          json_builder_add_string_value (b, columns[i].group);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "rows");
  json_builder_begin_array (b);
  for (guint r = 0; r < N_ROWS; r++)
    {
      gint64 national = (gint64)((r * 7919) % 1000) * 1000000 + r;
      gint64 local = (gint64)((r * 104729) % 5000) * 100000;
      g_autofree char *name = project_name (r);
      const char *province = r < G_N_ELEMENTS (vowels_lower) ? vowels_lower[r]
                             : r < 2 * G_N_ELEMENTS (vowels_lower)
                                 ? vowels_upper[r - G_N_ELEMENTS (vowels_lower)]
                                 : provinces[r % G_N_ELEMENTS (provinces)];

      if (r == 40)
        national = 10000000000000; /* 10^13 */
      if (r == 41)
        national = 9999999999999;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "stt");
      json_builder_add_int_value (b, r + 1);
      json_builder_set_member_name (b, "province");
      json_builder_add_string_value (b, province);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, name);
      if (r % 9 != 4)
        {
          g_autofree char *date
              = g_strdup_printf ("20%02u-%02u-%02u", 14 + r % 12, 1 + r % 12, 1 + r % 28);
          json_builder_set_member_name (b, "start");
          json_builder_add_string_value (b, date);
        }
      json_builder_set_member_name (b, "national");
      json_builder_add_int_value (b, national);
      json_builder_set_member_name (b, "local");
      if (r % 7 == 2)
        json_builder_add_null_value (b);
      else
        json_builder_add_int_value (b, local);
      json_builder_set_member_name (b, "total");
      json_builder_add_int_value (b, national + (r % 7 == 2 ? 0 : local));
      json_builder_set_member_name (b, "rate");
      if (r % 11 == 6)
        json_builder_add_null_value (b);
      else
        json_builder_add_double_value (b, (r * 37 % 1001) / 10.0);
      json_builder_set_member_name (b, "year");
      json_builder_add_int_value (b, 2014 + r % 12);
      json_builder_end_object (b);

      fx.sum_national += national;
      fx.sum_local += r % 7 == 2 ? 0 : local;
      fx.sum_total += national + (r % 7 == 2 ? 0 : local);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "totals");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "national");
  json_builder_add_int_value (b, fx.sum_national);
  json_builder_set_member_name (b, "local");
  json_builder_add_int_value (b, fx.sum_local);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, fx.sum_total);
  json_builder_set_member_name (b, "rate");
  json_builder_add_double_value (b, 55.5);
  json_builder_end_object (b);
  json_builder_end_object (b);

  fx.fixture = json_builder_get_root (b);
}

static JsonObject *
report (void)
{
  return json_node_get_object (fx.fixture);
}

static JsonArray *
fixture_columns (void)
{
  return json_object_get_array_member (report (), "columns");
}

static void
render_to (SrvExportFormat format, const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = srv_export_render (report (), format, &error);
  gsize size;
  const char *data;

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &size);
  g_assert_cmpuint (size, >, 0);
  g_assert_true (g_file_set_contents (path, data, (gssize)size, &error));
  g_assert_no_error (error);
}

static GPtrArray *
read_csv (const char *path)
{
  g_autofree char *text = NULL;
  gsize len;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &text, &len, &error));
  g_assert_no_error (error);
  GPtrArray *records = kc_csv_parse (text, (gssize)len, ',', &error);
  g_assert_no_error (error);
  return records;
}

/* The fixture's value of @key in @row as the plain text the CSV holds. */
static char *
plain_value (JsonObject *row, const char *key)
{
  JsonNode *node = json_object_get_member (row, key);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
    }
  return g_strdup (json_node_get_string (node));
}

static JsonObject *
fixture_row (guint r)
{
  JsonArray *rows = json_object_get_array_member (report (), "rows");
  return r < N_ROWS ? json_array_get_object_element (rows, r)
                    : json_object_get_object_member (report (), "totals");
}

static void
test_csv (void)
{
  g_autoptr (GPtrArray) records = read_csv (fx.csv_path);
  JsonArray *columns = fixture_columns ();

  g_assert_cmpuint (records->len, ==, 1 + N_ROWS + 1);
  KcCsvRecord *header = records->pdata[0];
  g_assert_cmpstr (header->fields[0], ==, "STT");
  g_assert_cmpstr (header->fields[4], ==, "KCQG");
  for (guint r = 0; r <= N_ROWS; r++)
    {
      KcCsvRecord *record = records->pdata[r + 1];
      g_assert_cmpuint (record->n_fields, ==, json_array_get_length (columns));
      for (guint i = 0; i < record->n_fields; i++)
        {
          const char *key
              = json_object_get_string_member (json_array_get_object_element (columns, i), "key");
          g_autofree char *expected = plain_value (fixture_row (r), key);
          if (r == N_ROWS && g_str_equal (key, "province"))
            g_assert_cmpstr (record->fields[i], ==, "Tổng cộng");
          else
            g_assert_cmpstr (record->fields[i], ==, expected);
        }
    }
}

static gboolean
run (const char *const *argv, char **out)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  /* Without a capture the tool's chatter would land in the TAP stream. */
  GSpawnFlags flags = G_SPAWN_SEARCH_PATH | (out == NULL ? G_SPAWN_STDOUT_TO_DEV_NULL : 0);

  if (!g_spawn_sync (NULL, (char **)argv, NULL, flags, NULL, NULL, out, &err, &status, &error))
    {
      g_test_message ("could not run %s: %s", argv[0], error->message);
      return FALSE;
    }
  if (!g_spawn_check_wait_status (status, &error))
    {
      g_test_message ("%s failed: %s\n%s", argv[0], error->message, err);
      return FALSE;
    }
  return TRUE;
}

/* Digits only: "1,234,567" or "1.234.567" → "1234567". */
static char *
digits (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isdigit (*p) || *p == '-')
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static void
test_xlsx_libreoffice (void)
{
  g_autofree char *profile = g_strdup_printf ("file://%s/lo-profile", fx.dir);
  g_autofree char *env_arg = g_strdup_printf ("-env:UserInstallation=%s", profile);
  /* 44 ',' 34 '"' 76 UTF-8; cells as shown, so the formats are read too. */
  const char *argv[] = { "soffice",
                         env_arg,
                         "--headless",
                         "--convert-to",
                         "csv:Text - txt - csv (StarCalc):44,34,76,1",
                         "--outdir",
                         fx.dir,
                         fx.xlsx_path,
                         NULL };

  g_assert_true (run (argv, NULL));
  g_autofree char *csv_path = g_build_filename (fx.dir, "report.csv", NULL);
  g_autoptr (GPtrArray) records = read_csv (csv_path);
  JsonArray *columns = fixture_columns ();

  /* The heading block, as laid out. */
  g_autoptr (GString) all = g_string_new (NULL);
  for (guint r = 0; r < records->len; r++)
    {
      g_autofree char *joined = g_strjoinv ("|", ((KcCsvRecord *)records->pdata[r])->fields);
      g_string_append_printf (all, "%s\n", joined);
    }
  const char *heading[] = { "BỘ CÔNG THƯƠNG",
                            "CỤC CÔNG THƯƠNG ĐỊA PHƯƠNG",
                            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                            "Độc lập - Tự do - Hạnh phúc",
                            DATE_LINE,
                            TITLE_UPPER,
                            SUBTITLE };
  for (guint i = 0; i < G_N_ELEMENTS (heading); i++)
    if (strstr (all->str, heading[i]) == NULL)
      g_error ("the xlsx lacks \"%s\":\n%s", heading[i], all->str);

  guint top = 0;
  while (top < records->len
         && g_strcmp0 (((KcCsvRecord *)records->pdata[top])->fields[0], "STT") != 0)
    top++;
  g_assert_cmpuint (top, <, records->len);
  KcCsvRecord *groups = records->pdata[top];
  KcCsvRecord *labels = records->pdata[top + 1];
  g_assert_cmpstr (groups->fields[4], ==, "Kinh phí (đồng)");
  g_assert_cmpstr (labels->fields[4], ==, "KCQG");
  g_assert_cmpstr (labels->fields[6], ==, "Tổng");
  g_assert_cmpuint (records->len, ==, top + 2 + N_ROWS + 1);

  for (guint r = 0; r <= N_ROWS; r++)
    {
      KcCsvRecord *record = records->pdata[top + 2 + r];
      JsonObject *row = fixture_row (r);
      for (guint i = 0; i < json_array_get_length (columns); i++)
        {
          JsonObject *col = json_array_get_object_element (columns, i);
          const char *key = json_object_get_string_member (col, "key");
          const char *type = json_object_get_string_member (col, "type");
          const char *got = record->fields[i];
          g_autofree char *expected = plain_value (row, key);

          if (r == N_ROWS && g_str_equal (key, "province"))
            g_assert_cmpstr (got, ==, "Tổng cộng");
          else if (*expected == '\0')
            g_assert_cmpstr (got, ==, "");
          else if (g_str_equal (type, "year"))
            g_assert_cmpstr (got, ==, expected); /* 2025, never 2,025 */
          else if (g_str_equal (type, "integer") || g_str_equal (type, "money"))
            {
              g_autofree char *n = digits (got);
              g_assert_cmpstr (n, ==, expected);
              /* Shown with thousands separators. */
              if (strlen (expected) > 3)
                g_assert_true (strchr (got, ',') != NULL || strchr (got, '.') != NULL);
            }
          else if (g_str_equal (type, "percent"))
            {
              g_autofree char *copy = g_strdelimit (g_strdup (got), ",", '.');
              g_assert_true (g_str_has_suffix (copy, "%"));
              g_assert_cmpfloat_with_epsilon (g_ascii_strtod (copy, NULL),
                                              g_ascii_strtod (expected, NULL), 0.01);
            }
          else if (g_str_equal (type, "date"))
            {
              GDate date;
              g_assert_true (kc_date_parse_iso (expected, &date));
              g_autofree char *vn = kc_date_format_vn (&date);
              g_assert_cmpstr (got, ==, vn);
            }
          else
            g_assert_cmpstr (got, ==, expected);
        }
    }
}

/* What LibreOffice's CSV cannot show: frozen header, filter, merged
 * heading and header cells, number formats, print setup. Read from the
 * package's XML (python3's zipfile: no unzip on a clean machine). */
static void
test_xlsx_structure (void)
{
  const char *argv[]
      = { "python3", "-c",
          "import sys, zipfile\n"
          "z = zipfile.ZipFile(sys.argv[1])\n"
          "for part in ('xl/worksheets/sheet1.xml', 'xl/styles.xml', 'xl/workbook.xml',\n"
          "             'docProps/core.xml'):\n"
          "    sys.stdout.write(z.read(part).decode('utf-8'))\n",
          fx.xlsx_path, NULL };
  g_autofree char *xml = NULL;

  g_assert_true (run (argv, &xml));
  const char *expected[] = {
    /* heading rows 1–7, the two header rows 8–9, 200 rows of data */
    "<pane ySplit=\"9\" topLeftCell=\"A10\" activePane=\"bottomLeft\" state=\"frozen\"/>",
    "<autoFilter ref=\"A9:I209\"/>", /* not the totals row 210 */
    "<mergeCell ref=\"E8:G8\"/>",    /* the group over its three columns */
    "<mergeCell ref=\"A8:A9\"/>",    /* an ungrouped header over both rows */
    "<mergeCell ref=\"A5:I5\"/>",    /* the title over the table */
    "formatCode=\"#,##0\"",
    "formatCode=\"0.0%\"",
    "formatCode=\"dd/mm/yyyy\"",
    "orientation=\"landscape\"",
    "paperSize=\"9\"",
    "_xlnm.Print_Titles",
    "!$8:$9</definedName>",
    "<dc:title>" TITLE_UPPER "</dc:title>",
    "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-11-26T18:30:00Z</dcterms:created>",
  };
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    if (strstr (xml, expected[i]) == NULL)
      g_error ("the xlsx lacks %s", expected[i]);
}

static void
test_pdf_text (void)
{
  g_autofree char *text = NULL;
  const char *argv[] = { "pdftotext", "-layout", "-enc", "UTF-8", fx.pdf_path, "-", NULL };

  g_assert_true (run (argv, &text));
  g_auto (GStrv) pages = g_strsplit (text, "\f", -1);
  guint n_pages = g_strv_length (pages);
  /* pdftotext ends every page with a form feed. */
  if (n_pages > 0 && *pages[n_pages - 1] == '\0')
    n_pages--;
  g_test_message ("%u pages", n_pages);
  g_assert_cmpuint (n_pages, >=, 3);

  const char *heading[] = { "BỘ CÔNG THƯƠNG",
                            "CỤC CÔNG THƯƠNG ĐỊA PHƯƠNG",
                            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                            "Độc lập - Tự do - Hạnh phúc",
                            DATE_LINE,
                            TITLE_UPPER,
                            SUBTITLE };
  for (guint i = 0; i < G_N_ELEMENTS (heading); i++)
    if (strstr (pages[0], heading[i]) == NULL)
      g_error ("page 1 lacks \"%s\":\n%s", heading[i], pages[0]);

  for (guint p = 0; p < n_pages; p++)
    {
      g_autofree char *number = g_strdup_printf ("Trang %u/%u", p + 1, n_pages);
      const char *header[] = { "STT", "Kinh phí (đồng)", "KCQG", "KCĐP", number };
      for (guint i = 0; i < G_N_ELEMENTS (header); i++)
        if (strstr (pages[p], header[i]) == NULL)
          g_error ("page %u lacks \"%s\":\n%s", p + 1, header[i], pages[p]);
      if (p > 0 && strstr (pages[p], "CỘNG HÒA") != NULL)
        g_error ("the heading block is repeated on page %u", p + 1);
    }

  /* Every letter, every row number, the largest amounts and the totals. */
  for (guint i = 0; i < G_N_ELEMENTS (vowels_lower); i++)
    {
      g_assert_nonnull (strstr (text, vowels_lower[i]));
      g_assert_nonnull (strstr (text, vowels_upper[i]));
    }
  g_assert_nonnull (strstr (text, "10.000.000.000.000"));
  g_assert_nonnull (strstr (text, "9.999.999.999.999"));
  g_assert_nonnull (strstr (text, "55,5%"));
  /* Years are not grouped like amounts. */
  g_assert_true (g_regex_match_simple ("(^|\\s)20[12][0-9](\\s|$)", text, G_REGEX_MULTILINE, 0));
  g_assert_false (
      g_regex_match_simple ("(^|\\s)2\\.0[12][0-9](\\s|$)", text, G_REGEX_MULTILINE, 0));
  g_autofree char *total = kc_money_format_plain (fx.sum_total);
  g_assert_nonnull (strstr (pages[n_pages - 1], "Tổng cộng"));
  g_assert_nonnull (strstr (pages[n_pages - 1], total));
  for (guint r = 1; r <= N_ROWS; r++)
    {
      /* Row numbers are the first column: at a line's start. */
      g_autoptr (GRegex) regex = NULL;
      g_autofree char *pattern = g_strdup_printf ("(^|\\n)\\s*%u\\s", r);
      regex = g_regex_new (pattern, 0, 0, NULL);
      if (!g_regex_match (regex, text, 0, NULL))
        g_error ("the PDF lacks row %u", r);
    }
}

static void
test_pdf_fonts (void)
{
  g_autofree char *out = NULL;
  const char *argv[] = { "pdffonts", fx.pdf_path, NULL };

  g_assert_true (run (argv, &out));
  g_test_message ("%s", out);
  /* The Vietnamese letters come from the font we chose, not a fallback. */
  g_assert_nonnull (strstr (out, "DejaVuSerif"));
  g_assert_nonnull (strstr (out, "DejaVuSerif-Bold"));
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  for (guint i = 2; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_assert_true (g_str_has_prefix (
          strchr (lines[i], '+') ? strchr (lines[i], '+') + 1 : lines[i], "DejaVuSerif"));
}

static gpointer
render_thread (gpointer data)
{
  SrvExportFormat format = GPOINTER_TO_INT (data);
  g_autoptr (GError) error = NULL;
  GBytes *bytes = srv_export_render (report (), format, &error);

  g_assert_no_error (error);
  return bytes;
}

/* Renderers run on the server's worker threads: four at once must each
 * produce the whole file. */
static void
test_threads (void)
{
  GThread *threads[6];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("render", render_thread,
                               GINT_TO_POINTER (i % 2 ? SRV_EXPORT_PDF : SRV_EXPORT_XLSX));
  GBytes *first[2] = { NULL, NULL };
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      GBytes *bytes = g_thread_join (threads[i]);
      g_assert_nonnull (bytes);
      /* Same input, same bytes: the files carry generated_at, not the time
       * they were made. */
      if (first[i % 2] == NULL)
        first[i % 2] = bytes;
      else
        {
          g_assert_true (g_bytes_equal (bytes, first[i % 2]));
          g_bytes_unref (bytes);
        }
    }
  g_bytes_unref (first[0]);
  g_bytes_unref (first[1]);
}

static void
expect_invalid (const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (json, &error);
  g_assert_no_error (error);

  for (int f = SRV_EXPORT_CSV; f <= SRV_EXPORT_PDF; f++)
    {
      g_autoptr (GBytes) bytes
          = srv_export_render (json_node_get_object (node), (SrvExportFormat)f, &error);
      g_assert_null (bytes);
      g_assert_error (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_PARAMS);
      g_clear_error (&error);
    }
}

static void
test_invalid (void)
{
  expect_invalid ("{\"title\": \"x\"}");
  expect_invalid ("{\"columns\": [], \"rows\": []}");
  expect_invalid ("{\"columns\": [{\"label\": \"no key\"}], \"rows\": []}");
  expect_invalid ("{\"columns\": [{\"key\": \"a\", \"type\": \"float\"}], \"rows\": []}");
  expect_invalid ("{\"columns\": [{\"key\": \"a\"}], \"rows\": [1]}");
}

/* The smallest report: one column, no rows, no heading members. */
static void
test_minimal (void)
{
  g_autoptr (JsonNode) node
      = json_from_string ("{\"title\": \"t\", \"generated_at\": \"2026-01-02\","
                          " \"columns\": [{\"key\": \"a\", \"label\": \"A\", \"type\": \"money\"}],"
                          " \"rows\": [], \"totals\": {\"a\": 0}}",
                          NULL);

  for (int f = SRV_EXPORT_CSV; f <= SRV_EXPORT_PDF; f++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) bytes
          = srv_export_render (json_node_get_object (node), (SrvExportFormat)f, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (bytes), >, 0);
    }
}

/* A report as wide as report.summary grouped by everything: seven money
 * columns of thousands of billions and three text columns. The PDF must
 * keep every amount on one line (it shrinks the table rather than wrap
 * digits). */
static void
test_pdf_wide (void)
{
  static const char *const money[]
      = { "Kế hoạch", "Phân bổ", "Tạm ứng", "Thanh toán", "Thu hồi", "Đã giải ngân", "Quyết toán" };
  g_autoptr (GString) json
      = g_string_new ("{\"title\": \"Tổng hợp\", \"generated_at\": \"2026-11-27\", \"columns\": ["
                      "{\"key\": \"p\", \"label\": \"Tỉnh, thành phố\", \"type\": \"text\"},"
                      "{\"key\": \"c\", \"label\": \"Nội dung khuyến công\", \"type\": \"text\"},"
                      "{\"key\": \"s\", \"label\": \"Nguồn kinh phí\", \"type\": \"text\"},"
                      "{\"key\": \"y\", \"label\": \"Năm\", \"type\": \"year\"},"
                      "{\"key\": \"n\", \"label\": \"Số đề án\", \"type\": \"integer\"}");
  for (guint i = 0; i < G_N_ELEMENTS (money); i++)
    g_string_append_printf (json,
                            ", {\"key\": \"m%u\", \"label\": \"%s\", \"type\": \"money\","
                            " \"group\": \"Kinh phí (đồng)\"}",
                            i, money[i]);
  g_string_append (json, "], \"rows\": [");
  for (guint r = 0; r < 30; r++)
    {
      g_string_append_printf (json,
                              "%s{\"p\": \"Thành phố Hồ Chí Minh\", \"c\": \"Hỗ trợ xây "
                              "dựng mô hình trình diễn kỹ thuật\", \"s\": \"Khuyến công "
                              "quốc gia\", \"y\": %u, \"n\": %u",
                              r > 0 ? ", " : "", 2014 + r % 12, 1000 + r);
      for (guint i = 0; i < G_N_ELEMENTS (money); i++)
        g_string_append_printf (json, ", \"m%u\": %" G_GINT64_FORMAT, i,
                                (gint64)1234567890123 + r * 1000 + i);
      g_string_append (json, "}");
    }
  g_string_append (json, "]}");

  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (json->str, &error);
  g_assert_no_error (error);
  g_autoptr (GBytes) bytes
      = srv_export_render (json_node_get_object (node), SRV_EXPORT_PDF, &error);
  g_assert_no_error (error);
  g_autofree char *path = g_build_filename (fx.dir, "wide.pdf", NULL);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      (gssize)g_bytes_get_size (bytes), &error));
  g_autofree char *text = NULL;
  const char *argv[] = { "pdftotext", "-layout", "-enc", "UTF-8", path, "-", NULL };
  g_assert_true (run (argv, &text));
  for (guint r = 0; r < 30; r++)
    for (guint i = 0; i < G_N_ELEMENTS (money); i++)
      {
        g_autofree char *amount = kc_money_format_plain ((gint64)1234567890123 + r * 1000 + i);
        if (strstr (text, amount) == NULL)
          g_error ("the wide PDF lacks %s on one line:\n%s", amount, text);
      }
  g_assert_nonnull (strstr (text, "Trang 1/"));
}

/* Issue 17: the province report's statuses in Vietnamese in every format,
 * project codes never cut in two in the PDF (a narrow page of long
 * titles), the place in the date line, and the note under the subtitle. */
static void
test_province_report (void)
{
  g_autoptr (GString) json = g_string_new (
      "{\"title\": \"Báo cáo định kỳ\", \"generated_at\": \"2026-12-07\", \"place\": \"Phú Thọ\","
      " \"note\": \"Số đề án theo nguồn kinh phí: một đề án được đếm ở mỗi nguồn.\","
      " \"columns\": [{\"key\": \"code\", \"label\": \"Mã đề án\", \"type\": \"text\"},"
      " {\"key\": \"title\", \"label\": \"Tên đề án\", \"type\": \"text\"},"
      " {\"key\": \"beneficiary\", \"label\": \"Đơn vị thụ hưởng\", \"type\": \"text\"},"
      " {\"key\": \"status\", \"label\": \"Trạng thái\", \"type\": \"text\"}");
  static const char *const statuses[] = { "settled", "completed", "in_progress", "approved" };
  static const char *const shown[]
      = { "Đã quyết toán", "Đã hoàn thành", "Đang thực hiện", "Đã phê duyệt" };

  for (guint m = 0; m < 5; m++)
    g_string_append_printf (
        json, ", {\"key\": \"m%u\", \"label\": \"Kinh phí %u\", \"type\": \"money\"}", m, m);
  g_string_append (json, "], \"rows\": [");
  for (guint r = 0; r < 12; r++)
    {
      g_string_append_printf (
          json,
          "%s{\"code\": \"KCQG-2025-25-%03u\", \"title\": \"Hỗ trợ xây dựng mô hình trình diễn kỹ "
          "thuật sản xuất sản phẩm thủ công mỹ nghệ mây tre đan xuất khẩu số %u\", "
          "\"beneficiary\": \"Hợp tác xã mây tre đan Phú Lộc và các hộ kinh doanh\", "
          "\"status\": \"%s\"",
          r > 0 ? ", " : "", r + 1, r, statuses[r % 4]);
      for (guint m = 0; m < 5; m++)
        g_string_append_printf (json, ", \"m%u\": %" G_GINT64_FORMAT, m, (gint64)123456789012 + r);
      g_string_append (json, "}");
    }
  g_string_append (json, "]}");

  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (json->str, &error);
  g_assert_no_error (error);

  /* CSV */
  g_autoptr (GBytes) csv = srv_export_render (json_node_get_object (node), SRV_EXPORT_CSV, &error);
  g_assert_no_error (error);
  g_autofree char *csv_text = g_strndup (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_assert_nonnull (strstr (csv_text, shown[i]));
      g_assert_null (strstr (csv_text, statuses[i]));
    }

  /* xlsx: the shared strings hold what the cells show */
  g_autoptr (GBytes) xlsx
      = srv_export_render (json_node_get_object (node), SRV_EXPORT_XLSX, &error);
  g_assert_no_error (error);
  g_autofree char *xlsx_path = g_build_filename (fx.dir, "province.xlsx", NULL);
  g_assert_true (g_file_set_contents (xlsx_path, g_bytes_get_data (xlsx, NULL),
                                      (gssize)g_bytes_get_size (xlsx), &error));
  {
    int zerr = 0;
    zip_t *zip = zip_open (xlsx_path, ZIP_RDONLY, &zerr);
    zip_stat_t st;
    zip_file_t *file;
    g_autofree char *strings = NULL;

    g_assert_nonnull (zip);
    g_assert_cmpint (zip_stat (zip, "xl/sharedStrings.xml", 0, &st), ==, 0);
    strings = g_malloc0 (st.size + 1);
    file = zip_fopen (zip, "xl/sharedStrings.xml", 0);
    g_assert_cmpint (zip_fread (file, strings, st.size), ==, (zip_int64_t)st.size);
    zip_fclose (file);
    zip_close (zip);
    for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
      {
        g_autofree char *cell = g_strdup_printf (">%s<", statuses[i]);

        g_assert_nonnull (strstr (strings, shown[i]));
        g_assert_null (strstr (strings, cell));
      }
    g_assert_nonnull (strstr (strings, "Phú Thọ, ngày 07 tháng 12 năm 2026"));
    g_assert_nonnull (strstr (strings, "một đề án được đếm ở mỗi nguồn"));
  }

  /* PDF: each code whole on one line; the statuses; the place; the note */
  g_autoptr (GBytes) pdf = srv_export_render (json_node_get_object (node), SRV_EXPORT_PDF, &error);
  g_assert_no_error (error);
  g_autofree char *path = g_build_filename (fx.dir, "province.pdf", NULL);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL),
                                      (gssize)g_bytes_get_size (pdf), &error));
  g_autofree char *text = NULL;
  const char *argv[] = { "pdftotext", "-layout", "-enc", "UTF-8", path, "-", NULL };
  g_assert_true (run (argv, &text));
  for (guint r = 0; r < 12; r++)
    {
      g_autofree char *code = g_strdup_printf ("KCQG-2025-25-%03u", r + 1);

      if (strstr (text, code) == NULL)
        g_error ("the PDF cuts the code %s:\n%s", code, text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    g_assert_nonnull (strstr (text, shown[i]));
  g_assert_null (strstr (text, "settled"));
  g_assert_nonnull (strstr (text, "Phú Thọ, ngày 07 tháng 12 năm 2026"));
  g_assert_nonnull (strstr (text, "mỗi nguồn"));
}

/* ---- documents (srv-export-doc.c) --------------------------------------- */

#define DOCUMENT_JSON                                                                                          \
  "{\"title\": \"Báo cáo thử\", \"generated_at\": \"2026-03-02T03:00:00Z\", \"place\": \"Phú "            \
  "Thọ\","                                                                                                   \
  " \"issuer\": {\"parent\": \"Ủy ban nhân dân tỉnh Phú Thọ\", \"name\": \"Sở Công Thương Phú " \
  "Thọ\"},"                                                                                                  \
  " \"columns\": [{\"key\": \"a\", \"label\": \"A\", \"type\": \"money\"}], \"rows\": [],"                     \
  " \"document\": {\"number\": \"Số: 12/BC-SCT\", \"kind\": \"BÁO CÁO\", \"heading\": \"Tổng "           \
  "kết\","                                                                                                   \
  " \"recipient\": \"Kính gửi: Bộ Công Thương\", \"intro\": \"Mở đầu.\","                         \
  " \"sections\": [{\"heading\": \"I. KẾT QUẢ\", \"text\": \"Dòng một & <hai>\\nDòng ba\"},"           \
  " {\"heading\": \"II. KIẾN NGHỊ\", \"text\": \"\"}],"                                                    \
  " \"tables\": [{\"title\": \"Biểu 1\", \"columns\": [{\"key\": \"name\", \"label\": \"Nội "              \
  "dung\","                                                                                                    \
  " \"type\": \"text\"}, {\"key\": \"x\", \"label\": \"Trung ương\", \"type\": \"money\", "                  \
  "\"group\":"                                                                                                 \
  " \"Kinh phí\"}, {\"key\": \"y\", \"label\": \"Địa phương\", \"type\": \"money\", \"group\":"          \
  " \"Kinh phí\"}], \"rows\": [{\"name\": \"Đề án\", \"x\": 1234567, \"y\": 0}],"                         \
  " \"totals\": {\"x\": 1234567, \"y\": 0}}],"                                                                 \
  " \"recipients\": [\"Như trên;\", \"Lưu: VT.\"], \"signer\": {\"title\": \"GIÁM ĐỐC\"}}}"

static JsonNode *
document_node (void)
{
  g_autoptr (GError) error = NULL;
  JsonNode *node = json_from_string (DOCUMENT_JSON, &error);

  g_assert_no_error (error);
  return node;
}

static gpointer
render_document_thread (gpointer data)
{
  JsonNode *node = data;
  g_autoptr (GError) error = NULL;
  GBytes *bytes = srv_export_render (json_node_get_object (node), SRV_EXPORT_DOCX, &error);

  g_assert_no_error (error);
  return bytes;
}

/* The part @name of the zip in @bytes, as text (NULL when absent); *@index
 * its position, *@stored whether it is uncompressed. */
static char *
zip_part (GBytes *bytes, const char *name, zip_int64_t *index, gboolean *stored)
{
  zip_error_t ze;
  zip_source_t *src;
  zip_t *za;
  zip_stat_t st;
  zip_file_t *f;
  char *text = NULL;

  zip_error_init (&ze);
  src = zip_source_buffer_create (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), 0, &ze);
  g_assert_nonnull (src);
  za = zip_open_from_source (src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
  g_assert_nonnull (za);
  zip_error_fini (&ze);
  if (zip_stat (za, name, 0, &st) == 0)
    {
      *index = (zip_int64_t)st.index;
      *stored = st.comp_method == ZIP_CM_STORE;
      text = g_malloc0 (st.size + 1);
      f = zip_fopen_index (za, st.index, 0);
      g_assert_nonnull (f);
      g_assert_cmpint (zip_fread (f, text, st.size), ==, (zip_int64_t)st.size);
      zip_fclose (f);
    }
  zip_discard (za);
  return text;
}

static void
assert_contains (const char *xml, const char *needle)
{
  if (strstr (xml, needle) == NULL)
    g_error ("%s not in the document's XML", needle);
}

/* docx and odt: the packages' parts, the heading block, the outline, text
 * escaped, the tables' formatted figures; several at once give the same
 * bytes; a report without `document` is refused. */
static void
test_document (void)
{
  g_autoptr (JsonNode) node = document_node ();
  GThread *threads[4];
  GBytes *first = NULL;
  zip_int64_t index = -1;
  gboolean stored = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("doc", render_document_thread, node);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      GBytes *bytes = g_thread_join (threads[i]);
      g_assert_nonnull (bytes);
      if (first == NULL)
        first = bytes;
      else
        {
          g_assert_true (g_bytes_equal (bytes, first));
          g_bytes_unref (bytes);
        }
    }
  g_autofree char *types = zip_part (first, "[Content_Types].xml", &index, &stored);
  g_assert_nonnull (types);
  g_autofree char *styles = zip_part (first, "word/styles.xml", &index, &stored);
  assert_contains (styles, "Times New Roman");
  g_autofree char *xml = zip_part (first, "word/document.xml", &index, &stored);
  g_assert_nonnull (xml);
  for (const char *const *n = (const char *const[]){ "ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ",
                                                     "SỞ CÔNG THƯƠNG PHÚ THỌ",
                                                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                                     "Độc lập - Tự do - Hạnh phúc",
                                                     "Phú Thọ, ngày 02 tháng 03 năm 2026",
                                                     "Số: 12/BC-SCT",
                                                     "I. KẾT QUẢ",
                                                     "Dòng một &amp; &lt;hai&gt;",
                                                     "Dòng ba",
                                                     "(Không có nội dung.)",
                                                     "Nơi nhận:",
                                                     "- Lưu: VT.",
                                                     "GIÁM ĐỐC",
                                                     "PHỤ LỤC",
                                                     "Kinh phí",
                                                     "1.234.567",
                                                     "Tổng cộng",
                                                     "w:orient=\"landscape\"",
                                                     "<w:gridSpan w:val=\"2\"/>",
                                                     NULL };
       *n != NULL; n++)
    assert_contains (xml, *n);
  g_assert_null (strstr (xml, "<hai>"));
  g_bytes_unref (first);

  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) odt = srv_export_render (json_node_get_object (node), SRV_EXPORT_ODT, &error);
  g_assert_no_error (error);
  g_autofree char *mimetype = zip_part (odt, "mimetype", &index, &stored);
  g_assert_cmpstr (mimetype, ==, "application/vnd.oasis.opendocument.text");
  g_assert_cmpint (index, ==, 0);
  g_assert_true (stored);
  g_autofree char *content = zip_part (odt, "content.xml", &index, &stored);
  for (const char *const *n
       = (const char *const[]){ "ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ", "Độc lập - Tự do - Hạnh phúc",
                                "Dòng một &amp; &lt;hai&gt;", "1.234.567", "PLand",
                                "table:number-columns-spanned=\"2\"", NULL };
       *n != NULL; n++)
    assert_contains (content, *n);
  g_autofree char *manifest = zip_part (odt, "META-INF/manifest.xml", &index, &stored);
  assert_contains (manifest, "content.xml");

  /* a table report has no document to lay out */
  g_autoptr (GBytes) none = srv_export_render (report (), SRV_EXPORT_DOCX, &error);
  g_assert_null (none);
  g_assert_error (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_PARAMS);
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int argc, char **argv)
{
  const char *keep = g_getenv ("KC_EXPORT_KEEP");
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  if (keep != NULL && *keep != '\0')
    {
      g_mkdir_with_parents (keep, 0700);
      fx.dir = g_canonicalize_filename (keep, NULL);
    }
  else
    fx.dir = g_dir_make_tmp ("kc-test-export-XXXXXX", &error);
  g_assert_no_error (error);

  build_fixture ();
  fx.csv_path = g_build_filename (fx.dir, "fixture.csv", NULL);
  fx.xlsx_path = g_build_filename (fx.dir, "report.xlsx", NULL);
  fx.pdf_path = g_build_filename (fx.dir, "report.pdf", NULL);
  render_to (SRV_EXPORT_CSV, fx.csv_path);
  render_to (SRV_EXPORT_XLSX, fx.xlsx_path);
  render_to (SRV_EXPORT_PDF, fx.pdf_path);

  g_test_add_func ("/export/csv/reparse", test_csv);
  g_test_add_func ("/export/xlsx/libreoffice", test_xlsx_libreoffice);
  g_test_add_func ("/export/xlsx/structure", test_xlsx_structure);
  g_test_add_func ("/export/pdf/text", test_pdf_text);
  g_test_add_func ("/export/pdf/fonts", test_pdf_fonts);
  g_test_add_func ("/export/pdf/wide", test_pdf_wide);
  g_test_add_func ("/export/province-report", test_province_report);
  g_test_add_func ("/export/threads", test_threads);
  g_test_add_func ("/export/invalid", test_invalid);
  g_test_add_func ("/export/minimal", test_minimal);
  g_test_add_func ("/export/document", test_document);
  status = g_test_run ();

  if (keep == NULL || *keep == '\0')
    remove_tree (fx.dir);
  json_node_unref (fx.fixture);
  g_free (fx.csv_path);
  g_free (fx.xlsx_path);
  g_free (fx.pdf_path);
  g_free (fx.dir);
  return status;
}
