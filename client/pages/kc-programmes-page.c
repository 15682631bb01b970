/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-programmes-page.c — KcProgrammesPage (see its header).
 */
#include "kc-programmes-page-private.h"

#include "kc-lazy.h"
#include <glib/gi18n.h>

#include "kc-ask.h"
#include "kc-calls.h"
#include "kc-choose.h"
#include "kc-date.h"
#include "kc-errors.h"
#include "kc-export-table.h"
#include "kc-form.h"
#include "kc-json.h"
#include "kc-labels.h"
#include "kc-money.h"
#include "kc-programme-envelopes.h"
#include "kc-record-row.h"
#include "kc-table-page.h"
#include "kc-target-chart.h"

enum
{
  T_INDEX, /* in the programme's targets */
  T_NAME,
  T_UNIT,
  T_AREA,
  T_TARGET,
  T_ACHIEVED,
  T_PERCENT,
  T_N_COLUMNS
};

struct _KcProgrammesPage
{
  GtkBox parent_instance;

  GtkWidget *new_button;
  GtkWidget *edit_button;
  GtkWidget *target_button;
  GtkWidget *add_button;
  GtkWidget *envelope_button;
  GtkWidget *approve_button;
  GtkWidget *comment_button;
  GtkSpinner *spinner;
  GtkInfoBar *message_bar;
  GtkLabel *message_label;
  GtkListBox *list;
  GtkLabel *title_label;
  GtkLabel *detail_label;
  GtkTreeView *targets_view;
  GtkTreeView *budget_view;
  GtkLabel *budget_empty_label;
  GtkWidget *comments_box;
  GtkLabel *comments_label;

  GtkListStore *targets;
  GtkListStore *budget;
  KcRefill targets_refill;
  KcRefill budget_refill;
  KcTargetChart *chart;
  KcSession *session;
  GCancellable *cancellable;
  JsonObject *programme; /* programme.get's, or NULL */
  JsonObject *results;   /* report.programme's, or NULL */
  JsonArray *comments;   /* programme.comments' items, or NULL */
  gint64 wanted;         /* the programme to select once the list is read */
  /* kc_programmes_page_choose_area() under way: its title (static) and
   * what follows the choice. */
  const char *area_title;
  KcAreaChosenFunc area_then;
  int busy;
};

G_DEFINE_TYPE (KcProgrammesPage, kc_programmes_page, GTK_TYPE_BOX)

static void show_programme (KcProgrammesPage *self);
static void load_comments (KcProgrammesPage *self);

/* Helpers */

static gboolean
role_is (KcProgrammesPage *self, const char *role)
{
  return g_strcmp0 (kc_session_get_role (self->session), role) == 0;
}

static gboolean
is_province (KcProgrammesPage *self)
{
  return role_is (self, "province_officer") || role_is (self, "province_leader");
}

static gboolean
keeps_national (KcProgrammesPage *self)
{
  return role_is (self, "ministry_approver") || role_is (self, "admin");
}

/* As the server decides who keeps a programme: the Ministry's approver (and
 * the administrator) the national ones, its reviewer while the national one
 * is a draft (the reviewer prepares, the approver approves: sql/0048); a
 * province's roles their own local one while it is a draft (the server also
 * checks the province). */
static gboolean
may_edit (KcProgrammesPage *self)
{
  const char *scope = kc_json_string (self->programme, "scope");
  gboolean draft;

  if (self->programme == NULL)
    return FALSE;
  draft = g_strcmp0 (kc_json_string (self->programme, "status"), "draft") == 0;
  if (g_strcmp0 (scope, "national") == 0)
    return keeps_national (self) || (role_is (self, "ministry_reviewer") && draft);
  return is_province (self) && draft;
}

/* A draft is approved by the Ministry's approver (national) or the
 * province's leader (its local one), as the server's programme.approve. */
static gboolean
may_approve (KcProgrammesPage *self)
{
  const char *scope = kc_json_string (self->programme, "scope");

  if (self->programme == NULL
      || g_strcmp0 (kc_json_string (self->programme, "status"), "draft") != 0)
    return FALSE;
  if (g_strcmp0 (scope, "national") == 0)
    return role_is (self, "ministry_approver");
  return role_is (self, "province_leader");
}

/* A province comments on the Ministry's national programme while it is a
 * draft (programme.comment). */
static gboolean
may_comment (KcProgrammesPage *self)
{
  return self->programme != NULL && is_province (self)
         && g_strcmp0 (kc_json_string (self->programme, "scope"), "national") == 0
         && g_strcmp0 (kc_json_string (self->programme, "status"), "draft") == 0;
}

static void
set_busy (KcProgrammesPage *self, gboolean busy)
{
  kc_form_count_busy (&self->busy, busy, self->spinner);
}

void
kc_programmes_page_show_message (KcProgrammesPage *self, GtkMessageType type, const char *text)
{
  kc_form_show_message (self->message_bar, self->message_label, NULL, type, text, FALSE);
}

GtkWindow *
kc_programmes_page_toplevel (KcProgrammesPage *self)
{
  return kc_form_toplevel (GTK_WIDGET (self));
}

JsonNode *
kc_programmes_page_finish (KcProgrammesPage *self, GObject *source, GAsyncResult *result)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return NULL;
  set_busy (self, FALSE);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL)
        {
          g_autofree char *text = kc_errors_describe (error, data);

          kc_programmes_page_show_message (self, GTK_MESSAGE_ERROR, text);
        }
      return NULL;
    }
  return g_steal_pointer (&reply);
}

