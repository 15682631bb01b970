/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-budget-section.c — KcBudgetSection (see its header).
 */
#include "kc-budget-section.h"

#include <glib/gi18n.h>

#include "kc-budget-line-row.h"
#include "kc-editor-fields.h"
#include "kc-editor-section.h"
#include "kc-form.h"
#include "kc-json.h"
#include "kc-labels.h"
#include "kc-money.h"

struct _KcBudgetSection
{
  GtkGrid parent_instance;

  KcEditorFields *fields;
  GtkBox *lines_box;
  GtkSizeGroup *names_group;
  GtkSizeGroup *shares_group;
  KcBudgetLineRow *lines[4]; /* in the order of kc_sources */
  GtkLabel *total_label;
  GtkLabel *budget_error; /* budget_lines objections of no one source */
};

static void kc_budget_section_iface_init (KcEditorSectionInterface *iface);

G_DEFINE_TYPE_WITH_CODE (KcBudgetSection, kc_budget_section, GTK_TYPE_GRID,
                         G_IMPLEMENT_INTERFACE (KC_TYPE_EDITOR_SECTION,
                                                kc_budget_section_iface_init))

/* Helpers */

static void
update_totals (KcBudgetSection *self)
{
  gint64 amounts[4] = { 0 };
  gint64 total = 0;
  g_autofree char *total_text = NULL;
  g_autofree char *line = NULL;

  for (int i = 0; i < 4; i++)
    {
      const char *text = kc_budget_line_row_get_text (self->lines[i]);

      if (text[0] != '\0' && kc_money_parse (text, &amounts[i], NULL))
        total += amounts[i];
    }
  for (int i = 0; i < 4; i++)
    {
      g_autofree char *share = NULL;

      if (total > 0)
        share = kc_label_percent (100.0 * (double)amounts[i] / (double)total, 1);
      kc_budget_line_row_set_share (self->lines[i], share != NULL ? share : "");
    }
  total_text = kc_money_format (total);
  /* TRANSLATORS: the sum of the budget lines of every source */
  line = g_strdup_printf (_ ("Total of the budget lines: %s"), total_text);
  gtk_label_set_text (self->total_label, line);
}

/* Callbacks */

static void
on_line_changed_cb (KcBudgetSection *self)
{
  update_totals (self);
  kc_editor_section_changed (KC_EDITOR_SECTION (self));
}

/* KcEditorSection */

static void
kc_budget_section_set_catalog (KcEditorSection *section, JsonObject *catalog)
{
  kc_editor_fields_set_catalog (KC_BUDGET_SECTION (section)->fields, catalog);
}

static void
kc_budget_section_load (KcEditorSection *section, JsonObject *project)
{
  KcBudgetSection *self = KC_BUDGET_SECTION (section);
  JsonArray *lines = kc_json_array (project, "budget_lines");

  kc_editor_fields_load (self->fields, project);
  for (int i = 0; i < 4; i++)
    kc_budget_line_row_set_text (self->lines[i], "");
  for (guint i = 0; lines != NULL && i < json_array_get_length (lines); i++)
    {
      JsonObject *line = json_array_get_object_element (lines, i);

      for (int s = 0; s < 4; s++)
        if (g_strcmp0 (kc_json_string (line, "source"), kc_sources[s]) == 0)
          {
            g_autofree char *text = kc_money_format_plain (kc_json_int (line, "amount"));
            kc_budget_line_row_set_text (self->lines[s], text);
          }
    }
  update_totals (self);
}

static gboolean
kc_budget_section_apply (KcEditorSection *section, JsonObject *params, JsonObject *before,
                         gboolean creating)
{
  KcBudgetSection *self = KC_BUDGET_SECTION (section);
  gboolean ok = kc_editor_fields_apply (self->fields, params, before, creating);
  JsonArray *lines = json_array_new ();

  for (int i = 0; i < 4; i++)
    {
      const char *text = kc_budget_line_row_get_text (self->lines[i]);
      gint64 amount;
      JsonObject *line;

      if (text[0] == '\0')
        continue;
      if (!kc_money_parse (text, &amount, NULL))
        {
          kc_budget_line_row_set_error (self->lines[i],
                                        _ ("Enter an amount in đồng, e.g. 1.234.567."));
          ok = FALSE;
          continue;
        }
      line = json_object_new ();
      json_object_set_string_member (line, "source", kc_sources[i]);
      json_object_set_int_member (line, "amount", amount);
      json_array_add_object_element (lines, line);
    }
  json_object_set_array_member (params, "budget_lines", lines);
  return ok;
}

