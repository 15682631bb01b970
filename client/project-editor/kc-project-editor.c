/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-project-editor.c — KcProjectEditor: project.get/create/update, the
 * acts of the workflow, objections on their fields.
 *
 * The form is built from a table of fields (FIELDS) rather than written out
 * in the template: the dossier has some thirty members, and one table keeps
 * reading, saving and showing objections in step.
 */
#include "kc-project-editor.h"

#include <glib/gi18n.h>

#include "kc-ask.h"
#include "kc-attachments-tab.h"
#include "kc-comments-tab.h"
#include "kc-choose.h"
#include "kc-date.h"
#include "kc-draft-store.h"
#include "kc-error.h"
#include "kc-errors.h"
#include "kc-labels.h"
#include "kc-money.h"
#include "kc-project-tabs.h"
#include "kc-window.h"
#include "kc-json.h"

typedef enum
{
  F_TEXT,
  F_LONG,
  F_DATE,
  F_MONEY,
  F_BOOL,
  F_CATALOG, /* a code of a catalogue section, typed or chosen */
  F_CHOICE,  /* one of fixed values */
  F_LIST,    /* a list of objects, one per line, members separated by ";" */
} FieldKind;

typedef struct
{
  const char *name;  /* the wire member */
  const char *label; /* N_() */
  FieldKind kind;
  const char *extra; /* section, "id=label|…", or the list's members */
  int tab;
} FieldSpec;

enum
{
  TAB_DOSSIER,
  TAB_BUDGET,
  TAB_INDICATORS,
  TAB_BENEFICIARIES,
};

static const FieldSpec FIELDS[] = {
  { "title", N_ ("Project title"), F_TEXT, NULL, TAB_DOSSIER },
  { "content_category", N_ ("Main content"), F_CATALOG, "content_categories", TAB_DOSSIER },
  { "kind", N_ ("Kind of project"), F_CATALOG, "project_kinds", TAB_DOSSIER },
  { "sector", N_ ("Sector"), F_CATALOG, "sectors", TAB_DOSSIER },
  { "priority_area", N_ ("Priority area"), F_CATALOG, "priority_areas", TAB_DOSSIER },
  { "implementer", N_ ("Implementer"), F_TEXT, NULL, TAB_DOSSIER },
  { "start_date", N_ ("Start date"), F_DATE, NULL, TAB_DOSSIER },
  { "end_date", N_ ("End date"), F_DATE, NULL, TAB_DOSSIER },
  { "procurement", N_ ("Procurement"), F_CHOICE, "selection|bidding", TAB_DOSSIER },
  { "rationale", N_ ("Rationale"), F_LONG, NULL, TAB_DOSSIER },
  { "legal_basis", N_ ("Legal basis"), F_LONG, NULL, TAB_DOSSIER },
  { "objectives", N_ ("Objectives"), F_LONG, NULL, TAB_DOSSIER },
  { "scale_and_novelty", N_ ("Scale and novelty"), F_LONG, NULL, TAB_DOSSIER },
  { "implementation", N_ ("Implementation"), F_LONG, NULL, TAB_DOSSIER },
  { "impact", N_ ("Expected impact"), F_LONG, NULL, TAB_DOSSIER },
  { "partners", N_ ("Partners (one per line: name; role)"), F_LIST, "name;role", TAB_DOSSIER },
  { "locations", N_ ("Locations (one per line: commune; address)"), F_LIST, "commune;address",
    TAB_DOSSIER },
  { "work_items", N_ ("Work plan (one per line: task; from; to; who)"), F_LIST, "task;from;to;who",
    TAB_DOSSIER },
  { "export", N_ ("Export-oriented"), F_BOOL, NULL, TAB_DOSSIER },
  { "local_materials", N_ ("Uses local materials"), F_BOOL, NULL, TAB_DOSSIER },
  { "labour_intensive", N_ ("Labour-intensive"), F_BOOL, NULL, TAB_DOSSIER },
  { "supporting_industry", N_ ("Supporting industry"), F_BOOL, NULL, TAB_DOSSIER },
  { "no_double_funding", N_ ("No expense is funded by another state source (declaration)"), F_BOOL,
    NULL, TAB_DOSSIER },
  { "cap_code", N_ ("Support cap code"), F_TEXT, NULL, TAB_BUDGET },
  { "total_cost", N_ ("Total cost"), F_MONEY, NULL, TAB_BUDGET },
};

typedef struct
{
  const FieldSpec *spec;
  GtkWidget *widget; /* GtkEntry, GtkTextView, GtkCheckButton or GtkComboBox */
  GtkLabel *error;
} Field;

struct _KcProjectEditor
{
  GtkWindow parent_instance;

  GtkHeaderBar *header_bar;
  GtkButton *save_button;
  GtkSpinner *spinner;
  GtkInfoBar *message_bar;
  GtkLabel *message_label;
  GtkButton *reload_button;
  GtkLabel *status_label;
  GtkBox *actions_box;
  GtkLabel *warnings_label;
  GtkNotebook *notebook;
  GtkGrid *dossier_grid;
  GtkGrid *budget_grid;
  GtkBox *indicators_box;
  GtkBox *beneficiaries_box;
  GtkTreeView *history_view;

  Field fields[G_N_ELEMENTS (FIELDS)];
  GtkComboBoxText *plan_combo; /* new projects only */
  GtkLabel *plan_error;
  GtkEntry *source_entries[4];
  GtkLabel *source_shares[4];
  GtkLabel *source_errors[4];
  GtkLabel *total_label;
  GtkLabel *budget_error;
  GtkBox *indicator_rows;
  GtkLabel *indicators_error;
  GtkBox *beneficiary_rows;
  GtkLabel *beneficiaries_error;
  GtkListStore *history;
  GtkListStore *indicator_codes; /* code, text */
  GtkWidget *diff_view;          /* (nullable) kc-project-tabs.c, once sent back */
  GtkWidget *money_view;         /* (nullable) kc-project-tabs.c, once approved */

  KcSession *session;
  KcDraftStore *drafts; /* the session's, held to leave its signals in dispose */
  GCancellable *cancellable;
  JsonObject *project; /* (nullable): as last read or saved */
  JsonObject *catalog; /* (nullable) */
  gint64 id;
  gint64 plan_id;
  gint64 version;
  gboolean filling;
  gboolean dirty;
  int busy;
  /* Saving as you go: a save of an existing draft a few seconds after the
   * last change. Changes are counted so that an answer to a save sent
   * before the latest typing does not overwrite the form. */
  guint autosave_id;
  guint change_seq;
  guint sent_seq;
};

G_DEFINE_TYPE (KcProjectEditor, kc_project_editor, GTK_TYPE_WINDOW)

static GHashTable *open_editors; /* id → KcProjectEditor (not owned) */

static void load_project (KcProjectEditor *self);

/* Helpers */

static const char *
str_member (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
                 && json_node_get_value_type (node) == G_TYPE_STRING
             ? json_node_get_string (node)
             : NULL;
}

static gint64
int_member (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_int (node) : 0;
}

static void
set_label (GtkLabel *label, const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && text[0] != '\0');
}

static GtkLabel *
new_error_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 70);
  gtk_widget_set_no_show_all (label, TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (label), "kc-field-error");
  return GTK_LABEL (label);
}

static void
set_busy (KcProjectEditor *self, gboolean busy)
{
  self->busy += busy ? 1 : -1;
  if (self->busy > 0)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
  gtk_widget_set_sensitive (GTK_WIDGET (self->actions_box), self->busy == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), self->busy == 0);
}

static void
show_message (KcProjectEditor *self, GtkMessageType type, const char *text, gboolean offer_reload)
{
  gtk_info_bar_set_message_type (self->message_bar, type);
  gtk_label_set_text (self->message_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->reload_button), offer_reload);
  gtk_widget_show (GTK_WIDGET (self->message_bar));
}

static void
hide_message (KcProjectEditor *self)
{
  gtk_widget_hide (GTK_WIDGET (self->message_bar));
}

static const char *
role (KcProjectEditor *self)
{
  const char *r = kc_session_get_role (self->session);

  return r != NULL ? r : "";
}

static gboolean
is_province_role (KcProjectEditor *self)
{
  return g_str_equal (role (self), "province_officer")
         || g_str_equal (role (self), "province_leader");
}

static const char *
status (KcProjectEditor *self)
{
  const char *s = str_member (self->project, "status");

  return s != NULL ? s : "";
}

static gboolean
is_editable (KcProjectEditor *self)
{
  return is_province_role (self)
         && (self->id == 0 || g_str_equal (status (self), "draft")
             || g_str_equal (status (self), "revision_requested"));
}

static JsonNode *
params_new (const char *first, ...)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  va_list args;

  /* (name, gint64) pairs, NULL-terminated: the ids and versions of the acts. */
  json_builder_begin_object (builder);
  va_start (args, first);
  for (const char *name = first; name != NULL; name = va_arg (args, const char *))
    {
      json_builder_set_member_name (builder, name);
      json_builder_add_int_value (builder, va_arg (args, gint64));
    }
  va_end (args);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The draft plans the user may put a project in (a new one, or a copy). */
static void
list_draft_plans (KcProjectEditor *self, GAsyncReadyCallback callback)
{
  g_autoptr (JsonNode) params = params_new ("limit", (gint64)1000, NULL);

  json_object_set_string_member (json_node_get_object (params), "status", "draft");
  set_busy (self, TRUE);
  kc_session_call_async (self->session, "plan.list", params, self->cancellable, callback, self);
}

/* The code a catalogue combo shows first: "ND45.4.3 — Hỗ trợ …" → "ND45.4.3". */
static char *
combo_code (GtkComboBox *combo)
{
  GtkWidget *entry = gtk_bin_get_child (GTK_BIN (combo));
  const char *text = gtk_entry_get_text (GTK_ENTRY (entry));
  const char *end;

  while (*text == ' ')
    text++;
  end = strstr (text, " — ");
  if (end == NULL)
    end = text + strlen (text);
  while (end > text && end[-1] == ' ')
    end--;
  return end > text ? g_strndup (text, (gsize)(end - text)) : NULL;
}

static void
combo_set_code (GtkComboBox *combo, const char *code)
{
  GtkWidget *entry = gtk_bin_get_child (GTK_BIN (combo));

  /* The row's full text when the catalogue has it, else the bare code. */
  if (code == NULL || !gtk_combo_box_set_active_id (combo, code))
    gtk_entry_set_text (GTK_ENTRY (entry), code != NULL ? code : "");
}

static void
fill_catalog_combo (GtkComboBoxText *combo, JsonObject *catalog, const char *section)
{
  JsonArray *rows = kc_json_array (catalog, section);

  gtk_combo_box_text_remove_all (combo);
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *code = str_member (row, "code");
      const char *unit = str_member (row, "unit_vi");
      g_autofree char *text = NULL;

      if (code == NULL || str_member (row, "valid_to") != NULL)
        continue;
      text = unit != NULL
                 ? g_strdup_printf ("%s — %s (%s)", code, str_member (row, "name_vi"), unit)
                 : g_strdup_printf ("%s — %s", code, str_member (row, "name_vi"));
      gtk_combo_box_text_append (combo, code, text);
    }
}