static void
send (KcProgrammesPage *self, KcCallFunc method, JsonNode *params, GAsyncReadyCallback callback)
{
  set_busy (self, TRUE);
  method (self->session, params, self->cancellable, callback, self);
}

/* A change of an approved programme waiting for its decision. */
typedef struct
{
  KcCallFunc method;
  JsonNode *params;
  GAsyncReadyCallback callback;
} Pending;

static void
pending_free (gpointer data)
{
  Pending *pending = data;

  json_node_unref (pending->params);
  g_free (pending);
}

static void
decision_answered_cb (GObject *owner, JsonObject *decision, gpointer data)
{
  KcProgrammesPage *self = KC_PROGRAMMES_PAGE (owner);
  Pending *pending = data;

  json_object_set_object_member (json_node_get_object (pending->params), "decision",
                                 json_object_ref (decision));
  send (self, pending->method, pending->params, pending->callback);
}

/* Sends @method; a change of an approved programme first asks for the
 * decision that makes it (the server refuses it without one). */
void
kc_programmes_page_call (KcProgrammesPage *self, KcCallFunc method, JsonObject *params,
                         GAsyncReadyCallback callback)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), params);
  Pending *pending;

  if (g_strcmp0 (kc_json_string (self->programme, "status"), "approved") != 0
      || !(method == kc_session_programme_update_async
           || method == kc_session_programme_set_targets_async))
    {
      send (self, method, node, callback);
      return;
    }
  pending = g_new0 (Pending, 1);
  pending->method = method;
  pending->params = g_steal_pointer (&node);
  pending->callback = callback;
  kc_ask_decision (kc_programmes_page_toplevel (self),
                   _ ("The decision that changes this programme"), G_OBJECT (self),
                   decision_answered_cb, pending, pending_free);
}

/* "1.234.567" or "1234567" → 1234567; FALSE for anything else. */
gboolean
kc_programmes_parse_amount (const char *text, gint64 *value)
{
  g_autoptr (GString) digits = g_string_new (NULL);

  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (*p != '.' && *p != ' ')
      g_string_append_c (digits, *p);
  return digits->len > 0 && g_ascii_string_to_signed (digits->str, 10, 0, G_MAXINT64, value, NULL);
}

static char *
period_text (JsonObject *programme)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "–%" G_GINT64_FORMAT,
                          kc_json_int (programme, "from_year"), kc_json_int (programme, "to_year"));
}

static const char *
status_text (const char *status)
{
  return kc_label_plan_status (status);
}

/* The report.programme row of @code in @province_id's area (0: the whole
 * programme), or NULL. */
static JsonObject *
result_row (KcProgrammesPage *self, const char *code, gint64 province_id)
{
  JsonArray *rows = kc_json_array (self->results, "rows");
  gint64 own = g_strcmp0 (kc_json_string (self->programme, "scope"), "local") == 0
                   ? kc_json_int (self->results, "province_id")
                   : 0;

  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      gint64 area = kc_json_int (row, "province_id");

      /* A local programme's whole is its province's area. */
      if (g_strcmp0 (kc_json_string (row, "code"), code) == 0
          && (area == province_id || (province_id == 0 && own != 0 && area == own)))
        return row;
    }
  return NULL;
}

static gint64
achieved_of (JsonObject *row)
{
  return kc_json_int (row, "achieved");
}

/* The list */

static GtkWidget *
programme_row_new (JsonObject *programme)
{
  g_autofree char *period = period_text (programme);
  const char *scope = kc_json_string (programme, "scope");
  g_autofree char *text = g_strdup_printf (
      "%s · %s · %s",
      g_strcmp0 (scope, "national") == 0 ? kc_label_scope (scope)
                                         : (kc_json_string (programme, "org_name") ?: ""),
      period, status_text (kc_json_string (programme, "status")));

  return kc_record_row_new (kc_json_int (programme, "id"),
                            kc_json_string (programme, "title") ?: "", text);
}

static void
results_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProgrammesPage *self = user_data;
  g_autoptr (JsonNode) reply = kc_programmes_page_finish (self, source, result);

  if (reply == NULL)
    return;
  g_clear_pointer (&self->results, json_object_unref);
  self->results = json_object_ref (json_node_get_object (reply));
  show_programme (self);
}

static void
take_programme (KcProgrammesPage *self, JsonObject *programme)
{
  g_autoptr (JsonObject) params = json_object_new ();

  if (kc_json_int (self->programme, "id") != kc_json_int (programme, "id"))
    g_clear_pointer (&self->comments, json_array_unref);
  g_clear_pointer (&self->programme, json_object_unref);
  self->programme = json_object_ref (programme);
  show_programme (self);
  /* What is achieved, as report.programme counts it. */
  json_object_set_int_member (params, "programme_id", kc_json_int (programme, "id"));
  kc_programmes_page_call (self, kc_session_report_programme_async, params, results_done_cb);
  load_comments (self);
}

static void
get_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProgrammesPage *self = user_data;
  g_autoptr (JsonNode) reply = kc_programmes_page_finish (self, source, result);

  if (reply != NULL)
    take_programme (self, json_node_get_object (reply));
}