static void
kc_budget_section_clear_errors (KcEditorSection *section)
{
  KcBudgetSection *self = KC_BUDGET_SECTION (section);

  kc_editor_fields_clear_errors (self->fields);
  for (int i = 0; i < 4; i++)
    kc_budget_line_row_clear_error (self->lines[i]);
  kc_form_set_label (self->budget_error, NULL);
}

static gboolean
kc_budget_section_mark (KcEditorSection *section, const char *field, const char *text)
{
  KcBudgetSection *self = KC_BUDGET_SECTION (section);
  const char *rest;

  if (!g_str_has_prefix (field, "budget_lines"))
    return kc_editor_fields_mark (self->fields, field, text);
  rest = field + strlen ("budget_lines");
  for (int i = 0; i < 4; i++)
    if (rest[0] == '.' && g_str_has_prefix (rest + 1, kc_sources[i]))
      {
        kc_budget_line_row_mark (self->lines[i], text);
        return TRUE;
      }
  kc_form_set_label (self->budget_error, text);
  return TRUE;
}

static void
kc_budget_section_iface_init (KcEditorSectionInterface *iface)
{
  iface->set_catalog = kc_budget_section_set_catalog;
  iface->load = kc_budget_section_load;
  iface->apply = kc_budget_section_apply;
  iface->clear_errors = kc_budget_section_clear_errors;
  iface->mark = kc_budget_section_mark;
}

/* GObject overrides */

static void
kc_budget_section_finalize (GObject *object)
{
  g_clear_pointer (&KC_BUDGET_SECTION (object)->fields, kc_editor_fields_free);
  G_OBJECT_CLASS (kc_budget_section_parent_class)->finalize (object);
}

static void
kc_budget_section_class_init (KcBudgetSectionClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = kc_budget_section_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-budget-section.ui");
  gtk_widget_class_bind_template_child (widget_class, KcBudgetSection, lines_box);
  gtk_widget_class_bind_template_child (widget_class, KcBudgetSection, names_group);
  gtk_widget_class_bind_template_child (widget_class, KcBudgetSection, shares_group);
  gtk_widget_class_bind_template_child (widget_class, KcBudgetSection, total_label);
  gtk_widget_class_bind_template_child (widget_class, KcBudgetSection, budget_error);
}

static void
kc_budget_section_init (KcBudgetSection *self)
{
  GtkGrid *grid = GTK_GRID (self);
  int row = 0;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->fields = kc_editor_fields_new (KC_EDITOR_TAB_BUDGET, grid, &row, KC_EDITOR_SECTION (self));
  gtk_widget_show_all (GTK_WIDGET (self));
  /* The fields' labels and the sources' names: one column. */
  for (int r = 0; r < row; r++)
    {
      GtkWidget *label = gtk_grid_get_child_at (grid, 0, r);

      if (GTK_IS_LABEL (label))
        gtk_size_group_add_widget (self->names_group, label);
    }
  /* Budget lines: one per source, with its share of the total. */
  for (int i = 0; i < 4; i++)
    {
      self->lines[i] = kc_budget_line_row_new (kc_sources[i]);
      kc_budget_line_row_align (self->lines[i], self->names_group, self->shares_group);
      g_signal_connect_object (self->lines[i], "changed", G_CALLBACK (on_line_changed_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_container_add (GTK_CONTAINER (self->lines_box), GTK_WIDGET (self->lines[i]));
      gtk_widget_show (GTK_WIDGET (self->lines[i]));
    }
  update_totals (self);
}
