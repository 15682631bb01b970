/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-editor-fields.c — the project's plain members as form fields, built
 * from one table (FIELDS): the dossier has some thirty members, and one
 * table keeps reading, saving, naming and showing objections in step. The
 * dossier and budget sections each show the fields of their tab.
 */
#include "kc-editor-fields.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kc-date.h"
#include "kc-editor-section.h"
#include "kc-form.h"
#include "kc-json.h"
#include "kc-labels.h"
#include "kc-list-grid.h"
#include "kc-suggest.h"
#include "kc-money.h"
#include "kc-window.h"

typedef enum
{
  F_TEXT,
  F_LONG,
  F_DATE,
  F_MONEY,
  F_BOOL,
  F_CATALOG, /* a code of a catalogue section, typed or chosen */
  F_CHOICE,  /* one of fixed values */
  F_CAP,     /* a support cap of the project's content in force in its year */
  F_LIST,    /* a list of objects: a KcListGrid of its members (extra: "a;b;…") */
} FieldKind;

typedef struct
{
  const char *name;  /* the wire member */
  const char *label; /* N_() */
  FieldKind kind;
  const char *extra; /* section, "id=label|…", or the list's members */
  KcEditorTab tab;
} FieldSpec;

static const FieldSpec FIELDS[] = {
  { "title", N_ ("Project title"), F_TEXT, NULL, KC_EDITOR_TAB_DOSSIER },
  { "content_category", N_ ("Main content"), F_CATALOG, "content_categories",
    KC_EDITOR_TAB_DOSSIER },
  { "kind", N_ ("Kind of project"), F_CATALOG, "project_kinds", KC_EDITOR_TAB_DOSSIER },
  { "sector", N_ ("Sector"), F_CATALOG, "sectors", KC_EDITOR_TAB_DOSSIER },
  { "priority_area", N_ ("Priority area"), F_CATALOG, "priority_areas", KC_EDITOR_TAB_DOSSIER },
  { "implementer", N_ ("Implementer"), F_TEXT, NULL, KC_EDITOR_TAB_DOSSIER },
  { "start_date", N_ ("Start date"), F_DATE, NULL, KC_EDITOR_TAB_DOSSIER },
  { "end_date", N_ ("End date"), F_DATE, NULL, KC_EDITOR_TAB_DOSSIER },
  { "procurement", N_ ("Procurement"), F_CHOICE, "selection|bidding", KC_EDITOR_TAB_DOSSIER },
  { "rationale", N_ ("Rationale"), F_LONG, NULL, KC_EDITOR_TAB_DOSSIER },
  { "legal_basis", N_ ("Legal basis"), F_LONG, NULL, KC_EDITOR_TAB_DOSSIER },
  { "objectives", N_ ("Objectives"), F_LONG, NULL, KC_EDITOR_TAB_DOSSIER },
  { "scale_and_novelty", N_ ("Scale and novelty"), F_LONG, NULL, KC_EDITOR_TAB_DOSSIER },
  { "implementation", N_ ("Implementation"), F_LONG, NULL, KC_EDITOR_TAB_DOSSIER },
  { "impact", N_ ("Expected impact"), F_LONG, NULL, KC_EDITOR_TAB_DOSSIER },
  { "partners", N_ ("Partners"), F_LIST, "name;role", KC_EDITOR_TAB_DOSSIER },
  { "locations", N_ ("Locations"), F_LIST, "commune;address", KC_EDITOR_TAB_DOSSIER },
  { "work_items", N_ ("Work plan"), F_LIST, "task;from;to;who", KC_EDITOR_TAB_DOSSIER },
  { "export", N_ ("Export-oriented"), F_BOOL, NULL, KC_EDITOR_TAB_DOSSIER },
  { "local_materials", N_ ("Uses local materials"), F_BOOL, NULL, KC_EDITOR_TAB_DOSSIER },
  { "labour_intensive", N_ ("Labour-intensive"), F_BOOL, NULL, KC_EDITOR_TAB_DOSSIER },
  { "supporting_industry", N_ ("Supporting industry"), F_BOOL, NULL, KC_EDITOR_TAB_DOSSIER },
  { "no_double_funding", N_ ("No expense is funded by another state source (declaration)"), F_BOOL,
    NULL, KC_EDITOR_TAB_DOSSIER },
  { "cap_code", N_ ("Support cap"), F_CAP, "support_caps", KC_EDITOR_TAB_BUDGET },
  { "total_cost", N_ ("Total cost"), F_MONEY, NULL, KC_EDITOR_TAB_BUDGET },
};

