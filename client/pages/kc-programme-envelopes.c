/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-programme-envelopes.c — a programme's budget envelope on
 * KcProgrammesPage (see kc-programme-envelopes.h): the grid and the forms
 * that change a row of it.
 */
#include "kc-programme-envelopes.h"

#include <glib/gi18n.h>

#include "kc-calls.h"
#include "kc-choose.h"
#include "kc-ask.h"
#include "kc-json.h"
#include "kc-labels.h"
#include "kc-money.h"
#include "kc-programmes-page-private.h"
#include "kc-table-page.h"

/* The envelope as a grid: a row per year of the period (and one for what
 * is not split by year), their total, what is approved for projects, then
 * each province's share; a column per funding source and their total. */
enum
{
  B_KIND,     /* ROW_* */
  B_YEAR,     /* 0: the whole period, not by year */
  B_PROVINCE, /* 0: the whole programme */
  B_AREA,
  B_SOURCE0, /* kc_sources[0..3] */
  B_SOURCE1,
  B_SOURCE2,
  B_SOURCE3,
  B_TOTAL,
  B_N_COLUMNS
};

enum
{
  ROW_ENVELOPE,
  ROW_TOTAL,
  ROW_APPROVED,
};

GtkListStore *
kc_programme_envelopes_init (GtkTreeView *view)
{
  GtkListStore *store = gtk_list_store_new (B_N_COLUMNS, G_TYPE_INT, G_TYPE_INT, G_TYPE_INT64,
                                            G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                                            G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);

  /* An amount of a national envelope, for the width of a column. */
  g_autofree char *amount = kc_money_format (G_GINT64_CONSTANT (1000000000000));
  GtkTreeViewColumn *area;

  gtk_tree_view_set_model (view, GTK_TREE_MODEL (store));
  /* TRANSLATORS: the first column of the envelope grid: a year, the total, a province */
  area = kc_table_add_text_column (view, _ ("Year / area"), B_AREA, -1, TRUE, 0);
  /* At 1366×768 four sources and their total beside the programme list:
   * the sources' names on two lines, the columns as wide as their amounts,
   * the rows' names ("Approved for projects", a province and a year)
   * wrapped in what is left (issue 17). */
  for (gsize i = 0; i < G_N_ELEMENTS (kc_sources); i++)
    kc_table_two_line_title (view,
                             kc_table_add_text_column (view, kc_label_source (kc_sources[i]),
                                                       B_SOURCE0 + (int)i, -1, FALSE, 1),
                             amount);
  kc_table_add_text_column (view, _ ("Total"), B_TOTAL, -1, FALSE, 1);
  kc_table_wrap_column (view, area, 0);
  return store;
}

/* The grid */

typedef struct
{
  GtkListStore *store;
  KcRefill *refill;
  JsonObject *programme;
} Grid;

/* The envelope's amount of @source for (@province_id, @year), or -1. */
static gint64
envelope_of (JsonObject *programme, gint64 province_id, gint64 year, const char *source)
{
  JsonArray *budget = kc_json_array (programme, "budget");

  for (guint i = 0; budget != NULL && i < json_array_get_length (budget); i++)
    {
      JsonObject *b = json_array_get_object_element (budget, i);

      if (kc_json_int (b, "province_id") == province_id && kc_json_int (b, "year") == year
          && g_strcmp0 (kc_json_string (b, "source"), source) == 0)
        return kc_json_int (b, "amount");
    }
  return -1;
}

