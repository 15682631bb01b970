/*
 * kc-plans-page.h — plans (kế hoạch) in the caller's scope with the acts of
 * the province: create, submit, withdraw, forward or return, approve a
 * local plan. ::plan-activated (id, title) asks to show its projects.
 */
#pragma once

#include <gtk/gtk.h>

#include "kc-session.h"

G_BEGIN_DECLS

#define KC_TYPE_PLANS_PAGE (kc_plans_page_get_type ())
G_DECLARE_FINAL_TYPE (KcPlansPage, kc_plans_page, KC, PLANS_PAGE, GtkBox)

KcPlansPage *kc_plans_page_new (KcSession *session);
void kc_plans_page_refresh (KcPlansPage *self);
void kc_plans_page_new_plan (KcPlansPage *self);
/* Selects the plan @id when the list has it (the home page opens a plan so). */
void kc_plans_page_select (KcPlansPage *self, gint64 id);

G_END_DECLS
