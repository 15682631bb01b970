/*
 * kc-round.h — a reporting round (issue 15) as the client reads it: the
 * round, its provinces' reports on the board, and one report with its
 * outline and tables. Parsed once from round.get / round.list /
 * round.report_get; the pages read these records, not the JSON.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One section of a report's outline. */
typedef struct
{
  char *key;
  char *title;
  char *guidance; /* nullable */
  char *text;     /* never NULL ("" when not written) */
} KcRoundSection;

/* A province's report: its line on the board; round.report_get and the
 * writes also fill @sections and @tables. */
typedef struct
{
  gint64 id;
  gint64 round_id;
  gint64 org_id;
  gint64 version;
  char *org_name;
  char *status;           /* not_started, drafting, sent, returned, accepted */
  char *sent_at;          /* ISO instant, nullable */
  char *returned_comment; /* nullable */
  gboolean late;
  gboolean tables_frozen;
  GPtrArray *sections; /* of KcRoundSection; empty on the board */
  JsonArray *tables;   /* nullable: [{key, title, columns, rows, totals}] */
} KcRoundReport;

/* A round: a GObject, so that a list of them is a GListModel (the rounds
 * page's GListStore); its fields are read directly, set once when parsed. */
#define KC_TYPE_ROUND (kc_round_get_type ())
G_DECLARE_FINAL_TYPE (KcRound, kc_round, KC, ROUND, GObject)

struct _KcRound
{
  GObject parent_instance;

  gint64 id;
  gint64 version;
  char *title;
  char *document_no;
  char *kind;      /* summary, periodic */
  char *signed_on; /* ISO date */
  char *due_on;    /* ISO date */
  int from_year;
  int to_year;
  GPtrArray *reports; /* of KcRoundReport, by province name as the server sends them */
  int total;
  int sent;
  int accepted;
  int returned;
  int late;
};

/* (transfer full): @object (borrowed) read into a new record (a round of
 * round.list or round.get). */
KcRound *kc_round_new_from_json (JsonObject *object);
KcRoundReport *kc_round_report_new_from_json (JsonObject *object);
void kc_round_report_free (KcRoundReport *report);

/* (transfer none): the report of @org_id on @round, or NULL. */
KcRoundReport *kc_round_find_report (KcRound *round, gint64 org_id);

/* What a person reads for a report's status (translated, borrowed). */
const char *kc_round_status_label (const char *status);
/* TRUE while the province may still write its report. */
gboolean kc_round_report_is_editable (const KcRoundReport *report);

/* "dd/mm/yyyy" for an ISO date or instant (local day), "" for NULL
 * (transfer full). */
char *kc_round_format_day (const char *iso);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KcRoundReport, kc_round_report_free)

G_END_DECLS
