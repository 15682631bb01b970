/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-file-list.h — KcFileList: the files that go with an act (issue 16), in
 * one of two kinds:
 *
 *   - chosen: the files chosen on this computer before the act is sent
 *     ("Đính kèm tệp…", several at once), a row each with its size and
 *     "Bỏ" to take it out again; kc_file_list_upload_async() then sends
 *     them to the record the act made (kc-transfer: attachment.begin/
 *     put/finish, one file after the other, chunk after chunk);
 *   - stored: files already on the server (attachment.list's items), a row
 *     each with "Mở" (opened with the desktop's application) and "Lưu…"
 *     (saved where the user says); kc-transfer: attachment.get in chunks,
 *     the SHA-256 checked before anything is written.
 *
 * What happens (reading, sending, saved, a refusal) is said in the list's
 * own message line.
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "kc-session.h"

G_BEGIN_DECLS

#define KC_TYPE_FILE_LIST (kc_file_list_get_type ())
G_DECLARE_FINAL_TYPE (KcFileList, kc_file_list, KC, FILE_LIST, GtkBox)

/* Files to choose and send later. */
KcFileList *kc_file_list_new_chosen (void);
/* Files on the server, shown for opening and saving. */
KcFileList *kc_file_list_new_stored (KcSession *session);
/* A stored file (an attachment.list item); @prefix (nullable) is shown
 * before its name ("11/2026"). */
void kc_file_list_add_stored (KcFileList *self, JsonObject *attachment, const char *prefix);

/* The number of rows. */
guint kc_file_list_count (KcFileList *self);

/* Sends the chosen files to (@owner_type, @owner_id), one after the
 * other. The finish gives NULL when every file went, else a sentence
 * naming those that did not and why (transfer full). */
void kc_file_list_upload_async (KcFileList *self, KcSession *session, const char *owner_type,
                                gint64 owner_id, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
char *kc_file_list_upload_finish (KcFileList *self, GAsyncResult *result);

G_END_DECLS
