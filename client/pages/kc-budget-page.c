/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-budget-page.c — KcBudgetPage: budget.summary, budget.set_appropriation,
 * budget.record_management (the managing agency's own management spending
 * within C23, sql/0040).
 */
#include "kc-budget-page.h"

#include <glib/gi18n.h>

#include "kc-act-dialog.h"
#include "kc-budget-row.h"
#include "kc-calls.h"
#include "kc-json.h"
#include "kc-labels.h"
#include "kc-money.h"
#include "kc-record-list.h"
#include "kc-column-layout.h"

enum
{
  COL_LINE,
  COL_APPROPRIATED,
  COL_ALLOCATED,
  COL_CONTRACTED,
  COL_PAID,
  COL_REMAINING,
  N_COLUMNS
};

struct _KcBudgetPage
{
  KcTablePage parent_instance;

  GtkSpinButton *year_spin;
  /* budget.summary's lines (KcBudgetRow): by source, by province, then the
   * management line; the view shows them through @list. */
  GListStore *rows;
  KcRecordList *list;
  GtkLabel *message_label; /* what the last act did */
  /* The acts, shown to the appropriating roles. */
  GtkWidget *appropriation_button;
  GtkWidget *management_button;
  /* budget.summary's management figures of the caller's funds (sql/0040) */
  gint64 management_limit;
  gint64 management_spent;
  double management_pct; /* < 0: no C23 share in force */
  gboolean management_unconfirmed;
};

G_DEFINE_TYPE (KcBudgetPage, kc_budget_page, KC_TYPE_TABLE_PAGE)

/* The columns, read from each line when the view asks. */

static void
get_line (gpointer row, GValue *value, gpointer page)
{
  const char *source = kc_budget_row_get_source (row);
  const char *name = kc_budget_row_get_province_name (row);
  const char *code = kc_budget_row_get_province_code (row);
  double pct = kc_budget_row_get_management_pct (row);
  g_autofree char *share = NULL;

  if (source != NULL)
    g_value_set_string (value, kc_label_source (source));
  else if (pct >= 0)
    {
      share = kc_label_percent (pct, 1);
      /* TRANSLATORS: the managing agency's own spending line; %s is "1,5 %" */
      g_value_take_string (value, g_strdup_printf (_ ("Programme management (at most %s)"), share));
    }
  /* By name (sql/0035); the code only from an older server. */
  else if (name != NULL)
    g_value_set_string (value, name);
  else
    g_value_take_string (value, g_strdup_printf (_ ("Province %s"), code != NULL ? code : ""));
}

/* A figure in đồng, "" when the line has none. */
static void
set_money (gpointer row, KcBudgetFigure figure, GValue *value)
{
  gint64 amount;

  if (kc_budget_row_get_figure (row, figure, &amount))
    g_value_take_string (value, kc_money_format (amount));
  else
    g_value_set_static_string (value, "");
}

static void
get_appropriated (gpointer row, GValue *value, gpointer page)
{
  set_money (row, KC_BUDGET_APPROPRIATED, value);
}

static void
get_allocated (gpointer row, GValue *value, gpointer page)
{
  set_money (row, KC_BUDGET_ALLOCATED, value);
}

static void
get_contracted (gpointer row, GValue *value, gpointer page)
{
  set_money (row, KC_BUDGET_CONTRACTED, value);
}

static void
get_paid (gpointer row, GValue *value, gpointer page)
{
  set_money (row, KC_BUDGET_PAID, value);
}

static void
get_remaining (gpointer row, GValue *value, gpointer page)
{
  set_money (row, KC_BUDGET_REMAINING, value);
}

static const KcRecordColumn columns[N_COLUMNS] = {
  [COL_LINE] = { G_TYPE_STRING, get_line },
  [COL_APPROPRIATED] = { G_TYPE_STRING, get_appropriated },
  [COL_ALLOCATED] = { G_TYPE_STRING, get_allocated },
  [COL_CONTRACTED] = { G_TYPE_STRING, get_contracted },
  [COL_PAID] = { G_TYPE_STRING, get_paid },
  [COL_REMAINING] = { G_TYPE_STRING, get_remaining },
};

static double
double_of (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return -1;
  return json_node_get_double (node);
}

/* The management figures of the caller's funds, for the act's dialog. */
static void
read_management (KcBudgetPage *self, JsonObject *management)
{
  self->management_pct = double_of (management, "pct");
  self->management_limit = kc_json_int (management, "limit");
  self->management_spent = kc_json_int (management, "spent");
  self->management_unconfirmed = g_strcmp0 (kc_json_string (management, "confidence"), "U") == 0;
}

/* The lines of @array (borrowed, nullable) added to @lines. */
static void
add_lines (GPtrArray *lines, JsonArray *array)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    g_ptr_array_add (lines, kc_budget_row_new_from_json (json_array_get_object_element (array, i)));
}

