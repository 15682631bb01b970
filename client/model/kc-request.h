/*
 * kc-request.h — KcRequest: a request (correspondence) as
 * correspondence.list lists it (id, version, opened_at, subject, status,
 * due, overdue), parsed once from the reply; the correspondence page reads
 * its fields, not the JSON.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KC_TYPE_REQUEST (kc_request_get_type ())
G_DECLARE_FINAL_TYPE (KcRequest, kc_request, KC, REQUEST, GObject)

/* (transfer full): @object (borrowed) read; absent numbers are 0, absent
 * booleans FALSE, absent strings "". */
KcRequest *kc_request_new_from_json (JsonObject *object);

gint64 kc_request_get_id (KcRequest *self);
gint64 kc_request_get_version (KcRequest *self);
/* (transfer none): an ISO instant as the server sends it, never NULL. */
const char *kc_request_get_opened_at (KcRequest *self);
/* (transfer none): never NULL. */
const char *kc_request_get_subject (KcRequest *self);
/* (transfer none): open, answered or closed; never NULL. */
const char *kc_request_get_status (KcRequest *self);
/* (transfer none): the answer's due date, an ISO date; "" if none. */
const char *kc_request_get_due (KcRequest *self);
gboolean kc_request_get_overdue (KcRequest *self);

G_END_DECLS
