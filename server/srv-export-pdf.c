/*
 * srv-export-pdf.c — the report as an A4 landscape PDF (cairo + pango).
 *
 * Laid out in two passes: every cell is measured first, so that rows can be
 * paginated and "Trang N/M" known before anything is drawn. The heading
 * block (issuer, national motto, date line, title) opens the first page;
 * the table header is repeated on every page; numbers are right-aligned
 * and grouped the Vietnamese way (1.234.567); long text wraps within its
 * column.
 *
 * Thread safety: PangoFontMap and PangoContext are not safe to share
 * between threads, so each call makes its own font map, context, surface
 * and cairo_t and frees them before returning. Fontconfig itself is
 * thread-safe.
 *
 * The font is DejaVu Serif (Debian fonts-dejavu-core): a serif face like
 * the Times New Roman of administrative documents, with every precomposed
 * Vietnamese letter (Latin Extended Additional), on every Debian machine.
 */
#include "srv-export-private.h"

#include <cairo-pdf.h>
#include <string.h>
#include <gio/gio.h>
#include <pango/pangocairo.h>

#define FONT_FAMILY "DejaVu Serif"
#define BODY_SIZE 9.0
#define HEADING_SIZE 11.0
#define TITLE_SIZE 13.0

/* A4 landscape in points, and the margins of an administrative document
 * (left 30 mm for binding, right 15 mm, top and bottom 20 mm). */
#define PAGE_WIDTH 841.89
#define PAGE_HEIGHT 595.28
#define MARGIN_LEFT 85.04
#define MARGIN_RIGHT 42.52
#define MARGIN_TOP 56.69
#define MARGIN_BOTTOM 56.69
#define TABLE_WIDTH (PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)
#define CONTENT_BOTTOM (PAGE_HEIGHT - MARGIN_BOTTOM)
#define PAD 3.0
#define LINE_WIDTH 0.5

typedef struct
{
  PangoContext *context;
  PangoFontDescription *body, *bold, *heading, *heading_bold, *heading_italic, *title;
  const SrvExportReport *report;
  double *widths;  /* per column, padding included */
  double *x;       /* left edge of each column */
  guint n_lines;   /* data rows + the totals row */
  char **texts;    /* n_lines × n_columns, formatted for people */
  double *heights; /* per line */
  double header_height, group_height;
  double heading_height;
  GArray *page_starts; /* guint: first line of each page */
  /* A table too wide for the page is drawn smaller rather than wrapping
   * its numbers: everything is laid out on a page 1/scale as large. */
  double scale;
  double table_width, margin_left, margin_top, content_bottom, margin_bottom;
} Pdf;

#define MIN_SCALE 0.6
/* The width (points) a text column should keep before the table shrinks. */
#define TEXT_WANT 90.0

static void
set_scale (Pdf *pdf, double scale)
{
  pdf->scale = scale;
  pdf->table_width = TABLE_WIDTH / scale;
  pdf->margin_left = MARGIN_LEFT / scale;
  pdf->margin_top = MARGIN_TOP / scale;
  pdf->content_bottom = CONTENT_BOTTOM / scale;
  pdf->margin_bottom = MARGIN_BOTTOM / scale;
}

static PangoFontDescription *
font (const char *style, double size)
{
  g_autofree char *name = g_strdup_printf ("%s %s %g", FONT_FAMILY, style, size);
  return pango_font_description_from_string (name);
}

static PangoLayout *
make_layout (Pdf *pdf, const char *text, const PangoFontDescription *desc, double width,
             PangoAlignment alignment)
{
  PangoLayout *layout = pango_layout_new (pdf->context);
  g_autofree char *nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, nfc != NULL ? nfc : "", -1);
  if (width > 0)
    {
      pango_layout_set_width (layout, pango_units_from_double (width));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_alignment (layout, alignment);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return pango_units_to_double (h);
}

