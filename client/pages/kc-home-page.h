/*
 * kc-home-page.h — KcHomePage: "what awaits me", the first page after login
 * for every role (issue 16): inbox.list in four groups — late, sent back to
 * me, to do (by when), changed since I last looked — each line a
 * KcInboxRow that opens its record in one click and marks the list seen
 * (inbox.mark_seen). Read again on the server's events (plan, project,
 * correspondence, round_report, inbox), every half hour (lateness comes
 * with the calendar) and on F5. Items that arrive while the window is not
 * in front are announced by a desktop notification unless the
 * "notify-new-items" setting is off (KC_NOTIFY_ALWAYS in the environment:
 * also while in front, for the UI test under Xvfb without a window manager).
 */
#pragma once

#include <gtk/gtk.h>

#include "kc-session.h"

G_BEGIN_DECLS

#define KC_TYPE_HOME_PAGE (kc_home_page_get_type ())
G_DECLARE_FINAL_TYPE (KcHomePage, kc_home_page, KC, HOME_PAGE, GtkBox)

KcHomePage *kc_home_page_new (KcSession *session);
void kc_home_page_refresh (KcHomePage *self);

/* ::show-page (const char *name, gint64 id): an item opens a page of the
 * window rather than a record's own window: "plans" (id: the plan, or 0),
 * "correspondence", "reports", "rounds", "review". */

G_END_DECLS