static void
summary_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcBudgetPage *self = user_data;
  KcTablePage *page = KC_TABLE_PAGE (self);
  g_autoptr (JsonNode) reply = kc_table_page_finish_call (page, source, result);
  g_autoptr (GPtrArray) lines = NULL;
  JsonObject *object;
  KcBudgetRow *management;

  if (reply == NULL)
    return;
  object = json_node_get_object (reply);
  lines = g_ptr_array_new_with_free_func (g_object_unref);
  add_lines (lines, json_object_get_array_member (object, "by_source"));
  add_lines (lines, json_object_get_array_member (object, "by_province"));
  read_management (self, kc_json_object (object, "management"));
  /* At most the C23 share of the appropriation, what was spent and what is left. */
  management = kc_budget_row_new_management (kc_json_object (object, "management"));
  if (management != NULL)
    g_ptr_array_add (lines, management);
  g_list_store_splice (self->rows, g_list_model_get_n_items (G_LIST_MODEL (self->rows)), 0,
                       lines->pdata, lines->len);
}

static void
kc_budget_page_refresh (KcTablePage *page)
{
  KcBudgetPage *self = KC_BUDGET_PAGE (page);
  g_autoptr (JsonObject) params = json_object_new ();
  g_autoptr (JsonNode) node = NULL;

  g_list_store_remove_all (self->rows);
  self->management_pct = -1;
  self->management_limit = self->management_spent = 0;
  json_object_set_int_member (params, "year", gtk_spin_button_get_value_as_int (self->year_spin));
  node = json_node_init_object (json_node_alloc (), params);
  kc_table_page_set_busy (page, TRUE);
  kc_session_budget_summary_async (kc_table_page_get_session (page), node,
                                   kc_table_page_get_cancellable (page), summary_done_cb, self);
}

static void
kc_budget_page_event (KcTablePage *page, const char *topic, JsonNode *params)
{
  /* budget: an appropriation set or management spending recorded (sql/0046) */
  if (g_str_equal (topic, "allocation") || g_str_equal (topic, "payment")
      || g_str_equal (topic, "budget"))
    kc_table_page_refresh (page);
}

/* Setting the appropriation: the Ministry's approver for the national
 * sources, a province's leader for its own local budget (issue 14); a
 * KcActDialog that asks once with the money and says what it did. */
static JsonNode *
appropriation_build (KcActDialog *dialog, gpointer data)
{
  KcBudgetPage *self = data;
  JsonObject *params = json_object_new ();

  json_object_set_int_member (params, "year", gtk_spin_button_get_value_as_int (self->year_spin));
  json_object_set_string_member (params, "source", kc_act_dialog_get_choice (dialog, "source"));
  json_object_set_int_member (params, "amount", kc_act_dialog_get_number (dialog, "amount"));
  return json_node_init_object (json_node_alloc (), params);
}

static char *
appropriation_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcBudgetPage *self = data;
  g_autofree char *money = kc_money_format (kc_act_dialog_get_number (dialog, "amount"));

  return g_strdup_printf (_ ("Set the %d appropriation of the %s to %s?"),
                          gtk_spin_button_get_value_as_int (self->year_spin),
                          kc_label_source (kc_act_dialog_get_choice (dialog, "source")), money);
}

static char *
appropriation_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  g_autofree char *money = kc_money_format (kc_json_int (result, "amount"));
  g_autofree char *left = kc_money_format (kc_json_int (result, "remaining"));

  return g_strdup_printf (_ ("Appropriation %d of the %s set to %s (%s not yet allocated)."),
                          (int)kc_json_int (result, "year"),
                          kc_label_source (kc_json_string (result, "source")), money, left);
}

static void
appropriation_finished (gpointer data, const char *text)
{
  KcBudgetPage *self = data;

  gtk_label_set_text (self->message_label, text);
  kc_table_page_refresh (KC_TABLE_PAGE (self));
}