/* Natural width of @text on one line, and of its longest word. */
static void
text_widths (Pdf *pdf, const char *text, const PangoFontDescription *desc, double *line,
             double *word)
{
  g_autoptr (PangoLayout) layout = make_layout (pdf, text, desc, -1, PANGO_ALIGN_LEFT);
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  *line = pango_units_to_double (logical.width);
  /* Wrapped at every word (PANGO_WRAP_WORD never breaks inside one), the
   * layout is as wide as its longest word. */
  pango_layout_set_width (layout, 1);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_get_extents (layout, NULL, &logical);
  *word = pango_units_to_double (logical.width);
}

static gboolean
is_numeric (const SrvExportColumn *column)
{
  return column->type != SRV_EXPORT_TEXT;
}

static const PangoFontDescription *
line_font (Pdf *pdf, guint line)
{
  gboolean totals = pdf->report->totals != NULL && line == pdf->n_lines - 1;
  return totals ? pdf->bold : pdf->body;
}

/* Column widths: every column at its natural width when the table fits;
 * otherwise numbers and dates keep theirs (they never wrap) and the text
 * columns share the rest, the widest capped first, never below their
 * longest word where that can be helped. */
static void
choose_widths (Pdf *pdf)
{
  const SrvExportReport *report = pdf->report;
  guint n = report->n_columns;
  g_autofree double *natural = g_new0 (double, n);
  g_autofree double *minimum = g_new0 (double, n);
  /* Numbers and codes ("KCQG-2025-25-001", "HĐ-07/KC": no space, short)
   * keep their width: a code cut in two reads as two codes. */
  g_autofree gboolean *keep = g_new0 (gboolean, n);

  for (guint i = 0; i < n; i++)
    {
      keep[i] = TRUE;
      if (is_numeric (&report->columns[i]))
        continue;
      for (guint l = 0; l < pdf->n_lines && keep[i]; l++)
        {
          const char *t = pdf->texts[l * n + i];
          double line, word;

          if (t == NULL || *t == '\0')
            continue;
          if (strpbrk (t, " \t\n") != NULL)
            keep[i] = FALSE;
          else
            {
              text_widths (pdf, t, line_font (pdf, l), &line, &word);
              keep[i] = line <= 130.0;
            }
        }
    }

  for (guint i = 0; i < n; i++)
    {
      double line, word;

      text_widths (pdf, report->columns[i].label, pdf->bold, &line, &word);
      /* A header may wrap over two or three lines. */
      natural[i] = MAX (word, line / 3);
      minimum[i] = word;
      for (guint l = 0; l < pdf->n_lines; l++)
        {
          text_widths (pdf, pdf->texts[l * n + i], line_font (pdf, l), &line, &word);
          natural[i] = MAX (natural[i], line);
          minimum[i] = MAX (minimum[i], keep[i] ? line : word);
        }
      natural[i] += 2 * PAD;
      minimum[i] = MIN (minimum[i] + 2 * PAD, natural[i]);
    }

  double sum = 0, fixed = 0, text = 0, text_min = 0, text_want = 0;
  for (guint i = 0; i < n; i++)
    {
      sum += natural[i];
      if (keep[i])
        fixed += natural[i];
      else
        {
          text += natural[i];
          text_min += MIN (minimum[i], 60.0);
          text_want += MIN (natural[i], MAX (minimum[i], TEXT_WANT));
        }
    }
  /* Numbers must not wrap, and a text column squeezed to its longest word
   * reads badly: when they do not fit, the page's content is drawn
   * smaller (down to 60%). */
  if (MIN (sum, fixed + text_want) > TABLE_WIDTH)
    set_scale (pdf, MAX (MIN_SCALE, TABLE_WIDTH / MIN (sum, fixed + text_want)));

  if (sum <= pdf->table_width)
    {
      /* Spread the spare width over the text columns (all when none). */
      double spare = pdf->table_width - sum;
      for (guint i = 0; i < n; i++)
        pdf->widths[i]
            = natural[i]
              + (text > 0 ? (keep[i] ? 0 : spare * natural[i] / text) : spare * natural[i] / sum);
      return;
    }

  double room = pdf->table_width - fixed;
  if (text == 0 || room < text_min)
    {
      /* Too many columns for the page: shrink them all alike. */
      for (guint i = 0; i < n; i++)
        pdf->widths[i] = natural[i] * pdf->table_width / sum;
      return;
    }

  /* The cap at which the capped text columns fill the room exactly. */
  double low = 0, high = pdf->table_width;
  for (int step = 0; step < 50; step++)
    {
      double cap = (low + high) / 2, used = 0;
      for (guint i = 0; i < n; i++)
        if (!keep[i])
          used += MAX (MIN (natural[i], cap), MIN (minimum[i], 60.0));
      if (used > room)
        high = cap;
      else
        low = cap;
    }
  for (guint i = 0; i < n; i++)
    pdf->widths[i] = keep[i] ? natural[i] : MAX (MIN (natural[i], low), MIN (minimum[i], 60.0));
}

