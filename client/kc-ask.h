/*
 * kc-ask.h — a small modal form for the few values an act needs (a
 * comment, an amount and a date, a decision number), each entry named for
 * assistive technologies by its label.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* @labels: NULL-terminated; @defaults: as many entries, each nullable, or
 * NULL. Returns the stripped answers (transfer full) or NULL when
 * cancelled. Runs a nested main loop, so the window keeps drawing and the
 * session keeps reading meanwhile. */
GStrv kc_ask (GtkWindow *parent, const char *title, const char *accept, const char *const *labels,
              const char *const *defaults);

G_END_DECLS