/* One row of the grid: @amounts[i] of kc_sources[i], -1 for none. */
static void
put_budget_row (Grid *grid, int kind, gint64 year, gint64 province_id, const char *area,
                const gint64 *amounts)
{
  char *cells[G_N_ELEMENTS (kc_sources)];
  gint64 total = 0;
  gboolean any = FALSE;
  g_autofree char *total_text = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (kc_sources); i++)
    {
      cells[i] = amounts[i] >= 0 ? kc_money_format (amounts[i]) : g_strdup ("");
      if (amounts[i] >= 0)
        {
          total += amounts[i];
          any = TRUE;
        }
    }
  total_text = any ? kc_money_format (total) : g_strdup ("");
  kc_refill_put (grid->refill, grid->store, B_KIND, kind, B_YEAR, (int)year, B_PROVINCE,
                 province_id, B_AREA, area, B_SOURCE0, cells[0], B_SOURCE1, cells[1], B_SOURCE2,
                 cells[2], B_SOURCE3, cells[3], B_TOTAL, total_text, -1);
  for (gsize i = 0; i < G_N_ELEMENTS (kc_sources); i++)
    g_free (cells[i]);
}

static void
put_envelope_row (Grid *grid, gint64 province_id, gint64 year, const char *area, gint64 *totals)
{
  gint64 amounts[G_N_ELEMENTS (kc_sources)];

  for (gsize i = 0; i < G_N_ELEMENTS (kc_sources); i++)
    {
      amounts[i] = envelope_of (grid->programme, province_id, year, kc_sources[i]);
      if (totals != NULL && amounts[i] >= 0)
        totals[i] = MAX (totals[i], 0) + amounts[i];
    }
  put_budget_row (grid, ROW_ENVELOPE, year, province_id, area, amounts);
}

static gboolean
has_year_less (JsonObject *programme, gint64 province_id)
{
  JsonArray *budget = kc_json_array (programme, "budget");

  for (guint i = 0; budget != NULL && i < json_array_get_length (budget); i++)
    {
      JsonObject *b = json_array_get_object_element (budget, i);

      if (kc_json_int (b, "province_id") == province_id && kc_json_int (b, "year") == 0)
        return TRUE;
    }
  return FALSE;
}

/* The grid: the whole programme's years (to be filled in), the period's
 * envelope not split by year (where there is one: the envelopes recorded
 * before they were kept by year), the total, what is approved for
 * projects; then each province's share as the server orders them. With no
 * envelope at all only what is approved for projects, if anything. */
gboolean
kc_programme_envelopes_show (GtkListStore *store, KcRefill *refill, JsonObject *programme,
                             const gint64 *approved)
{
  Grid grid_ = { store, refill, programme };
  Grid *grid = &grid_;
  JsonArray *budget = kc_json_array (programme, "budget");
  gint64 totals[G_N_ELEMENTS (kc_sources)] = { -1, -1, -1, -1 };
  gint64 from = kc_json_int (programme, "from_year");
  gint64 to = kc_json_int (programme, "to_year");
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean any = budget != NULL && json_array_get_length (budget) > 0;
  gboolean any_approved = FALSE;

  for (gsize i = 0; approved != NULL && i < G_N_ELEMENTS (kc_sources); i++)
    any_approved = any_approved || approved[i] > 0;
  kc_refill_begin (refill, store);
  for (gint64 year = from; any && year <= to && to - from < 50; year++)
    {
      g_autofree char *area = g_strdup_printf ("%" G_GINT64_FORMAT, year);

      put_envelope_row (grid, 0, year, area, totals);
    }
  if (has_year_less (programme, 0))
    put_envelope_row (grid, 0, 0, _ ("Whole period (not by year)"), totals);
  if (any)
    put_budget_row (grid, ROW_TOTAL, -1, 0, _ ("Total"), totals);
  if (approved != NULL && (any || any_approved))
    put_budget_row (grid, ROW_APPROVED, -1, 0, _ ("Approved for projects"), approved);
  for (guint i = 0; budget != NULL && i < json_array_get_length (budget); i++)
    {
      JsonObject *b = json_array_get_object_element (budget, i);
      gint64 province_id = kc_json_int (b, "province_id");
      gint64 year = kc_json_int (b, "year");
      g_autofree char *key
          = g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, province_id, year);
      g_autofree char *area = NULL;

      if (province_id == 0 || g_hash_table_contains (seen, key))
        continue;
      g_hash_table_add (seen, g_steal_pointer (&key));
      area = year != 0 ? g_strdup_printf ("%s · %" G_GINT64_FORMAT,
                                          kc_json_string (b, "province_name") ?: "", year)
                       : g_strdup (kc_json_string (b, "province_name") ?: "");
      put_envelope_row (grid, province_id, year, area, NULL);
    }
  kc_refill_end (refill, store);
  return any;
}

