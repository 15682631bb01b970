/*
 * srv-export-doc.c — a report's `document` (srv-export.h) as a text
 * document: .docx (Office Open XML) and .odt (OpenDocument), laid out as a
 * Vietnamese administrative document under Nghị định 30/2020/NĐ-CP, and
 * PDF converted from the .docx by LibreOffice where it is installed.
 *
 * The packages' fixed parts (content types, relationships, styles, the
 * page set-up) are templates in the server's GResource (server/data/doc/,
 * kc-doc.gresource.xml); this file writes the body's XML into them and
 * zips the parts with libzip. See docs/exports.md for why.
 *
 * Pure functions of the report, like the other renderers: safe on any
 * worker thread (libzip works on a private in-memory source per call).
 */
#include "srv-export-private.h"

#include "kc-error.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <zip.h>

#define RESOURCE_DIR "/org/khuyencong/server/doc/"

/* NĐ 30/2020 Phụ lục I sizes, in half-points for OOXML. */
#define SZ_BODY 28    /* 14 pt */
#define SZ_HEADING 24 /* 12 pt: the heading block (NĐ 30: 12–13 pt) */
#define SZ_TABLE 20   /* 10 pt: the tables */
#define SZ_RECIPIENTS_TITLE 24
#define SZ_RECIPIENTS 22
#define TEXT_WIDTH_TWIPS 9355       /* A4 portrait less 30 mm and 15 mm margins */
#define LANDSCAPE_WIDTH_TWIPS 14287 /* A4 landscape, the same margins */
#define CHAR_TWIPS                                                                                 \
  130 /* a character of 10 pt: DejaVu Serif (where Times is missing) is wider than Times */
#define CELL_PAD_TWIPS 260

typedef enum
{
  ALIGN_LEFT,
  ALIGN_CENTER,
  ALIGN_RIGHT,
  ALIGN_JUSTIFY,
} Align;

enum
{
  F_BOLD = 1 << 0,
  F_ITALIC = 1 << 1,
  F_UNDERLINE = 1 << 2,
};

typedef struct
{
  GString *out;
  GString *styles; /* odt: the tables' column styles (automatic styles) */
  gboolean odt;
  guint n_tables;
  guint width; /* twips: the text width of the current page */
} Doc;

static char *
esc (const char *text)
{
  return g_markup_escape_text (text != NULL ? text : "", -1);
}

/* One paragraph of one run. @size in half-points (0: the body's). */
static void
para (Doc *d, Align align, guint flags, guint size, const char *text)
{
  g_autofree char *t = esc (text);

  if (d->odt)
    {
      static const char *const pstyles[] = { "Pl", "Pc", "Pr", "Pj" };
      const char *ts;

      if (size == SZ_TABLE)
        ts = flags & F_BOLD ? "Tsb" : "Ts";
      else if (size == SZ_HEADING)
        ts = flags & F_BOLD ? "Tmb" : "Tm";
      else if (size == SZ_RECIPIENTS_TITLE)
        ts = "Tr";
      else if (size == SZ_RECIPIENTS)
        ts = "Tl";
      else if ((flags & (F_BOLD | F_UNDERLINE)) == (F_BOLD | F_UNDERLINE))
        ts = "Tbu";
      else if ((flags & (F_BOLD | F_ITALIC)) == (F_BOLD | F_ITALIC))
        ts = "Tbi";
      else if (flags & F_BOLD)
        ts = "Tb";
      else if (flags & F_ITALIC)
        ts = "Ti";
      else
        ts = "Tn";
      g_string_append_printf (d->out,
                              "<text:p text:style-name=\"%s\"><text:span text:style-name=\"%s\">%s"
                              "</text:span></text:p>",
                              pstyles[align], ts, t);
      return;
    }

  static const char *const jc[] = { "left", "center", "right", "both" };
  g_string_append_printf (d->out, "<w:p><w:pPr>%s<w:jc w:val=\"%s\"/></w:pPr><w:r><w:rPr>%s%s%s",
                          align == ALIGN_JUSTIFY ? "<w:ind w:firstLine=\"567\"/>" : "", jc[align],
                          flags & F_BOLD ? "<w:b/>" : "", flags & F_ITALIC ? "<w:i/>" : "",
                          flags & F_UNDERLINE ? "<w:u w:val=\"single\"/>" : "");
  if (size != 0)
    g_string_append_printf (d->out, "<w:sz w:val=\"%u\"/><w:szCs w:val=\"%u\"/>", size, size);
  g_string_append_printf (d->out, "</w:rPr><w:t xml:space=\"preserve\">%s</w:t></w:r></w:p>", t);
}

