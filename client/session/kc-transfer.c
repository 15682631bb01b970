/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-transfer.c — uploads and downloads of attachments (see its header).
 *
 * Each step is the callback of the one before, so the caller's window
 * stays responsive and a cancellation takes effect at the next chunk.
 */
#include "kc-transfer.h"

#include <glib/gi18n.h>

#include "kc-calls.h"
#include "kc-error.h"

#define DEFAULT_CHUNK 1048576

G_DEFINE_QUARK (kc - transfer - error - quark, kc_transfer_error)

/* What both directions keep. */
typedef struct
{
  KcSession *session;
  KcTransferProgress progress;
  gpointer progress_data;
  JsonNode *error_data; /* (nullable) the failed call's */
  char *name;
  gsize offset; /* bytes sent or received */
  gsize size;
} Transfer;

typedef struct
{
  Transfer t;
  char *owner_type;
  gint64 owner_id;
  GBytes *bytes; /* the whole file (at most the server's limit, 50 MiB) */
  gint64 id;     /* the upload, once begun */
  gsize chunk;
  gint64 seq;
} Upload;

typedef struct
{
  Transfer t;
  gint64 id;
  char *sha256;
  GFile *destination;
  GByteArray *data; /* what arrived so far */
} Download;

static void
transfer_clear (Transfer *t)
{
  g_clear_object (&t->session);
  g_clear_pointer (&t->error_data, json_node_unref);
  g_free (t->name);
}

static void
upload_free (gpointer p)
{
  Upload *u = p;

  transfer_clear (&u->t);
  g_free (u->owner_type);
  g_clear_pointer (&u->bytes, g_bytes_unref);
  g_free (u);
}

static void
download_free (gpointer p)
{
  Download *d = p;

  transfer_clear (&d->t);
  g_free (d->sha256);
  g_clear_object (&d->destination);
  g_byte_array_unref (d->data);
  g_free (d);
}

static void
transfer_init (Transfer *t, KcSession *session, KcTransferProgress progress, gpointer progress_data)
{
  t->session = g_object_ref (session);
  t->progress = progress;
  t->progress_data = progress_data;
}

static void
tell (Transfer *t)
{
  if (t->progress != NULL)
    t->progress (t->name, t->offset, t->size, t->progress_data);
}