static void
on_appropriation_clicked_cb (KcBudgetPage *self)
{
  KcSession *session = kc_table_page_get_session (KC_TABLE_PAGE (self));
  gboolean leader = g_strcmp0 (kc_session_get_role (session), "province_leader") == 0;
  static const char *const national[] = { "central", "counterpart", "other", NULL };
  static const char *const local[] = { "local", NULL };
  const char *national_texts[] = { kc_label_source ("central"), kc_label_source ("counterpart"),
                                   kc_label_source ("other"), NULL };
  const char *local_texts[] = { kc_label_source ("local"), NULL };
  g_autofree char *intro = g_strdup_printf (
      leader ? _ ("The province's own budget for industrial promotion in %d; it cannot be set "
                  "below what is already allocated from it.")
             : _ ("The state budget for industrial promotion in %d by source; it cannot be set "
                  "below what is already allocated from it."),
      gtk_spin_button_get_value_as_int (self->year_spin));
  KcActDialog *dialog = kc_act_dialog_new (GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))),
                                           session, _ ("Set the appropriation"), _ ("_Set"));

  kc_act_dialog_set_intro (dialog, intro);
  kc_act_dialog_add_choice (dialog, "source", _ ("_Source"), leader ? local : national,
                            leader ? local_texts : national_texts, leader ? "local" : "central");
  kc_act_dialog_add_money (dialog, "amount", _ ("_Amount (đồng)"), 0, 0, -1, NULL);
  kc_act_dialog_run (dialog, kc_session_budget_set_appropriation_async, appropriation_build,
                     appropriation_confirm, appropriation_done, appropriation_finished,
                     g_object_ref (self), g_object_unref);
}

/* The managing agency's own management spending (C23: programme building,
 * inspection, supervision, appraisal, acceptance): the Ministry's approver
 * from the national funds, a province's leader from its local funds. */
static JsonNode *
management_build (KcActDialog *dialog, gpointer data)
{
  KcBudgetPage *self = data;
  JsonObject *params = json_object_new ();
  g_autofree char *on = kc_act_dialog_get_iso (dialog, "spent_on");

  json_object_set_int_member (params, "year", gtk_spin_button_get_value_as_int (self->year_spin));
  json_object_set_int_member (params, "amount", kc_act_dialog_get_number (dialog, "amount"));
  json_object_set_string_member (params, "purpose", kc_act_dialog_get_text (dialog, "purpose"));
  json_object_set_string_member (params, "voucher_no",
                                 kc_act_dialog_get_text (dialog, "voucher_no"));
  json_object_set_string_member (params, "spent_on", on);
  return json_node_init_object (json_node_alloc (), params);
}

static char *
management_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcBudgetPage *self = data;
  g_autofree char *money = kc_money_format (kc_act_dialog_get_number (dialog, "amount"));

  return g_strdup_printf (_ ("Record %s of programme management spending in %d?"), money,
                          gtk_spin_button_get_value_as_int (self->year_spin));
}

static char *
management_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  JsonObject *figures = kc_json_object (result, "management");
  JsonArray *warnings = kc_json_array (result, "warnings");
  g_autofree char *money = kc_money_format (kc_json_int (result, "amount"));
  g_autofree char *spent = kc_money_format (kc_json_int (figures, "spent"));
  g_autofree char *limit = kc_money_format (kc_json_int (figures, "limit"));
  g_autofree char *text
      = g_strdup_printf (_ ("Management spending of %s recorded: %s of at most %s spent in %d."),
                         money, spent, limit, (int)kc_json_int (result, "year"));

  if (warnings != NULL && json_array_get_length (warnings) > 0)
    /* TRANSLATORS: the sentence above, then the warning about the limit */
    return g_strdup_printf (_ ("%s Above the limit, whose value is unconfirmed."), text);
  return g_steal_pointer (&text);
}

static void
on_management_clicked_cb (KcBudgetPage *self)
{
  KcSession *session = kc_table_page_get_session (KC_TABLE_PAGE (self));
  gboolean leader = g_strcmp0 (kc_session_get_role (session), "province_leader") == 0;
  int year = gtk_spin_button_get_value_as_int (self->year_spin);
  gint64 max = MAX (0, self->management_limit - self->management_spent);
  g_autofree char *pct = kc_label_percent (MAX (self->management_pct, 0), 1);
  g_autofree char *money = kc_money_format (max);
  g_autofree char *hint = NULL;
  g_autofree char *intro = g_strdup_printf (
      leader ? _ ("The Department's own spending on building the programme and the projects, "
                  "inspection, supervision, appraisal and acceptance, from the province's "
                  "budget for industrial promotion in %d.")
             : _ ("The Ministry's own spending on building the programme and the projects, "
                  "inspection, supervision, appraisal and acceptance, from the state budget "
                  "for industrial promotion in %d."),
      year);
  KcActDialog *dialog
      = kc_act_dialog_new (GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))), session,
                           _ ("Programme management spending"), _ ("_Record"));

  if (self->management_pct < 0)
    hint = NULL;
  else if (self->management_unconfirmed)
    /* TRANSLATORS: the most, the share (1,5 %), the share's value unconfirmed */
    hint = g_strdup_printf (_ ("at most %s = %s of the appropriation less what was spent "
                               "(this share is unconfirmed: above it is only a warning)"),
                            money, pct);
  else
    hint = g_strdup_printf (_ ("at most %s = %s of the appropriation less what was spent"), money,
                            pct);
  kc_act_dialog_set_intro (dialog, intro);
  kc_act_dialog_add_money (dialog, "amount", _ ("_Amount (đồng)"), 0, 1,
                           self->management_pct < 0 || self->management_unconfirmed ? -1 : max,
                           hint);
  kc_act_dialog_add_long_text (dialog, "purpose", _ ("_Purpose"), NULL, TRUE, NULL);
  kc_act_dialog_add_text (dialog, "voucher_no", _ ("_Voucher number"), NULL, TRUE, NULL);
  kc_act_dialog_add_date (dialog, "spent_on", _ ("_Date"), NULL, TRUE);
  kc_act_dialog_run (dialog, kc_session_budget_record_management_async, management_build,
                     management_confirm, management_done, appropriation_finished,
                     g_object_ref (self), g_object_unref);
}