typedef struct
{
  const FieldSpec *spec;
  GtkWidget *widget; /* GtkEntry, GtkTextView, GtkCheckButton or GtkComboBox */
  GtkLabel *error;
} Field;

struct _KcEditorFields
{
  KcEditorTab tab;
  GArray *fields;      /* of Field, those of FIELDS on the tab */
  JsonObject *catalog; /* (nullable) for the cap chooser */
  char *content;       /* the project's main content, for the caps */
  int year;            /* the plan's year, for the caps (0: this year) */
};

/* Catalogue choosers */

/* A code that is an English word ("regular", "flagship") means nothing to
 * the reader: its row shows the name only. Legal numbering ("ND45.4.3",
 * "C02") is what people cite, and is shown. */
static gboolean
code_is_word (const char *code)
{
  for (const char *c = code; *c != '\0'; c++)
    if (!g_ascii_islower (*c) && *c != '_')
      return FALSE;
  return *code != '\0';
}

char *
kc_catalog_combo_dup_code (GtkComboBox *combo)
{
  GtkWidget *entry = gtk_bin_get_child (GTK_BIN (combo));
  const char *text = gtk_entry_get_text (GTK_ENTRY (entry));
  const char *end;
  GtkTreeModel *model = gtk_combo_box_get_model (combo);
  GtkTreeIter iter;

  if (gtk_combo_box_get_active_id (combo) != NULL)
    return g_strdup (gtk_combo_box_get_active_id (combo));
  /* A row's text typed or left as it was shown. */
  if (model != NULL && gtk_tree_model_get_iter_first (model, &iter))
    do
      {
        g_autofree char *id = NULL, *shown = NULL;

        gtk_tree_model_get (model, &iter, 0, &id, 1, &shown, -1);
        if (g_strcmp0 (shown, text) == 0)
          return g_steal_pointer (&id);
      }
    while (gtk_tree_model_iter_next (model, &iter));
  while (*text == ' ')
    text++;
  end = strstr (text, " — ");
  if (end == NULL)
    end = text + strlen (text);
  while (end > text && end[-1] == ' ')
    end--;
  return end > text ? g_strndup (text, (gsize)(end - text)) : NULL;
}

void
kc_catalog_combo_set_code (GtkComboBox *combo, const char *code)
{
  GtkWidget *entry = gtk_bin_get_child (GTK_BIN (combo));

  /* The row's full text when the catalogue has it, else the bare code. */
  if (code == NULL || !gtk_combo_box_set_active_id (combo, code))
    gtk_entry_set_text (GTK_ENTRY (entry), code != NULL ? code : "");
}

void
kc_catalog_combo_fill (GtkComboBoxText *combo, JsonObject *catalog, const char *section)
{
  JsonArray *rows = kc_json_array (catalog, section);

  gtk_combo_box_text_remove_all (combo);
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *code = kc_json_string (row, "code");
      const char *unit = kc_json_string (row, "unit_vi");
      g_autofree char *text = NULL;

      if (code == NULL || kc_json_string (row, "valid_to") != NULL)
        continue;
      if (code_is_word (code) && kc_json_string (row, "name_vi") != NULL)
        text = unit != NULL ? g_strdup_printf ("%s (%s)", kc_json_string (row, "name_vi"), unit)
                            : g_strdup (kc_json_string (row, "name_vi"));
      else
        text = unit != NULL
                   ? g_strdup_printf ("%s — %s (%s)", code, kc_json_string (row, "name_vi"), unit)
                   : g_strdup_printf ("%s — %s", code, kc_json_string (row, "name_vi"));
      gtk_combo_box_text_append (combo, code, text);
    }
}

