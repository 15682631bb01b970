/*
 * kc-attachments-tab.h — the files of a project (attachment.list), in a
 * tab of the project editor: upload in chunks in the background with a
 * progress bar and Cancel, download with a save dialog (the SHA-256
 * checked), delete while the project is a draft.
 */
#pragma once

#include <gtk/gtk.h>

#include "kc-session.h"

G_BEGIN_DECLS

#define KC_TYPE_ATTACHMENTS_TAB (kc_attachments_tab_get_type ())
G_DECLARE_FINAL_TYPE (KcAttachmentsTab, kc_attachments_tab, KC, ATTACHMENTS_TAB, GtkBox)

KcAttachmentsTab *kc_attachments_tab_new (KcSession *session, const char *owner_type,
                                          gint64 owner_id);
/* The owner's status: province roles upload; they delete only in a draft. */
void kc_attachments_tab_set_status (KcAttachmentsTab *self, const char *status);
void kc_attachments_tab_refresh (KcAttachmentsTab *self);

G_END_DECLS