/* Paragraphs of a text with newlines; blank lines dropped. */
static void
paras (Doc *d, Align align, guint flags, guint size, const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);
  gboolean any = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (*lines[i] == '\0')
        continue;
      para (d, align, flags, size, lines[i]);
      any = TRUE;
    }
  if (!any)
    para (d, align, F_ITALIC, size, "(Không có nội dung.)");
}

/* ---- tables ---------------------------------------------------------- */

/* @widths: twips; scaled to the page's text width. */
static void
table_begin (Doc *d, gboolean grid, const guint *widths, guint n)
{
  guint total = 0;

  for (guint i = 0; i < n; i++)
    total += widths[i];
  total = MAX (total, 1);
  d->n_tables++;
  if (d->odt)
    {
      g_string_append_printf (d->out, "<table:table table:name=\"Bang%u\" table:style-name=\"%s\">",
                              d->n_tables, grid ? "Grid" : "Plain");
      for (guint i = 0; i < n; i++)
        {
          g_string_append_printf (
              d->styles,
              "<style:style style:name=\"B%uC%u\" style:family=\"table-column\">"
              "<style:table-column-properties style:column-width=\"%.3fcm\"/>"
              "</style:style>",
              d->n_tables, i, (double)d->width * widths[i] / total / 566.93);
          g_string_append_printf (d->out, "<table:table-column table:style-name=\"B%uC%u\"/>",
                                  d->n_tables, i);
        }
      return;
    }
  g_string_append (d->out, "<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/>");
  if (grid)
    g_string_append (
        d->out, "<w:tblBorders><w:top w:val=\"single\" w:sz=\"4\"/>"
                "<w:left w:val=\"single\" w:sz=\"4\"/><w:bottom w:val=\"single\" w:sz=\"4\"/>"
                "<w:right w:val=\"single\" w:sz=\"4\"/><w:insideH w:val=\"single\" w:sz=\"4\"/>"
                "<w:insideV w:val=\"single\" w:sz=\"4\"/></w:tblBorders>");
  g_string_append (d->out, "<w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (d->out, "<w:gridCol w:w=\"%u\"/>",
                            (guint)((guint64)d->width * widths[i] / total));
  g_string_append (d->out, "</w:tblGrid>");
}

static void
table_end (Doc *d)
{
  g_string_append (d->out, d->odt ? "</table:table>" : "</w:tbl>");
}

