/*
 * kc-window.h — the main window: header bar, sidebar, the pages the role
 * may use, and the one place where errors are shown.
 */
#pragma once

#include <gtk/gtk.h>

#include "kc-application.h"

G_BEGIN_DECLS

#define KC_TYPE_WINDOW (kc_window_get_type ())
G_DECLARE_FINAL_TYPE (KcWindow, kc_window, KC, WINDOW, GtkApplicationWindow)

KcWindow *kc_window_new (KcApplication *app);
KcSession *kc_window_get_session (KcWindow *self);
/* Brings the window to the front on its home page ("What awaits me"), as a
 * click on a desktop notification does (app.show-home). */
void kc_window_show_home (KcWindow *self);

/* Shows @error (a call's failure; @data its JSON-RPC "data", nullable) in
 * the window's info bar, in words; a session that ended returns to the
 * login dialog. Cancellations are ignored. */
void kc_window_show_error (KcWindow *self, const GError *error, JsonNode *data);

/* The KcWindow that holds @widget, or NULL while it is not in one. */
KcWindow *kc_window_for_widget (GtkWidget *widget);
/* kc_window_show_error() in the KcWindow that holds @widget, if any. */
void kc_window_show_error_for (GtkWidget *widget, const GError *error, JsonNode *data);

/* A person's words for an error that is not about a particular field
 * (transfer full). */
char *kc_describe_error (const GError *error);
/* Names @widget for assistive technology (and the UI tests, which find
 * widgets by accessible name). */
void kc_set_accessible_name (GtkWidget *widget, const char *name);

G_END_DECLS
