/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-round-row.c — KcRoundRow (see its header).
 */
#include "kc-round-row.h"

#include <glib/gi18n.h>

struct _KcRoundRow
{
  GtkListBoxRow parent_instance;

  GtkLabel *name_label;
  GtkLabel *status_label;
  GtkLabel *sent_label;
  GtkLabel *late_label;
  gint64 org_id;
  char *status;
  char *org_name;
};

G_DEFINE_TYPE (KcRoundRow, kc_round_row, GTK_TYPE_LIST_BOX_ROW)

static GtkLabel *
add_label (GtkBox *box, int width_chars, gboolean expand)
{
  GtkWidget *label = gtk_label_new ("");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_width_chars (GTK_LABEL (label), width_chars);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, expand);
  gtk_box_pack_start (box, label, expand, TRUE, 0);
  return GTK_LABEL (label);
}

void
kc_round_row_update (KcRoundRow *self, const KcRoundReport *report)
{
  g_autofree char *sent = kc_round_format_day (report->sent_at);
  g_autofree char *name = NULL;
  const char *status = kc_round_status_label (report->status);
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (self->late_label));

  self->org_id = report->org_id;
  g_free (self->status);
  self->status = g_strdup (report->status);
  g_free (self->org_name);
  self->org_name = g_strdup (report->org_name);
  gtk_label_set_text (self->name_label, report->org_name);
  gtk_label_set_text (self->status_label, status);
  gtk_label_set_text (self->sent_label, sent);
  gtk_label_set_text (self->late_label, report->late ? _ ("Late") : "");
  if (report->late)
    gtk_style_context_add_class (style, "kc-field-error");
  else
    gtk_style_context_remove_class (style, "kc-field-error");
  /* The whole line, for screen readers and the UI tests: the cells that
   * say something, in order. */
  {
    g_autoptr (GString) line = g_string_new (report->org_name);

    g_string_append_printf (line, ", %s", status);
    if (*sent != '\0')
      g_string_append_printf (line, ", %s", sent);
    if (report->late)
      g_string_append_printf (line, ", %s", _ ("Late"));
    name = g_string_free (g_steal_pointer (&line), FALSE);
  }
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self)), name);
}

gint64
kc_round_row_get_org_id (KcRoundRow *self)
{
  return self->org_id;
}

const char *
kc_round_row_get_status (KcRoundRow *self)
{
  return self->status;
}

const char *
kc_round_row_get_org_name (KcRoundRow *self)
{
  return self->org_name;
}

static void
kc_round_row_finalize (GObject *object)
{
  KcRoundRow *self = KC_ROUND_ROW (object);

  g_free (self->status);
  g_free (self->org_name);
  G_OBJECT_CLASS (kc_round_row_parent_class)->finalize (object);
}

static void
kc_round_row_class_init (KcRoundRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kc_round_row_finalize;
}

/* The four cells of a line, in @box; the header and the rows share it. */
static void
add_cells (GtkBox *box, GtkLabel **name, GtkLabel **status, GtkLabel **sent, GtkLabel **late)
{
  g_object_set (box, "margin", 4, NULL);
  *name = add_label (box, 24, TRUE);
  *status = add_label (box, 16, FALSE);
  *sent = add_label (box, 10, FALSE);
  *late = add_label (box, 8, FALSE);
}

GtkWidget *
kc_round_row_new_header (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkLabel *name, *status, *sent, *late;

  add_cells (GTK_BOX (box), &name, &status, &sent, &late);
  gtk_label_set_text (name, _ ("Province, city"));
  gtk_label_set_text (status, _ ("Status"));
  gtk_label_set_text (sent, _ ("Sent on"));
  gtk_label_set_text (late, _ ("Late"));
  /* Past the list's frame and the row's own margin: the titles over the cells. */
  gtk_widget_set_margin_start (box, 5);
  gtk_style_context_add_class (gtk_widget_get_style_context (box), "dim-label");
  gtk_widget_show_all (box);
  return box;
}

static void
kc_round_row_init (KcRoundRow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  add_cells (GTK_BOX (box), &self->name_label, &self->status_label, &self->sent_label,
             &self->late_label);
  gtk_widget_show_all (box);
  gtk_container_add (GTK_CONTAINER (self), box);
}

GtkWidget *
kc_round_row_new (const KcRoundReport *report)
{
  KcRoundRow *self = g_object_new (KC_TYPE_ROUND_ROW, NULL);

  kc_round_row_update (self, report);
  return GTK_WIDGET (self);
}
