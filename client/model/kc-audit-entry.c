/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-audit-entry.c — KcAuditEntry (see the header).
 */
#include "kc-audit-entry.h"

#include "kc-json.h"

struct _KcAuditEntry
{
  GObject parent_instance;

  gint64 seq;
  gint64 record_id;
  char *at;
  char *username;
  char *method;
  char *record_type;
  char *record_name;
  char *peer;
};

G_DEFINE_TYPE (KcAuditEntry, kc_audit_entry, G_TYPE_OBJECT)

KcAuditEntry *
kc_audit_entry_new_from_json (JsonObject *object)
{
  KcAuditEntry *self = g_object_new (KC_TYPE_AUDIT_ENTRY, NULL);

  self->seq = kc_json_int (object, "seq");
  self->record_id = kc_json_int (object, "record_id");
  self->at = kc_json_dup_string (object, "at");
  self->username = kc_json_dup_string (object, "username");
  self->method = kc_json_dup_string (object, "method");
  self->record_type = kc_json_dup_string (object, "record_type");
  self->record_name = kc_json_dup_string (object, "record_name");
  self->peer = kc_json_dup_string (object, "peer");
  return self;
}

gint64
kc_audit_entry_get_seq (KcAuditEntry *self)
{
  return self->seq;
}

const char *
kc_audit_entry_get_at (KcAuditEntry *self)
{
  return self->at;
}

const char *
kc_audit_entry_get_username (KcAuditEntry *self)
{
  return self->username;
}

const char *
kc_audit_entry_get_method (KcAuditEntry *self)
{
  return self->method;
}

const char *
kc_audit_entry_get_record_type (KcAuditEntry *self)
{
  return self->record_type;
}

gint64
kc_audit_entry_get_record_id (KcAuditEntry *self)
{
  return self->record_id;
}

const char *
kc_audit_entry_get_record_name (KcAuditEntry *self)
{
  return self->record_name;
}

const char *
kc_audit_entry_get_peer (KcAuditEntry *self)
{
  return self->peer;
}

/* GObject overrides */

static void
kc_audit_entry_finalize (GObject *object)
{
  KcAuditEntry *self = KC_AUDIT_ENTRY (object);

  g_free (self->at);
  g_free (self->username);
  g_free (self->method);
  g_free (self->record_type);
  g_free (self->record_name);
  g_free (self->peer);
  G_OBJECT_CLASS (kc_audit_entry_parent_class)->finalize (object);
}

static void
kc_audit_entry_class_init (KcAuditEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kc_audit_entry_finalize;
}

static void
kc_audit_entry_init (KcAuditEntry *self)
{
}