static PangoLayout *
cell_layout (Pdf *pdf, guint line, guint col)
{
  const SrvExportColumn *column = &pdf->report->columns[col];
  PangoAlignment align = column->type == SRV_EXPORT_DATE || column->type == SRV_EXPORT_YEAR
                             ? PANGO_ALIGN_CENTER
                         : is_numeric (column) ? PANGO_ALIGN_RIGHT
                                               : PANGO_ALIGN_LEFT;

  return make_layout (pdf, pdf->texts[line * pdf->report->n_columns + col], line_font (pdf, line),
                      pdf->widths[col] - 2 * PAD, align);
}

/* The group spanning columns @first..*@last (NULL when @first has none). */
static const char *
group_span (const SrvExportReport *report, guint first, guint *last)
{
  const char *group = report->columns[first].group;

  *last = first;
  if (group == NULL)
    return NULL;
  while (*last + 1 < report->n_columns && report->columns[*last + 1].group != NULL
         && g_str_equal (report->columns[*last + 1].group, group))
    (*last)++;
  return group;
}

static double
span_width (Pdf *pdf, guint first, guint last)
{
  return pdf->x[last] + pdf->widths[last] - pdf->x[first];
}

static void
measure_header (Pdf *pdf)
{
  const SrvExportReport *report = pdf->report;
  double labels = 0, whole = 0;

  pdf->group_height = 0;
  for (guint i = 0; i < report->n_columns; i++)
    {
      g_autoptr (PangoLayout) layout = make_layout (pdf, report->columns[i].label, pdf->bold,
                                                    pdf->widths[i] - 2 * PAD, PANGO_ALIGN_CENTER);
      double h = layout_height (layout) + 2 * PAD;
      if (report->columns[i].group != NULL)
        labels = MAX (labels, h);
      else
        whole = MAX (whole, h);
    }
  for (guint i = 0; report->has_groups && i < report->n_columns; i++)
    {
      guint last;
      const char *group = group_span (report, i, &last);
      if (group != NULL)
        {
          g_autoptr (PangoLayout) layout = make_layout (
              pdf, group, pdf->bold, span_width (pdf, i, last) - 2 * PAD, PANGO_ALIGN_CENTER);
          pdf->group_height = MAX (pdf->group_height, layout_height (layout) + 2 * PAD);
        }
      i = last;
    }
  pdf->header_height = MAX (pdf->group_height + labels, whole);
}

/* ---- the heading block ------------------------------------------------ */

typedef struct
{
  const char *text;
  const PangoFontDescription *font;
  gboolean underline;
  gboolean right; /* the right block, else the left one (or the full width) */
  gboolean full;  /* the title lines */
} HeadingLine;