static JsonNode *
object_node (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

/* {id} or, with @member, {id, member: value}. */
static JsonNode *
id_params (gint64 id, const char *member, gint64 value)
{
  JsonObject *params = json_object_new ();

  json_object_set_int_member (params, "id", id);
  if (member != NULL)
    json_object_set_int_member (params, member, value);
  return object_node (params);
}

/* Ends @task with @error (taken) and its call's @data (taken, nullable). */
static void
fail (GTask *task, GError *error, JsonNode *data)
{
  Transfer *t = g_task_get_task_data (task);

  g_clear_pointer (&t->error_data, json_node_unref);
  t->error_data = data;
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* A call's answer, or NULL with @task ended. */
static JsonNode *
reply_of (GTask *task, GObject *source, GAsyncResult *result)
{
  g_autoptr (GError) error = NULL;
  JsonNode *data = NULL;
  JsonNode *reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  /* Given up meanwhile: the caller may be gone, nothing more is done. */
  if (reply != NULL && g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    g_clear_pointer (&reply, json_node_unref);
  if (reply != NULL && JSON_NODE_HOLDS_OBJECT (reply))
    {
      g_clear_pointer (&data, json_node_unref);
      return reply;
    }
  g_clear_pointer (&reply, json_node_unref);
  if (error == NULL)
    error = g_error_new_literal (KC_SESSION_ERROR, KC_SESSION_ERROR_BAD_REPLY,
                                 "the server's answer is not an object");
  fail (task, g_steal_pointer (&error), data);
  return NULL;
}

/* Upload */

/* The server forgets an upload the user gave up (the sweep would else). */
static void
abort_upload (KcSession *session, gint64 id)
{
  g_autoptr (JsonNode) params = id_params (id, NULL, 0);

  kc_session_attachment_abort_async (session, params, NULL, NULL, NULL);
}

/* As reply_of, aborting a begun upload when cancelled. */
static JsonNode *
upload_reply (GTask *task, GObject *source, GAsyncResult *result)
{
  Upload *u = g_task_get_task_data (task);
  gint64 id = u->id;
  g_autoptr (KcSession) session = g_object_ref (u->t.session);
  gboolean cancelled = g_cancellable_is_cancelled (g_task_get_cancellable (task));
  JsonNode *reply = reply_of (task, source, result);

  if (reply == NULL && cancelled && id != 0)
    abort_upload (session, id);
  return reply;
}

static void
finish_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  g_autoptr (JsonNode) reply = upload_reply (task, source, result);

  if (reply == NULL)
    return;
  g_task_return_pointer (task, json_object_ref (json_node_get_object (reply)),
                         (GDestroyNotify)json_object_unref);
  g_object_unref (task);
}

static void put_next (GTask *task);

static void
put_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  g_autoptr (JsonNode) reply = upload_reply (task, source, result);

  if (reply != NULL)
    put_next (task);
}

static void
send_finish (GTask *task)
{
  Upload *u = g_task_get_task_data (task);
  g_autoptr (JsonNode) params = id_params (u->id, NULL, 0);

  kc_session_attachment_finish_async (u->t.session, params, g_task_get_cancellable (task),
                                      finish_done_cb, task);
}

static void
put_next (GTask *task)
{
  Upload *u = g_task_get_task_data (task);
  JsonObject *params;
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *data = NULL;
  gsize length;

  tell (&u->t);
  if (u->t.offset >= u->t.size)
    {
      send_finish (task);
      return;
    }
  length = MIN (u->chunk, u->t.size - u->t.offset);
  data = g_base64_encode ((const guchar *)g_bytes_get_data (u->bytes, NULL) + u->t.offset, length);
  params = json_object_new ();
  json_object_set_int_member (params, "id", u->id);
  json_object_set_int_member (params, "seq", u->seq++);
  json_object_set_string_member (params, "data", data);
  u->t.offset += length;
  node = object_node (params);
  kc_session_attachment_put_async (u->t.session, node, g_task_get_cancellable (task), put_done_cb,
                                   task);
}

/* What attachment.begin answered: the upload, its chunk, the name kept. */
static void
begun (Upload *u, JsonObject *answer)
{
  u->id = json_object_get_int_member_with_default (answer, "id", 0);
  u->chunk = (gsize)json_object_get_int_member_with_default (answer, "chunk_size", 0);
  if (u->chunk == 0)
    u->chunk = DEFAULT_CHUNK;
  g_free (u->t.name);
  u->t.name = g_strdup (json_object_get_string_member_with_default (answer, "file_name", ""));
}

static void
begin_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  g_autoptr (JsonNode) reply = upload_reply (task, source, result);

  if (reply == NULL)
    return;
  begun (g_task_get_task_data (task), json_node_get_object (reply));
  put_next (task);
}

static void
send_begin (GTask *task)
{
  Upload *u = g_task_get_task_data (task);
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, u->bytes);
  JsonObject *params = json_object_new ();
  g_autoptr (JsonNode) node = NULL;

  json_object_set_string_member (params, "owner_type", u->owner_type);
  json_object_set_int_member (params, "owner_id", u->owner_id);
  json_object_set_string_member (params, "file_name", u->t.name);
  json_object_set_int_member (params, "size", (gint64)u->t.size);
  json_object_set_string_member (params, "sha256", sha);
  node = object_node (params);
  tell (&u->t);
  kc_session_attachment_begin_async (u->t.session, node, g_task_get_cancellable (task),
                                     begin_done_cb, task);
}

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Upload *u = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      fail (task, g_steal_pointer (&error), NULL);
      return;
    }
  u->bytes = g_bytes_new_take (contents, length);
  u->t.size = length;
  send_begin (task);
}

void
kc_transfer_upload_async (KcSession *session, const char *owner_type, gint64 owner_id, GFile *file,
                          KcTransferProgress progress, gpointer progress_data,
                          GCancellable *cancellable, GAsyncReadyCallback callback,
                          gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Upload *u = g_new0 (Upload, 1);

  transfer_init (&u->t, session, progress, progress_data);
  u->t.name = g_file_get_basename (file);
  u->owner_type = g_strdup (owner_type);
  u->owner_id = owner_id;
  g_task_set_task_data (task, u, upload_free);
  g_file_load_contents_async (file, cancellable, loaded_cb, task);
}