/* The forms */

static JsonObject *
programme_of (KcProgrammesPage *self)
{
  return kc_programmes_page_get_programme (self);
}

/* The envelope being changed: a row of the grid. */
typedef struct
{
  gint64 province_id; /* 0: the whole programme */
  gint64 year;        /* 0: the whole period, not by year */
} EnvelopeKey;

/* The four sources' amounts of a year (blank: none): the programme's
 * envelope with that row replaced, every other row kept as it is. */
static void
envelope_answered_cb (GObject *owner, GStrv answers, gpointer data)
{
  KcProgrammesPage *self = KC_PROGRAMMES_PAGE (owner);
  const EnvelopeKey *key = data;
  JsonArray *from = kc_json_array (programme_of (self), "budget");
  JsonArray *all = kc_programmes_page_copy_list (self, "budget", -1, 0);
  JsonArray *budget = json_array_new ();
  gint64 values[G_N_ELEMENTS (kc_sources)];

  for (gsize i = 0; i < G_N_ELEMENTS (kc_sources); i++)
    {
      values[i] = -1;
      if (*answers[i] != '\0' && !kc_programmes_parse_amount (answers[i], &values[i]))
        {
          kc_programmes_page_show_message (self, GTK_MESSAGE_ERROR,
                                           _ ("Enter the amount in đồng, such as 20.000.000.000."));
          json_array_unref (all);
          json_array_unref (budget);
          return;
        }
    }
  /* The other rows as they were; this row's sources as given, keeping
   * the confidence, source and note of an amount that was there. */
  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *entry = json_array_get_object_element (all, i);
      JsonObject *old = json_array_get_object_element (from, i);

      if (kc_json_int (old, "province_id") == key->province_id
          && kc_json_int (old, "year") == key->year)
        {
          for (gsize k = 0; k < G_N_ELEMENTS (kc_sources); k++)
            if (g_strcmp0 (kc_json_string (old, "source"), kc_sources[k]) == 0 && values[k] >= 0)
              {
                json_object_set_int_member (entry, "amount", values[k]);
                json_array_add_object_element (budget, json_object_ref (entry));
                values[k] = -2; /* written */
              }
          continue;
        }
      json_array_add_object_element (budget, json_object_ref (entry));
    }
  for (gsize k = 0; k < G_N_ELEMENTS (kc_sources); k++)
    {
      JsonObject *entry;

      if (values[k] < 0)
        continue;
      entry = json_object_new ();
      json_object_set_string_member (entry, "source", kc_sources[k]);
      json_object_set_int_member (entry, "amount", values[k]);
      if (key->year != 0)
        json_object_set_int_member (entry, "year", key->year);
      if (key->province_id != 0)
        json_object_set_int_member (entry, "province_id", key->province_id);
      json_array_add_object_element (budget, entry);
    }
  json_array_unref (all);
  kc_programmes_page_set_list (self, "budget", budget);
}

static void
ask_envelope (KcProgrammesPage *self, gint64 province_id, gint64 year, const char *area)
{
  const char *labels[G_N_ELEMENTS (kc_sources) + 1] = { NULL };
  const char *defaults[G_N_ELEMENTS (kc_sources) + 1] = { NULL };
  char *current[G_N_ELEMENTS (kc_sources)];
  EnvelopeKey *key = g_new0 (EnvelopeKey, 1);
  g_autofree char *year_text = g_strdup_printf ("%" G_GINT64_FORMAT, year);
  g_autofree char *when = year != 0 ? g_strdup_printf (_ ("Budget envelope %s"), year_text)
                                    : g_strdup (_ ("Budget envelope, whole period"));
  g_autofree char *title
      = province_id != 0 ? g_strdup_printf ("%s — %s", when, area) : g_strdup (when);

  key->province_id = province_id;
  key->year = year;
  for (gsize i = 0; i < G_N_ELEMENTS (kc_sources); i++)
    {
      gint64 amount = envelope_of (programme_of (self), province_id, year, kc_sources[i]);

      labels[i] = kc_label_source (kc_sources[i]);
      current[i] = amount >= 0 ? kc_money_format_plain (amount) : NULL;
      defaults[i] = current[i];
    }
  kc_ask (kc_programmes_page_toplevel (self), title, _ ("_Save"), labels, defaults, G_OBJECT (self),
          envelope_answered_cb, key, g_free);
  for (gsize i = 0; i < G_N_ELEMENTS (kc_sources); i++)
    g_free (current[i]);
}

