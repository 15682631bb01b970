/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-record-row.c — KcRecordRow (see its header).
 */
#include "kc-record-row.h"

struct _KcRecordRow
{
  GtkListBoxRow parent_instance;

  gint64 id;
};

G_DEFINE_TYPE (KcRecordRow, kc_record_row, GTK_TYPE_LIST_BOX_ROW)

static void
kc_record_row_class_init (KcRecordRowClass *klass)
{
}

static void
kc_record_row_init (KcRecordRow *self)
{
}

GtkWidget *
kc_record_row_new (gint64 id, const char *title, const char *detail)
{
  KcRecordRow *self = g_object_new (KC_TYPE_RECORD_ROW, NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title_label = gtk_label_new (title);
  GtkWidget *detail_label = gtk_label_new (detail != NULL ? detail : "");

  self->id = id;
  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_label_set_line_wrap (GTK_LABEL (title_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (detail_label), 0);
  gtk_style_context_add_class (gtk_widget_get_style_context (detail_label), "dim-label");
  g_object_set (box, "margin", 6, NULL);
  gtk_box_pack_start (GTK_BOX (box), title_label, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), detail_label, FALSE, FALSE, 0);
  gtk_container_add (GTK_CONTAINER (self), box);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self)), title != NULL ? title : "");
  gtk_widget_show_all (GTK_WIDGET (self));
  return GTK_WIDGET (self);
}

gint64
kc_record_row_get_id (KcRecordRow *self)
{
  g_return_val_if_fail (KC_IS_RECORD_ROW (self), 0);
  return self->id;
}
