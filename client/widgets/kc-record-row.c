/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-record-row.c — KcRecordRow (see its header).
 */
#include "kc-record-row.h"

struct _KcRecordRow
{
  GtkListBoxRow parent_instance;

  GtkLabel *title_label;
  GtkLabel *detail_label;
  gint64 id;
};

G_DEFINE_TYPE (KcRecordRow, kc_record_row, GTK_TYPE_LIST_BOX_ROW)

static void
kc_record_row_class_init (KcRecordRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-record-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KcRecordRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, KcRecordRow, detail_label);
}

static void
kc_record_row_init (KcRecordRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
kc_record_row_new (gint64 id, const char *title, const char *detail)
{
  KcRecordRow *self = g_object_new (KC_TYPE_RECORD_ROW, NULL);

  self->id = id;
  gtk_label_set_text (self->title_label, title != NULL ? title : "");
  gtk_label_set_text (self->detail_label, detail != NULL ? detail : "");
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self)), title != NULL ? title : "");
  return GTK_WIDGET (self);
}

gint64
kc_record_row_get_id (KcRecordRow *self)
{
  g_return_val_if_fail (KC_IS_RECORD_ROW (self), 0);
  return self->id;
}
