/*
 * kc-table-page.h — the frame the simple list pages share (review queue,
 * budget, correspondence, audit log, reports, typical products): a toolbar
 * for their acts, a spinner, a count and one table. Subclasses fill the
 * table in ::refresh and react to the server's events in ::event. A
 * subclass declares its toolbar (acts, filters, a message) in its own
 * template, as children of <child internal-child="toolbar"> (pack-type end
 * to sit before the count); what a role may not do is hidden in code, not
 * left unbuilt. Also the column helpers of every list of the client,
 * KcTablePage or not (plans, projects, organisations).
 */
#pragma once

#include <gtk/gtk.h>

#include "kc-session.h"

G_BEGIN_DECLS

#define KC_TYPE_TABLE_PAGE (kc_table_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (KcTablePage, kc_table_page, KC, TABLE_PAGE, GtkBox)

struct _KcTablePageClass
{
  GtkBoxClass parent_class;

  /* Reloads the table; the cancellable of kc_table_page_restart() is current. */
  void (*refresh) (KcTablePage *self);
  /* A server event (topic, params); the default ignores it. */
  void (*event) (KcTablePage *self, const char *topic, JsonNode *params);
  /* A row was double-clicked. */
  void (*activated) (KcTablePage *self, GtkTreeIter *iter);

  gpointer padding[4];
};

void kc_table_page_set_session (KcTablePage *self, KcSession *session);
KcSession *kc_table_page_get_session (KcTablePage *self);
GtkTreeView *kc_table_page_get_view (KcTablePage *self);
GtkScrolledWindow *kc_table_page_get_scrolled (KcTablePage *self);
/* The current call's cancellable (borrowed). */
GCancellable *kc_table_page_get_cancellable (KcTablePage *self);

/* Finishes a call the page made (kc_session_call_async with the page as
 * user data): stops the spinner and returns the reply object (transfer
 * full), or NULL — without touching @self when the call was cancelled (the
 * page may be gone), else after showing the failure. */
JsonNode *kc_table_page_finish_call (KcTablePage *self, GObject *source, GAsyncResult *result);

/* A text column of the page's table: see kc_table_add_text_column(). */
void kc_table_page_add_column (KcTablePage *self, const char *title, int column, int sort_column,
                               gboolean expand, gfloat xalign);

/* The columns of every list of the client, whether a KcTablePage or not: a
 * resizable column of @view showing the text of model column @column, sorted
 * by @sort_column when the header is clicked (-1: not sortable). An @expand
 * column takes the spare width; in a scrolled window it wraps its text
 * there (kc_table_wrap_column), elsewhere it ellipsizes; @xalign 1 for
 * figures.
 * Returns the column (owned by @view). */
GtkTreeViewColumn *kc_table_add_text_column (GtkTreeView *view, const char *title, int column,
                                             int sort_column, gboolean expand, gfloat xalign);
/* For lists of thousands of rows: fixed column widths (the wider of the
 * title and @samples[i], one per column, NULL for the title alone) and one
 * row height (fixed-height-mode), so that GtkTreeView stops laying out the
 * text of every row to measure it (docs/performance.md, "Client"). The
 * columns stay resizable. */
void kc_table_set_fixed_sizes (GtkTreeView *view, const char *const *samples);
/* @col (a text column of kc_table_add_text_column) takes the width the
 * other columns of @view leave (shared equally with its other wrapping
 * columns), never less than @min_width nor its title's,
 * and wraps its text there instead of ellipsizing it: a long name reads in
 * full on more lines, and the table never asks for more than the page
 * has. @view must sit alone in a GtkScrolledWindow that scrolls sideways
 * only, so that the table's width follows the page and not the other way
 * round (issue 17: nothing cut at 1366×768, columns sized to their
 * content). */
void kc_table_wrap_column (GtkTreeView *view, GtkTreeViewColumn *col, int min_width);
/* @col's title on two lines when wider than @sample (the widest text the
 * column shows), broken at the space that makes the longer line shortest
 * ("Ngân sách / trung ương"): a column of figures is then as wide as its
 * figures, not as its title. The column's title (what a screen reader says)
 * is unchanged. */
void kc_table_two_line_title (GtkTreeView *view, GtkTreeViewColumn *col, const char *sample);
/* Reading a list again without emptying it first: kc_refill_begin(), then
 * kc_refill_put() for each row of the answer, in the server's order, then
 * kc_refill_end(). Row N of the store gets the (column, value) pairs of the
 * Nth answer row, -1-terminated (a new row past the end); the rows the answer
 * no longer has go at the end. A refresh that brings the same rows replaces
 * no row, so the accessible cells a screen reader (or a UI test) is reading
 * stay, and the view does not flash empty. A sort chosen by a click on a
 * header is set aside meanwhile and applied again at the end. */
typedef struct
{
  int filled;
  gboolean reading; /* begun, not ended (a refresh may begin anew meanwhile) */
  int sort_column;
  GtkSortType sort_order;
} KcRefill;

void kc_refill_begin (KcRefill *refill, GtkListStore *store);
void kc_refill_put (KcRefill *refill, GtkListStore *store, ...);
void kc_refill_end (KcRefill *refill, GtkListStore *store);

void kc_table_page_set_busy (KcTablePage *self, gboolean busy);
void kc_table_page_set_count (KcTablePage *self, const char *text);
void kc_table_page_show_error (KcTablePage *self, const GError *error, JsonNode *data);

/* Cancels what is in flight and calls ::refresh. */
void kc_table_page_refresh (KcTablePage *self);

G_END_DECLS
