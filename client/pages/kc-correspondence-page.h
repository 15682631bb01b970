/*
 * kc-correspondence-page.h — requests and difficulties (Kiến nghị) between
 * a province and the Ministry: open, reply, answer, close; overdue ones
 * flagged; a double-click shows the thread.
 */
#pragma once

#include "kc-table-page.h"

G_BEGIN_DECLS

#define KC_TYPE_CORRESPONDENCE_PAGE (kc_correspondence_page_get_type ())
G_DECLARE_FINAL_TYPE (KcCorrespondencePage, kc_correspondence_page, KC, CORRESPONDENCE_PAGE,
                      KcTablePage)

KcCorrespondencePage *kc_correspondence_page_new (KcSession *session);
/* Selects the request @id when the list has it (the home page opens one so). */
void kc_correspondence_page_select (KcCorrespondencePage *self, gint64 id);

G_END_DECLS
