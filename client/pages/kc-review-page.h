/*
 * kc-review-page.h — the Ministry's appraisal queue (Thẩm định), in the
 * order of TT 36 Art. 7; a double-click opens the project with its acts.
 */
#pragma once

#include "kc-table-page.h"

G_BEGIN_DECLS

#define KC_TYPE_REVIEW_PAGE (kc_review_page_get_type ())
G_DECLARE_FINAL_TYPE (KcReviewPage, kc_review_page, KC, REVIEW_PAGE, KcTablePage)

KcReviewPage *kc_review_page_new (KcSession *session);

G_END_DECLS