static void
on_programme_selected_cb (KcProgrammesPage *self, GtkListBoxRow *row)
{
  g_autoptr (JsonObject) params = NULL;

  if (row == NULL)
    return;
  params = json_object_new ();
  json_object_set_int_member (params, "id", kc_record_row_get_id (KC_RECORD_ROW (row)));
  g_clear_pointer (&self->results, json_object_unref);
  kc_programmes_page_call (self, kc_session_programme_get_async, params, get_done_cb);
}

static void
list_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProgrammesPage *self = user_data;
  g_autoptr (JsonNode) reply = kc_programmes_page_finish (self, source, result);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  int year = g_date_time_get_year (now);
  JsonArray *items;
  GtkListBoxRow *select = NULL, *current = NULL;
  gint64 wanted;

  if (reply == NULL)
    return;
  wanted = self->wanted != 0 ? self->wanted : kc_json_int (self->programme, "id");
  self->wanted = 0;
  g_signal_handlers_block_by_func (self->list, on_programme_selected_cb, self);
  kc_form_destroy_children (GTK_CONTAINER (self->list));
  items = kc_json_array (json_node_get_object (reply), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *programme = json_array_get_object_element (items, i);
      GtkWidget *row = programme_row_new (programme);
      gboolean in_force = kc_json_int (programme, "from_year") <= year
                          && year <= kc_json_int (programme, "to_year");

      gtk_container_add (GTK_CONTAINER (self->list), row);
      if (wanted != 0 && kc_json_int (programme, "id") == wanted)
        select = GTK_LIST_BOX_ROW (row);
      /* The programme in force: the province's own first, else the national one. */
      if (in_force
          && (current == NULL
              || (is_province (self)
                  && g_strcmp0 (kc_json_string (programme, "scope"), "local") == 0)))
        current = GTK_LIST_BOX_ROW (row);
    }
  g_signal_handlers_unblock_by_func (self->list, on_programme_selected_cb, self);
  if (select == NULL)
    select = current != NULL ? current : gtk_list_box_get_row_at_index (self->list, 0);
  if (select != NULL)
    {
      gtk_list_box_select_row (self->list, select);
      on_programme_selected_cb (self, select);
    }
}

void
kc_programmes_page_refresh (KcProgrammesPage *self)
{
  g_autoptr (JsonObject) params = json_object_new ();

  g_return_if_fail (KC_IS_PROGRAMMES_PAGE (self));
  if (!kc_lazy_ready (GTK_WIDGET (self)))
    return;
  json_object_set_int_member (params, "limit", 200);
  kc_programmes_page_call (self, kc_session_programme_list_async, params, list_done_cb);
}

/* One programme */

/* The envelope grid (kc-programme-envelopes.c), with what is approved for
 * projects once report.programme is read. */
static void
show_envelopes (KcProgrammesPage *self)
{
  gint64 approved[G_N_ELEMENTS (kc_sources)];

  for (gsize i = 0; self->results != NULL && i < G_N_ELEMENTS (kc_sources); i++)
    {
      g_autofree char *code = g_strconcat ("KP.", kc_sources[i], NULL);
      JsonObject *row = result_row (self, code, 0);

      approved[i] = row != NULL ? achieved_of (row) : -1;
    }
  gboolean any = kc_programme_envelopes_show (self->budget, &self->budget_refill, self->programme,
                                              self->results != NULL ? approved : NULL);

  /* No envelope yet: a sentence instead of empty years, and what to do. */
  gtk_label_set_text (
      self->budget_empty_label,
      may_edit (self) ? _ ("No budget envelope has been set for this programme yet. Press "
                           "“Change envelope…” to enter each year's envelope, source by source.")
                      : _ ("No budget envelope has been set for this programme yet."));
  gtk_widget_set_visible (GTK_WIDGET (self->budget_empty_label), !any);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->budget_view)),
                          gtk_tree_model_iter_n_children (GTK_TREE_MODEL (self->budget), NULL) > 0);
}

/* The provinces' comments on a draft national programme: the Ministry
 * reads every province's, a province its own (the server decides). */
static void
show_comments (KcProgrammesPage *self)
{
  g_autoptr (GString) text = g_string_new (NULL);
  guint n = self->comments != NULL ? json_array_get_length (self->comments) : 0;
  gboolean national = g_strcmp0 (kc_json_string (self->programme, "scope"), "national") == 0;
  gboolean draft = g_strcmp0 (kc_json_string (self->programme, "status"), "draft") == 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *c = json_array_get_object_element (self->comments, i);
      g_autofree char *when = kc_label_instant (kc_json_string (c, "created_at"));

      if (text->len > 0)
        g_string_append (text, "\n\n");
      /* TRANSLATORS: a comment's heading: the province, its author, when */
      g_string_append_printf (text, _ ("%s — %s, %s"), kc_json_string (c, "org_name") ?: "",
                              kc_json_string (c, "author") ?: "", when);
      g_string_append_printf (text, "\n%s", kc_json_string (c, "text") ?: "");
    }
  if (n == 0)
    g_string_assign (text, is_province (self) ? _ ("Your province has not commented yet.")
                                              : _ ("No province has commented yet."));
  gtk_label_set_text (self->comments_label, text->str);
  gtk_widget_set_visible (self->comments_box, national && (draft || n > 0));
}