static guint
heading_lines (Pdf *pdf, HeadingLine lines[9], char **owned)
{
  const SrvExportReport *report = pdf->report;
  guint n = 0;

  owned[0] = srv_export_upper (report->issuer_parent);
  owned[1] = srv_export_upper (report->issuer_name);
  owned[2] = srv_export_upper (report->title);
  if (report->issuer_parent != NULL)
    lines[n++] = (HeadingLine){ owned[0], pdf->heading, FALSE, FALSE, FALSE };
  if (report->issuer_name != NULL)
    lines[n++] = (HeadingLine){ owned[1], pdf->heading_bold, FALSE, FALSE, FALSE };
  lines[n++] = (HeadingLine){ SRV_EXPORT_NATION, pdf->heading_bold, FALSE, TRUE, FALSE };
  lines[n++] = (HeadingLine){ SRV_EXPORT_MOTTO, pdf->heading_bold, TRUE, TRUE, FALSE };
  if (report->date_line != NULL)
    lines[n++] = (HeadingLine){ report->date_line, pdf->heading_italic, FALSE, TRUE, FALSE };
  lines[n++] = (HeadingLine){ owned[2], pdf->title, FALSE, FALSE, TRUE };
  if (report->subtitle != NULL)
    lines[n++] = (HeadingLine){ report->subtitle, pdf->heading_italic, FALSE, FALSE, TRUE };
  if (report->note != NULL)
    lines[n++] = (HeadingLine){ report->note, pdf->heading_italic, FALSE, FALSE, TRUE };
  return n;
}

/* Lays out (and with @cr draws) the heading block; returns its height. */
static double
heading (Pdf *pdf, cairo_t *cr)
{
  HeadingLine lines[9];
  char *owned[3];
  guint n = heading_lines (pdf, lines, owned);
  double left_width = pdf->table_width * 0.4, right_width = pdf->table_width - left_width;
  double y_left = pdf->margin_top, y_right = pdf->margin_top, y_full = 0;
  gboolean full_started = FALSE;

  for (guint i = 0; i < n; i++)
    {
      double x, width, *y;

      if (lines[i].full)
        {
          if (!full_started)
            y_full = MAX (y_left, y_right) + 14;
          full_started = TRUE;
          x = pdf->margin_left, width = pdf->table_width, y = &y_full;
        }
      else if (lines[i].right)
        x = pdf->margin_left + left_width, width = right_width, y = &y_right;
      else
        x = pdf->margin_left, width = left_width, y = &y_left;

      g_autoptr (PangoLayout) layout
          = make_layout (pdf, lines[i].text, lines[i].font, width, PANGO_ALIGN_CENTER);
      if (lines[i].underline)
        {
          g_autoptr (PangoAttrList) attrs = pango_attr_list_new ();
          pango_attr_list_insert (attrs, pango_attr_underline_new (PANGO_UNDERLINE_SINGLE));
          pango_layout_set_attributes (layout, attrs);
        }
      if (cr != NULL)
        {
          cairo_move_to (cr, x, *y);
          pango_cairo_show_layout (cr, layout);
        }
      *y += layout_height (layout) + 2;
    }
  for (guint i = 0; i < G_N_ELEMENTS (owned); i++)
    g_free (owned[i]);
  return y_full + 10 - pdf->margin_top;
}

/* ---- pages ----------------------------------------------------------- */

static void
paginate (Pdf *pdf)
{
  double top = pdf->margin_top + pdf->heading_height + pdf->header_height;
  guint first = 0;

  g_array_append_val (pdf->page_starts, first);
  for (guint l = 0; l < pdf->n_lines; l++)
    {
      /* A row taller than a whole page is drawn anyway (and clipped). */
      if (top + pdf->heights[l] > pdf->content_bottom && l > first)
        {
          first = l;
          g_array_append_val (pdf->page_starts, first);
          top = pdf->margin_top + pdf->header_height;
        }
      top += pdf->heights[l];
    }
}

static void
draw_box (cairo_t *cr, double x, double y, double w, double h, gboolean fill)
{
  cairo_rectangle (cr, x, y, w, h);
  if (fill)
    {
      cairo_set_source_rgb (cr, 0.87, 0.92, 0.97);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 0, 0, 0);
    }
  cairo_stroke (cr);
}

