/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-budget-row.c — KcBudgetRow (see the header).
 */
#include "kc-budget-row.h"

#include "kc-json.h"

static const char *const figure_names[KC_BUDGET_N_FIGURES]
    = { "appropriated", "allocated", "contracted", "paid", "remaining" };

struct _KcBudgetRow
{
  GObject parent_instance;

  gint64 figures[KC_BUDGET_N_FIGURES];
  gboolean present[KC_BUDGET_N_FIGURES];
  char *source;
  char *province_name;
  char *province_code;
  double management_pct; /* < 0: not the management line */
};

G_DEFINE_TYPE (KcBudgetRow, kc_budget_row, G_TYPE_OBJECT)

KcBudgetRow *
kc_budget_row_new_from_json (JsonObject *object)
{
  KcBudgetRow *self = g_object_new (KC_TYPE_BUDGET_ROW, NULL);

  for (int i = 0; i < KC_BUDGET_N_FIGURES; i++)
    {
      self->present[i] = object != NULL && json_object_has_member (object, figure_names[i]);
      self->figures[i] = kc_json_int (object, figure_names[i]);
    }
  self->source = g_strdup (kc_json_string (object, "source"));
  self->province_name = g_strdup (kc_json_string (object, "province_name"));
  self->province_code = g_strdup (kc_json_string (object, "province_code"));
  return self;
}

static void
set_figure (KcBudgetRow *self, KcBudgetFigure figure, gint64 value)
{
  self->figures[figure] = value;
  self->present[figure] = TRUE;
}

KcBudgetRow *
kc_budget_row_new_management (JsonObject *management)
{
  JsonNode *pct = management != NULL ? json_object_get_member (management, "pct") : NULL;
  KcBudgetRow *self;

  if (pct == NULL || !JSON_NODE_HOLDS_VALUE (pct) || json_node_get_double (pct) < 0)
    return NULL;
  self = g_object_new (KC_TYPE_BUDGET_ROW, NULL);
  self->management_pct = json_node_get_double (pct);
  set_figure (self, KC_BUDGET_APPROPRIATED, kc_json_int (management, "limit"));
  set_figure (self, KC_BUDGET_PAID, kc_json_int (management, "spent"));
  set_figure (self, KC_BUDGET_REMAINING, kc_json_int (management, "remaining"));
  return self;
}

gboolean
kc_budget_row_get_figure (KcBudgetRow *self, KcBudgetFigure figure, gint64 *value)
{
  g_return_val_if_fail (figure < KC_BUDGET_N_FIGURES, FALSE);
  *value = self->figures[figure];
  return self->present[figure];
}

const char *
kc_budget_row_get_source (KcBudgetRow *self)
{
  return self->source;
}

const char *
kc_budget_row_get_province_name (KcBudgetRow *self)
{
  return self->province_name;
}

const char *
kc_budget_row_get_province_code (KcBudgetRow *self)
{
  return self->province_code;
}

double
kc_budget_row_get_management_pct (KcBudgetRow *self)
{
  return self->management_pct;
}

/* GObject overrides */

static void
kc_budget_row_finalize (GObject *object)
{
  KcBudgetRow *self = KC_BUDGET_ROW (object);

  g_free (self->source);
  g_free (self->province_name);
  g_free (self->province_code);
  G_OBJECT_CLASS (kc_budget_row_parent_class)->finalize (object);
}

static void
kc_budget_row_class_init (KcBudgetRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kc_budget_row_finalize;
}

static void
kc_budget_row_init (KcBudgetRow *self)
{
  self->management_pct = -1;
}