GtkWidget *
kc_catalog_combo_new (JsonObject *catalog, const char *section, const char *name)
{
  GtkWidget *combo = gtk_combo_box_text_new_with_entry ();
  GtkWidget *entry = gtk_bin_get_child (GTK_BIN (combo));

  /* The entry shows what was chosen; a code typed in is taken as is. */
  gtk_combo_box_set_id_column (GTK_COMBO_BOX (combo), 0);
  gtk_combo_box_set_entry_text_column (GTK_COMBO_BOX (combo), 1);
  if (catalog != NULL)
    kc_catalog_combo_fill (GTK_COMBO_BOX_TEXT (combo), catalog, section);
  gtk_widget_set_hexpand (combo, TRUE);
  kc_form_combo_limit_width (GTK_COMBO_BOX (combo), 70);
  kc_set_accessible_name (entry, name);
  kc_set_accessible_name (combo, name);
  return combo;
}

/* The caps of @content in force on 1 January of @year (the day the server
 * checks against, sql/0006), each with its share, amount and act: "C02 —
 * 50 %, tối đa 500.000.000 ₫ · TT 28/2018/TT-BCT". */
static void
cap_combo_fill (GtkComboBoxText *combo, JsonObject *catalog, const char *content, int year)
{
  JsonArray *rows = kc_json_array (catalog, "support_caps");
  g_autofree char *day = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (year <= 0)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_local ();

      year = g_date_time_get_year (now);
    }
  day = g_strdup_printf ("%04d-01-01", year);
  gtk_combo_box_text_remove_all (combo);
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *code = kc_json_string (row, "cap_code");
      const char *from = kc_json_string (row, "valid_from");
      const char *to = kc_json_string (row, "valid_to");
      const char *row_content = kc_json_string (row, "content_code");
      GString *text;

      if (code == NULL || (from != NULL && strcmp (from, day) > 0)
          || (to != NULL && strcmp (to, day) < 0))
        continue;
      if (content != NULL && row_content != NULL && !g_str_equal (content, row_content))
        continue;
      text = g_string_new (code);
      g_string_append (text, " —");
      if (json_object_has_member (row, "pct_cap")
          && !json_node_is_null (json_object_get_member (row, "pct_cap")))
        {
          g_autofree char *pct = kc_label_percent (
              json_node_get_double (json_object_get_member (row, "pct_cap")), 0);

          g_string_append_printf (text, " %s", pct);
        }
      if (json_object_has_member (row, "abs_cap_vnd")
          && !json_node_is_null (json_object_get_member (row, "abs_cap_vnd")))
        {
          g_autofree char *amount = kc_money_format (kc_json_int (row, "abs_cap_vnd"));

          /* TRANSLATORS: a support cap's amount in the cap chooser */
          g_string_append_printf (text, _ (", at most %s"), amount);
        }
      if (kc_json_string (row, "legal_act") != NULL)
        g_string_append_printf (text, " · %s", kc_json_string (row, "legal_act"));
      if (content == NULL && row_content != NULL)
        g_string_append_printf (text, " (%s)", row_content);
      /* Several rows of one code (successive acts): the one in force. */
      if (g_hash_table_add (seen, (gpointer)code))
        gtk_combo_box_text_append (combo, code, text->str);
      g_string_free (text, TRUE);
    }
}