static GtkWidget *
new_catalog_combo (KcProjectEditor *self, const char *section, const char *name)
{
  GtkWidget *combo = gtk_combo_box_text_new_with_entry ();
  GtkWidget *entry = gtk_bin_get_child (GTK_BIN (combo));

  /* The entry shows what was chosen; a code typed in is taken as is. */
  gtk_combo_box_set_id_column (GTK_COMBO_BOX (combo), 0);
  gtk_combo_box_set_entry_text_column (GTK_COMBO_BOX (combo), 1);
  if (self->catalog != NULL)
    fill_catalog_combo (GTK_COMBO_BOX_TEXT (combo), self->catalog, section);
  g_object_set_data_full (G_OBJECT (combo), "kc-section", g_strdup (section), g_free);
  gtk_widget_set_hexpand (combo, TRUE);
  kc_set_accessible_name (entry, name);
  kc_set_accessible_name (combo, name);
  return combo;
}

/* Fields, budget, rows */

static Field *
field_by_name (KcProjectEditor *self, const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (FIELDS); i++)
    if (g_str_equal (FIELDS[i].name, name))
      return &self->fields[i];
  return NULL;
}

static void schedule_autosave (KcProjectEditor *self);

static void
mark_changed_cb (KcProjectEditor *self)
{
  if (self->filling)
    return;
  self->dirty = TRUE;
  self->change_seq++;
  schedule_autosave (self);
}

static void
update_totals (KcProjectEditor *self)
{
  gint64 amounts[4] = { 0 };
  gint64 total = 0;
  g_autofree char *total_text = NULL;
  g_autofree char *line = NULL;

  for (int i = 0; i < 4; i++)
    {
      const char *text = gtk_entry_get_text (self->source_entries[i]);

      if (text[0] != '\0' && kc_money_parse (text, &amounts[i], NULL))
        total += amounts[i];
    }
  for (int i = 0; i < 4; i++)
    {
      g_autofree char *share = NULL;

      if (total > 0)
        share = g_strdup_printf ("%.1f %%", 100.0 * (double)amounts[i] / (double)total);
      gtk_label_set_text (self->source_shares[i], share != NULL ? share : "");
    }
  total_text = kc_money_format (total);
  /* TRANSLATORS: the sum of the budget lines of every source */
  line = g_strdup_printf (_ ("Total of the budget lines: %s"), total_text);
  gtk_label_set_text (self->total_label, line);
}

static void
on_source_changed_cb (KcProjectEditor *self)
{
  update_totals (self);
  mark_changed_cb (self);
}

static void
remove_row_cb (GtkButton *button, gpointer user_data)
{
  KcProjectEditor *self = user_data;

  gtk_widget_destroy (gtk_widget_get_parent (GTK_WIDGET (button)));
  mark_changed_cb (self);
}

static GtkWidget *
row_entry (KcProjectEditor *self, GtkWidget *row, const char *key, const char *name, int width,
           const char *text)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_width_chars (GTK_ENTRY (entry), width);
  gtk_entry_set_text (GTK_ENTRY (entry), text != NULL ? text : "");
  kc_set_accessible_name (entry, name);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), name);
  g_signal_connect_object (entry, "changed", G_CALLBACK (mark_changed_cb), self, G_CONNECT_SWAPPED);
  g_object_set_data (G_OBJECT (row), key, entry);
  gtk_box_pack_start (GTK_BOX (row), entry, g_str_equal (key, "name"), TRUE, 0);
  return entry;
}

static GtkWidget *
new_row (KcProjectEditor *self, GtkBox *rows, const char *remove_name)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic", GTK_ICON_SIZE_BUTTON);

  kc_set_accessible_name (remove, remove_name);
  gtk_widget_set_tooltip_text (remove, remove_name);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_row_cb), self, 0);
  gtk_box_pack_end (GTK_BOX (row), remove, FALSE, FALSE, 0);
  gtk_box_pack_start (rows, row, FALSE, FALSE, 0);
  return row;
}

static void
add_indicator_row (KcProjectEditor *self, JsonObject *item)
{
  GList *children = gtk_container_get_children (GTK_CONTAINER (self->indicator_rows));
  int n = (int)g_list_length (children) + 1;
  g_autofree char *code_name = g_strdup_printf (_ ("Indicator %d"), n);
  g_autofree char *target_name = g_strdup_printf (_ ("Target %d"), n);
  g_autofree char *remove_name = g_strdup_printf (_ ("Remove indicator %d"), n);
  g_autofree char *target = NULL;
  g_autofree char *achieved = NULL;
  GtkWidget *row = new_row (self, self->indicator_rows, remove_name);
  GtkWidget *combo = new_catalog_combo (self, "indicators", code_name);
  GtkWidget *label;

  g_list_free (children);
  g_object_set_data (G_OBJECT (row), "code", combo);
  gtk_box_pack_start (GTK_BOX (row), combo, TRUE, TRUE, 0);
  if (item != NULL)
    {
      combo_set_code (GTK_COMBO_BOX (combo), str_member (item, "code"));
      target = g_strdup_printf ("%" G_GINT64_FORMAT, int_member (item, "target"));
      if (json_object_has_member (item, "achieved")
          && !json_node_is_null (json_object_get_member (item, "achieved")))
        {
          g_autofree char *value
              = g_strdup_printf ("%" G_GINT64_FORMAT, int_member (item, "achieved"));

          /* TRANSLATORS: the achieved value of an indicator */
          achieved = g_strdup_printf (_ ("achieved %s"), value);
        }
    }
  g_signal_connect_object (combo, "changed", G_CALLBACK (mark_changed_cb), self, G_CONNECT_SWAPPED);
  row_entry (self, row, "target", target_name, 12, target);
  label = gtk_label_new (achieved);
  gtk_box_pack_start (GTK_BOX (row), label, FALSE, FALSE, 0);
  gtk_widget_show_all (row);
}

static void
add_beneficiary_row (KcProjectEditor *self, JsonObject *item)
{
  static const char *kinds[]
      = { "enterprise", "cooperative", "cooperative_group", "household_business" };
  GList *children = gtk_container_get_children (GTK_CONTAINER (self->beneficiary_rows));
  int n = (int)g_list_length (children) + 1;
  g_autofree char *name_name = g_strdup_printf (_ ("Beneficiary name %d"), n);
  g_autofree char *kind_name = g_strdup_printf (_ ("Beneficiary kind %d"), n);
  g_autofree char *tax_name = g_strdup_printf (_ ("Tax code %d"), n);
  g_autofree char *commune_name = g_strdup_printf (_ ("Commune %d"), n);
  g_autofree char *remove_name = g_strdup_printf (_ ("Remove beneficiary %d"), n);
  GtkWidget *row = new_row (self, self->beneficiary_rows, remove_name);
  GtkWidget *kind = gtk_combo_box_text_new ();
  const char *current = item != NULL ? str_member (item, "kind") : NULL;

  g_list_free (children);
  row_entry (self, row, "name", name_name, 30, item != NULL ? str_member (item, "name") : NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (kind), kinds[i],
                               kc_label_beneficiary_kind (kinds[i]));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (kind), current != NULL ? current : "enterprise");
  kc_set_accessible_name (kind, kind_name);
  g_signal_connect_object (kind, "changed", G_CALLBACK (mark_changed_cb), self, G_CONNECT_SWAPPED);
  g_object_set_data (G_OBJECT (row), "kind", kind);
  gtk_box_pack_start (GTK_BOX (row), kind, FALSE, FALSE, 0);
  row_entry (self, row, "tax_code", tax_name, 14,
             item != NULL ? str_member (item, "tax_code") : NULL);
  row_entry (self, row, "commune", commune_name, 18,
             item != NULL ? str_member (item, "commune") : NULL);
  gtk_widget_show_all (row);
}

static void
on_add_indicator_clicked_cb (KcProjectEditor *self)
{
  add_indicator_row (self, NULL);
  mark_changed_cb (self);
}

static void
on_add_beneficiary_clicked_cb (KcProjectEditor *self)
{
  add_beneficiary_row (self, NULL);
  mark_changed_cb (self);
}

static void
clear_rows (GtkBox *rows)
{
  GList *children = gtk_container_get_children (GTK_CONTAINER (rows));

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  g_list_free (children);
}