/* The area an envelope is being added for: the whole programme (0) or a
 * province's share of it. */
typedef struct
{
  gint64 province_id;
  char *name;
} EnvelopeArea;

static void
envelope_area_free (gpointer data)
{
  EnvelopeArea *area = data;

  g_free (area->name);
  g_free (area);
}

static void
year_chosen_cb (GObject *owner, gint64 id, gpointer data)
{
  KcProgrammesPage *self = KC_PROGRAMMES_PAGE (owner);
  const EnvelopeArea *area = data;

  if (programme_of (self) != NULL)
    ask_envelope (self, area->province_id, id, area->name);
}

/* Which year of the period (or the whole period) @province_id's envelope
 * is for; @name: the province's (ignored for the whole programme). */
static void
choose_envelope_year (KcProgrammesPage *self, gint64 province_id, const char *name)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  gint64 from = kc_json_int (programme_of (self), "from_year");
  gint64 to = kc_json_int (programme_of (self), "to_year");
  gint64 none = 0;
  EnvelopeArea *area = g_new0 (EnvelopeArea, 1);
  g_autofree char *title = province_id != 0
                               ? g_strdup_printf ("%s — %s", _ ("Budget envelope"), name)
                               : g_strdup (_ ("Budget envelope"));

  area->province_id = province_id;
  area->name = g_strdup (province_id != 0 ? name : "");
  for (gint64 y = from; y <= to && to - from < 50; y++)
    {
      g_array_append_val (ids, y);
      g_ptr_array_add (texts, g_strdup_printf ("%" G_GINT64_FORMAT, y));
    }
  g_array_append_val (ids, none);
  g_ptr_array_add (texts, g_strdup (_ ("Whole period (not by year)")));
  kc_choose (kc_programmes_page_toplevel (self), title, _ ("_Next"), _ ("Year"),
             (const gint64 *)(gpointer)ids->data, (const char *const *)texts->pdata, ids->len,
             G_OBJECT (self), year_chosen_cb, area, envelope_area_free);
}

static void
envelope_area_chosen (KcProgrammesPage *self, gint64 province_id, const char *name)
{
  choose_envelope_year (self, province_id, name);
}

/* The selected row of the grid is changed in place; with none (or a
 * total) selected: for a national programme which area first (the whole
 * programme or a province's share), then which year. */
void
kc_programme_envelopes_edit (KcProgrammesPage *self, GtkTreeView *view)
{
  GtkTreeModel *model;
  GtkTreeIter iter;
  int kind = -1, year = 0;
  gint64 province_id = 0;
  g_autofree char *area = NULL;

  if (programme_of (self) == NULL)
    return;
  if (gtk_tree_selection_get_selected (gtk_tree_view_get_selection (view), &model, &iter))
    gtk_tree_model_get (model, &iter, B_KIND, &kind, B_YEAR, &year, B_PROVINCE, &province_id,
                        B_AREA, &area, -1);
  if (kind == ROW_ENVELOPE)
    {
      ask_envelope (self, province_id, year, area);
      return;
    }
  if (g_strcmp0 (kc_json_string (programme_of (self), "scope"), "national") != 0)
    {
      choose_envelope_year (self, 0, "");
      return;
    }
  kc_programmes_page_choose_area (self, _ ("Budget envelope"), envelope_area_chosen);
}