static void
fields_fill_caps (KcEditorFields *self, Field *field)
{
  g_autofree char *code = kc_catalog_combo_dup_code (GTK_COMBO_BOX (field->widget));

  if (self->catalog == NULL)
    return;
  cap_combo_fill (GTK_COMBO_BOX_TEXT (field->widget), self->catalog, self->content, self->year);
  kc_catalog_combo_set_code (GTK_COMBO_BOX (field->widget), code);
}

/* Helpers */

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

/* The columns of a list field's table, by member (@members: "a;b;…"). */
static GArray *
list_columns (const char *members)
{
  static const struct
  {
    const char *member;
    const char *label;
    gboolean is_date;
    int width;
  } known[] = {
    { "name", N_ ("Partner"), FALSE, 30 },
    { "role", N_ ("Role"), FALSE, 20 },
    { "commune", N_ ("Commune or ward"), FALSE, 20 },
    { "address", N_ ("Address"), FALSE, 30 },
    { "task", N_ ("Task"), FALSE, 30 },
    { "from", N_ ("From"), TRUE, 12 },
    { "to", N_ ("To"), TRUE, 12 },
    { "who", N_ ("Who does it"), FALSE, 16 },
  };
  g_auto (GStrv) names = g_strsplit (members, ";", -1);
  GArray *columns = g_array_new (FALSE, TRUE, sizeof (KcListColumn));

  for (guint m = 0; names[m] != NULL; m++)
    for (gsize k = 0; k < G_N_ELEMENTS (known); k++)
      if (g_str_equal (known[k].member, names[m]))
        {
          KcListColumn column
              = { known[k].member, _ (known[k].label), known[k].is_date, known[k].width };

          g_array_append_val (columns, column);
        }
  return columns;
}

static gboolean
local_error (Field *field, const char *text)
{
  kc_form_set_label (field->error, text);
  gtk_style_context_add_class (gtk_widget_get_style_context (field->widget), "kc-invalid");
  return FALSE;
}

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
          g_autofree char *problem = NULL;

          *out = kc_list_grid_get (KC_LIST_GRID (field->widget), &problem);
          if (*out == NULL)
            return local_error (field, problem);
        }
        return TRUE;
      case F_BOOL:
        *out = json_node_init_boolean (
            json_node_alloc (), gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (field->widget)));
        return TRUE;
      case F_CATALOG:
      case F_CAP:
        {
          g_autofree char *code = kc_catalog_combo_dup_code (GTK_COMBO_BOX (field->widget));
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

/* Public API */

KcEditorFields *
kc_editor_fields_new (KcEditorTab tab, GtkGrid *grid, int *row, KcEditorSection *owner)
{
  KcEditorFields *self = g_new0 (KcEditorFields, 1);

  self->tab = tab;
  self->fields = g_array_new (FALSE, TRUE, sizeof (Field));
  for (gsize i = 0; i < G_N_ELEMENTS (FIELDS); i++)
    {
      const FieldSpec *spec = &FIELDS[i];
      Field field = { spec, NULL, NULL };
      GtkWidget *label = NULL;
      GtkWidget *widget = NULL;
      GtkWidget *attach;

      if (spec->tab != tab)
        continue;
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
              kc_form_money_entry (GTK_ENTRY (widget));
            g_signal_connect_object (widget, "changed", G_CALLBACK (kc_editor_section_changed),
                                     owner, G_CONNECT_SWAPPED);
            break;
          case F_LIST:
            {
              g_autoptr (GArray) columns = list_columns (spec->extra);

              widget = kc_list_grid_new ((const KcListColumn *)columns->data, columns->len,
                                         _ (spec->label));
              g_signal_connect_object (widget, "changed", G_CALLBACK (kc_editor_section_changed),
                                       owner, G_CONNECT_SWAPPED);
            }
            break;
          case F_LONG:
            widget = gtk_text_view_new ();
            gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (widget), GTK_WRAP_WORD_CHAR);
            gtk_widget_set_size_request (widget, -1, 60);
            g_signal_connect_object (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), "changed",
                                     G_CALLBACK (kc_editor_section_changed), owner,
                                     G_CONNECT_SWAPPED);
            break;
          case F_BOOL:
            widget = gtk_check_button_new_with_label (_ (spec->label));
            g_signal_connect_object (widget, "toggled", G_CALLBACK (kc_editor_section_changed),
                                     owner, G_CONNECT_SWAPPED);
            break;
          case F_CATALOG:
          case F_CAP:
            widget = kc_catalog_combo_new (NULL, spec->extra, _ (spec->label));
            g_signal_connect_object (widget, "changed", G_CALLBACK (kc_editor_section_changed),
                                     owner, G_CONNECT_SWAPPED);
            break;
          case F_CHOICE:
            widget = gtk_combo_box_text_new ();
            gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (widget), "selection",
                                       _ ("Selection of the implementer"));
            gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (widget), "bidding", _ ("Bidding"));
            gtk_combo_box_set_active_id (GTK_COMBO_BOX (widget), "selection");
            g_signal_connect_object (widget, "changed", G_CALLBACK (kc_editor_section_changed),
                                     owner, G_CONNECT_SWAPPED);
            break;
          default:
            g_assert_not_reached ();
        }
      kc_set_accessible_name (widget, _ (spec->label));
      field.widget = widget;
      field.error = kc_form_new_error_label ();
      attach = widget;
      if (spec->kind == F_LONG)
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
      gtk_grid_attach (grid, GTK_WIDGET (field.error), 1, *row + 1, 1, 1);
      *row += 2;
      g_array_append_val (self->fields, field);
    }
  return self;
}