static void
comments_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProgrammesPage *self = user_data;
  g_autoptr (JsonNode) reply = kc_programmes_page_finish (self, source, result);
  JsonArray *items;

  if (reply == NULL)
    return;
  items = kc_json_array (json_node_get_object (reply), "items");
  g_clear_pointer (&self->comments, json_array_unref);
  self->comments = items != NULL ? json_array_ref (items) : NULL;
  if (self->programme != NULL)
    show_comments (self);
}

static void
load_comments (KcProgrammesPage *self)
{
  g_autoptr (JsonObject) params = NULL;

  if (self->programme == NULL
      || g_strcmp0 (kc_json_string (self->programme, "scope"), "national") != 0)
    return;
  params = json_object_new ();
  json_object_set_int_member (params, "programme_id", kc_json_int (self->programme, "id"));
  json_object_set_int_member (params, "limit", 1000);
  kc_programmes_page_call (self, kc_session_programme_comments_async, params, comments_done_cb);
}

/* Live: a province commented on the programme shown. */
static void
on_session_event_cb (KcSession *session, const char *topic, JsonNode *params, gpointer user_data)
{
  KcProgrammesPage *self = user_data;
  JsonObject *event
      = params != NULL && JSON_NODE_HOLDS_OBJECT (params) ? json_node_get_object (params) : NULL;

  if (g_strcmp0 (topic, "programme") == 0 && self->programme != NULL
      && kc_json_int (event, "id") == kc_json_int (self->programme, "id"))
    load_comments (self);
}

static void
show_programme (KcProgrammesPage *self)
{
  JsonObject *p = self->programme;
  JsonArray *targets = kc_json_array (p, "targets");
  g_autofree char *period = period_text (p);
  g_autoptr (GString) detail = g_string_new (NULL);
  const char *scope = kc_json_string (p, "scope");
  gboolean editable = may_edit (self);

  gtk_label_set_text (self->title_label, kc_json_string (p, "title") ?: "");
  if (kc_json_string (p, "code") != NULL)
    /* TRANSLATORS: the programme's code, such as KCĐP-25-2026-2030 */
    g_string_append_printf (detail, _ ("Code %s · "), kc_json_string (p, "code"));
  g_string_append_printf (detail, _ ("Period %s · %s · %s"), period,
                          g_strcmp0 (scope, "national") == 0
                              ? kc_label_scope (scope)
                              : (kc_json_string (p, "org_name") ?: ""),
                          status_text (kc_json_string (p, "status")));
  if (kc_json_string (p, "decision_no") != NULL)
    {
      GDate date;
      g_autofree char *day = kc_date_parse_iso (kc_json_string (p, "decision_date"), &date)
                                 ? kc_date_format_vn (&date)
                                 : g_strdup ("");

      g_string_append_c (detail, '\n');
      /* TRANSLATORS: the approving decision: its number, date and issuer */
      g_string_append_printf (detail, _ ("Decision %s of %s, %s"),
                              kc_json_string (p, "decision_no"), day,
                              kc_json_string (p, "issuer") ?: "");
    }
  if (kc_json_object (p, "change_decision") != NULL)
    {
      JsonObject *change = kc_json_object (p, "change_decision");
      GDate date;
      g_autofree char *day = kc_date_parse_iso (kc_json_string (change, "date"), &date)
                                 ? kc_date_format_vn (&date)
                                 : g_strdup ("");

      g_string_append_c (detail, '\n');
      /* TRANSLATORS: the decision of the last change: its number, date and signer */
      g_string_append_printf (detail, _ ("Last changed by decision %s of %s, %s"),
                              kc_json_string (change, "number") ?: "", day,
                              kc_json_string (change, "signer") ?: "");
    }
  if (kc_json_string (p, "note") != NULL)
    g_string_append_printf (detail, "\n%s", kc_json_string (p, "note"));
  gtk_label_set_text (self->detail_label, detail->str);

  /* Rows written over in place (kc_refill): the accessible cells a screen
   * reader is reading stay, and show the new figures. */
  kc_refill_begin (&self->targets_refill, self->targets);
  kc_target_chart_clear (self->chart);
  for (guint i = 0; targets != NULL && i < json_array_get_length (targets); i++)
    {
      JsonObject *t = json_array_get_object_element (targets, i);
      gint64 province_id = kc_json_int (t, "province_id");
      JsonObject *row = result_row (self, kc_json_string (t, "indicator"), province_id);
      gint64 target = kc_json_int (t, "target");
      g_autofree char *target_text = kc_money_format_plain (target);
      g_autofree char *achieved_text
          = self->results != NULL ? kc_money_format_plain (achieved_of (row)) : g_strdup ("");
      g_autofree char *percent = self->results != NULL && target > 0
                                     ? kc_export_percent_text (100.0 * achieved_of (row) / target)
                                     : g_strdup ("");
      const char *area
          = province_id != 0 ? kc_json_string (t, "province_name") : _ ("Whole programme");

      kc_refill_put (&self->targets_refill, self->targets, T_INDEX, (int)i, T_NAME,
                     kc_json_string (t, "name") ?: "", T_UNIT, kc_json_string (t, "unit") ?: "",
                     T_AREA, area ?: "", T_TARGET, target_text, T_ACHIEVED, achieved_text,
                     T_PERCENT, percent, -1);
      /* The chart: the whole programme's targets, with the numbers beside. */
      if (province_id == 0 && self->results != NULL)
        kc_target_chart_take_bar (self->chart, g_strdup (kc_json_string (t, "name") ?: ""),
                                  g_strdup_printf ("%s / %s %s — %s", achieved_text, target_text,
                                                   kc_json_string (t, "unit") ?: "", percent),
                                  (double)achieved_of (row), (double)target);
    }

  kc_refill_end (&self->targets_refill, self->targets);

  show_envelopes (self);
  show_comments (self);

  gtk_widget_set_visible (self->edit_button, editable);
  gtk_widget_set_visible (self->target_button, editable);
  gtk_widget_set_visible (self->add_button, editable);
  gtk_widget_set_visible (self->envelope_button, editable);
  gtk_widget_set_visible (self->approve_button, may_approve (self));
  gtk_widget_set_visible (self->comment_button, may_comment (self));
}

