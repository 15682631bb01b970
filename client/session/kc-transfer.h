/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-transfer.h — a file to or from the server, chunk after chunk: the one
 * place the client uploads (attachment.begin, attachment.put…,
 * attachment.finish) and downloads (attachment.get… in chunks, the SHA-256
 * checked before anything is written). No GTK: the project editor's
 * attachments tab and the file lists of acts (KcFileList) say what
 * happens in their own way.
 *
 * Ownership: the caller keeps its arguments (the functions take their own
 * references or copies); the finishes give what they name in full.
 * Cancelling @cancellable ends the transfer at its next step; an upload
 * begun on the server is then aborted (attachment.abort), so that the
 * sweep need not take it.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "kc-session.h"

G_BEGIN_DECLS

#define KC_TRANSFER_ERROR (kc_transfer_error_quark ())
GQuark kc_transfer_error_quark (void);

typedef enum
{
  /* The bytes downloaded do not match the attachment's SHA-256; nothing
   * was written. The message says so (translated). */
  KC_TRANSFER_ERROR_CHECKSUM,
} KcTransferError;

/* Where a transfer is: @name the file's name (on the disk before
 * attachment.begin, then as the server keeps it), @done bytes of @total. */
typedef void (*KcTransferProgress) (const char *name, guint64 done, guint64 total,
                                    gpointer user_data);

/* Reads @file and sends it to (@owner_type, @owner_id). @progress
 * (nullable) is told once the file is read and before each put and the
 * finish. */
void kc_transfer_upload_async (KcSession *session, const char *owner_type, gint64 owner_id,
                               GFile *file, KcTransferProgress progress, gpointer progress_data,
                               GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data);
/* The attachment attachment.finish answered (transfer full), or NULL with
 * @error: the reading's GIO error or the failed call's, whose data member
 * goes to @error_data (nullable; transfer full, NULL when none). */
JsonObject *kc_transfer_upload_finish (GAsyncResult *result, JsonNode **error_data, GError **error);

/* Whether an upload's @error (with its @error_data) is the server's
 * refusal of a file larger than it accepts. */
gboolean kc_transfer_is_too_large (const GError *error, JsonNode *error_data);

/* Fetches @attachment (an attachment.list item: its id, size, file_name
 * and sha256) and, when its SHA-256 matches, writes it to @destination
 * (replaced). @progress (nullable) is told before each get and once all
 * has arrived. */
void kc_transfer_download_async (KcSession *session, JsonObject *attachment, GFile *destination,
                                 KcTransferProgress progress, gpointer progress_data,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data);
/* TRUE once written; else FALSE with @error (a call's, with its data in
 * @error_data as for the upload; KC_TRANSFER_ERROR_CHECKSUM; the
 * writing's). */
gboolean kc_transfer_download_finish (GAsyncResult *result, JsonNode **error_data, GError **error);

G_END_DECLS
