/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bare-window.c — the yardstick of tests/bench/client-bench: a GtkApplication
 * with one empty GtkApplicationWindow that prints "drawn" after its first
 * frame and quits, as kc-client does with KC_BENCH_FIRST_DRAW; unique on the
 * session bus like kc-client.
 */
#include <gtk/gtk.h>

static gboolean
on_first_draw_cb (GtkWidget *widget, cairo_t *cr, gpointer user_data)
{
  g_signal_handlers_disconnect_by_func (widget, on_first_draw_cb, user_data);
  g_print ("drawn\n");
  g_application_quit (G_APPLICATION (user_data));
  return FALSE;
}

static void
on_activate_cb (GtkApplication *app, gpointer user_data)
{
  GtkWidget *window = gtk_application_window_new (app);

  gtk_window_set_title (GTK_WINDOW (window), "bare");
  gtk_window_set_default_size (GTK_WINDOW (window), 420, 320);
  g_signal_connect_after (window, "draw", G_CALLBACK (on_first_draw_cb), app);
  gtk_widget_show (window);
}

int
main (int argc, char **argv)
{
  g_autoptr (GtkApplication) app
      = gtk_application_new ("vn.gov.moit.KhuyenCong.BareBench", G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (app, "activate", G_CALLBACK (on_activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