void
kc_editor_fields_suggest (KcEditorFields *self, const char *member, GtkTreeModel *names)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = &g_array_index (self->fields, Field, i);

      if (field->spec->kind == F_TEXT && g_str_equal (field->spec->name, member))
        kc_suggest_attach (GTK_ENTRY (field->widget), names);
      else if (field->spec->kind == F_LIST)
        kc_list_grid_suggest (KC_LIST_GRID (field->widget), member, names);
    }
}

void
kc_editor_fields_free (KcEditorFields *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->fields);
  g_clear_pointer (&self->catalog, json_object_unref);
  g_free (self->content);
  g_free (self);
}

void
kc_editor_fields_set_catalog (KcEditorFields *self, JsonObject *catalog)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = &g_array_index (self->fields, Field, i);
      g_autofree char *code = NULL;

      if (field->spec->kind == F_CAP)
        {
          if (self->catalog != catalog)
            {
              g_clear_pointer (&self->catalog, json_object_unref);
              self->catalog = catalog != NULL ? json_object_ref (catalog) : NULL;
            }
          fields_fill_caps (self, field);
          continue;
        }
      if (field->spec->kind != F_CATALOG)
        continue;
      code = kc_catalog_combo_dup_code (GTK_COMBO_BOX (field->widget));
      kc_catalog_combo_fill (GTK_COMBO_BOX_TEXT (field->widget), catalog, field->spec->extra);
      kc_catalog_combo_set_code (GTK_COMBO_BOX (field->widget), code);
    }
}