/* Builds the form once; the catalogue fills the combos when it arrives. */
static void
build_form (KcProjectEditor *self)
{
  GtkGrid *grids[] = { self->dossier_grid, self->budget_grid };
  int rows[] = { 0, 0 };
  GtkWidget *box;
  GtkWidget *button;

  for (gsize i = 0; i < G_N_ELEMENTS (FIELDS); i++)
    {
      const FieldSpec *spec = &FIELDS[i];
      Field *field = &self->fields[i];
      GtkGrid *grid = grids[spec->tab];
      int *row = &rows[spec->tab];
      GtkWidget *label = NULL;
      GtkWidget *widget = NULL;
      GtkWidget *attach;

      field->spec = spec;
      switch (spec->kind)
        {
          case F_TEXT:
          case F_DATE:
          case F_MONEY:
            widget = gtk_entry_new ();
            gtk_widget_set_hexpand (widget, TRUE);
            if (spec->kind == F_DATE)
              gtk_entry_set_placeholder_text (GTK_ENTRY (widget), _ ("dd/mm/yyyy"));
            if (spec->kind == F_MONEY)
              gtk_entry_set_alignment (GTK_ENTRY (widget), 1);
            g_signal_connect_object (widget, "changed", G_CALLBACK (mark_changed_cb), self,
                                     G_CONNECT_SWAPPED);
            break;
          case F_LONG:
          case F_LIST:
            widget = gtk_text_view_new ();
            gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (widget), GTK_WRAP_WORD_CHAR);
            gtk_widget_set_size_request (widget, -1, 60);
            g_signal_connect_object (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), "changed",
                                     G_CALLBACK (mark_changed_cb), self, G_CONNECT_SWAPPED);
            break;
          case F_BOOL:
            widget = gtk_check_button_new_with_label (_ (spec->label));
            g_signal_connect_object (widget, "toggled", G_CALLBACK (mark_changed_cb), self,
                                     G_CONNECT_SWAPPED);
            break;
          case F_CATALOG:
            widget = new_catalog_combo (self, spec->extra, _ (spec->label));
            g_signal_connect_object (widget, "changed", G_CALLBACK (mark_changed_cb), self,
                                     G_CONNECT_SWAPPED);
            break;
          case F_CHOICE:
            widget = gtk_combo_box_text_new ();
            gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (widget), "selection",
                                       _ ("Selection of the implementer"));
            gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (widget), "bidding", _ ("Bidding"));
            gtk_combo_box_set_active_id (GTK_COMBO_BOX (widget), "selection");
            g_signal_connect_object (widget, "changed", G_CALLBACK (mark_changed_cb), self,
                                     G_CONNECT_SWAPPED);
            break;
          default:
            g_assert_not_reached ();
        }
      kc_set_accessible_name (widget, _ (spec->label));
      field->widget = widget;
      field->error = new_error_label ();
      attach = widget;
      if (spec->kind == F_LONG || spec->kind == F_LIST)
        {
          attach = gtk_scrolled_window_new (NULL, NULL);
          gtk_scrolled_window_set_shadow_type (GTK_SCROLLED_WINDOW (attach), GTK_SHADOW_IN);
          gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (attach), GTK_POLICY_NEVER,
                                          GTK_POLICY_AUTOMATIC);
          gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (attach), 60);
          gtk_widget_set_hexpand (attach, TRUE);
          gtk_container_add (GTK_CONTAINER (attach), widget);
        }
      if (spec->kind != F_BOOL)
        {
          label = gtk_label_new (_ (spec->label));
          gtk_label_set_xalign (GTK_LABEL (label), 1);
          gtk_label_set_yalign (GTK_LABEL (label), 0);
          gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
          gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
          gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
          gtk_grid_attach (grid, label, 0, *row, 1, 1);
        }
      gtk_grid_attach (grid, attach, 1, *row, 1, 1);
      gtk_grid_attach (grid, GTK_WIDGET (field->error), 1, *row + 1, 1, 1);
      *row += 2;
    }

  /* Budget lines: one per source, with its share of the total. */
  for (int i = 0; i < 4; i++)
    {
      GtkWidget *label = gtk_label_new (kc_label_source (kc_sources[i]));
      GtkWidget *entry = gtk_entry_new ();
      GtkWidget *share = gtk_label_new (NULL);
      g_autofree char *share_name
          = g_strdup_printf (_ ("Share of %s"), kc_label_source (kc_sources[i]));

      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_label_set_mnemonic_widget (GTK_LABEL (label), entry);
      gtk_entry_set_alignment (GTK_ENTRY (entry), 1);
      gtk_entry_set_placeholder_text (GTK_ENTRY (entry), "0");
      gtk_widget_set_hexpand (entry, TRUE);
      kc_set_accessible_name (entry, kc_label_source (kc_sources[i]));
      kc_set_accessible_name (share, share_name);
      gtk_label_set_width_chars (GTK_LABEL (share), 8);
      gtk_label_set_xalign (GTK_LABEL (share), 1);
      g_signal_connect_object (entry, "changed", G_CALLBACK (on_source_changed_cb), self,
                               G_CONNECT_SWAPPED);
      self->source_entries[i] = GTK_ENTRY (entry);
      self->source_shares[i] = GTK_LABEL (share);
      self->source_errors[i] = new_error_label ();
      gtk_grid_attach (self->budget_grid, label, 0, rows[1], 1, 1);
      gtk_grid_attach (self->budget_grid, entry, 1, rows[1], 1, 1);
      gtk_grid_attach (self->budget_grid, share, 2, rows[1], 1, 1);
      gtk_grid_attach (self->budget_grid, GTK_WIDGET (self->source_errors[i]), 1, rows[1] + 1, 2,
                       1);
      rows[1] += 2;
    }
  self->total_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->total_label, 1);
  kc_set_accessible_name (GTK_WIDGET (self->total_label), _ ("Budget total"));
  gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self->total_label)),
                               "kc-total");
  gtk_grid_attach (self->budget_grid, GTK_WIDGET (self->total_label), 1, rows[1]++, 2, 1);
  self->budget_error = new_error_label ();
  gtk_grid_attach (self->budget_grid, GTK_WIDGET (self->budget_error), 1, rows[1]++, 2, 1);
  update_totals (self);

  /* Indicators and beneficiaries: rows added and removed. */
  self->indicators_error = new_error_label ();
  gtk_box_pack_start (self->indicators_box, GTK_WIDGET (self->indicators_error), FALSE, FALSE, 0);
  self->indicator_rows = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 4));
  gtk_box_pack_start (self->indicators_box, GTK_WIDGET (self->indicator_rows), FALSE, FALSE, 0);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  button = gtk_button_new_with_mnemonic (_ ("_Add indicator"));
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_add_indicator_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_box_pack_start (GTK_BOX (box), button, FALSE, FALSE, 0);
  gtk_box_pack_start (self->indicators_box, box, FALSE, FALSE, 0);

  self->beneficiaries_error = new_error_label ();
  gtk_box_pack_start (self->beneficiaries_box, GTK_WIDGET (self->beneficiaries_error), FALSE, FALSE,
                      0);
  self->beneficiary_rows = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 4));
  gtk_box_pack_start (self->beneficiaries_box, GTK_WIDGET (self->beneficiary_rows), FALSE, FALSE,
                      0);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  button = gtk_button_new_with_mnemonic (_ ("A_dd beneficiary"));
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_add_beneficiary_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_box_pack_start (GTK_BOX (box), button, FALSE, FALSE, 0);
  gtk_box_pack_start (self->beneficiaries_box, box, FALSE, FALSE, 0);

  gtk_widget_show_all (GTK_WIDGET (self->dossier_grid));
  gtk_widget_show_all (GTK_WIDGET (self->budget_grid));
  gtk_widget_show_all (GTK_WIDGET (self->indicators_box));
  gtk_widget_show_all (GTK_WIDGET (self->beneficiaries_box));
}

/* The plan chooser heads the dossier of a new project. */
static void
add_plan_chooser (KcProjectEditor *self)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (_ ("_Plan"));
  GtkWidget *combo = gtk_combo_box_text_new ();

  gtk_grid_insert_row (self->dossier_grid, 0);
  gtk_grid_insert_row (self->dossier_grid, 0);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), combo);
  kc_set_accessible_name (combo, _ ("Plan"));
  gtk_widget_set_hexpand (combo, TRUE);
  self->plan_combo = GTK_COMBO_BOX_TEXT (combo);
  self->plan_error = new_error_label ();
  gtk_grid_attach (self->dossier_grid, label, 0, 0, 1, 1);
  gtk_grid_attach (self->dossier_grid, combo, 1, 0, 1, 1);
  gtk_grid_attach (self->dossier_grid, GTK_WIDGET (self->plan_error), 1, 1, 1, 1);
  gtk_widget_show (label);
  gtk_widget_show (combo);
}

/* Reading a project into the form */

static void
text_view_set (GtkWidget *view, const char *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)),
                            text != NULL ? text : "", -1);
}

static char *
text_view_get (GtkWidget *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static char *
wire_date_to_vn (const char *iso)
{
  GDate date;

  if (iso == NULL || !kc_date_parse_iso (iso, &date))
    return g_strdup (iso != NULL ? iso : "");
  return kc_date_format_vn (&date);
}

static char *
list_to_lines (JsonArray *items, const char *members)
{
  g_auto (GStrv) names = g_strsplit (members, ";", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (i > 0)
        g_string_append_c (out, '\n');
      for (guint m = 0; names[m] != NULL; m++)
        {
          const char *value = str_member (item, names[m]);
          g_autofree char *shown = NULL;

          if (g_str_equal (names[m], "from") || g_str_equal (names[m], "to"))
            value = shown = wire_date_to_vn (value);
          if (m > 0)
            g_string_append (out, "; ");
          g_string_append (out, value != NULL ? value : "");
        }
    }
  return g_string_free (out, FALSE);
}

static void
fill_history (KcProjectEditor *self)
{
  JsonArray *history = kc_json_array (self->project, "history");

  gtk_list_store_clear (self->history);
  for (guint i = 0; history != NULL && i < json_array_get_length (history); i++)
    {
      JsonObject *h = json_array_get_object_element (history, i);
      g_autoptr (GDateTime) at = kc_instant_parse (str_member (h, "at"));
      g_autoptr (GDateTime) local = at != NULL ? g_date_time_to_local (at) : NULL;
      g_autofree char *when = local != NULL ? g_date_time_format (local, "%d/%m/%Y %H:%M") : NULL;
      g_autofree char *change = NULL;
      const char *from = str_member (h, "from_status");

      change = from != NULL
                   ? g_strdup_printf ("%s → %s", kc_label_project_status (from),
                                      kc_label_project_status (str_member (h, "to_status")))
                   : g_strdup (kc_label_project_status (str_member (h, "to_status")));
      gtk_list_store_insert_with_values (
          self->history, NULL, -1, 0, when != NULL ? when : "", 1, change, 2,
          kc_label_stage (str_member (h, "to_stage")), 3,
          kc_role_display_name (str_member (h, "actor_role")), 4,
          str_member (h, "comment") != NULL ? str_member (h, "comment") : "", 5,
          str_member (h, "document_no") != NULL ? str_member (h, "document_no") : "", -1);
    }
}

static void update_actions (KcProjectEditor *self);

static void
update_header (KcProjectEditor *self)
{
  g_autofree char *title = NULL;
  g_autofree char *line = NULL;
  g_autofree char *total = NULL;
  g_autofree char *version = NULL;

  if (self->id == 0)
    {
      gtk_header_bar_set_title (self->header_bar, _ ("New project"));
      gtk_header_bar_set_subtitle (self->header_bar, NULL);
      gtk_label_set_text (self->status_label, _ ("Not saved yet"));
      return;
    }
  title = g_strdup_printf ("%s — %s", str_member (self->project, "code"),
                           str_member (self->project, "title"));
  gtk_header_bar_set_title (self->header_bar, title);
  gtk_window_set_title (GTK_WINDOW (self), title);
  total = kc_money_format (int_member (self->project, "total"));
  /* TRANSLATORS: status, stage, version and total of a project */
  version = g_strdup_printf ("%" G_GINT64_FORMAT, self->version);
  line = g_strdup_printf (_ ("Status: %s · Stage: %s · Version %s · Total %s"),
                          kc_label_project_status (status (self)),
                          kc_label_stage (str_member (self->project, "stage")), version, total);
  gtk_label_set_text (self->status_label, line);
  gtk_header_bar_set_subtitle (self->header_bar, kc_label_project_status (status (self)));
}

static char *
describe_problem (const char *rule, const char *message)
{
  const char *text = kc_errors_rule_text (rule);

  if (text == NULL)
    return kc_errors_describe_item (NULL, rule, message);
  /* The field is marked already; the server's detail carries the figures
   * (the cap, the years) our sentence does not. */
  /* TRANSLATORS: an objection to a field: our words, then the server's */
  return g_strdup_printf (_ ("%s (server: %s)"), text, message);
}

static void
show_warnings (KcProjectEditor *self, JsonArray *warnings)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; warnings != NULL && i < json_array_get_length (warnings); i++)
    {
      JsonObject *w = json_array_get_object_element (warnings, i);
      g_autofree char *line = describe_problem (str_member (w, "rule"), str_member (w, "message"));

      g_string_append_printf (text, "%s• %s", text->len > 0 ? "\n" : "", line);
    }
  if (text->len > 0)
    /* TRANSLATORS: completeness problems that only matter at submission */
    g_string_prepend (text, _ ("To complete before submission:\n"));
  set_label (self->warnings_label, text->str);
  g_string_free (text, TRUE);
}

