/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-lazy.c — a page's first reading when it is first shown.
 */
#include "kc-lazy.h"

#define KEY "kc-lazy-load"

typedef struct
{
  GCallback load;
} Lazy;

static void
on_map_cb (GtkWidget *page, gpointer user_data)
{
  Lazy *lazy = g_object_get_data (G_OBJECT (page), KEY);
  GCallback load = lazy != NULL ? lazy->load : NULL;

  g_signal_handlers_disconnect_by_func (page, on_map_cb, user_data);
  g_object_set_data (G_OBJECT (page), KEY, NULL);
  /* After the map itself: the page's own map handlers have run. */
  if (load != NULL)
    ((void (*) (gpointer))load) (page);
}

void
kc_lazy_init (GtkWidget *page, GCallback load)
{
  g_return_if_fail (GTK_IS_WIDGET (page));
  g_return_if_fail (load != NULL);

  if (gtk_widget_get_mapped (page))
    {
      ((void (*) (gpointer))load) (page);
      return;
    }
  Lazy *lazy = g_new (Lazy, 1);

  lazy->load = load;
  g_object_set_data_full (G_OBJECT (page), KEY, lazy, g_free);
  g_signal_connect_after (page, "map", G_CALLBACK (on_map_cb), NULL);
}

gboolean
kc_lazy_ready (GtkWidget *page)
{
  return g_object_get_data (G_OBJECT (page), KEY) == NULL;
}