/* A national programme's target or envelope may be a province's share:
 * which area, the whole programme or a province of the map in force when
 * the period began — a 2021–2025 programme is shared among the 63, a
 * 2026–2030 one among the 34 (DOMAIN §6; the server accepts a province of
 * any map in force during the period). */

static void
area_chosen_cb (GObject *owner, gint64 id, gpointer data)
{
  KcProgrammesPage *self = KC_PROGRAMMES_PAGE (owner);
  GHashTable *names = data;
  const char *name = g_hash_table_lookup (names, &id);

  if (self->programme != NULL && self->area_then != NULL)
    self->area_then (self, id, name != NULL ? name : "");
}

static void
provinces_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProgrammesPage *self = user_data;
  g_autoptr (JsonNode) reply = kc_programmes_page_finish (self, source, result);
  JsonArray *items;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GPtrArray) texts = g_ptr_array_new ();
  GHashTable *names;
  gint64 whole = 0;

  if (reply == NULL || self->programme == NULL)
    return;
  names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_array_append_val (ids, whole);
  g_ptr_array_add (texts, (gpointer)_ ("Whole programme"));
  g_hash_table_insert (names, g_memdup2 (&whole, sizeof whole), g_strdup (_ ("Whole programme")));
  items = kc_json_array (json_node_get_object (reply), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *org = json_array_get_object_element (items, i);
      gint64 id = kc_json_int (org, "id");

      g_array_append_val (ids, id);
      g_ptr_array_add (texts, (gpointer)(kc_json_string (org, "name") ?: ""));
      g_hash_table_insert (names, g_memdup2 (&id, sizeof id),
                           g_strdup (kc_json_string (org, "name") ?: ""));
    }
  kc_choose (kc_programmes_page_toplevel (self), self->area_title, _ ("_Next"), _ ("Area"),
             (const gint64 *)(gpointer)ids->data, (const char *const *)texts->pdata, ids->len,
             G_OBJECT (self), area_chosen_cb, names, (GDestroyNotify)g_hash_table_unref);
}

void
kc_programmes_page_choose_area (KcProgrammesPage *self, const char *title, KcAreaChosenFunc then)
{
  g_autoptr (JsonObject) params = json_object_new ();
  g_autofree char *start = g_strdup_printf ("%04" G_GINT64_FORMAT "-01-01",
                                            kc_json_int (self->programme, "from_year"));

  self->area_title = title;
  self->area_then = then;
  json_object_set_string_member (params, "kind", "province");
  json_object_set_string_member (params, "at", start);
  json_object_set_int_member (params, "limit", 200);
  kc_programmes_page_call (self, kc_session_org_list_async, params, provinces_done_cb);
}

/* Writes */

static void
written_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProgrammesPage *self = user_data;
  g_autoptr (JsonNode) reply = kc_programmes_page_finish (self, source, result);

  if (reply == NULL)
    return;
  gtk_widget_hide (GTK_WIDGET (self->message_bar));
  take_programme (self, json_node_get_object (reply));
}

/* A copy of the programme's @list ("targets" or "budget") as set_targets
 * takes it, with @amount for entry @index (-1: none). */
JsonArray *
kc_programmes_page_copy_list (KcProgrammesPage *self, const char *list, int index, gint64 amount)
{
  JsonArray *from = kc_json_array (self->programme, list);
  JsonArray *to = json_array_new ();
  gboolean targets = g_str_equal (list, "targets");
  static const char *const kept[] = { "confidence", "source_ref", "note" };

  for (guint i = 0; from != NULL && i < json_array_get_length (from); i++)
    {
      JsonObject *entry = json_array_get_object_element (from, i);
      JsonObject *copy = json_object_new ();

      if (targets)
        json_object_set_string_member (copy, "indicator", kc_json_string (entry, "indicator"));
      else
        json_object_set_string_member (copy, "source", kc_json_string (entry, "source"));
      json_object_set_int_member (
          copy, targets ? "target" : "amount",
          (int)i == index ? amount : kc_json_int (entry, targets ? "target" : "amount"));
      if (kc_json_int (entry, "province_id") != 0)
        json_object_set_int_member (copy, "province_id", kc_json_int (entry, "province_id"));
      if (!targets && kc_json_int (entry, "year") != 0)
        json_object_set_int_member (copy, "year", kc_json_int (entry, "year"));
      for (gsize k = 0; k < G_N_ELEMENTS (kept); k++)
        if (kc_json_string (entry, kept[k]) != NULL)
          json_object_set_string_member (copy, kept[k], kc_json_string (entry, kept[k]));
      json_array_add_object_element (to, copy);
    }
  return to;
}