static void
row_begin (Doc *d, gboolean header)
{
  if (d->odt)
    g_string_append (d->out, "<table:table-row>");
  else
    g_string_append (d->out, header ? "<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>"
                                    : "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
}

static void
row_end (Doc *d)
{
  g_string_append (d->out, d->odt ? "</table:table-row>" : "</w:tr>");
}

typedef enum
{
  MERGE_NONE,
  MERGE_START, /* first of two header rows */
  MERGE_CONTINUE,
} VMerge;

/* A cell's start; its content is paragraphs; then cell_end. */
static void
cell_begin (Doc *d, gboolean grid, guint span, VMerge vmerge)
{
  if (d->odt)
    {
      if (vmerge == MERGE_CONTINUE)
        {
          g_string_append (d->out, "<table:covered-table-cell/>");
          return;
        }
      g_string_append_printf (
          d->out, "<table:table-cell table:style-name=\"%s\" office:value-type=\"string\"",
          grid ? "Cg" : "Cn");
      if (span > 1)
        g_string_append_printf (d->out, " table:number-columns-spanned=\"%u\"", span);
      if (vmerge == MERGE_START)
        g_string_append (d->out, " table:number-rows-spanned=\"2\"");
      g_string_append (d->out, ">");
      return;
    }
  g_string_append (d->out, "<w:tc><w:tcPr>");
  if (span > 1)
    g_string_append_printf (d->out, "<w:gridSpan w:val=\"%u\"/>", span);
  if (vmerge == MERGE_START)
    g_string_append (d->out, "<w:vMerge w:val=\"restart\"/>");
  else if (vmerge == MERGE_CONTINUE)
    g_string_append (d->out, "<w:vMerge/>");
  g_string_append (d->out, "<w:vAlign w:val=\"center\"/></w:tcPr>");
}

static void
cell_end (Doc *d, guint span, VMerge vmerge)
{
  if (d->odt)
    {
      if (vmerge == MERGE_CONTINUE)
        return;
      g_string_append (d->out, "</table:table-cell>");
      for (guint i = 1; i < span; i++)
        g_string_append (d->out, "<table:covered-table-cell/>");
      return;
    }
  g_string_append (d->out, "</w:tc>");
}

static void
text_cell (Doc *d, guint span, VMerge vmerge, Align align, guint flags, const char *text)
{
  cell_begin (d, TRUE, span, vmerge);
  if (!(d->odt && vmerge == MERGE_CONTINUE))
    {
      if (vmerge == MERGE_CONTINUE)
        g_string_append (d->out, "<w:p/>");
      else
        para (d, align, flags, SZ_TABLE, text);
    }
  cell_end (d, span, vmerge);
}

/* Characters of the longest word of @text (a header wraps between words). */
static glong
longest_word (const char *text)
{
  g_auto (GStrv) words = g_strsplit (text != NULL ? text : "", " ", -1);
  glong best = 0;

  for (guint i = 0; words[i] != NULL; i++)
    best = MAX (best, g_utf8_strlen (words[i], -1));
  return best;
}

/* Widths in twips: numbers, dates and years at their natural width (they
 * never wrap while the page allows it), the text columns sharing the rest
 * by their longest text, at least 1,000 twips each. */
static guint *
column_widths (Doc *d, const SrvExportReport *t)
{
  guint *widths = g_new0 (guint, t->n_columns);
  guint fixed = 0, n_text = 0;
  guint64 text_weight = 0;

  for (guint i = 0; i < t->n_columns; i++)
    {
      const SrvExportColumn *c = &t->columns[i];
      /* header words are bold: a fifth wider */
      glong chars = (longest_word (c->label) * 6 + 4) / 5;
      for (guint r = 0; r <= json_array_get_length (t->rows); r++)
        {
          JsonObject *row = r < json_array_get_length (t->rows)
                                ? json_array_get_object_element (t->rows, r)
                                : t->totals;
          SrvExportCell cell;
          if (row == NULL)
            continue;
          srv_export_report_cell (t, row, row == t->totals, i, &cell);
          g_autofree char *text = srv_export_cell_format_vn (c, &cell);
          chars = MAX (chars, c->type == SRV_EXPORT_TEXT ? MIN (g_utf8_strlen (text, -1), 60)
                                                         : g_utf8_strlen (text, -1));
        }
      if (c->type == SRV_EXPORT_TEXT)
        {
          widths[i] = (guint)MAX (chars, 8);
          text_weight += widths[i];
          n_text++;
        }
      else
        {
          widths[i] = (guint)chars * CHAR_TWIPS + CELL_PAD_TWIPS;
          fixed += widths[i];
        }
    }
  guint left = d->width > fixed + 1000 * n_text ? d->width - fixed : 1000 * n_text;
  for (guint i = 0; i < t->n_columns; i++)
    if (t->columns[i].type == SRV_EXPORT_TEXT)
      widths[i] = MAX (1000, (guint)(left * widths[i] / MAX (text_weight, 1)));
  return widths;
}

static Align
column_align (const SrvExportColumn *c)
{
  switch (c->type)
    {
      case SRV_EXPORT_TEXT:
        return ALIGN_LEFT;
      case SRV_EXPORT_YEAR:
      case SRV_EXPORT_DATE:
        return ALIGN_CENTER;
      default:
        return ALIGN_RIGHT;
    }
}

/* The header: one row, or two when columns carry groups (the group over
 * its adjacent columns; the others spanning both rows). */
static void
data_header (Doc *d, const SrvExportReport *t)
{
  row_begin (d, TRUE);
  for (guint i = 0; i < t->n_columns;)
    {
      const SrvExportColumn *c = &t->columns[i];
      if (t->has_groups && c->group != NULL)
        {
          guint span = 1;
          while (i + span < t->n_columns && g_strcmp0 (t->columns[i + span].group, c->group) == 0)
            span++;
          text_cell (d, span, MERGE_NONE, ALIGN_CENTER, F_BOLD, c->group);
          i += span;
        }
      else
        {
          text_cell (d, 1, t->has_groups ? MERGE_START : MERGE_NONE, ALIGN_CENTER, F_BOLD,
                     c->label);
          i++;
        }
    }
  row_end (d);
  if (!t->has_groups)
    return;
  row_begin (d, TRUE);
  for (guint i = 0; i < t->n_columns; i++)
    {
      const SrvExportColumn *c = &t->columns[i];
      if (c->group != NULL)
        text_cell (d, 1, MERGE_NONE, ALIGN_CENTER, F_BOLD, c->label);
      else
        text_cell (d, 1, MERGE_CONTINUE, ALIGN_CENTER, 0, "");
    }
  row_end (d);
}

static void
data_row (Doc *d, const SrvExportReport *t, JsonObject *row, gboolean is_totals)
{
  row_begin (d, FALSE);
  for (guint i = 0; i < t->n_columns; i++)
    {
      SrvExportCell cell;
      srv_export_report_cell (t, row, is_totals, i, &cell);
      g_autofree char *text = srv_export_cell_format_vn (&t->columns[i], &cell);
      text_cell (d, 1, MERGE_NONE, column_align (&t->columns[i]), is_totals ? F_BOLD : 0, text);
    }
  row_end (d);
}

/* One table of the document: its title, then the grid. */
static gboolean
data_table (Doc *d, JsonObject *object, GError **error)
{
  g_auto (SrvExportReport) t = { 0 };
  g_autofree guint *widths = NULL;

  if (!srv_export_report_read (object, &t, error))
    return FALSE;
  if (t.title != NULL && *t.title != '\0')
    para (d, ALIGN_CENTER, F_BOLD, 0, t.title);
  widths = column_widths (d, &t);
  table_begin (d, TRUE, widths, t.n_columns);
  data_header (d, &t);
  for (guint r = 0; r < json_array_get_length (t.rows); r++)
    data_row (d, &t, json_array_get_object_element (t.rows, r), FALSE);
  if (t.totals != NULL)
    data_row (d, &t, t.totals, TRUE);
  if (json_array_get_length (t.rows) == 0 && t.totals == NULL)
    {
      row_begin (d, FALSE);
      text_cell (d, t.n_columns, MERGE_NONE, ALIGN_CENTER, F_ITALIC, "Không có số liệu.");
      row_end (d);
    }
  table_end (d);
  para (d, ALIGN_LEFT, 0, 0, "");
  return TRUE;
}

/* ---- the document ---------------------------------------------------- */

static const char *
member_string (JsonObject *o, const char *name)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, name) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static JsonArray *
member_array (JsonObject *o, const char *name)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, name) : NULL;

  return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