static void
draw_text (Pdf *pdf, cairo_t *cr, const char *text, double x, double y, double w, double h,
           gboolean centre_vertically)
{
  g_autoptr (PangoLayout) layout
      = make_layout (pdf, text, pdf->bold, w - 2 * PAD, PANGO_ALIGN_CENTER);
  double dy = centre_vertically ? (h - layout_height (layout)) / 2 : PAD;

  cairo_move_to (cr, x + PAD, y + dy);
  pango_cairo_show_layout (cr, layout);
}

static double
draw_header (Pdf *pdf, cairo_t *cr, double y)
{
  const SrvExportReport *report = pdf->report;
  double h = pdf->header_height, g = pdf->group_height;

  for (guint i = 0; i < report->n_columns; i++)
    {
      guint last;
      const char *group = report->has_groups ? group_span (report, i, &last) : NULL;

      if (group == NULL)
        {
          draw_box (cr, pdf->x[i], y, pdf->widths[i], h, TRUE);
          draw_text (pdf, cr, report->columns[i].label, pdf->x[i], y, pdf->widths[i], h, TRUE);
          continue;
        }
      draw_box (cr, pdf->x[i], y, span_width (pdf, i, last), g, TRUE);
      draw_text (pdf, cr, group, pdf->x[i], y, span_width (pdf, i, last), g, TRUE);
      for (guint j = i; j <= last; j++)
        {
          draw_box (cr, pdf->x[j], y + g, pdf->widths[j], h - g, TRUE);
          draw_text (pdf, cr, report->columns[j].label, pdf->x[j], y + g, pdf->widths[j], h - g,
                     TRUE);
        }
      i = last;
    }
  return y + h;
}

static void
draw_page_number (Pdf *pdf, cairo_t *cr, guint page, guint pages)
{
  g_autofree char *text = g_strdup_printf ("Trang %u/%u", page, pages);
  g_autoptr (PangoLayout) layout
      = make_layout (pdf, text, pdf->body, pdf->table_width, PANGO_ALIGN_CENTER);

  cairo_move_to (cr, pdf->margin_left, pdf->content_bottom + pdf->margin_bottom / 3);
  pango_cairo_show_layout (cr, layout);
}

static void
draw (Pdf *pdf, cairo_t *cr)
{
  guint pages = pdf->page_starts->len;
  guint n = pdf->report->n_columns;

  cairo_set_line_width (cr, LINE_WIDTH);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint p = 0; p < pages; p++)
    {
      guint first = g_array_index (pdf->page_starts, guint, p);
      guint end = p + 1 < pages ? g_array_index (pdf->page_starts, guint, p + 1) : pdf->n_lines;
      double y = pdf->margin_top;

      cairo_save (cr);
      cairo_scale (cr, pdf->scale, pdf->scale);
      if (p == 0)
        y += heading (pdf, cr);
      y = draw_header (pdf, cr, y);
      for (guint l = first; l < end; l++)
        {
          gboolean totals = pdf->report->totals != NULL && l == pdf->n_lines - 1;
          for (guint i = 0; i < n; i++)
            {
              g_autoptr (PangoLayout) layout = cell_layout (pdf, l, i);
              draw_box (cr, pdf->x[i], y, pdf->widths[i], pdf->heights[l], totals);
              cairo_move_to (cr, pdf->x[i] + PAD, y + PAD);
              pango_cairo_show_layout (cr, layout);
            }
          y += pdf->heights[l];
        }
      draw_page_number (pdf, cr, p + 1, pages);
      cairo_restore (cr);
      cairo_show_page (cr);
    }
}

