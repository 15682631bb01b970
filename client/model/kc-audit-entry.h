/*
 * kc-audit-entry.h — KcAuditEntry: an entry of the audit log as audit.list
 * lists it (seq, at, username, method, record_type, record_id,
 * record_name, peer), parsed once from the reply; the audit page reads its
 * fields, not the JSON.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KC_TYPE_AUDIT_ENTRY (kc_audit_entry_get_type ())
G_DECLARE_FINAL_TYPE (KcAuditEntry, kc_audit_entry, KC, AUDIT_ENTRY, GObject)

/* (transfer full): @object (borrowed) read; absent numbers are 0, absent
 * strings "". */
KcAuditEntry *kc_audit_entry_new_from_json (JsonObject *object);

gint64 kc_audit_entry_get_seq (KcAuditEntry *self);
/* (transfer none): the instant, ISO as the server sends it; never NULL. */
const char *kc_audit_entry_get_at (KcAuditEntry *self);
/* (transfer none): who did it; "" for none (the server itself). */
const char *kc_audit_entry_get_username (KcAuditEntry *self);
/* (transfer none): the protocol method (kc-labels words it); never NULL. */
const char *kc_audit_entry_get_method (KcAuditEntry *self);
/* (transfer none): the kind of record written (kc-labels words it); "" for
 * none. */
const char *kc_audit_entry_get_record_type (KcAuditEntry *self);
gint64 kc_audit_entry_get_record_id (KcAuditEntry *self);
/* (transfer none): the record's name (code, title); "" if unknown. */
const char *kc_audit_entry_get_record_name (KcAuditEntry *self);
/* (transfer none): the client's address, "local" for kc-server's command
 * line; "" if none. */
const char *kc_audit_entry_get_peer (KcAuditEntry *self);

G_END_DECLS