static void
on_year_changed_cb (KcBudgetPage *self)
{
  kc_table_page_refresh (KC_TABLE_PAGE (self));
}

static void
kc_budget_page_dispose (GObject *object)
{
  KcBudgetPage *self = KC_BUDGET_PAGE (object);
  GtkTreeView *view = kc_table_page_get_view (KC_TABLE_PAGE (self));

  /* The view lets go of the list before it goes. */
  if (view != NULL)
    gtk_tree_view_set_model (view, NULL);
  g_clear_object (&self->list);
  g_clear_object (&self->rows);
  G_OBJECT_CLASS (kc_budget_page_parent_class)->dispose (object);
}

static void
kc_budget_page_class_init (KcBudgetPageClass *klass)
{
  KcTablePageClass *page_class = KC_TABLE_PAGE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = kc_budget_page_dispose;
  page_class->refresh = kc_budget_page_refresh;
  page_class->event = kc_budget_page_event;

  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               "/vn/gov/moit/KhuyenCong/ui/kc-budget-page.ui");
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), KcBudgetPage, year_spin);
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), KcBudgetPage, message_label);
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), KcBudgetPage,
                                        appropriation_button);
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), KcBudgetPage, management_button);
  gtk_widget_class_bind_template_callback (GTK_WIDGET_CLASS (klass), on_appropriation_clicked_cb);
  gtk_widget_class_bind_template_callback (GTK_WIDGET_CLASS (klass), on_management_clicked_cb);
  gtk_widget_class_bind_template_callback (GTK_WIDGET_CLASS (klass), on_year_changed_cb);
}

static void
kc_budget_page_init (KcBudgetPage *self)
{
  KcTablePage *page = KC_TABLE_PAGE (self);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  gtk_widget_init_template (GTK_WIDGET (self));
  /* This year, without a refresh: the page has no session yet. */
  g_signal_handlers_block_by_func (self->year_spin, on_year_changed_cb, self);
  gtk_spin_button_set_value (self->year_spin, g_date_time_get_year (now));
  g_signal_handlers_unblock_by_func (self->year_spin, on_year_changed_cb, self);

  self->rows = g_list_store_new (KC_TYPE_BUDGET_ROW);
  self->list = kc_record_list_new (G_LIST_MODEL (self->rows), columns, N_COLUMNS, self);
  gtk_tree_view_set_model (kc_table_page_get_view (page), GTK_TREE_MODEL (self->list));
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (kc_table_page_get_view (page))),
                       _ ("Budget"));
  kc_table_page_add_column (page, _ ("Line"), COL_LINE, -1, TRUE, 0);
  kc_table_page_add_column (page, _ ("Appropriated"), COL_APPROPRIATED, -1, FALSE, 1);
  kc_table_page_add_column (page, _ ("Allocated"), COL_ALLOCATED, -1, FALSE, 1);
  kc_table_page_add_column (page, _ ("Contracted"), COL_CONTRACTED, -1, FALSE, 1);
  kc_table_page_add_column (page, _ ("Paid"), COL_PAID, -1, FALSE, 1);
  kc_table_page_add_column (page, _ ("Remaining"), COL_REMAINING, -1, FALSE, 1);
  kc_column_layout_remember (kc_table_page_get_view (page), "budget");
}

KcBudgetPage *
kc_budget_page_new (KcSession *session)
{
  KcBudgetPage *self = g_object_new (KC_TYPE_BUDGET_PAGE, NULL);

  kc_table_page_set_session (KC_TABLE_PAGE (self), session);
  /* The national sources are the Ministry approver's, the local budget
   * its province leader's (issue 14). */
  if (g_strcmp0 (kc_session_get_role (session), "ministry_approver") == 0
      || g_strcmp0 (kc_session_get_role (session), "province_leader") == 0)
    {
      gtk_widget_show (self->appropriation_button);
      gtk_widget_show (self->management_button);
    }
  kc_table_page_refresh (KC_TABLE_PAGE (self));
  return self;
}
