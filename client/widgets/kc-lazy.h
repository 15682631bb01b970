/*
 * kc-lazy.h — a page that reads its data when it is first shown (issue 17,
 * point 7): at login only the home page asks the server, its call first;
 * the other pages ask when a person opens them, and until then leave the
 * events alone (there is nothing shown to bring up to date).
 *
 *   kc_lazy_init (page, G_CALLBACK (refresh))   in the constructor, instead of reading;
 *   if (!kc_lazy_ready (page))     at the head of the page's reading:
 *     return;                      not shown yet, nothing asked.
 *
 * On the page's first "map" (a GtkStack maps only its visible child) it
 * becomes ready and @load runs once; afterwards every reading goes ahead.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* @load: void (*) (Page *page), as G_CALLBACK (kc_x_page_refresh). */
void kc_lazy_init (GtkWidget *page, GCallback load);

/* TRUE once @page has been shown, or when it was never made lazy. */
gboolean kc_lazy_ready (GtkWidget *page);

G_END_DECLS