void
kc_programmes_page_set_list (KcProgrammesPage *self, const char *list, JsonArray *array)
{
  g_autoptr (JsonObject) params = json_object_new ();

  json_object_set_int_member (params, "id", kc_json_int (self->programme, "id"));
  json_object_set_int_member (params, "version", kc_json_int (self->programme, "version"));
  json_object_set_array_member (params, list, array);
  kc_programmes_page_call (self, kc_session_programme_set_targets_async, params, written_done_cb);
}

static int
selected_index (GtkTreeView *view, int column)
{
  GtkTreeModel *model;
  GtkTreeIter iter;
  int index = -1;

  if (gtk_tree_selection_get_selected (gtk_tree_view_get_selection (view), &model, &iter))
    gtk_tree_model_get (model, &iter, column, &index, -1);
  return index;
}

static void
target_answered_cb (GObject *owner, GStrv answers, gpointer data)
{
  KcProgrammesPage *self = KC_PROGRAMMES_PAGE (owner);
  int index = GPOINTER_TO_INT (data);
  gint64 value;

  if (!kc_programmes_parse_amount (answers[0], &value))
    {
      kc_programmes_page_show_message (self, GTK_MESSAGE_ERROR,
                                       _ ("Enter the target as a whole number."));
      return;
    }
  kc_programmes_page_set_list (self, "targets",
                               kc_programmes_page_copy_list (self, "targets", index, value));
}

static void
on_target_clicked_cb (KcProgrammesPage *self)
{
  int index = selected_index (self->targets_view, T_INDEX);
  JsonArray *targets = kc_json_array (self->programme, "targets");
  JsonObject *t;
  g_autofree char *title = NULL;
  g_autofree char *current = NULL;
  const char *labels[] = { _ ("Programme target"), NULL };
  const char *defaults[2] = { NULL, NULL };

  if (index < 0 || targets == NULL || (guint)index >= json_array_get_length (targets))
    {
      kc_programmes_page_show_message (self, GTK_MESSAGE_INFO,
                                       _ ("Select an indicator in the targets first."));
      return;
    }
  t = json_array_get_object_element (targets, index);
  title = g_strdup_printf ("%s (%s)", kc_json_string (t, "name") ?: "",
                           kc_json_string (t, "unit") ?: "");
  current = g_strdup_printf ("%" G_GINT64_FORMAT, kc_json_int (t, "target"));
  defaults[0] = current;
  kc_ask (kc_programmes_page_toplevel (self), title, _ ("_Save"), labels, defaults, G_OBJECT (self),
          target_answered_cb, GINT_TO_POINTER (index), NULL);
}

/* @data: the province's id, 0 for the whole programme. */
static void
add_answered_cb (GObject *owner, GStrv answers, gpointer data)
{
  KcProgrammesPage *self = KC_PROGRAMMES_PAGE (owner);
  gint64 province_id = (gint64)GPOINTER_TO_SIZE (data);
  JsonArray *targets;
  JsonObject *entry;
  gint64 value;

  if (!kc_programmes_parse_amount (answers[1], &value))
    {
      kc_programmes_page_show_message (self, GTK_MESSAGE_ERROR,
                                       _ ("Enter the target as a whole number."));
      return;
    }
  targets = kc_programmes_page_copy_list (self, "targets", -1, 0);
  entry = json_object_new ();
  json_object_set_string_member (entry, "indicator", answers[0]);
  json_object_set_int_member (entry, "target", value);
  if (province_id != 0)
    json_object_set_int_member (entry, "province_id", province_id);
  json_array_add_object_element (targets, entry);
  kc_programmes_page_set_list (self, "targets", targets);
}

static void
ask_target (KcProgrammesPage *self, gint64 province_id, const char *area)
{
  const char *labels[] = { _ ("Indicator code (such as I04)"), _ ("Programme target"), NULL };
  g_autofree char *title = g_strdup_printf (_ ("Add a target — %s"), area);

  kc_ask (kc_programmes_page_toplevel (self), title, _ ("_Add"), labels, NULL, G_OBJECT (self),
          add_answered_cb, GSIZE_TO_POINTER ((gsize)province_id), NULL);
}

static void
target_area_chosen (KcProgrammesPage *self, gint64 province_id, const char *name)
{
  ask_target (self, province_id, name);
}

static void
on_add_clicked_cb (KcProgrammesPage *self)
{
  if (self->programme == NULL)
    return;
  if (g_strcmp0 (kc_json_string (self->programme, "scope"), "national") != 0)
    {
      ask_target (self, 0, kc_json_string (self->programme, "org_name") ?: "");
      return;
    }
  kc_programmes_page_choose_area (self, _ ("Add a target"), target_area_chosen);
}

static void
on_envelope_clicked_cb (KcProgrammesPage *self)
{
  kc_programme_envelopes_edit (self, self->budget_view);
}

/* The province's comment on the draft national programme */

static void
commented_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProgrammesPage *self = user_data;
  g_autoptr (JsonNode) reply = kc_programmes_page_finish (self, source, result);

  if (reply == NULL)
    return;
  kc_programmes_page_show_message (self, GTK_MESSAGE_INFO,
                                   _ ("Your comment was sent to the Ministry."));
  load_comments (self);
}