/* Two borderless cells side by side: the issuer and the national motto
 * (NĐ 30/2020 Phụ lục I, ô số 1, 2, 3, 4). */
static void
heading_block (Doc *d, const SrvExportReport *report, JsonObject *doc)
{
  static const guint weights[] = { 2, 3 };
  g_autofree char *parent
      = report->issuer_parent != NULL ? srv_export_upper (report->issuer_parent) : NULL;
  g_autofree char *name = srv_export_upper (report->issuer_name != NULL ? report->issuer_name : "");

  table_begin (d, FALSE, weights, 2);
  row_begin (d, FALSE);
  cell_begin (d, FALSE, 1, MERGE_NONE);
  if (parent != NULL)
    para (d, ALIGN_CENTER, 0, SZ_HEADING, parent);
  para (d, ALIGN_CENTER, F_BOLD, SZ_HEADING, name);
  para (d, ALIGN_CENTER, 0, SZ_HEADING, "———");
  para (d, ALIGN_CENTER, 0, SZ_HEADING,
        member_string (doc, "number") ? member_string (doc, "number") : "Số:");
  cell_end (d, 1, MERGE_NONE);
  cell_begin (d, FALSE, 1, MERGE_NONE);
  para (d, ALIGN_CENTER, F_BOLD, SZ_HEADING, SRV_EXPORT_NATION);
  para (d, ALIGN_CENTER, F_BOLD | F_UNDERLINE, 0, SRV_EXPORT_MOTTO);
  para (d, ALIGN_CENTER, 0, SZ_HEADING, "");
  para (d, ALIGN_CENTER, F_ITALIC, 0, report->date_line != NULL ? report->date_line : "");
  cell_end (d, 1, MERGE_NONE);
  row_end (d);
  table_end (d);
}