static cairo_status_t
append_bytes_cb (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
prepare (Pdf *pdf)
{
  const SrvExportReport *report = pdf->report;
  guint n = report->n_columns;
  guint n_rows = json_array_get_length (report->rows);

  pdf->n_lines = n_rows + (report->totals != NULL ? 1 : 0);
  pdf->texts = g_new0 (char *, (gsize)pdf->n_lines *n + 1);
  for (guint l = 0; l < pdf->n_lines; l++)
    {
      JsonObject *row
          = l < n_rows ? json_array_get_object_element (report->rows, l) : report->totals;
      for (guint i = 0; i < n; i++)
        {
          SrvExportCell cell;
          srv_export_report_cell (report, row, l >= n_rows, i, &cell);
          pdf->texts[l * n + i] = srv_export_cell_format_vn (&report->columns[i], &cell);
        }
    }

  pdf->widths = g_new0 (double, n);
  pdf->x = g_new0 (double, n);
  choose_widths (pdf);
  for (guint i = 0; i < n; i++)
    pdf->x[i] = i == 0 ? pdf->margin_left : pdf->x[i - 1] + pdf->widths[i - 1];

  pdf->heights = g_new0 (double, MAX (pdf->n_lines, 1));
  for (guint l = 0; l < pdf->n_lines; l++)
    for (guint i = 0; i < n; i++)
      {
        g_autoptr (PangoLayout) layout = cell_layout (pdf, l, i);
        pdf->heights[l] = MAX (pdf->heights[l], layout_height (layout) + 2 * PAD);
      }
  measure_header (pdf);
  pdf->heading_height = heading (pdf, NULL);
  pdf->page_starts = g_array_new (FALSE, FALSE, sizeof (guint));
  paginate (pdf);
}

static void
pdf_clear (Pdf *pdf)
{
  g_clear_object (&pdf->context);
  g_clear_pointer (&pdf->body, pango_font_description_free);
  g_clear_pointer (&pdf->bold, pango_font_description_free);
  g_clear_pointer (&pdf->heading, pango_font_description_free);
  g_clear_pointer (&pdf->heading_bold, pango_font_description_free);
  g_clear_pointer (&pdf->heading_italic, pango_font_description_free);
  g_clear_pointer (&pdf->title, pango_font_description_free);
  g_free (pdf->widths);
  g_free (pdf->x);
  g_free (pdf->heights);
  g_strfreev (pdf->texts);
  if (pdf->page_starts != NULL)
    g_array_unref (pdf->page_starts);
}

GBytes *
srv_export_render_pdf (const SrvExportReport *report, GError **error)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  cairo_surface_t *surface
      = cairo_pdf_surface_create_for_stream (append_bytes_cb, out, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_t *cr = cairo_create (surface);
  /* Per call: a font map is not safe to share between threads. */
  g_autoptr (PangoFontMap) font_map = pango_cairo_font_map_new ();
  Pdf pdf = { .report = report };

  set_scale (&pdf, 1.0);

  g_autofree char *title = srv_export_upper (report->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Khuyến Công");
  if (report->generated_unix != 0)
    {
      /* The data's time, not the clock's: the same report gives the same
       * bytes. */
      g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (report->generated_unix);
      g_autofree char *when = utc != NULL ? g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ") : NULL;
      if (when != NULL)
        cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, when);
    }

  pdf.context = pango_font_map_create_context (font_map);
  /* One layout unit is one point, and glyph positions do not depend on
   * hinting, so measuring and drawing agree. */
  pango_cairo_context_set_resolution (pdf.context, 72);
  cairo_font_options_t *options = cairo_font_options_create ();
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (pdf.context, options);
  cairo_font_options_destroy (options);
  pango_cairo_update_context (cr, pdf.context);

  pdf.body = font ("", BODY_SIZE);
  pdf.bold = font ("Bold", BODY_SIZE);
  pdf.heading = font ("", HEADING_SIZE);
  pdf.heading_bold = font ("Bold", HEADING_SIZE);
  pdf.heading_italic = font ("Italic", HEADING_SIZE);
  pdf.title = font ("Bold", TITLE_SIZE);

  prepare (&pdf);
  draw (&pdf, cr);
  pdf_clear (&pdf);

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_status_t status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "could not write the PDF: %s",
                   cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