static void
clear_errors (KcProjectEditor *self)
{
  for (gsize i = 0; i < G_N_ELEMENTS (FIELDS); i++)
    {
      set_label (self->fields[i].error, NULL);
      gtk_style_context_remove_class (gtk_widget_get_style_context (self->fields[i].widget),
                                      "kc-invalid");
    }
  for (int i = 0; i < 4; i++)
    {
      set_label (self->source_errors[i], NULL);
      gtk_style_context_remove_class (
          gtk_widget_get_style_context (GTK_WIDGET (self->source_entries[i])), "kc-invalid");
    }
  set_label (self->budget_error, NULL);
  set_label (self->indicators_error, NULL);
  set_label (self->beneficiaries_error, NULL);
  if (self->plan_error != NULL)
    set_label (self->plan_error, NULL);
}

static void
fill_form (KcProjectEditor *self)
{
  JsonObject *p = self->project;
  JsonArray *lines = kc_json_array (p, "budget_lines");
  JsonArray *items;
  gboolean editable = is_editable (self);

  self->filling = TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (FIELDS); i++)
    {
      Field *field = &self->fields[i];
      const char *name = field->spec->name;

      switch (field->spec->kind)
        {
          case F_TEXT:
            gtk_entry_set_text (GTK_ENTRY (field->widget),
                                str_member (p, name) != NULL ? str_member (p, name) : "");
            break;
          case F_DATE:
            {
              g_autofree char *text = wire_date_to_vn (str_member (p, name));
              gtk_entry_set_text (GTK_ENTRY (field->widget), text);
            }
            break;
          case F_MONEY:
            {
              g_autofree char *text
                  = json_object_has_member (p, name)
                            && !json_node_is_null (json_object_get_member (p, name))
                        ? kc_money_format_plain (int_member (p, name))
                        : g_strdup ("");
              gtk_entry_set_text (GTK_ENTRY (field->widget), text);
            }
            break;
          case F_LONG:
            text_view_set (field->widget, str_member (p, name));
            break;
          case F_LIST:
            {
              g_autofree char *text = list_to_lines (kc_json_array (p, name), field->spec->extra);
              text_view_set (field->widget, text);
            }
            break;
          case F_BOOL:
            gtk_toggle_button_set_active (
                GTK_TOGGLE_BUTTON (field->widget),
                json_object_get_boolean_member_with_default (p, name, FALSE));
            break;
          case F_CATALOG:
            combo_set_code (GTK_COMBO_BOX (field->widget), str_member (p, name));
            break;
          case F_CHOICE:
            gtk_combo_box_set_active_id (GTK_COMBO_BOX (field->widget), str_member (p, name) != NULL
                                                                            ? str_member (p, name)
                                                                            : "selection");
            break;
          default:
            break;
        }
    }
  for (int i = 0; i < 4; i++)
    gtk_entry_set_text (self->source_entries[i], "");
  for (guint i = 0; lines != NULL && i < json_array_get_length (lines); i++)
    {
      JsonObject *line = json_array_get_object_element (lines, i);

      for (int s = 0; s < 4; s++)
        if (g_strcmp0 (str_member (line, "source"), kc_sources[s]) == 0)
          {
            g_autofree char *text = kc_money_format_plain (int_member (line, "amount"));
            gtk_entry_set_text (self->source_entries[s], text);
          }
    }
  clear_rows (self->indicator_rows);
  items = kc_json_array (p, "indicators");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    add_indicator_row (self, json_array_get_object_element (items, i));
  clear_rows (self->beneficiary_rows);
  items = kc_json_array (p, "beneficiaries");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    add_beneficiary_row (self, json_array_get_object_element (items, i));
  update_totals (self);
  fill_history (self);
  show_warnings (self, kc_json_array (p, "warnings"));

  gtk_widget_set_sensitive (GTK_WIDGET (self->dossier_grid), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->budget_grid), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->indicators_box), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->beneficiaries_box), editable);
  gtk_widget_set_visible (GTK_WIDGET (self->save_button), editable);
  update_header (self);
  update_actions (self);
  self->filling = FALSE;
  self->dirty = FALSE;
}

/* The read-only tabs (kc-project-tabs.c) */

static void handle_failure (KcProjectEditor *self, const GError *error, JsonNode *data);
static JsonNode *finish_call (KcProjectEditor *self, GObject *source, GAsyncResult *result);

static GtkWidget *
add_read_tab (KcProjectEditor *self, GtkWidget *view, const char *title)
{
  GtkWidget *label = gtk_label_new (title);

  gtk_notebook_append_page (self->notebook, view, label);
  return view;
}

static void
diff_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (JsonNode) reply = finish_call (self, source, result);
  JsonObject *diff;

  if (reply == NULL)
    return;
  diff = json_node_get_object (reply);
  /* Only a project the Ministry has sent back has something to compare. */
  if (int_member (diff, "from_version") == 0)
    return;
  if (self->diff_view == NULL)
    {
      int page;

      self->diff_view
          = add_read_tab (self, kc_diff_view_new (), _ ("Changes since the version sent back"));
      /* What a reviewer opens a resubmitted project for. */
      page = gtk_notebook_page_num (self->notebook, self->diff_view);
      if (!is_province_role (self)
          && g_strcmp0 (str_member (self->project, "stage"), "resubmitted") == 0)
        gtk_notebook_set_current_page (self->notebook, page);
    }
  kc_diff_view_fill (self->diff_view, diff, self->catalog);
}

static void
progress_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (JsonNode) reply = finish_call (self, source, result);
  JsonObject *budget;

  if (reply == NULL)
    return;
  budget = g_object_get_data (G_OBJECT (self), "kc-budget");
  if (budget == NULL)
    return;
  if (self->money_view == NULL)
    self->money_view = add_read_tab (self, kc_money_view_new (), _ ("Budget & implementation"));
  kc_money_view_fill (self->money_view, budget,
                      kc_json_array (json_node_get_object (reply), "items"));
}

static void
budget_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (JsonNode) reply = finish_call (self, source, result);
  g_autoptr (JsonNode) params = NULL;

  if (reply == NULL)
    return;
  g_object_set_data_full (G_OBJECT (self), "kc-budget",
                          json_object_ref (json_node_get_object (reply)),
                          (GDestroyNotify)json_object_unref);
  params = params_new ("project_id", self->id, NULL);
  set_busy (self, TRUE);
  kc_session_call_async (self->session, "progress.list", params, self->cancellable,
                         progress_done_cb, self);
}

/* Each read again after every load: an act or an event may have changed
 * what they show. */
static void
update_read_tabs (KcProjectEditor *self)
{
  const char *st = status (self);
  g_autoptr (JsonNode) params = NULL;

  /* The administrator reads no project money (budget.* refuse it). */
  if (self->id == 0 || g_str_equal (role (self), "admin"))
    return;
  params = params_new ("project_id", self->id, NULL);
  if (!g_str_equal (st, "draft") || self->diff_view != NULL)
    {
      set_busy (self, TRUE);
      kc_session_call_async (self->session, "review.diff", params, self->cancellable, diff_done_cb,
                             self);
    }
  if (g_str_equal (st, "approved") || g_str_equal (st, "in_progress")
      || g_str_equal (st, "completed") || g_str_equal (st, "settled")
      || g_str_equal (st, "cancelled"))
    {
      set_busy (self, TRUE);
      kc_session_call_async (self->session, "budget.project", params, self->cancellable,
                             budget_done_cb, self);
    }
}

/* The Attachments tab (kc-attachments-tab.c), once the project has an id. */
static void
update_attachments (KcProjectEditor *self)
{
  KcAttachmentsTab *tab = g_object_get_data (G_OBJECT (self), "kc-attachments");

  if (tab == NULL && self->id != 0)
    {
      GtkWidget *label = gtk_label_new (_ ("Attachments"));

      tab = kc_attachments_tab_new (self->session, "project", self->id);
      gtk_widget_show (GTK_WIDGET (tab));
      gtk_notebook_append_page (self->notebook, GTK_WIDGET (tab), label);
      g_object_set_data (G_OBJECT (self), "kc-attachments", tab);
    }
  if (tab != NULL)
    kc_attachments_tab_set_status (tab, status (self));
}

/* The comment thread (kc-comments-tab.c): a national project's, from the
 * moment it is no longer a draft; who may write is the server's rule too
 * (review.comment refuses before the plan is forwarded, with its reason). */
static void
update_comments (KcProjectEditor *self)
{
  static const char *const writers[]
      = { "ministry_reviewer", "ministry_approver", "province_officer", "province_leader", NULL };
  KcCommentsTab *tab = g_object_get_data (G_OBJECT (self), "kc-comments");
  gboolean shown = self->id != 0 && g_strcmp0 (str_member (self->project, "scope"), "national") == 0
                   && g_strcmp0 (status (self), "draft") != 0;

  if (tab == NULL && shown)
    {
      GtkWidget *label = gtk_label_new (_ ("Comments"));

      tab = kc_comments_tab_new (self->session, self->id);
      gtk_widget_show (GTK_WIDGET (tab));
      gtk_notebook_append_page (self->notebook, GTK_WIDGET (tab), label);
      g_object_set_data (G_OBJECT (self), "kc-comments", tab);
    }
  if (tab != NULL)
    kc_comments_tab_set_can_post (
        tab, g_strv_contains (writers, kc_session_get_role (self->session) != NULL
                                           ? kc_session_get_role (self->session)
                                           : ""));
}

static void update_read_tabs (KcProjectEditor *self);

static void
set_project (KcProjectEditor *self, JsonObject *project)
{
  gint64 old_id = self->id;

  g_clear_pointer (&self->project, json_object_unref);
  self->project = json_object_ref (project);
  self->id = int_member (project, "id");
  self->version = int_member (project, "version");
  self->plan_id = int_member (project, "plan_id");
  if (old_id == 0 && self->id != 0)
    {
      g_hash_table_insert (open_editors, g_memdup2 (&self->id, sizeof self->id), self);
      if (self->plan_combo != NULL)
        gtk_widget_set_sensitive (GTK_WIDGET (self->plan_combo), FALSE);
    }
  fill_form (self);
  update_attachments (self);
  update_comments (self);
  update_read_tabs (self);
}

/* Writing the form out */

static gboolean
local_error (Field *field, const char *text)
{
  set_label (field->error, text);
  gtk_style_context_add_class (gtk_widget_get_style_context (field->widget), "kc-invalid");
  return FALSE;
}

