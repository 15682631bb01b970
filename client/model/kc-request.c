/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-request.c — KcRequest (see the header).
 */
#include "kc-request.h"

#include "kc-json.h"

struct _KcRequest
{
  GObject parent_instance;

  gint64 id;
  gint64 version;
  gboolean overdue;
  char *opened_at;
  char *subject;
  char *status;
  char *due;
};

G_DEFINE_TYPE (KcRequest, kc_request, G_TYPE_OBJECT)

KcRequest *
kc_request_new_from_json (JsonObject *object)
{
  KcRequest *self = g_object_new (KC_TYPE_REQUEST, NULL);

  self->id = kc_json_int (object, "id");
  self->version = kc_json_int (object, "version");
  self->overdue = kc_json_bool (object, "overdue");
  self->opened_at = kc_json_dup_string (object, "opened_at");
  self->subject = kc_json_dup_string (object, "subject");
  self->status = kc_json_dup_string (object, "status");
  self->due = kc_json_dup_string (object, "due");
  return self;
}

gint64
kc_request_get_id (KcRequest *self)
{
  return self->id;
}

gint64
kc_request_get_version (KcRequest *self)
{
  return self->version;
}

const char *
kc_request_get_opened_at (KcRequest *self)
{
  return self->opened_at;
}

const char *
kc_request_get_subject (KcRequest *self)
{
  return self->subject;
}

const char *
kc_request_get_status (KcRequest *self)
{
  return self->status;
}

const char *
kc_request_get_due (KcRequest *self)
{
  return self->due;
}

gboolean
kc_request_get_overdue (KcRequest *self)
{
  return self->overdue;
}

/* GObject overrides */

static void
kc_request_finalize (GObject *object)
{
  KcRequest *self = KC_REQUEST (object);

  g_free (self->opened_at);
  g_free (self->subject);
  g_free (self->status);
  g_free (self->due);
  G_OBJECT_CLASS (kc_request_parent_class)->finalize (object);
}

static void
kc_request_class_init (KcRequestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kc_request_finalize;
}

static void
kc_request_init (KcRequest *self)
{
}