/* The failed call's data to @error_data (nullable): NULL unless it failed. */
static void
steal_error_data (GAsyncResult *result, JsonNode **error_data)
{
  Transfer *t = g_task_get_task_data (G_TASK (result));

  if (error_data == NULL)
    return;
  *error_data = g_task_had_error (G_TASK (result)) ? g_steal_pointer (&t->error_data) : NULL;
}

JsonObject *
kc_transfer_upload_finish (GAsyncResult *result, JsonNode **error_data, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  steal_error_data (result, error_data);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
kc_transfer_is_too_large (const GError *error, JsonNode *error_data)
{
  JsonArray *violations;

  if (!g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_RULE) || error_data == NULL
      || !JSON_NODE_HOLDS_OBJECT (error_data))
    return FALSE;
  violations = json_object_get_array_member (json_node_get_object (error_data), "violations");
  for (guint i = 0; violations != NULL && i < json_array_get_length (violations); i++)
    {
      JsonObject *v = json_array_get_object_element (violations, i);

      if (v != NULL
          && g_strcmp0 (json_object_get_string_member_with_default (v, "rule", NULL), "max_bytes")
                 == 0)
        return TRUE;
    }
  return FALSE;
}

/* Download */

static void
written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  g_autoptr (GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      fail (task, g_steal_pointer (&error), NULL);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* All has arrived: written only when it is what the server recorded. */
static void
check_and_write (GTask *task)
{
  Download *d = g_task_get_task_data (task);
  g_autofree char *sum
      = g_compute_checksum_for_data (G_CHECKSUM_SHA256, d->data->data, d->data->len);

  tell (&d->t);
  if (g_ascii_strcasecmp (sum, d->sha256) != 0)
    {
      fail (task,
            g_error_new_literal (
                KC_TRANSFER_ERROR, KC_TRANSFER_ERROR_CHECKSUM,
                _ ("The downloaded file does not match its checksum; it was not saved.")),
            NULL);
      return;
    }
  g_file_replace_contents_async (d->destination, (const char *)d->data->data, d->data->len, NULL,
                                 FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                 g_task_get_cancellable (task), written_cb, task);
}

static void get_next (GTask *task);

/* Keeps a chunk attachment.get answered; whether more is to come. */
static gboolean
received (Download *d, JsonObject *answer)
{
  gsize length = 0;
  g_autofree guchar *bytes
      = g_base64_decode (json_object_get_string_member_with_default (answer, "data", ""), &length);

  g_byte_array_append (d->data, bytes, (guint)length);
  d->t.offset += length;
  return !json_object_get_boolean_member_with_default (answer, "eof", TRUE) && length > 0;
}

static void
get_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  g_autoptr (JsonNode) reply = reply_of (task, source, result);

  if (reply == NULL)
    return;
  if (received (g_task_get_task_data (task), json_node_get_object (reply)))
    get_next (task);
  else
    check_and_write (task);
}

static void
get_next (GTask *task)
{
  Download *d = g_task_get_task_data (task);
  g_autoptr (JsonNode) params = id_params (d->id, "offset", (gint64)d->t.offset);

  tell (&d->t);
  kc_session_attachment_get_async (d->t.session, params, g_task_get_cancellable (task), get_done_cb,
                                   task);
}

/* The download of @attachment to @destination (its progress aside). */
static Download *
download_new (KcSession *session, JsonObject *attachment, GFile *destination)
{
  Download *d = g_new0 (Download, 1);

  d->t.name = g_strdup (json_object_get_string_member_with_default (attachment, "file_name", ""));
  d->t.size = (gsize)MAX (0, json_object_get_int_member_with_default (attachment, "size", 0));
  d->id = json_object_get_int_member_with_default (attachment, "id", 0);
  d->sha256 = g_strdup (json_object_get_string_member_with_default (attachment, "sha256", ""));
  d->destination = g_object_ref (destination);
  d->data = g_byte_array_new ();
  return d;
}

void
kc_transfer_download_async (KcSession *session, JsonObject *attachment, GFile *destination,
                            KcTransferProgress progress, gpointer progress_data,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_task_data (task, download_new (session, attachment, destination), download_free);
  transfer_init (g_task_get_task_data (task), session, progress, progress_data);
  get_next (task);
}

gboolean
kc_transfer_download_finish (GAsyncResult *result, JsonNode **error_data, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  steal_error_data (result, error_data);
  return g_task_propagate_boolean (G_TASK (result), error);
}
