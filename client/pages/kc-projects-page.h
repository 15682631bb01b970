/*
 * kc-projects-page.h — projects (đề án) in the caller's scope: filtered by
 * status and plan, searched on the server (diacritics folded), read a page
 * at a time as the list is scrolled, kept current by the server's events.
 */
#pragma once

#include <gtk/gtk.h>

#include "kc-session.h"

G_BEGIN_DECLS

#define KC_TYPE_PROJECTS_PAGE (kc_projects_page_get_type ())
G_DECLARE_FINAL_TYPE (KcProjectsPage, kc_projects_page, KC, PROJECTS_PAGE, GtkBox)

KcProjectsPage *kc_projects_page_new (KcSession *session);
void kc_projects_page_refresh (KcProjectsPage *self);
/* Shows only the projects of plan @plan_id (0: every plan); @title names it. */
void kc_projects_page_set_plan (KcProjectsPage *self, gint64 plan_id, const char *title);
/* Opens the editor for a new project (of the filtered plan, if any). */
void kc_projects_page_new_project (KcProjectsPage *self);
void kc_projects_page_focus_search (KcProjectsPage *self);

G_END_DECLS