/* "Nơi nhận" on the left, the signature on the right (ô số 7, 8, 9). */
static void
closing_block (Doc *d, JsonObject *doc)
{
  static const guint weights[] = { 1, 1 };
  JsonArray *recipients = member_array (doc, "recipients");
  JsonNode *signer_node = json_object_get_member (doc, "signer");
  JsonObject *signer = signer_node != NULL && JSON_NODE_HOLDS_OBJECT (signer_node)
                           ? json_node_get_object (signer_node)
                           : NULL;

  para (d, ALIGN_LEFT, 0, 0, "");
  table_begin (d, FALSE, weights, 2);
  row_begin (d, FALSE);
  cell_begin (d, FALSE, 1, MERGE_NONE);
  para (d, ALIGN_LEFT, F_BOLD | F_ITALIC, SZ_RECIPIENTS_TITLE, "Nơi nhận:");
  for (guint i = 0; recipients != NULL && i < json_array_get_length (recipients); i++)
    {
      g_autofree char *line
          = g_strdup_printf ("- %s", json_array_get_string_element (recipients, i));
      para (d, ALIGN_LEFT, 0, SZ_RECIPIENTS, line);
    }
  cell_end (d, 1, MERGE_NONE);
  cell_begin (d, FALSE, 1, MERGE_NONE);
  if (member_string (signer, "authority") != NULL)
    para (d, ALIGN_CENTER, F_BOLD, 0, member_string (signer, "authority"));
  para (d, ALIGN_CENTER, F_BOLD, 0,
        member_string (signer, "title") ? member_string (signer, "title") : "");
  for (int i = 0; i < 4; i++)
    para (d, ALIGN_CENTER, 0, 0, "");
  para (d, ALIGN_CENTER, F_BOLD, 0,
        member_string (signer, "name") ? member_string (signer, "name") : "");
  cell_end (d, 1, MERGE_NONE);
  row_end (d);
  table_end (d);
}

