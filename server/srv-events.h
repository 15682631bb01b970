/*
 * srv-events.h — live updates: the topics a connection may subscribe to,
 * and who may see an event announced by the database (NOTIFY kc_event,
 * sql/0014_events.sql).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SRV_TOPIC_PROJECT = 1 << 0,        /* a project's status, stage or version */
  SRV_TOPIC_PLAN = 1 << 1,           /* a plan's status or version */
  SRV_TOPIC_ALLOCATION = 1 << 2,     /* an allocation to a project */
  SRV_TOPIC_PAYMENT = 1 << 3,        /* an advance, payment or refund of a project */
  SRV_TOPIC_COMMENT = 1 << 4,        /* a comment in a project's review thread */
  SRV_TOPIC_CORRESPONDENCE = 1 << 5, /* a request of a province and its answer */
  SRV_TOPIC_ROUND_REPORT = 1 << 6,   /* a round report sent, returned or accepted */
  SRV_TOPIC_INBOX = 1 << 7,          /* an item of inbox.list may have come or gone */
  SRV_TOPIC_ROUND = 1 << 8,          /* a reporting round opened */
  SRV_TOPIC_PROGRAMME = 1 << 9,      /* a province commented on a draft national programme */
  SRV_TOPIC_BUDGET = 1 << 10,        /* an appropriation set, management spending recorded */
} SrvTopic;

/* 0 if unknown. */
SrvTopic srv_topic_from_name (const char *name);
/* The names, NULL-terminated (transfer none). */
const char *const *srv_topic_names (void);

/* One announced change, parsed from the database's payload. */
typedef struct
{
  SrvTopic topic;
  gboolean ministry; /* Ministry-side sessions may see it */
  GArray *provinces; /* gint64 province org ids whose sessions may see it */
  char *line;        /* the notification line sent to clients (with '\n') */
  gsize line_len;
} SrvEvent;

/* Parses the kc_event payload; NULL if it is not one (logged by the caller). */
SrvEvent *srv_event_parse (const char *payload);
void srv_event_free (SrvEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SrvEvent, srv_event_free)

/* Whether a session with @scope_root (0: Ministry side) may see @event. */
gboolean srv_event_visible (const SrvEvent *event, gint64 scope_root);

G_END_DECLS