void
kc_editor_fields_load (KcEditorFields *self, JsonObject *p)
{
  g_free (self->content);
  self->content = g_strdup (kc_json_string (p, "content_category"));
  self->year = (int)json_object_get_int_member_with_default (p, "year", 0);
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = &g_array_index (self->fields, Field, i);
      const char *name = field->spec->name;

      switch (field->spec->kind)
        {
          case F_TEXT:
            gtk_entry_set_text (GTK_ENTRY (field->widget),
                                kc_json_string (p, name) != NULL ? kc_json_string (p, name) : "");
            break;
          case F_DATE:
            {
              g_autofree char *text = kc_label_date (kc_json_string (p, name));
              gtk_entry_set_text (GTK_ENTRY (field->widget), text);
            }
            break;
          case F_MONEY:
            {
              g_autofree char *text
                  = json_object_has_member (p, name)
                            && !json_node_is_null (json_object_get_member (p, name))
                        ? kc_money_format_plain (kc_json_int (p, name))
                        : g_strdup ("");
              gtk_entry_set_text (GTK_ENTRY (field->widget), text);
            }
            break;
          case F_LONG:
            text_view_set (field->widget, kc_json_string (p, name));
            break;
          case F_LIST:
            kc_list_grid_set (KC_LIST_GRID (field->widget), kc_json_array (p, name));
            break;
          case F_BOOL:
            gtk_toggle_button_set_active (
                GTK_TOGGLE_BUTTON (field->widget),
                json_object_get_boolean_member_with_default (p, name, FALSE));
            break;
          case F_CAP:
            fields_fill_caps (self, field);
            kc_catalog_combo_set_code (GTK_COMBO_BOX (field->widget), kc_json_string (p, name));
            break;
          case F_CATALOG:
            kc_catalog_combo_set_code (GTK_COMBO_BOX (field->widget), kc_json_string (p, name));
            break;
          case F_CHOICE:
            gtk_combo_box_set_active_id (GTK_COMBO_BOX (field->widget),
                                         kc_json_string (p, name) != NULL ? kc_json_string (p, name)
                                                                          : "selection");
            break;
          default:
            break;
        }
    }
}

gboolean
kc_editor_fields_apply (KcEditorFields *self, JsonObject *params, JsonObject *before,
                        gboolean creating)
{
  gboolean ok = TRUE;

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = &g_array_index (self->fields, Field, i);
      JsonNode *value = NULL;
      JsonNode *was;

      if (!field_value (field, &value))
        {
          ok = FALSE;
          continue;
        }
      was = before != NULL ? json_object_get_member (before, field->spec->name) : NULL;
      if (creating)
        {
          if (value != NULL)
            json_object_set_member (params, field->spec->name, value);
        }
      else if (!same_value (value, was))
        json_object_set_member (params, field->spec->name,
                                value != NULL ? value : json_node_new (JSON_NODE_NULL));
      else if (value != NULL)
        json_node_unref (value);
    }
  return ok;
}

void
kc_editor_fields_clear_errors (KcEditorFields *self)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = &g_array_index (self->fields, Field, i);

      kc_form_set_label (field->error, NULL);
      gtk_style_context_remove_class (gtk_widget_get_style_context (field->widget), "kc-invalid");
    }
}

gboolean
kc_editor_fields_mark (KcEditorFields *self, const char *field_name, const char *text)
{
  g_autofree char *base = g_strndup (field_name, strcspn (field_name, "[."));

  /* The wire's list of contents is the form's main content. */
  if (g_str_equal (base, "content_categories"))
    {
      g_free (base);
      base = g_strdup ("content_category");
    }
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = &g_array_index (self->fields, Field, i);

      if (!g_str_equal (field->spec->name, base))
        continue;
      kc_form_set_label (field->error, text);
      gtk_style_context_add_class (gtk_widget_get_style_context (field->widget), "kc-invalid");
      atk_object_set_description (gtk_widget_get_accessible (field->widget), text);
      return TRUE;
    }
  return FALSE;
}

const char *
kc_editor_field_label (const char *member)
{
  for (gsize i = 0; i < G_N_ELEMENTS (FIELDS); i++)
    if (g_str_equal (FIELDS[i].name, member))
      return _ (FIELDS[i].label);
  return NULL;
}

char *
kc_editor_fields_changed_names (JsonObject *was_project, JsonObject *now)
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
      JsonNode *was = was_project != NULL ? json_object_get_member (was_project, name) : NULL;
      JsonNode *is = json_object_get_member (now, name);

      if ((was == NULL) != (is == NULL) || (was != NULL && !json_node_equal (was, is)))
        g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", _ (label));
    }
  return g_string_free (names, names->len == 0);
}