static void
landscape_appendix_start (Doc *d, const char *heading)
{
  if (d->odt)
    {
      g_autofree char *t = esc ("PHỤ LỤC");
      g_string_append_printf (
          d->out,
          "<text:p text:style-name=\"PLand\"><text:span text:style-name=\"Tb\">%s"
          "</text:span></text:p>",
          t);
    }
  else
    {
      /* the last paragraph of the portrait section carries its properties */
      g_string_append (
          d->out, "<w:p><w:pPr><w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
                  "<w:pgMar w:top=\"1134\" w:right=\"850\" w:bottom=\"1134\" w:left=\"1701\""
                  " w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:pPr></w:p>");
      para (d, ALIGN_CENTER, F_BOLD, 0, "PHỤ LỤC");
    }
  d->width = LANDSCAPE_WIDTH_TWIPS;
  para (d, ALIGN_CENTER, F_BOLD, 0, "CÁC BIỂU SỐ LIỆU");
  if (heading != NULL)
    {
      g_autofree char *line = g_strdup_printf ("(Kèm theo Báo cáo %s)", heading);
      para (d, ALIGN_CENTER, F_ITALIC, 0, line);
    }
  para (d, ALIGN_CENTER, 0, 0, "");
}

/* The document: heading block, title, body by the outline, "Nơi nhận" and
 * signature; then the tables as an appendix on landscape pages (a table of
 * nine money columns does not fit the portrait text width at 10 pt). */
static gboolean
body (Doc *d, const SrvExportReport *report, JsonObject *doc, gboolean *landscape, GError **error)
{
  JsonArray *sections = member_array (doc, "sections");
  JsonArray *tables = member_array (doc, "tables");
  const char *heading = member_string (doc, "heading");

  *landscape = FALSE;
  heading_block (d, report, doc);
  para (d, ALIGN_CENTER, 0, 0, "");
  para (d, ALIGN_CENTER, F_BOLD, 0,
        member_string (doc, "kind") ? member_string (doc, "kind") : "BÁO CÁO");
  para (d, ALIGN_CENTER, F_BOLD, 0, heading != NULL ? heading : report->title);
  para (d, ALIGN_CENTER, 0, 0, "———");
  if (member_string (doc, "recipient") != NULL)
    para (d, ALIGN_CENTER, 0, 0, member_string (doc, "recipient"));
  if (member_string (doc, "intro") != NULL)
    paras (d, ALIGN_JUSTIFY, 0, 0, member_string (doc, "intro"));

  for (guint s = 0; sections != NULL && s < json_array_get_length (sections); s++)
    {
      JsonNode *node = json_array_get_element (sections, s);
      JsonObject *section = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      para (d, ALIGN_LEFT, F_BOLD, 0, member_string (section, "heading"));
      paras (d, ALIGN_JUSTIFY, 0, 0, member_string (section, "text"));
    }
  closing_block (d, doc);

  if (tables == NULL || json_array_get_length (tables) == 0)
    return TRUE;
  landscape_appendix_start (d, heading);
  *landscape = TRUE;
  for (guint t = 0; t < json_array_get_length (tables); t++)
    {
      JsonNode *tn = json_array_get_element (tables, t);
      if (JSON_NODE_HOLDS_OBJECT (tn) && !data_table (d, json_node_get_object (tn), error))
        return FALSE;
    }
  return TRUE;
}

/* ---- packaging ------------------------------------------------------- */

static char *
template_fill (const char *name, const char *const *pairs, GError **error)
{
  g_autofree char *path = g_strconcat (RESOURCE_DIR, name, NULL);
  g_autoptr (GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  g_autoptr (GString) out = NULL;

  if (bytes == NULL)
    return NULL;
  out = g_string_new_len (g_bytes_get_data (bytes, NULL), (gssize)g_bytes_get_size (bytes));
  for (guint i = 0; pairs != NULL && pairs[i] != NULL; i += 2)
    g_string_replace (out, pairs[i], pairs[i + 1], 1);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

typedef struct
{
  const char *name;
  char *data; /* owned */
  gboolean store;
} Part;

static void
zip_failed (GError **error, const char *what, zip_error_t *ze)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "zipping the document failed (%s): %s", what,
               zip_error_strerror (ze));
}