static JsonNode *
lines_to_list (const char *text, const char *members)
{
  g_auto (GStrv) names = g_strsplit (members, ";", -1);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) parts = NULL;
      JsonObject *item;

      if (g_strstrip (lines[i])[0] == '\0')
        continue;
      parts = g_strsplit (lines[i], ";", (int)g_strv_length (names));
      item = json_object_new ();
      for (guint m = 0; names[m] != NULL && parts[m] != NULL; m++)
        {
          const char *value = g_strstrip (parts[m]);
          GDate date;

          if (value[0] == '\0')
            continue;
          if ((g_str_equal (names[m], "from") || g_str_equal (names[m], "to"))
              && kc_date_parse_vn (value, &date))
            json_object_set_string_member (item, names[m], kc_date_format_iso (&date));
          else
            json_object_set_string_member (item, names[m], value);
        }
      json_array_add_object_element (array, item);
    }
  json_node_take_array (node, array);
  return node;
}

/* The value of @field on the wire, or NULL for "none"; FALSE when the
 * text cannot be read (the field then says why). */
static gboolean
field_value (Field *field, JsonNode **out)
{
  const FieldSpec *spec = field->spec;

  *out = NULL;
  switch (spec->kind)
    {
      case F_TEXT:
        {
          g_autofree char *text
              = g_strstrip (g_strdup (gtk_entry_get_text (GTK_ENTRY (field->widget))));
          if (text[0] != '\0')
            *out = json_node_init_string (json_node_alloc (), text);
        }
        return TRUE;
      case F_DATE:
        {
          g_autofree char *text
              = g_strstrip (g_strdup (gtk_entry_get_text (GTK_ENTRY (field->widget))));
          GDate date;

          if (text[0] == '\0')
            return TRUE;
          if (!kc_date_parse_vn (text, &date))
            return local_error (field, _ ("Enter a date as dd/mm/yyyy."));
          {
            g_autofree char *iso = kc_date_format_iso (&date);
            *out = json_node_init_string (json_node_alloc (), iso);
          }
        }
        return TRUE;
      case F_MONEY:
        {
          const char *text = gtk_entry_get_text (GTK_ENTRY (field->widget));
          g_autoptr (GError) error = NULL;
          gint64 value;

          if (text[0] == '\0')
            return TRUE;
          if (!kc_money_parse (text, &value, &error))
            return local_error (field, _ ("Enter an amount in đồng, e.g. 1.234.567."));
          *out = json_node_init_int (json_node_alloc (), value);
        }
        return TRUE;
      case F_LONG:
        {
          g_autofree char *text = text_view_get (field->widget);
          if (text[0] != '\0')
            *out = json_node_init_string (json_node_alloc (), text);
        }
        return TRUE;
      case F_LIST:
        {
          g_autofree char *text = text_view_get (field->widget);
          *out = lines_to_list (text, spec->extra);
        }
        return TRUE;
      case F_BOOL:
        *out = json_node_init_boolean (
            json_node_alloc (), gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (field->widget)));
        return TRUE;
      case F_CATALOG:
        {
          g_autofree char *code = combo_code (GTK_COMBO_BOX (field->widget));
          if (code != NULL)
            *out = json_node_init_string (json_node_alloc (), code);
        }
        return TRUE;
      case F_CHOICE:
        {
          const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (field->widget));
          if (id != NULL)
            *out = json_node_init_string (json_node_alloc (), id);
        }
        return TRUE;
      default:
        return TRUE;
    }
}

static gboolean
same_value (JsonNode *a, JsonNode *b)
{
  gboolean a_none = a == NULL || JSON_NODE_HOLDS_NULL (a);
  gboolean b_none = b == NULL || JSON_NODE_HOLDS_NULL (b);

  if (a_none || b_none)
    return a_none && b_none;
  return json_node_equal (a, b);
}

/* The params of project.create (@creating) or project.update: every member
 * for a new project, only what changed for an existing one. */
static JsonObject *
collect (KcProjectEditor *self, gboolean creating)
{
  g_autoptr (JsonObject) params = json_object_new ();
  JsonArray *lines = json_array_new ();
  JsonArray *indicators = json_array_new ();
  JsonArray *beneficiaries = json_array_new ();
  gboolean ok = TRUE;
  GList *rows;

  for (gsize i = 0; i < G_N_ELEMENTS (FIELDS); i++)
    {
      Field *field = &self->fields[i];
      JsonNode *value = NULL;
      JsonNode *before;

      if (!field_value (field, &value))
        {
          ok = FALSE;
          continue;
        }
      before = self->project != NULL ? json_object_get_member (self->project, field->spec->name)
                                     : NULL;
      if (creating)
        {
          if (value != NULL)
            json_object_set_member (params, field->spec->name, value);
        }
      else if (!same_value (value, before))
        json_object_set_member (params, field->spec->name,
                                value != NULL ? value : json_node_new (JSON_NODE_NULL));
      else if (value != NULL)
        json_node_unref (value);
    }

  for (int i = 0; i < 4; i++)
    {
      const char *text = gtk_entry_get_text (self->source_entries[i]);
      gint64 amount;
      JsonObject *line;

      if (text[0] == '\0')
        continue;
      if (!kc_money_parse (text, &amount, NULL))
        {
          set_label (self->source_errors[i], _ ("Enter an amount in đồng, e.g. 1.234.567."));
          ok = FALSE;
          continue;
        }
      line = json_object_new ();
      json_object_set_string_member (line, "source", kc_sources[i]);
      json_object_set_int_member (line, "amount", amount);
      json_array_add_object_element (lines, line);
    }
  json_object_set_array_member (params, "budget_lines", lines);

  rows = gtk_container_get_children (GTK_CONTAINER (self->indicator_rows));
  for (GList *l = rows; l != NULL; l = l->next)
    {
      g_autofree char *code = combo_code (g_object_get_data (l->data, "code"));
      const char *target = gtk_entry_get_text (g_object_get_data (l->data, "target"));
      gint64 value = 0;
      JsonObject *item;

      if (code == NULL && target[0] == '\0')
        continue;
      if (target[0] != '\0' && !kc_money_parse (target, &value, NULL))
        {
          set_label (self->indicators_error, _ ("A target is a whole number."));
          ok = FALSE;
        }
      item = json_object_new ();
      json_object_set_string_member (item, "code", code != NULL ? code : "");
      json_object_set_int_member (item, "target", value);
      json_array_add_object_element (indicators, item);
    }
  g_list_free (rows);
  json_object_set_array_member (params, "indicators", indicators);

  rows = gtk_container_get_children (GTK_CONTAINER (self->beneficiary_rows));
  for (GList *l = rows; l != NULL; l = l->next)
    {
      const char *members[] = { "name", "tax_code", "commune" };
      JsonObject *item = json_object_new ();

      for (gsize m = 0; m < G_N_ELEMENTS (members); m++)
        {
          g_autofree char *text = g_strstrip (
              g_strdup (gtk_entry_get_text (g_object_get_data (l->data, members[m]))));
          if (text[0] != '\0' || m == 0)
            json_object_set_string_member (item, members[m], text);
        }
      json_object_set_string_member (
          item, "kind", gtk_combo_box_get_active_id (g_object_get_data (l->data, "kind")));
      json_array_add_object_element (beneficiaries, item);
    }
  g_list_free (rows);
  json_object_set_array_member (params, "beneficiaries", beneficiaries);

  if (creating)
    {
      const char *plan = self->plan_combo != NULL
                             ? gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->plan_combo))
                             : NULL;

      if (plan == NULL)
        {
          set_label (self->plan_error, _ ("Choose a draft plan. Create one on the Plans page."));
          ok = FALSE;
        }
      else
        json_object_set_int_member (params, "plan_id", g_ascii_strtoll (plan, NULL, 10));
    }
  else
    {
      json_object_set_int_member (params, "id", self->id);
      json_object_set_int_member (params, "version", self->version);
    }
  return ok ? g_steal_pointer (&params) : NULL;
}

/* Objections on their fields */

static int
show_on_field (KcProjectEditor *self, const char *field, const char *rule, const char *message)
{
  g_autofree char *text = describe_problem (rule, message);
  g_autofree char *base = NULL;
  Field *f;

  if (g_str_has_prefix (field, "budget_lines"))
    {
      const char *rest = field + strlen ("budget_lines");

      for (int i = 0; i < 4; i++)
        if (rest[0] == '.' && g_str_has_prefix (rest + 1, kc_sources[i]))
          {
            set_label (self->source_errors[i], text);
            gtk_style_context_add_class (
                gtk_widget_get_style_context (GTK_WIDGET (self->source_entries[i])), "kc-invalid");
            atk_object_set_description (
                gtk_widget_get_accessible (GTK_WIDGET (self->source_entries[i])), text);
            return TAB_BUDGET;
          }
      set_label (self->budget_error, text);
      return TAB_BUDGET;
    }
  if (g_str_has_prefix (field, "indicators"))
    {
      set_label (self->indicators_error, text);
      return TAB_INDICATORS;
    }
  if (g_str_has_prefix (field, "beneficiaries"))
    {
      set_label (self->beneficiaries_error, text);
      return TAB_BENEFICIARIES;
    }
  if (g_str_equal (field, "plan_id") && self->plan_error != NULL)
    {
      set_label (self->plan_error, text);
      return TAB_DOSSIER;
    }
  base = g_strndup (field, strcspn (field, "[."));
  if (g_str_equal (base, "content_categories"))
    {
      g_free (base);
      base = g_strdup ("content_category");
    }
  f = field_by_name (self, base);
  if (f == NULL)
    return -1;
  set_label (f->error, text);
  gtk_style_context_add_class (gtk_widget_get_style_context (f->widget), "kc-invalid");
  atk_object_set_description (gtk_widget_get_accessible (f->widget), text);
  return f->spec->tab;
}

/* -32602 data.fields and 1022 data.violations; the rest goes to the
 * message bar. A plan's submission names fields "projects[CODE].…". */
/* Marks each item of @object's fields and violations on its field; what
 * names no field here goes to @rest, one "• …" line each. Returns how many
 * were marked and opens the tab of the first. */
static guint
mark_problems (KcProjectEditor *self, JsonObject *object, GString *rest)
{
  const char *members[] = { "fields", "violations" };
  const char *code = str_member (self->project, "code");
  int first_tab = -1;
  guint shown = 0;

  clear_errors (self);
  for (gsize m = 0; object != NULL && m < G_N_ELEMENTS (members); m++)
    {
      JsonArray *list = kc_json_array (object, members[m]);

      for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
        {
          JsonObject *item = json_array_get_object_element (list, i);
          const char *field = str_member (item, "field");
          const char *rule = str_member (item, "rule");
          const char *message = str_member (item, "message");
          int tab = -1;

          if (field != NULL && g_str_has_prefix (field, "projects["))
            {
              const char *close = strstr (field, "].");

              if (close != NULL && code != NULL
                  && strncmp (field + strlen ("projects["), code, strlen (code)) == 0)
                field = close + 2;
              else
                field = NULL; /* another project of the plan */
            }
          if (field != NULL)
            tab = show_on_field (self, field, rule, message != NULL ? message : "");
          if (tab < 0)
            {
              g_autofree char *text = describe_problem (rule, message != NULL ? message : "");
              g_string_append_printf (rest, "\n• %s", text);
            }
          else
            {
              shown++;
              if (first_tab < 0)
                first_tab = tab;
            }
        }
    }
  if (object != NULL && json_object_has_member (object, "warnings"))
    show_warnings (self, kc_json_array (object, "warnings"));
  if (first_tab >= 0)
    gtk_notebook_set_current_page (self->notebook, first_tab);
  return shown;
}

