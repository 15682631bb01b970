/*
 * kc-choose.h — a small modal dialog choosing one of a few records by its
 * text (a reviewer by name, a plan by year), for acts whose parameter is an
 * id a person should never have to type. Like kc_ask() it never runs a
 * nested main loop: the choice comes to a callback.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef void (*KcChooseFunc) (GObject *owner, gint64 id, gpointer data);

/* @ids and @texts: @n entries each (borrowed); @label names the combo box
 * for the eye and for assistive technologies. On acceptance calls @done
 * (@owner, the chosen id, @data) unless @owner is gone by then; @data is
 * freed with @destroy (nullable) in any case. */
void kc_choose (GtkWindow *parent, const char *title, const char *accept, const char *label,
                const gint64 *ids, const char *const *texts, guint n, GObject *owner,
                KcChooseFunc done, gpointer data, GDestroyNotify destroy);

G_END_DECLS
