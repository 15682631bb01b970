/*
 * kc-comments-tab.h — the project editor's comment thread ("Trao đổi"):
 * the Ministry's reviewers and the province writing to each other about a
 * project once it has been forwarded (review.comments, review.comment).
 * New comments of others arrive through the editor's "comment" events.
 */
#pragma once

#include <gtk/gtk.h>

#include "kc-session.h"

G_BEGIN_DECLS

#define KC_TYPE_COMMENTS_TAB (kc_comments_tab_get_type ())
G_DECLARE_FINAL_TYPE (KcCommentsTab, kc_comments_tab, KC, COMMENTS_TAB, GtkBox)

/* A thread of project @project_id, read at once (the tab keeps a ref on
 * @session). */
KcCommentsTab *kc_comments_tab_new (KcSession *session, gint64 project_id);
/* Reads the thread again (after a "comment" event). */
void kc_comments_tab_refresh (KcCommentsTab *self);
/* Whether this user may write now (a role that comments, a project that
 * has left the province); otherwise the thread is read only. */
void kc_comments_tab_set_can_post (KcCommentsTab *self, gboolean can_post);

G_END_DECLS