static void
show_problems (KcProjectEditor *self, const GError *error, JsonNode *data)
{
  JsonObject *object
      = data != NULL && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  GString *rest = g_string_new (NULL);
  guint shown = mark_problems (self, object, rest);

  if (shown > 0 || rest->len > 0)
    {
      g_autofree char *text = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "The server refused: %u problem is marked on its field.%s",
                       "The server refused: %u problems are marked on their fields.%s", shown),
          shown, rest->str);
      show_message (self, GTK_MESSAGE_ERROR, text, FALSE);
    }
  else
    {
      g_autofree char *text = kc_describe_error (error);
      show_message (self, GTK_MESSAGE_ERROR, text, FALSE);
    }
  g_string_free (rest, TRUE);
}

/* What someone else changed: the members of the project as the server now
 * has it that differ from the version this form was built on, named as the
 * form names them. NULL when none is told apart. */
static char *
changed_fields (KcProjectEditor *self, JsonObject *now)
{
  static const char *const lists[][2] = { { "budget_lines", N_ ("Budget lines") },
                                          { "indicators", N_ ("Indicators") },
                                          { "beneficiaries", N_ ("Beneficiaries") },
                                          { "status", N_ ("Status") } };
  GString *names = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (FIELDS) + G_N_ELEMENTS (lists); i++)
    {
      const char *name
          = i < G_N_ELEMENTS (FIELDS) ? FIELDS[i].name : lists[i - G_N_ELEMENTS (FIELDS)][0];
      const char *label
          = i < G_N_ELEMENTS (FIELDS) ? FIELDS[i].label : lists[i - G_N_ELEMENTS (FIELDS)][1];
      JsonNode *was = self->project != NULL ? json_object_get_member (self->project, name) : NULL;
      JsonNode *is = json_object_get_member (now, name);

      if ((was == NULL) != (is == NULL) || (was != NULL && !json_node_equal (was, is)))
        g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", _ (label));
    }
  return g_string_free (names, names->len == 0);
}

static void
conflict_get_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, NULL, NULL);
  g_autofree char *changed = NULL;
  g_autofree char *text = NULL;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (reply != NULL && JSON_NODE_HOLDS_OBJECT (reply))
    changed = changed_fields (self, json_node_get_object (reply));
  if (changed == NULL)
    return; /* the first message stands */
  /* TRANSLATORS: %s lists the fields someone else changed */
  text = g_strdup_printf (_ ("Someone else changed this project meanwhile: %s. Reload it to see "
                             "their changes (yours are not saved)."),
                          changed);
  show_message (self, GTK_MESSAGE_WARNING, text, TRUE);
}

static void
handle_failure (KcProjectEditor *self, const GError *error, JsonNode *data)
{
  if (g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_CONFLICT))
    {
      g_autoptr (JsonNode) params = params_new ("id", self->id, NULL);

      show_message (self, GTK_MESSAGE_WARNING,
                    _ ("Someone else changed this project meanwhile. Reload it to see their "
                       "changes (yours are not saved)."),
                    TRUE);
      /* Then say which fields: the project as it is now, beside the form's. */
      if (self->id != 0)
        kc_session_call_async (self->session, "project.get", params, self->cancellable,
                               conflict_get_done_cb, self);
      return;
    }
  if (g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_PARAMS)
      || g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_RULE))
    {
      show_problems (self, error, data);
      return;
    }
  if (g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_SESSION_EXPIRED)
      || g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_NOT_LOGGED_IN))
    {
      KcWindow *window = kc_window_for_widget (GTK_WIDGET (self));

      if (window != NULL)
        kc_window_show_error (window, error, data);
      return;
    }
  {
    g_autofree char *text = kc_describe_error (error);
    show_message (self, GTK_MESSAGE_ERROR, text, FALSE);
  }
}

/* The answer of a call the editor made, when it is an object; NULL when the
 * call was cancelled (the editor may be gone: nothing of it is touched) or
 * failed (shown). Ends the busy state unless cancelled. */
static JsonNode *
finish_call (KcProjectEditor *self, GObject *source, GAsyncResult *result)
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
        handle_failure (self, error, data);
      return NULL;
    }
  return g_steal_pointer (&reply);
}

/* Saving and loading */

static gboolean keep_offline (KcProjectEditor *self, const GError *error);

static void
save_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL && !keep_offline (self, error))
        handle_failure (self, error, data);
      return;
    }
  clear_errors (self);
  if (self->sent_seq != self->change_seq)
    {
      /* Typed on while it was on its way: keep the form, take the new
       * version, and save the rest in a moment. */
      JsonObject *saved = json_node_get_object (reply);

      g_clear_pointer (&self->project, json_object_unref);
      self->project = json_object_ref (saved);
      self->version = int_member (saved, "version");
      schedule_autosave (self);
    }
  else
    set_project (self, json_node_get_object (reply));
  show_message (self, GTK_MESSAGE_INFO, _ ("Saved."), FALSE);
}

/* Saves the form; @automatic: the save as you go, which only saves an
 * existing project (a new one is created when the user says so) and says
 * nothing about a form it cannot read yet (the user is still typing). */
static void
save (KcProjectEditor *self, gboolean automatic)
{
  gboolean creating = self->id == 0;
  g_autoptr (JsonObject) params = NULL;
  g_autoptr (JsonNode) node = NULL;

  g_clear_handle_id (&self->autosave_id, g_source_remove);
  if (!is_editable (self) || self->busy > 0 || (automatic && (creating || !self->dirty)))
    return;
  if (!automatic)
    {
      clear_errors (self);
      hide_message (self);
    }
  params = collect (self, creating);
  if (params == NULL)
    {
      if (!automatic)
        show_message (self, GTK_MESSAGE_ERROR, _ ("Some fields cannot be read: see the marks."),
                      FALSE);
      return;
    }
  self->sent_seq = self->change_seq;
  node = json_node_init_object (json_node_alloc (), params);
  /* What to keep on this computer should the server be out of reach. */
  g_object_set_data_full (G_OBJECT (self), "kc-sent-params", json_object_ref (params),
                          (GDestroyNotify)json_object_unref);
  set_busy (self, TRUE);
  kc_session_call_async (self->session, creating ? "project.create" : "project.update", node,
                         self->cancellable, save_done_cb, self);
}

static void
on_save_clicked_cb (KcProjectEditor *self)
{
  save (self, FALSE);
}

#define AUTOSAVE_DELAY_S 4

static gboolean
autosave_cb (gpointer user_data)
{
  KcProjectEditor *self = user_data;

  self->autosave_id = 0;
  /* Another call under way (a check, an act): try again after it. */
  if (self->busy > 0)
    schedule_autosave (self);
  else
    save (self, TRUE);
  return G_SOURCE_REMOVE;
}

static void
schedule_autosave (KcProjectEditor *self)
{
  if (self->id == 0 || !is_editable (self))
    return;
  g_clear_handle_id (&self->autosave_id, g_source_remove);
  self->autosave_id = g_timeout_add_seconds (AUTOSAVE_DELAY_S, autosave_cb, self);
}

static void
get_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (JsonNode) reply = finish_call (self, source, result);

  if (reply == NULL)
    return;
  set_project (self, json_node_get_object (reply));
}

static void
load_project (KcProjectEditor *self)
{
  g_autoptr (JsonNode) params = params_new ("id", self->id, NULL);

  set_busy (self, TRUE);
  kc_session_call_async (self->session, "project.get", params, self->cancellable, get_done_cb,
                         self);
}

static void
plans_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (JsonNode) reply = finish_call (self, source, result);
  JsonArray *items;

  if (reply == NULL)
    return;
  items = kc_json_array (json_node_get_object (reply), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *plan = json_array_get_object_element (items, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, int_member (plan, "id"));
      const char *title = str_member (plan, "title");
      g_autofree char *text
          = g_strdup_printf ("%" G_GINT64_FORMAT " · %s · %s", int_member (plan, "year"),
                             kc_label_scope (str_member (plan, "scope")),
                             title != NULL ? title : str_member (plan, "org_name"));

      gtk_combo_box_text_append (self->plan_combo, id, text);
    }
  if (self->plan_id != 0)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, self->plan_id);
      gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->plan_combo), id);
    }
  if (gtk_combo_box_get_active (GTK_COMBO_BOX (self->plan_combo)) < 0)
    gtk_combo_box_set_active (GTK_COMBO_BOX (self->plan_combo), 0);
  if (items == NULL || json_array_get_length (items) == 0)
    set_label (self->plan_error, _ ("There is no draft plan. Create one on the Plans page."));
}

static void
catalog_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL)
        handle_failure (self, error, data);
    }
  else
    {
      self->catalog = json_object_ref (json_node_get_object (reply));
      self->filling = TRUE;
      for (gsize i = 0; i < G_N_ELEMENTS (FIELDS); i++)
        if (FIELDS[i].kind == F_CATALOG)
          {
            g_autofree char *code = combo_code (GTK_COMBO_BOX (self->fields[i].widget));

            fill_catalog_combo (GTK_COMBO_BOX_TEXT (self->fields[i].widget), self->catalog,
                                FIELDS[i].extra);
            combo_set_code (GTK_COMBO_BOX (self->fields[i].widget), code);
          }
      self->filling = FALSE;
    }
  if (self->id != 0)
    load_project (self);
  else
    list_draft_plans (self, plans_done_cb);
}

/* The acts of the workflow */

static void
act_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (reply == NULL)
    {
      if (error != NULL)
        handle_failure (self, error, data);
      return;
    }
  clear_errors (self);
  show_message (self, GTK_MESSAGE_INFO, _ ("Done."), FALSE);
  load_project (self);
}

static void
call_act (KcProjectEditor *self, const char *method, JsonNode *params)
{
  hide_message (self);
  set_busy (self, TRUE);
  kc_session_call_async (self->session, method, params, self->cancellable, act_done_cb, self);
}

static void
plan_for_submit_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (JsonNode) reply = finish_call (self, source, result);
  g_autoptr (JsonNode) params = NULL;

  if (reply == NULL)
    return;
  params = params_new ("id", self->plan_id, "version",
                       int_member (json_node_get_object (reply), "version"), NULL);
  call_act (self, "plan.submit", params);
}

static void
on_submit_clicked_cb (KcProjectEditor *self)
{
  g_autoptr (JsonNode) params = params_new ("id", self->plan_id, NULL);

  if (self->dirty)
    {
      show_message (self, GTK_MESSAGE_WARNING, _ ("Save your changes before submitting."), FALSE);
      return;
    }
  /* A project goes to the province's appraisal with its whole plan. */
  set_busy (self, TRUE);
  kc_session_call_async (self->session, "plan.get", params, self->cancellable, plan_for_submit_cb,
                         self);
}

