/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-budget-line-row.c — KcBudgetLineRow (see its header).
 */
#include "kc-budget-line-row.h"

#include <glib/gi18n.h>

#include "kc-form.h"
#include "kc-labels.h"
#include "kc-window.h"

struct _KcBudgetLineRow
{
  GtkGrid parent_instance;

  GtkLabel *name_label;
  GtkEntry *entry;
  GtkLabel *share_label;
  GtkLabel *error_label;
  const char *source; /* static, one of kc_sources */
};

G_DEFINE_TYPE (KcBudgetLineRow, kc_budget_line_row, GTK_TYPE_GRID)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_entry_changed_cb (KcBudgetLineRow *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
kc_budget_line_row_class_init (KcBudgetLineRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-budget-line-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KcBudgetLineRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, KcBudgetLineRow, entry);
  gtk_widget_class_bind_template_child (widget_class, KcBudgetLineRow, share_label);
  gtk_widget_class_bind_template_child (widget_class, KcBudgetLineRow, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed_cb);
}

static void
kc_budget_line_row_init (KcBudgetLineRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  kc_form_money_entry (self->entry);
}

KcBudgetLineRow *
kc_budget_line_row_new (const char *source)
{
  KcBudgetLineRow *self = g_object_new (KC_TYPE_BUDGET_LINE_ROW, NULL);
  const char *name = kc_label_source (source);
  g_autofree char *share_name = g_strdup_printf (_ ("Share of %s"), name);

  self->source = source;
  gtk_label_set_text (self->name_label, name);
  kc_set_accessible_name (GTK_WIDGET (self->entry), name);
  kc_set_accessible_name (GTK_WIDGET (self->share_label), share_name);
  return self;
}

const char *
kc_budget_line_row_get_source (KcBudgetLineRow *self)
{
  return self->source;
}

const char *
kc_budget_line_row_get_text (KcBudgetLineRow *self)
{
  return gtk_entry_get_text (self->entry);
}

void
kc_budget_line_row_set_text (KcBudgetLineRow *self, const char *text)
{
  gtk_entry_set_text (self->entry, text);
}

void
kc_budget_line_row_set_share (KcBudgetLineRow *self, const char *text)
{
  gtk_label_set_text (self->share_label, text);
}

void
kc_budget_line_row_set_error (KcBudgetLineRow *self, const char *text)
{
  kc_form_set_label (self->error_label, text);
}

void
kc_budget_line_row_mark (KcBudgetLineRow *self, const char *text)
{
  kc_form_set_label (self->error_label, text);
  gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self->entry)),
                               "kc-invalid");
  atk_object_set_description (gtk_widget_get_accessible (GTK_WIDGET (self->entry)), text);
}

void
kc_budget_line_row_clear_error (KcBudgetLineRow *self)
{
  kc_form_set_label (self->error_label, NULL);
  gtk_style_context_remove_class (gtk_widget_get_style_context (GTK_WIDGET (self->entry)),
                                  "kc-invalid");
}

void
kc_budget_line_row_align (KcBudgetLineRow *self, GtkSizeGroup *names, GtkSizeGroup *shares)
{
  gtk_size_group_add_widget (names, GTK_WIDGET (self->name_label));
  gtk_size_group_add_widget (shares, GTK_WIDGET (self->share_label));
}