static void
comment_answered_cb (GObject *owner, GStrv answers, gpointer data)
{
  KcProgrammesPage *self = KC_PROGRAMMES_PAGE (owner);
  g_autoptr (JsonObject) params = NULL;

  if (self->programme == NULL || *answers[0] == '\0')
    return;
  params = json_object_new ();
  json_object_set_int_member (params, "programme_id", kc_json_int (self->programme, "id"));
  json_object_set_string_member (params, "text", answers[0]);
  kc_programmes_page_call (self, kc_session_programme_comment_async, params, commented_done_cb);
}

static char *
comment_check (GStrv answers, gpointer data)
{
  return *answers[0] == '\0' ? g_strdup (_ ("Write the comment first.")) : NULL;
}

static void
on_comment_clicked_cb (KcProgrammesPage *self)
{
  const char *labels[] = { _ ("Comment"), NULL };
  const gboolean multiline[] = { TRUE };
  g_autofree char *title = NULL;

  if (!may_comment (self))
    return;
  title = g_strdup_printf (_ ("Comment on the draft — %s"),
                           kc_json_string (self->programme, "title"));
  kc_ask_full (kc_programmes_page_toplevel (self), title, _ ("_Send"), labels, NULL, multiline,
               comment_check, G_OBJECT (self), comment_answered_cb, NULL, NULL);
}

static void
edit_answered_cb (GObject *owner, GStrv answers, gpointer data)
{
  KcProgrammesPage *self = KC_PROGRAMMES_PAGE (owner);
  g_autoptr (JsonObject) params = json_object_new ();
  GDate date;
  const char *members[] = { "title", "decision_no", NULL, "issuer", "note" };

  if (*answers[2] != '\0' && !kc_date_parse_vn (answers[2], &date))
    {
      kc_programmes_page_show_message (self, GTK_MESSAGE_ERROR, _ ("Enter a date as dd/mm/yyyy."));
      return;
    }
  json_object_set_int_member (params, "id", kc_json_int (self->programme, "id"));
  json_object_set_int_member (params, "version", kc_json_int (self->programme, "version"));
  for (gsize i = 0; i < G_N_ELEMENTS (members); i++)
    {
      if (members[i] == NULL)
        continue;
      if (*answers[i] != '\0')
        json_object_set_string_member (params, members[i], answers[i]);
      else if (i > 0)
        json_object_set_null_member (params, members[i]);
    }
  if (*answers[2] != '\0')
    {
      g_autofree char *iso = kc_date_format_iso (&date);

      json_object_set_string_member (params, "decision_date", iso);
    }
  else
    json_object_set_null_member (params, "decision_date");
  kc_programmes_page_call (self, kc_session_programme_update_async, params, written_done_cb);
}

static void
approve_answered_cb (GObject *owner, JsonObject *decision, gpointer data)
{
  KcProgrammesPage *self = KC_PROGRAMMES_PAGE (owner);
  g_autoptr (JsonObject) params = json_object_new ();

  if (self->programme == NULL)
    return;
  json_object_set_int_member (params, "id", kc_json_int (self->programme, "id"));
  json_object_set_int_member (params, "version", kc_json_int (self->programme, "version"));
  json_object_set_string_member (params, "decision_no", kc_json_string (decision, "number"));
  json_object_set_string_member (params, "decision_date", kc_json_string (decision, "date"));
  json_object_set_string_member (params, "issuer", kc_json_string (decision, "signer"));
  kc_programmes_page_call (self, kc_session_programme_approve_async, params, written_done_cb);
}

static void
on_approve_clicked_cb (KcProgrammesPage *self)
{
  g_autofree char *title = NULL;

  if (!may_approve (self))
    return;
  title = g_strdup_printf (_ ("Approve %s"), kc_json_string (self->programme, "title"));
  kc_ask_decision (kc_programmes_page_toplevel (self), title, G_OBJECT (self), approve_answered_cb,
                   NULL, NULL);
}

static void
on_edit_clicked_cb (KcProgrammesPage *self)
{
  const char *labels[]
      = { _ ("Title"), _ ("Decision number"), _ ("Decision date"), _ ("Issuer"), _ ("Note"), NULL };
  GDate date;
  g_autofree char *day = NULL;
  const char *defaults[6] = { NULL };

  if (self->programme == NULL)
    return;
  if (kc_date_parse_iso (kc_json_string (self->programme, "decision_date"), &date))
    day = kc_date_format_vn (&date);
  defaults[0] = kc_json_string (self->programme, "title");
  defaults[1] = kc_json_string (self->programme, "decision_no");
  defaults[2] = day;
  defaults[3] = kc_json_string (self->programme, "issuer");
  defaults[4] = kc_json_string (self->programme, "note");
  kc_ask (kc_programmes_page_toplevel (self), _ ("The programme's details"), _ ("_Save"), labels,
          defaults, G_OBJECT (self), edit_answered_cb, NULL, NULL);
}

static void
created_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProgrammesPage *self = user_data;
  g_autoptr (JsonNode) reply = kc_programmes_page_finish (self, source, result);

  if (reply == NULL)
    return;
  self->wanted = kc_json_int (json_node_get_object (reply), "id");
  kc_programmes_page_refresh (self);
}