/* The parts, in order, zipped in memory; every entry dated @mtime so the
 * same report gives the same bytes. */
static GBytes *
zip_parts (Part *parts, guint n, gint64 mtime, GError **error)
{
  zip_error_t ze;
  zip_source_t *src;
  zip_t *za;
  zip_stat_t st;
  g_autofree char *buf = NULL;

  zip_error_init (&ze);
  src = zip_source_buffer_create (NULL, 0, 0, &ze);
  if (src == NULL)
    {
      zip_failed (error, "buffer", &ze);
      zip_error_fini (&ze);
      return NULL;
    }
  za = zip_open_from_source (src, ZIP_TRUNCATE, &ze);
  if (za == NULL)
    {
      zip_failed (error, "open", &ze);
      zip_source_free (src);
      zip_error_fini (&ze);
      return NULL;
    }
  zip_error_fini (&ze);
  zip_source_keep (src);
  for (guint i = 0; i < n; i++)
    {
      zip_source_t *part = zip_source_buffer (za, parts[i].data, strlen (parts[i].data), 0);
      zip_int64_t idx
          = part != NULL ? zip_file_add (za, parts[i].name, part, ZIP_FL_ENC_UTF_8) : -1;
      if (idx < 0)
        {
          if (part != NULL)
            zip_source_free (part);
          zip_failed (error, parts[i].name, zip_get_error (za));
          zip_discard (za);
          zip_source_free (src);
          return NULL;
        }
      zip_set_file_compression (za, (zip_uint64_t)idx,
                                parts[i].store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 9);
      zip_file_set_mtime (za, (zip_uint64_t)idx, (time_t)mtime, 0);
    }
  if (zip_close (za) < 0)
    {
      zip_failed (error, "close", zip_get_error (za));
      zip_discard (za);
      zip_source_free (src);
      return NULL;
    }
  if (zip_source_open (src) < 0 || zip_source_stat (src, &st) < 0)
    {
      zip_failed (error, "read back", zip_source_error (src));
      zip_source_free (src);
      return NULL;
    }
  buf = g_malloc (st.size > 0 ? st.size : 1);
  if (zip_source_read (src, buf, st.size) != (zip_int64_t)st.size)
    {
      zip_failed (error, "read back", zip_source_error (src));
      zip_source_close (src);
      zip_source_free (src);
      return NULL;
    }
  zip_source_close (src);
  zip_source_free (src);
  return g_bytes_new_take (g_steal_pointer (&buf), st.size);
}

static char *
created_iso (gint64 unix_time)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (unix_time);

  return t != NULL ? g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ")
                   : g_strdup ("2000-01-01T00:00:00Z");
}

