/*
 * srv-export-private.h — what the renderers of srv-export.c share: the
 * report read once into plain structs, and the Vietnamese texts of the
 * administrative heading. Owned by srv-export.c; the xlsx renderer lives in
 * srv-export-xlsx.c and the PDF one in srv-export-pdf.c.
 */
#pragma once

#include "srv-export.h"

G_BEGIN_DECLS

typedef enum
{
  SRV_EXPORT_TEXT,
  SRV_EXPORT_INTEGER,
  SRV_EXPORT_MONEY,
  SRV_EXPORT_PERCENT,
  SRV_EXPORT_DATE,
  SRV_EXPORT_YEAR,
  SRV_EXPORT_N_TYPES
} SrvExportType;

typedef struct
{
  const char *key;   /* borrowed from the report */
  const char *label; /* borrowed */
  const char *group; /* borrowed, NULL when the column has none */
  SrvExportType type;
} SrvExportColumn;

/* The report as the renderers see it; every string borrowed from the
 * JsonObject it was read from, which must outlive it. */
typedef struct
{
  const char *title;
  const char *subtitle;      /* NULL when absent */
  const char *note;          /* NULL when absent */
  const char *issuer_parent; /* NULL when absent */
  const char *issuer_name;   /* NULL when absent */
  char *date_line;           /* owned: "Hà Nội, ngày 27 tháng 11 năm 2026" */
  gint64 generated_unix;     /* generated_at in Unix time, 0 when unreadable */
  guint n_columns;
  SrvExportColumn *columns; /* owned array */
  gboolean has_groups;
  JsonArray *rows;         /* borrowed */
  JsonObject *totals;      /* borrowed, NULL when absent */
  int totals_label_column; /* the text column labelled "Tổng cộng", or -1 */
} SrvExportReport;

#define SRV_EXPORT_NATION "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
#define SRV_EXPORT_MOTTO "Độc lập - Tự do - Hạnh phúc"
#define SRV_EXPORT_TOTAL_LABEL "Tổng cộng"

/* A cell as the renderers show it. */
typedef enum
{
  SRV_EXPORT_CELL_EMPTY,
  SRV_EXPORT_CELL_TEXT,   /* text */
  SRV_EXPORT_CELL_INT,    /* integer */
  SRV_EXPORT_CELL_NUMBER, /* number */
  SRV_EXPORT_CELL_DATE,   /* date */
} SrvExportCellKind;

typedef struct
{
  SrvExportCellKind kind;
  const char *text; /* borrowed, for CELL_TEXT */
  gint64 integer;
  double number;
  GDate date;
} SrvExportCell;

/* Reads @node (a row's member, may be NULL) as a cell of @column: numbers
 * given as strings are read as numbers, a value that is not what the
 * column's type says is shown as text. */
void srv_export_cell_read (const SrvExportColumn *column, JsonNode *node, SrvExportCell *cell);

/* The cell of @row (NULL: empty) for column @index, with the totals label
 * filled in when @is_totals. */
void srv_export_report_cell (const SrvExportReport *report, JsonObject *row, gboolean is_totals,
                             guint index, SrvExportCell *cell);

/* "1.234.567", "12,5%", "27/11/2026": the cell as people read it in
 * Vietnamese (transfer full). */
char *srv_export_cell_format_vn (const SrvExportColumn *column, const SrvExportCell *cell);

/* The heading's upper-case form of @text (transfer full). */
char *srv_export_upper (const char *text);

/* Reads and checks @object (a report or one table of a document) into
 * @report, whose strings it borrows. */
gboolean srv_export_report_read (JsonObject *object, SrvExportReport *report, GError **error);
void srv_export_report_clear (SrvExportReport *report);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SrvExportReport, srv_export_report_clear)

/* srv-export-doc.c: @object's `document` as docx or odt; as PDF through
 * LibreOffice (G_IO_ERROR_NOT_FOUND when it is not installed). */
GBytes *srv_export_render_doc (const SrvExportReport *report, JsonObject *object, gboolean odt,
                               GError **error);
GBytes *srv_export_render_doc_pdf (const SrvExportReport *report, JsonObject *object,
                                   GError **error);

GBytes *srv_export_render_xlsx (const SrvExportReport *report, GError **error);
GBytes *srv_export_render_pdf (const SrvExportReport *report, GError **error);

G_END_DECLS