static void
on_resubmit_clicked_cb (KcProjectEditor *self)
{
  g_autoptr (JsonNode) params = params_new ("id", self->id, "version", self->version, NULL);

  if (self->dirty)
    {
      show_message (self, GTK_MESSAGE_WARNING, _ ("Save your changes before submitting."), FALSE);
      return;
    }
  call_act (self, "project.resubmit", params);
}

static void
decide_answered_cb (GObject *owner, GStrv answers, gpointer data)
{
  KcProjectEditor *self = KC_PROJECT_EDITOR (owner);
  g_autoptr (JsonNode) params = params_new ("project_id", self->id, "version", self->version, NULL);

  json_object_set_string_member (json_node_get_object (params), "decision", data);
  if (answers != NULL && answers[0] != NULL)
    json_object_set_string_member (json_node_get_object (params), "comment", answers[0]);
  call_act (self, "review.decide", params);
}

static void
decide (KcProjectEditor *self, const char *decision, gboolean ask_comment)
{
  const char *labels[] = { _ ("Comment"), NULL };

  if (!ask_comment)
    {
      decide_answered_cb (G_OBJECT (self), NULL, (gpointer)decision);
      return;
    }
  kc_ask (GTK_WINDOW (self),
          g_str_equal (decision, "reject") ? _ ("Reject the project") : _ ("Request a revision"),
          _ ("_Send"), labels, NULL, G_OBJECT (self), decide_answered_cb, g_strdup (decision),
          g_free);
}

static void
on_approve_clicked_cb (KcProjectEditor *self)
{
  decide (self, "approve", FALSE);
}

static void
on_reject_clicked_cb (KcProjectEditor *self)
{
  decide (self, "reject", TRUE);
}

static void
on_revision_clicked_cb (KcProjectEditor *self)
{
  decide (self, "request_revision", TRUE);
}

static gint64
line_amount (KcProjectEditor *self, const char *source)
{
  JsonArray *lines = kc_json_array (self->project, "budget_lines");

  for (guint i = 0; lines != NULL && i < json_array_get_length (lines); i++)
    {
      JsonObject *line = json_array_get_object_element (lines, i);

      if (g_strcmp0 (str_member (line, "source"), source) == 0)
        return int_member (line, "amount");
    }
  return 0;
}

static gboolean
parse_amount (KcProjectEditor *self, const char *text, gint64 *out)
{
  if (kc_money_parse (text, out, NULL))
    return TRUE;
  show_message (self, GTK_MESSAGE_ERROR, _ ("Enter an amount in đồng, e.g. 1.234.567."), FALSE);
  return FALSE;
}

static gboolean
parse_date (KcProjectEditor *self, const char *text, char **iso)
{
  GDate date;

  if (!kc_date_parse_vn (text, &date))
    {
      show_message (self, GTK_MESSAGE_ERROR, _ ("Enter a date as dd/mm/yyyy."), FALSE);
      return FALSE;
    }
  *iso = kc_date_format_iso (&date);
  return TRUE;
}

static char *
today_vn (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%d/%m/%Y");
}

static void
allocate_answered_cb (GObject *owner, GStrv answers, gpointer data)
{
  KcProjectEditor *self = KC_PROJECT_EDITOR (owner);
  g_autoptr (JsonNode) params = NULL;
  gint64 amount;

  if (!parse_amount (self, answers[0], &amount))
    return;
  params = params_new ("project_id", self->id, "version", self->version, "amount", amount, NULL);
  call_act (self, "budget.allocate", params);
}

static void
on_allocate_clicked_cb (KcProjectEditor *self)
{
  g_autofree char *central = kc_money_format_plain (line_amount (self, "central"));
  const char *labels[] = { _ ("Amount (central budget, đồng)"), NULL };
  const char *defaults[] = { central, NULL };

  kc_ask (GTK_WINDOW (self), _ ("Allocate central budget"), _ ("_Allocate"), labels, defaults,
          G_OBJECT (self), allocate_answered_cb, NULL, NULL);
}

static void
contract_answered_cb (GObject *owner, GStrv answers, gpointer data)
{
  KcProjectEditor *self = KC_PROJECT_EDITOR (owner);
  g_autoptr (JsonNode) params = NULL;
  g_autofree char *iso = NULL;
  gint64 amount;

  if (!parse_date (self, answers[1], &iso) || !parse_amount (self, answers[2], &amount))
    return;
  params = params_new ("project_id", self->id, "version", self->version, "amount", amount, NULL);
  json_object_set_string_member (json_node_get_object (params), "number", answers[0]);
  json_object_set_string_member (json_node_get_object (params), "signed_on", iso);
  call_act (self, "budget.contract", params);
}

static void
on_contract_clicked_cb (KcProjectEditor *self)
{
  g_autofree char *central = kc_money_format_plain (line_amount (self, "central"));
  g_autofree char *today = today_vn ();
  const char *labels[] = { _ ("Contract number"), _ ("Signed on"), _ ("Amount (đồng)"), NULL };
  const char *defaults[] = { NULL, today, central, NULL };

  kc_ask (GTK_WINDOW (self), _ ("Record the contract"), _ ("_Record"), labels, defaults,
          G_OBJECT (self), contract_answered_cb, NULL, NULL);
}

static void
advance_answered_cb (GObject *owner, GStrv answers, gpointer data)
{
  KcProjectEditor *self = KC_PROJECT_EDITOR (owner);
  g_autoptr (JsonNode) params = NULL;
  g_autofree char *iso = NULL;
  gint64 amount;

  if (!parse_amount (self, answers[0], &amount) || !parse_date (self, answers[1], &iso))
    return;
  params = params_new ("project_id", self->id, "amount", amount, NULL);
  json_object_set_string_member (json_node_get_object (params), "kind", "advance");
  json_object_set_string_member (json_node_get_object (params), "date", iso);
  json_object_set_string_member (json_node_get_object (params), "document_no", answers[2]);
  call_act (self, "budget.disburse", params);
}

static void
on_advance_clicked_cb (KcProjectEditor *self)
{
  g_autofree char *today = today_vn ();
  const char *labels[] = { _ ("Amount (đồng)"), _ ("Date"), _ ("Document number"), NULL };
  const char *defaults[] = { NULL, today, NULL, NULL };

  kc_ask (GTK_WINDOW (self), _ ("Record an advance"), _ ("_Record"), labels, defaults,
          G_OBJECT (self), advance_answered_cb, NULL, NULL);
}

/* Copy from last year: the project into a later draft plan of the same
 * scope (the server checks the organisation too), then its editor. */

static void
copy_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (JsonNode) reply = finish_call (self, source, result);
  gint64 id;

  if (reply == NULL)
    return;
  id = int_member (json_node_get_object (reply), "id");
  show_message (self, GTK_MESSAGE_INFO, _ ("Copied: the new project opens in its own window."),
                FALSE);
  kc_project_editor_open (gtk_window_get_transient_for (GTK_WINDOW (self)), self->session, id, 0);
}

static void
copy_chosen_cb (GObject *owner, gint64 plan_id, gpointer data)
{
  KcProjectEditor *self = KC_PROJECT_EDITOR (owner);
  g_autoptr (JsonNode) params = params_new ("id", self->id, "plan_id", plan_id, NULL);

  hide_message (self);
  set_busy (self, TRUE);
  kc_session_call_async (self->session, "project.copy", params, self->cancellable, copy_done_cb,
                         self);
}

static void
copy_plans_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (JsonNode) reply = finish_call (self, source, result);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  gint64 year;
  JsonArray *items;

  if (reply == NULL)
    return;
  year = int_member (self->project, "year");
  items = kc_json_array (json_node_get_object (reply), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *plan = json_array_get_object_element (items, i);
      gint64 id = int_member (plan, "id");
      const char *title = str_member (plan, "title");

      if (int_member (plan, "year") <= year
          || g_strcmp0 (str_member (plan, "scope"), str_member (self->project, "scope")) != 0)
        continue;
      g_array_append_val (ids, id);
      g_ptr_array_add (texts,
                       g_strdup_printf ("%" G_GINT64_FORMAT " · %s · %s", int_member (plan, "year"),
                                        kc_label_scope (str_member (plan, "scope")),
                                        title != NULL ? title : str_member (plan, "org_name")));
    }
  if (ids->len == 0)
    {
      show_message (self, GTK_MESSAGE_WARNING,
                    _ ("There is no draft plan of a later year to copy into. Create one on the "
                       "Plans page."),
                    FALSE);
      return;
    }
  kc_choose (GTK_WINDOW (self), _ ("Copy to a later year"), _ ("_Copy"), _ ("Draft plan"),
             (const gint64 *)(gpointer)ids->data, (const char *const *)texts->pdata, ids->len,
             G_OBJECT (self), copy_chosen_cb, NULL, NULL);
}

static void
on_copy_clicked_cb (KcProjectEditor *self)
{
  list_draft_plans (self, copy_plans_done_cb);
}

static void
add_action (KcProjectEditor *self, const char *label, const char *tooltip, GCallback callback)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_tooltip_text (button, tooltip);
  g_signal_connect_object (button, "clicked", callback, self, G_CONNECT_SWAPPED);
  gtk_box_pack_start (self->actions_box, button, FALSE, FALSE, 0);
  gtk_widget_show (button);
}

/* Only the acts the role may take in the project's current status. */
/* The pre-flight check: project.check runs the rules plan.submit will,
 * changing nothing; what would stop the submission is marked on its
 * fields before anything is sent. Unsaved edits are checked once saved. */
static void
preflight_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (JsonNode) reply = finish_call (self, source, result);
  JsonObject *object;
  JsonArray *violations;
  GString *rest;
  guint shown, total;

  if (reply == NULL)
    return;
  object = json_node_get_object (reply);
  violations = kc_json_array (object, "violations");
  total = violations != NULL ? json_array_get_length (violations) : 0;
  rest = g_string_new (NULL);
  shown = mark_problems (self, object, rest);
  if (total == 0)
    show_message (self, GTK_MESSAGE_INFO,
                  self->dirty ? _ ("Nothing would stop the submission of the saved version; "
                                   "save to check your latest edits.")
                              : _ ("Nothing would stop this project's submission."),
                  FALSE);
  else
    {
      g_autofree char *text = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE,
                       "%u problem would stop the submission (%u marked on "
                       "the fields).%s",
                       "%u problems would stop the submission (%u marked on the fields).%s", total),
          total, shown, rest->str);
      show_message (self, GTK_MESSAGE_WARNING, text, FALSE);
    }
  g_string_free (rest, TRUE);
}

static void
on_preflight_clicked_cb (KcProjectEditor *self)
{
  g_autoptr (JsonNode) params = params_new ("id", self->id, NULL);

  set_busy (self, TRUE);
  kc_session_call_async (self->session, "project.check", params, self->cancellable,
                         preflight_done_cb, self);
}