GBytes *
srv_export_render_doc (const SrvExportReport *report, JsonObject *object, gboolean odt,
                       GError **error)
{
  JsonNode *doc_node = json_object_get_member (object, "document");
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GString) styles = g_string_new (NULL);
  Doc d = { out, styles, odt, 0, TEXT_WIDTH_TWIPS };
  gboolean landscape = FALSE;
  g_autofree char *title = esc (report->title);
  g_autofree char *creator
      = esc (report->issuer_name != NULL ? report->issuer_name : "Khuyến Công");
  g_autofree char *created = created_iso (report->generated_unix);
  const char *const meta[] = { "@TITLE@", title, "@CREATOR@", creator, "@CREATED@", created, NULL };
  const char *body_pair[] = { "@BODY@", NULL, "@STYLES@", NULL, "@PAGE@", NULL, NULL };
  Part parts[8];
  guint n = 0;
  GBytes *bytes = NULL;

  if (doc_node == NULL || !JSON_NODE_HOLDS_OBJECT (doc_node))
    {
      g_set_error_literal (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_PARAMS,
                           "this report is a table, not a document: export it as csv, xlsx or pdf");
      return NULL;
    }
  if (!body (&d, report, json_node_get_object (doc_node), &landscape, error))
    return NULL;
  body_pair[1] = out->str;
  body_pair[3] = styles->str;
  /* docx: the last section's page (the appendix's when there is one) */
  body_pair[5] = landscape ? "<w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"/>"
                           : "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>";

  memset (parts, 0, sizeof parts);
  if (odt)
    {
      /* ODF: "mimetype" first and stored, so that a reader can identify
       * the file from its first bytes (ODF 1.2 part 3, 3.3). */
      parts[n++] = (Part){ "mimetype", g_strdup ("application/vnd.oasis.opendocument.text"), TRUE };
      parts[n++] = (Part){ "META-INF/manifest.xml", template_fill ("odt-manifest.xml", NULL, error),
                           FALSE };
      parts[n++] = (Part){ "meta.xml", template_fill ("odt-meta.xml", meta, error), FALSE };
      parts[n++] = (Part){ "styles.xml", template_fill ("odt-styles.xml", NULL, error), FALSE };
      parts[n++]
          = (Part){ "content.xml", template_fill ("odt-content.xml", body_pair, error), FALSE };
    }
  else
    {
      parts[n++] = (Part){ "[Content_Types].xml",
                           template_fill ("docx-content-types.xml", NULL, error), FALSE };
      parts[n++] = (Part){ "_rels/.rels", template_fill ("docx-rels.xml", NULL, error), FALSE };
      parts[n++]
          = (Part){ "docProps/core.xml", template_fill ("docx-core.xml", meta, error), FALSE };
      parts[n++] = (Part){ "word/_rels/document.xml.rels",
                           template_fill ("docx-document-rels.xml", NULL, error), FALSE };
      parts[n++]
          = (Part){ "word/styles.xml", template_fill ("docx-styles.xml", NULL, error), FALSE };
      parts[n++] = (Part){ "word/document.xml",
                           template_fill ("docx-document.xml", body_pair, error), FALSE };
    }
  gboolean ok = TRUE;
  for (guint i = 0; i < n; i++)
    ok = ok && parts[i].data != NULL;
  if (ok)
    bytes = zip_parts (parts, n, report->generated_unix, error);
  for (guint i = 0; i < n; i++)
    g_free (parts[i].data);
  return bytes;
}

/* ---- PDF through LibreOffice ------------------------------------------- */

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

GBytes *
srv_export_render_doc_pdf (const SrvExportReport *report, JsonObject *object, GError **error)
{
  g_autofree char *soffice = g_find_program_in_path ("soffice");
  g_autoptr (GBytes) docx = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *src = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *out_err = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  int status = 0;

  if (soffice == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "LibreOffice is not installed");
      return NULL;
    }
  docx = srv_export_render_doc (report, object, FALSE, error);
  if (docx == NULL)
    return NULL;
  dir = g_dir_make_tmp ("kc-doc-XXXXXX", error);
  if (dir == NULL)
    return NULL;
  src = g_build_filename (dir, "document.docx", NULL);
  pdf = g_build_filename (dir, "document.pdf", NULL);
  /* A profile of its own: two conversions at once must not share one. */
  profile = g_strconcat ("-env:UserInstallation=file://", dir, "/profile", NULL);
  if (g_file_set_contents (src, g_bytes_get_data (docx, NULL), (gssize)g_bytes_get_size (docx),
                           error))
    {
      const char *argv[] = { soffice, profile,    "--headless", "--norestore", "--convert-to",
                             "pdf",   "--outdir", dir,          src,           NULL };
      if (g_spawn_sync (dir, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                        &out_err, &status, error)
          && !g_file_get_contents (pdf, &contents, &length, NULL))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "LibreOffice did not convert the document: %s",
                     out_err != NULL ? g_strstrip (out_err) : "");
    }
  remove_tree (dir);
  if (contents == NULL)
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}