static void
new_answered_cb (GObject *owner, GStrv answers, gpointer data)
{
  KcProgrammesPage *self = KC_PROGRAMMES_PAGE (owner);
  g_autoptr (JsonObject) params = json_object_new ();
  gint64 from, to;
  g_autofree char *period = NULL;

  if (!g_ascii_string_to_signed (answers[0], 10, 2014, 2100, &from, NULL)
      || !g_ascii_string_to_signed (answers[1], 10, 2014, 2100, &to, NULL))
    {
      kc_programmes_page_show_message (self, GTK_MESSAGE_ERROR,
                                       _ ("Enter the period's years, such as 2026 and 2030."));
      return;
    }
  period = g_strdup_printf ("KCQG-%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, from, to);
  json_object_set_string_member (params, "period", period);
  json_object_set_string_member (params, "scope", is_province (self) ? "local" : "national");
  if (*answers[2] != '\0')
    json_object_set_string_member (params, "title", answers[2]);
  kc_programmes_page_call (self, kc_session_programme_create_async, params, created_done_cb);
}

static void
on_new_clicked_cb (KcProgrammesPage *self)
{
  const char *labels[]
      = { _ ("From year"), _ ("To year"), _ ("Title (blank: the usual one)"), NULL };
  const char *defaults[] = { "2026", "2030", "", NULL };

  kc_ask (kc_programmes_page_toplevel (self),
          is_province (self) ? _ ("New local programme") : _ ("New national programme"),
          _ ("_Create"), labels, defaults, G_OBJECT (self), new_answered_cb, NULL, NULL);
}

/* What the envelope grid borrows (kc-programmes-page-private.h) */

JsonObject *
kc_programmes_page_get_programme (KcProgrammesPage *self)
{
  return self->programme;
}

/* GObject */

static void
kc_programmes_page_dispose (GObject *object)
{
  KcProgrammesPage *self = KC_PROGRAMMES_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->targets);
  g_clear_object (&self->budget);
  g_clear_pointer (&self->programme, json_object_unref);
  g_clear_pointer (&self->results, json_object_unref);
  g_clear_pointer (&self->comments, json_array_unref);
  G_OBJECT_CLASS (kc_programmes_page_parent_class)->dispose (object);
}

static void
kc_programmes_page_class_init (KcProgrammesPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = kc_programmes_page_dispose;
  g_type_ensure (KC_TYPE_TARGET_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-programmes-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KcProgrammesPage, new_button);
  gtk_widget_class_bind_template_child (widget_class, KcProgrammesPage, edit_button);
  gtk_widget_class_bind_template_child (widget_class, KcProgrammesPage, target_button);
  gtk_widget_class_bind_template_child (widget_class, KcProgrammesPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, KcProgrammesPage, envelope_button);
  gtk_widget_class_bind_template_child (widget_class, KcProgrammesPage, approve_button);
  gtk_widget_class_bind_template_child (widget_class, KcProgrammesPage, comment_button);
  gtk_widget_class_bind_template_child (widget_class, KcProgrammesPage, comments_box);
  gtk_widget_class_bind_template_child (widget_class, KcProgrammesPage, comments_label);
  gtk_widget_class_bind_template_child (widget_class, KcProgrammesPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, KcProgrammesPage, message_bar);
  gtk_widget_class_bind_template_child (widget_class, KcProgrammesPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, KcProgrammesPage, list);
  gtk_widget_class_bind_template_child (widget_class, KcProgrammesPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, KcProgrammesPage, detail_label);
  gtk_widget_class_bind_template_child (widget_class, KcProgrammesPage, targets_view);
  gtk_widget_class_bind_template_child (widget_class, KcProgrammesPage, chart);
  gtk_widget_class_bind_template_child (widget_class, KcProgrammesPage, budget_view);
  gtk_widget_class_bind_template_child (widget_class, KcProgrammesPage, budget_empty_label);
  gtk_widget_class_bind_template_callback (widget_class, on_new_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_edit_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_approve_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_target_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_envelope_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_comment_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_programme_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, gtk_widget_hide);
}

static void
kc_programmes_page_init (KcProgrammesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->targets = gtk_list_store_new (T_N_COLUMNS, G_TYPE_INT, G_TYPE_STRING, G_TYPE_STRING,
                                      G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  gtk_tree_view_set_model (self->targets_view, GTK_TREE_MODEL (self->targets));
  kc_table_add_text_column (self->targets_view, _ ("Indicator"), T_NAME, -1, TRUE, 0);
  kc_table_add_text_column (self->targets_view, _ ("Unit"), T_UNIT, -1, FALSE, 0);
  kc_table_add_text_column (self->targets_view, _ ("Area"), T_AREA, -1, FALSE, 0);
  kc_table_add_text_column (self->targets_view, _ ("Programme target"), T_TARGET, -1, FALSE, 1);
  kc_table_add_text_column (self->targets_view, _ ("Achieved"), T_ACHIEVED, -1, FALSE, 1);
  kc_table_add_text_column (self->targets_view, _ ("Share of target"), T_PERCENT, -1, FALSE, 1);
  self->budget = kc_programme_envelopes_init (self->budget_view);
}

KcProgrammesPage *
kc_programmes_page_new (KcSession *session)
{
  KcProgrammesPage *self = g_object_new (KC_TYPE_PROGRAMMES_PAGE, NULL);

  self->session = g_object_ref (session);
  gtk_widget_set_visible (self->new_button, keeps_national (self)
                                                || role_is (self, "ministry_reviewer")
                                                || is_province (self));
  g_signal_connect_object (session, "event", G_CALLBACK (on_session_event_cb), self, 0);
  /* The first reading when first shown (issue 17, point 7). */
  kc_lazy_init (GTK_WIDGET (self), G_CALLBACK (kc_programmes_page_refresh));
  return self;
}
