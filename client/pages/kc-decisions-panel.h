/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-decisions-panel.h — the Minister's plan decisions on the Plans page
 * (issue 16): the year's approval decision and its amending decisions,
 * listed for every Ministry role; issued by the Ministry approver, who
 * picks the projects, the number, the date and the signer (decision.list,
 * decision.approve_plan, decision.amend).
 */
#pragma once

#include <gtk/gtk.h>

#include "kc-session.h"

G_BEGIN_DECLS

#define KC_TYPE_DECISIONS_PANEL (kc_decisions_panel_get_type ())
G_DECLARE_FINAL_TYPE (KcDecisionsPanel, kc_decisions_panel, KC, DECISIONS_PANEL, GtkBox)

/* A panel showing this year's decisions; @session is held. */
KcDecisionsPanel *kc_decisions_panel_new (KcSession *session);
/* decision.list of the year again. */
void kc_decisions_panel_refresh (KcDecisionsPanel *self);

G_END_DECLS