static void
update_actions (KcProjectEditor *self)
{
  const char *st = status (self);
  const char *stage = str_member (self->project, "stage");
  gboolean ministry = g_str_equal (role (self), "ministry_reviewer")
                      || g_str_equal (role (self), "ministry_approver");
  gboolean approver = g_str_equal (role (self), "ministry_approver");
  gboolean in_queue
      = g_str_equal (st, "submitted")
        && (g_strcmp0 (stage, "base_appraised") == 0 || g_strcmp0 (stage, "resubmitted") == 0);

  clear_rows (self->actions_box);
  if (self->id == 0)
    return;
  if (is_province_role (self) && g_str_equal (st, "draft"))
    add_action (self, _ ("S_ubmit the plan"),
                _ ("Submit the project's plan with all its draft projects to the province's "
                   "appraisal"),
                G_CALLBACK (on_submit_clicked_cb));
  if (is_province_role (self) && is_editable (self))
    add_action (self, _ ("C_heck before sending"),
                _ ("List everything that would stop this project's submission, without sending"),
                G_CALLBACK (on_preflight_clicked_cb));
  if (is_province_role (self))
    add_action (self, _ ("Cop_y to a later year…"),
                _ ("Start a project of a later year's draft plan from this one"),
                G_CALLBACK (on_copy_clicked_cb));
  if (is_province_role (self) && g_str_equal (st, "revision_requested"))
    add_action (self, _ ("Re_submit"), _ ("Send the revised project back to the Ministry"),
                G_CALLBACK (on_resubmit_clicked_cb));
  if (ministry && in_queue)
    add_action (self, _ ("Request _revision…"), _ ("Send the project back to the province"),
                G_CALLBACK (on_revision_clicked_cb));
  if (approver && in_queue)
    {
      add_action (self, _ ("_Approve"), _ ("Approve the project"),
                  G_CALLBACK (on_approve_clicked_cb));
      add_action (self, _ ("Re_ject…"), _ ("Reject the project"),
                  G_CALLBACK (on_reject_clicked_cb));
    }
  if (approver
      && (g_str_equal (st, "approved") || g_str_equal (st, "in_progress")
          || g_str_equal (st, "completed")))
    {
      add_action (self, _ ("A_llocate…"), _ ("Allocate central budget to the project"),
                  G_CALLBACK (on_allocate_clicked_cb));
      add_action (self, _ ("_Contract…"), _ ("Record the contract before any payment"),
                  G_CALLBACK (on_contract_clicked_cb));
      add_action (self, _ ("Record an ad_vance…"), _ ("Record an advance payment"),
                  G_CALLBACK (on_advance_clicked_cb));
    }
}

/* Callbacks */

static void
on_session_event_cb (KcSession *session, const char *topic, JsonNode *params, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  JsonObject *object;

  if (self->id == 0 || params == NULL || !JSON_NODE_HOLDS_OBJECT (params))
    return;
  /* A comment changes the thread, not the project. */
  if (g_str_equal (topic, "comment"))
    {
      KcCommentsTab *tab = g_object_get_data (G_OBJECT (self), "kc-comments");

      if (tab != NULL && int_member (json_node_get_object (params), "id") == self->id)
        kc_comments_tab_refresh (tab);
      return;
    }
  if (!g_str_equal (topic, "project") && !g_str_equal (topic, "allocation")
      && !g_str_equal (topic, "payment"))
    return;
  object = json_node_get_object (params);
  if (int_member (object, "id") != self->id)
    return;
  if (!g_str_equal (topic, "project") || int_member (object, "version") != self->version)
    {
      if (!self->dirty)
        load_project (self);
      else
        show_message (self, GTK_MESSAGE_WARNING,
                      _ ("This project was changed elsewhere. Reload it to see the changes "
                         "(yours are not saved)."),
                      TRUE);
    }
}

static void
on_message_bar_response_cb (KcProjectEditor *self, int response)
{
  hide_message (self);
}

static void
on_reload_clicked_cb (KcProjectEditor *self)
{
  hide_message (self);
  clear_errors (self);
  if (self->id != 0)
    load_project (self);
}

/* Offline drafts (kc-draft-store.c) */

/* An edit of a draft (or a new project) the server could not receive is kept
 * on this computer and sent when the session is back. */
static gboolean
keep_offline (KcProjectEditor *self, const GError *error)
{
  JsonObject *params = g_object_get_data (G_OBJECT (self), "kc-sent-params");
  g_autoptr (GError) keep_error = NULL;

  if (params == NULL || !kc_draft_store_is_offline_error (error))
    return FALSE;
  if (!kc_draft_store_keep_from (kc_draft_store_get (self->session), G_OBJECT (self), params,
                                 &keep_error))
    {
      g_warning ("cannot keep the edit: %s", keep_error->message);
      return FALSE;
    }
  show_message (self, GTK_MESSAGE_WARNING,
                _ ("Saved on this computer; it will be sent when the connection is back."), FALSE);
  return TRUE;
}

static void
on_draft_sent_cb (KcDraftStore *store, gint64 id, JsonNode *project, gpointer user_data)
{
  KcProjectEditor *self = user_data;

  if (id != self->id && (self->id != 0 || id != kc_draft_store_local_id (G_OBJECT (self))))
    return;
  clear_errors (self);
  set_project (self, json_node_get_object (project));
  show_message (self, GTK_MESSAGE_INFO,
                _ ("The edit kept on this computer has been sent to the server."), FALSE);
}

static void
on_draft_conflict_cb (KcDraftStore *store, gint64 id, gpointer user_data)
{
  KcProjectEditor *self = user_data;

  if (id == self->id)
    show_message (self, GTK_MESSAGE_WARNING,
                  _ ("The server refused the edit kept on this computer: choose in the conflict "
                     "window which values to keep."),
                  FALSE);
}

static void
on_draft_dropped_cb (KcDraftStore *store, gint64 id, gpointer user_data)
{
  KcProjectEditor *self = user_data;

  if (id != self->id)
    return;
  hide_message (self);
  clear_errors (self);
  load_project (self);
}

static void
watch_drafts (KcProjectEditor *self)
{
  KcDraftStore *store = kc_draft_store_get (self->session);

  g_set_object (&self->drafts, store);
  g_signal_connect_object (store, "sent", G_CALLBACK (on_draft_sent_cb), self, 0);
  g_signal_connect_object (store, "conflict", G_CALLBACK (on_draft_conflict_cb), self, 0);
  g_signal_connect_object (store, "dropped", G_CALLBACK (on_draft_dropped_cb), self, 0);
  if (self->id != 0 && kc_draft_store_lookup (store, self->id) != NULL)
    show_message (self, GTK_MESSAGE_WARNING,
                  _ ("An edit of this project is kept on this computer and waits to be sent."),
                  FALSE);
}

/* GObject overrides */

static void
kc_project_editor_dispose (GObject *object)
{
  KcProjectEditor *self = KC_PROJECT_EDITOR (object);

  /* GTK 3's accessible of a removed notebook page asks the notebook for its
   * tab label (Gtk-CRITICAL gtk_notebook_get_tab_label) when the AT-SPI
   * bridge first meets it, as the pages go; without tabs it does not ask. */
  if (self->notebook != NULL)
    gtk_notebook_set_show_tabs (self->notebook, FALSE);
  g_clear_handle_id (&self->autosave_id, g_source_remove);
  if (self->id != 0 && open_editors != NULL
      && g_hash_table_lookup (open_editors, &self->id) == self)
    g_hash_table_remove (open_editors, &self->id);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* The session and its draft store outlive the editor: no event, sent or
   * conflicting draft may reach a destroyed one. */
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->drafts != NULL)
    g_signal_handlers_disconnect_by_data (self->drafts, self);
  g_clear_object (&self->drafts);
  g_clear_pointer (&self->project, json_object_unref);
  g_clear_pointer (&self->catalog, json_object_unref);
  g_clear_object (&self->history);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (kc_project_editor_parent_class)->dispose (object);
}

static void
kc_project_editor_class_init (KcProjectEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kc_project_editor_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-project-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, header_bar);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, spinner);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, message_bar);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, message_label);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, reload_button);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, status_label);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, actions_box);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, warnings_label);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, notebook);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, dossier_grid);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, budget_grid);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, indicators_box);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, beneficiaries_box);
  gtk_widget_class_bind_template_child (widget_class, KcProjectEditor, history_view);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_message_bar_response_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_reload_clicked_cb);
}

static void
kc_project_editor_init (KcProjectEditor *self)
{
  const char *titles[]
      = { N_ ("When"), N_ ("Status"), N_ ("Stage"), N_ ("Role"), N_ ("Comment"), N_ ("Document") };
  GtkAccelGroup *accels = gtk_accel_group_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->history = gtk_list_store_new (6, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                                      G_TYPE_STRING, G_TYPE_STRING);
  gtk_tree_view_set_model (self->history_view, GTK_TREE_MODEL (self->history));
  for (int i = 0; i < 6; i++)
    {
      GtkCellRenderer *renderer = gtk_cell_renderer_text_new ();
      GtkTreeViewColumn *col
          = gtk_tree_view_column_new_with_attributes (_ (titles[i]), renderer, "text", i, NULL);

      gtk_tree_view_column_set_resizable (col, TRUE);
      gtk_tree_view_append_column (self->history_view, col);
    }
  gtk_window_add_accel_group (GTK_WINDOW (self), accels);
  gtk_widget_add_accelerator (GTK_WIDGET (self->save_button), "clicked", accels, GDK_KEY_s,
                              GDK_CONTROL_MASK, GTK_ACCEL_VISIBLE);
  g_object_unref (accels);
  build_form (self);
}

/* Public API */

KcProjectEditor *
kc_project_editor_open (GtkWindow *parent, KcSession *session, gint64 id, gint64 plan_id)
{
  KcProjectEditor *self;

  if (open_editors == NULL)
    open_editors = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self = id != 0 ? g_hash_table_lookup (open_editors, &id) : NULL;
  if (self != NULL)
    {
      gtk_window_present (GTK_WINDOW (self));
      return self;
    }
  self = g_object_new (KC_TYPE_PROJECT_EDITOR, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  self->id = id;
  self->plan_id = plan_id;
  if (id != 0)
    g_hash_table_insert (open_editors, g_memdup2 (&id, sizeof id), self);
  else
    add_plan_chooser (self);
  g_signal_connect_object (session, "event", G_CALLBACK (on_session_event_cb), self, 0);
  watch_drafts (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), is_province_role (self));
  gtk_widget_set_visible (GTK_WIDGET (self->save_button), is_province_role (self));
  update_header (self);
  set_busy (self, TRUE);
  kc_session_call_async (session, "catalog.get", NULL, self->cancellable, catalog_done_cb, self);
  gtk_window_present (GTK_WINDOW (self));
  return self;
}

const char *
kc_project_editor_field_label (const char *member)
{
  for (gsize i = 0; i < G_N_ELEMENTS (FIELDS); i++)
    if (g_str_equal (FIELDS[i].name, member))
      return _ (FIELDS[i].label);
  return member;
}
