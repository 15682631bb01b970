/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-catalog-page.c — KcCatalogPage: catalog.get, catalog.update,
 * catalog.add_cap.
 *
 * A support cap changes only through a recorded decision (issue 13 point
 * 9): saving a cap first asks for the decision's number, date and signer
 * (kc_ask) and sends it as "decision".
 *
 * The form is built from small tables of fields per section, as the
 * project editor's dossier is: one table keeps showing, reading and
 * placing objections in step.
 */
#include "kc-catalog-page.h"

#include "kc-lazy.h"
#include <glib/gi18n.h>

#include "kc-ask.h"

#include "kc-calls.h"
#include "kc-date.h"
#include "kc-error.h"
#include "kc-errors.h"
#include "kc-form.h"
#include "kc-labels.h"
#include "kc-money.h"
#include "kc-rpc.h"
#include "kc-table-page.h"
#include "kc-window.h"

typedef enum
{
  CF_TEXT,
  CF_LONG,
  CF_DATE,
  CF_CONFIDENCE,
  CF_NUMBER, /* two decimals: a percentage or a factor */
  CF_MONEY,
} CatKind;

typedef struct
{
  const char *name;  /* the wire member */
  const char *label; /* N_() */
  CatKind kind;
} CatField;

#define COMMON_FIELDS                                                                              \
  { "name_vi", N_ ("Name (Vietnamese)"), CF_TEXT }, { "legal_act", N_ ("Legal act"), CF_TEXT },    \
      { "confidence", N_ ("Confidence"), CF_CONFIDENCE },                                          \
      { "valid_to", N_ ("Valid until"), CF_DATE },                                                 \
  {                                                                                                \
    "note", N_ ("Note"), CF_LONG                                                                   \
  }

static const CatField COMMON[] = { COMMON_FIELDS, { NULL, NULL, 0 } };
static const CatField INDICATOR[]
    = { COMMON_FIELDS, { "unit_vi", N_ ("Unit"), CF_TEXT }, { NULL, NULL, 0 } };
static const CatField CAP[] = { COMMON_FIELDS,
                                { "pct_cap", N_ ("Percentage cap (%)"), CF_NUMBER },
                                { "abs_cap_vnd", N_ ("Amount cap (đồng)"), CF_MONEY },
                                { "priority_factor", N_ ("Priority factor"), CF_NUMBER },
                                { "unit", N_ ("Counted per"), CF_TEXT },
                                { "base", N_ ("Percentage of"), CF_TEXT },
                                { NULL, NULL, 0 } };
static const CatField ADD_CAP[] = { { "cap_code", N_ ("Cap code"), CF_TEXT },
                                    { "content_code", N_ ("Content code"), CF_TEXT },
                                    { "pct_cap", N_ ("Percentage cap (%)"), CF_NUMBER },
                                    { "abs_cap_vnd", N_ ("Amount cap (đồng)"), CF_MONEY },
                                    { "priority_factor", N_ ("Priority factor"), CF_NUMBER },
                                    { "unit", N_ ("Counted per"), CF_TEXT },
                                    { "base", N_ ("Percentage of"), CF_TEXT },
                                    { "legal_act", N_ ("Legal act"), CF_TEXT },
                                    { "valid_from", N_ ("Valid from"), CF_DATE },
                                    { "confidence", N_ ("Confidence"), CF_CONFIDENCE },
                                    { "note", N_ ("Note"), CF_LONG },
                                    { NULL, NULL, 0 } };

enum
{
  COL_KEY,
  COL_NAME,
  COL_DETAIL,
  COL_LEGAL_ACT,
  COL_VALIDITY,
  COL_CONFIDENCE,
  COL_INDEX,
  N_COLUMNS
};

typedef struct
{
  const CatField *spec;
  GtkWidget *widget; /* GtkEntry, GtkTextView or GtkComboBoxText */
  GtkLabel *error;
  char *shown; /* the text first shown: a field is sent only when it differs */
} FormField;

struct _KcCatalogPage
{
  GtkBox parent_instance;

  GtkComboBoxText *section_combo;
  GtkSpinner *spinner;
  GtkButton *add_cap_button;
  GtkInfoBar *message_bar;
  GtkLabel *message_label;
  GtkButton *reload_button;
  GtkTreeView *view;
  GtkLabel *form_title;
  GtkGrid *form_grid;
  GtkButton *save_button;

  GtkListStore *store;
  GArray *form; /* FormField */
  KcSession *session;
  GCancellable *cancellable;
  JsonObject *catalog; /* (nullable) as last read */
  JsonObject *row;     /* (nullable) the row in the form; NULL when adding a cap */
  gboolean adding;
  int busy;
};

G_DEFINE_TYPE (KcCatalogPage, kc_catalog_page, GTK_TYPE_BOX)

/* Helpers */

static void
set_busy (KcCatalogPage *self, gboolean busy)
{
  gboolean idle = kc_form_count_busy (&self->busy, busy, self->spinner);

  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button),
                            idle && (self->row != NULL || self->adding));
}

static void
show_message (KcCatalogPage *self, GtkMessageType type, const char *text, gboolean offer_reload)
{
  kc_form_show_message (self->message_bar, self->message_label, GTK_WIDGET (self->reload_button),
                        type, text, offer_reload);
}

static const char *
section (KcCatalogPage *self)
{
  const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->section_combo));

  return id != NULL ? id : "content_categories";
}

static gboolean
keyed_by_id (const char *name)
{
  return g_str_equal (name, "support_caps") || g_str_equal (name, "calendar_rules");
}

static const CatField *
fields_of (const char *name)
{
  if (g_str_equal (name, "indicators"))
    return INDICATOR;
  if (g_str_equal (name, "support_caps"))
    return CAP;
  return COMMON;
}

/* Two decimals with a comma, as Vietnamese writes them; whole numbers bare. */
static char *
number_vn (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  char *text;

  if (value == (double)(gint64)value)
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64)value);
  text = g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.2f", value));
  g_strdelimit (text, ".", ',');
  return text;
}

/* A member as the form and the list show it. */
static char *
value_text (JsonObject *row, const CatField *spec)
{
  JsonNode *node = row != NULL ? json_object_get_member (row, spec->name) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node) || !JSON_NODE_HOLDS_VALUE (node))
    return g_strdup ("");
  switch (spec->kind)
    {
      case CF_DATE:
        return kc_label_date (json_node_get_string (node));
      case CF_NUMBER:
        return number_vn (json_node_get_double (node));
      case CF_MONEY:
        return kc_money_format_plain (json_node_get_int (node));
      case CF_TEXT:
      case CF_LONG:
      case CF_CONFIDENCE:
      default:
        if (json_node_get_value_type (node) == G_TYPE_STRING)
          return g_strdup (json_node_get_string (node));
        return kc_json_to_string (node, FALSE);
    }
}

static const char *
confidence_label (const char *code)
{
  return kc_label_confidence (code);
}

/* The list */

static void
fill_list (KcCatalogPage *self)
{
  const char *name = section (self);
  JsonArray *rows = self->catalog != NULL && json_object_has_member (self->catalog, name)
                        ? json_object_get_array_member (self->catalog, name)
                        : NULL;

  gtk_list_store_clear (self->store);
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      g_autofree char *key = NULL;
      g_autofree char *detail = NULL;
      g_autofree char *from
          = kc_label_date (json_object_get_string_member_with_default (row, "valid_from", NULL));
      g_autofree char *to
          = kc_label_date (json_object_get_string_member_with_default (row, "valid_to", NULL));
      g_autofree char *validity = NULL;

      if (g_str_equal (name, "support_caps"))
        {
          g_autofree char *pct = value_text (row, &CAP[5]);
          g_autofree char *amount = NULL;

          key = g_strdup_printf (
              "%s · %s", json_object_get_string_member_with_default (row, "cap_code", ""),
              json_object_get_string_member_with_default (row, "content_code", "—"));
          if (json_object_has_member (row, "abs_cap_vnd")
              && !json_object_get_null_member (row, "abs_cap_vnd"))
            amount = kc_money_format (json_object_get_int_member (row, "abs_cap_vnd"));
          /* TRANSLATORS: a support cap: percentage and amount, either may be empty */
          detail = g_strdup_printf (_ ("%s%% · %s"), pct[0] != '\0' ? pct : "—",
                                    amount != NULL ? amount : "—");
        }
      else
        {
          key = g_strdup (json_object_get_string_member_with_default (row, "code", ""));
          detail = g_strdup (json_object_get_string_member_with_default (row, "unit_vi", ""));
        }
      /* TRANSLATORS: a row's validity, from – to (to may be empty: still in force) */
      validity = g_strdup_printf (_ ("%s – %s"), from, to);
      gtk_list_store_insert_with_values (
          self->store, NULL, -1, COL_KEY, key, COL_NAME,
          json_object_get_string_member_with_default (row, "name_vi", ""), COL_DETAIL, detail,
          COL_LEGAL_ACT, json_object_get_string_member_with_default (row, "legal_act", ""),
          COL_VALIDITY, validity, COL_CONFIDENCE,
          confidence_label (json_object_get_string_member_with_default (row, "confidence", NULL)),
          COL_INDEX, (int)i, -1);
    }
}

/* The form */

static void
form_field_clear (gpointer data)
{
  g_free (((FormField *)data)->shown);
}

static char *
widget_text (GtkWidget *widget)
{
  if (GTK_IS_ENTRY (widget))
    return g_strdup (gtk_entry_get_text (GTK_ENTRY (widget)));
  if (GTK_IS_TEXT_VIEW (widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    }
  return g_strdup (gtk_combo_box_get_active_id (GTK_COMBO_BOX (widget)) != NULL
                       ? gtk_combo_box_get_active_id (GTK_COMBO_BOX (widget))
                       : "");
}

static void
build_form (KcCatalogPage *self, const CatField *specs, JsonObject *row)
{
  GList *children = gtk_container_get_children (GTK_CONTAINER (self->form_grid));

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  g_list_free (children);
  g_array_set_size (self->form, 0);
  for (int i = 0; specs[i].name != NULL; i++)
    {
      FormField field = { &specs[i], NULL, NULL, value_text (row, &specs[i]) };
      GtkWidget *label = gtk_label_new (_ (specs[i].label));
      GtkWidget *error = gtk_label_new (NULL);
      GtkWidget *attach;

      switch (specs[i].kind)
        {
          case CF_LONG:
            {
              GtkWidget *scroll = gtk_scrolled_window_new (NULL, NULL);

              field.widget = gtk_text_view_new ();
              gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (field.widget), GTK_WRAP_WORD_CHAR);
              gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (field.widget)),
                                        field.shown, -1);
              gtk_scrolled_window_set_shadow_type (GTK_SCROLLED_WINDOW (scroll), GTK_SHADOW_IN);
              gtk_widget_set_size_request (scroll, -1, 80);
              gtk_container_add (GTK_CONTAINER (scroll), field.widget);
              attach = scroll;
              break;
            }
          case CF_CONFIDENCE:
            field.widget = gtk_combo_box_text_new ();
            gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (field.widget), "C", _ ("Confirmed"));
            gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (field.widget), "P", _ ("Probable"));
            gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (field.widget), "U", _ ("Unverified"));
            gtk_combo_box_set_active_id (GTK_COMBO_BOX (field.widget), field.shown);
            attach = field.widget;
            break;
          default:
            field.widget = gtk_entry_new ();
            gtk_entry_set_text (GTK_ENTRY (field.widget), field.shown);
            if (specs[i].kind == CF_DATE)
              gtk_entry_set_placeholder_text (GTK_ENTRY (field.widget), _ ("dd/mm/yyyy"));
            if (specs[i].kind == CF_MONEY)
              kc_form_money_entry (GTK_ENTRY (field.widget));
            gtk_widget_set_hexpand (field.widget, TRUE);
            gtk_entry_set_width_chars (GTK_ENTRY (field.widget), 16);
            attach = field.widget;
            break;
        }
      /* What "shown" means for a combo: its id, as widget_text() reads it. */
      g_free (field.shown);
      field.shown = widget_text (field.widget);
      atk_object_set_name (gtk_widget_get_accessible (field.widget), _ (specs[i].label));
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_label_set_yalign (GTK_LABEL (label), 0);
      gtk_label_set_mnemonic_widget (GTK_LABEL (label), field.widget);
      gtk_label_set_xalign (GTK_LABEL (error), 0);
      gtk_label_set_line_wrap (GTK_LABEL (error), TRUE);
      gtk_style_context_add_class (gtk_widget_get_style_context (error), "kc-field-error");
      field.error = GTK_LABEL (error);
      gtk_grid_attach (self->form_grid, label, 0, 2 * i, 1, 1);
      gtk_grid_attach (self->form_grid, attach, 1, 2 * i, 1, 1);
      gtk_grid_attach (self->form_grid, error, 1, 2 * i + 1, 1, 1);
      gtk_widget_show_all (label);
      gtk_widget_show_all (attach);
      g_array_append_val (self->form, field);
    }
}

static void
clear_errors (KcCatalogPage *self)
{
  for (guint i = 0; i < self->form->len; i++)
    {
      FormField *field = &g_array_index (self->form, FormField, i);

      gtk_label_set_text (field->error, "");
      gtk_widget_hide (GTK_WIDGET (field->error));
      gtk_style_context_remove_class (gtk_widget_get_style_context (field->widget), "error");
      atk_object_set_description (gtk_widget_get_accessible (field->widget), "");
    }
}

static gboolean
show_on_field (KcCatalogPage *self, const char *name, const char *text)
{
  if (g_str_has_prefix (name, "fields."))
    name += strlen ("fields.");
  for (guint i = 0; i < self->form->len; i++)
    {
      FormField *field = &g_array_index (self->form, FormField, i);

      if (!g_str_equal (field->spec->name, name))
        continue;
      gtk_label_set_text (field->error, text);
      gtk_widget_show (GTK_WIDGET (field->error));
      gtk_style_context_add_class (gtk_widget_get_style_context (field->widget), "error");
      atk_object_set_description (gtk_widget_get_accessible (field->widget), text);
      return TRUE;
    }
  return FALSE;
}

static void
show_row (KcCatalogPage *self, JsonObject *row)
{
  g_autofree char *title = NULL;
  g_autofree char *version = NULL;

  self->adding = FALSE;
  g_clear_pointer (&self->row, json_object_unref);
  if (row == NULL)
    {
      build_form (self, (const CatField[]){ { NULL, NULL, 0 } }, NULL);
      gtk_label_set_text (self->form_title, _ ("Choose a row to correct it."));
      gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
      return;
    }
  self->row = json_object_ref (row);
  build_form (self, fields_of (section (self)), row);
  /* TRANSLATORS: the form's title: the row's code (or cap code) and version */
  version = g_strdup_printf ("%" G_GINT64_FORMAT,
                             json_object_get_int_member_with_default (row, "version", 0));
  title = g_strdup_printf (_ ("Correct %s (version %s)"),
                           json_object_get_string_member_with_default (
                               row, keyed_by_id (section (self)) ? "cap_code" : "code", ""),
                           version);
  gtk_label_set_text (self->form_title, title);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), self->busy == 0);
}

/* Reads a field into a JSON value (NULL node for an empty field); FALSE
 * with the objection on the field when the text cannot be read. */
static gboolean
read_field (KcCatalogPage *self, FormField *field, JsonNode **out)
{
  g_autofree char *text = g_strstrip (widget_text (field->widget));

  *out = NULL;
  if (text[0] == '\0')
    {
      *out = json_node_new (JSON_NODE_NULL);
      return TRUE;
    }
  switch (field->spec->kind)
    {
      case CF_DATE:
        {
          GDate date;
          g_autofree char *iso = NULL;

          if (!kc_date_parse_vn (text, &date))
            {
              show_on_field (self, field->spec->name, _ ("Enter a date as dd/mm/yyyy."));
              return FALSE;
            }
          iso = kc_date_format_iso (&date);
          *out = json_node_init_string (json_node_alloc (), iso);
          return TRUE;
        }
      case CF_NUMBER:
        {
          char *end = NULL;
          double value;

          g_strdelimit (text, ",", '.');
          value = g_ascii_strtod (text, &end);
          if (end == text || *end != '\0')
            {
              show_on_field (self, field->spec->name, _ ("Enter a number, e.g. 50 or 1,5."));
              return FALSE;
            }
          *out = json_node_init_double (json_node_alloc (), value);
          return TRUE;
        }
      case CF_MONEY:
        {
          gint64 amount;

          if (!kc_money_parse (text, &amount, NULL))
            {
              show_on_field (self, field->spec->name,
                             _ ("Enter an amount in đồng, e.g. 1.234.567."));
              return FALSE;
            }
          *out = json_node_init_int (json_node_alloc (), amount);
          return TRUE;
        }
      case CF_TEXT:
      case CF_LONG:
      case CF_CONFIDENCE:
      default:
        *out = json_node_init_string (json_node_alloc (), text);
        return TRUE;
    }
}

/* Calls */

static void load (KcCatalogPage *self);

static void
show_failure (KcCatalogPage *self, const GError *error, JsonNode *data)
{
  JsonObject *object
      = data != NULL && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  int unplaced = 0;

  if (g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_CONFLICT))
    {
      show_message (self, GTK_MESSAGE_WARNING,
                    _ ("Someone else changed this row meanwhile. Reload to see the change "
                       "(yours is not saved)."),
                    TRUE);
      return;
    }
  if (object != NULL)
    for (int pass = 0; pass < 2; pass++)
      {
        const char *member = pass == 0 ? "fields" : "violations";
        /* -32602 sends fields, 1022 violations: never both. */
        JsonArray *items = json_object_has_member (object, member)
                               ? json_object_get_array_member (object, member)
                               : NULL;

        for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
          {
            JsonObject *item = json_array_get_object_element (items, i);
            const char *field = json_object_get_string_member_with_default (item, "field", "");
            g_autofree char *why = kc_errors_describe_violation (item, FALSE);
            g_autofree char *text = g_strdup_printf (_ ("Not accepted: %s"), why);

            if (!show_on_field (self, field, text))
              unplaced++;
          }
      }
  if (object == NULL || unplaced > 0
      || g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_NOT_FOUND)
      || (!g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_PARAMS)
          && !g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_RULE)))
    {
      g_autofree char *text = kc_describe_error (error);
      show_message (self, GTK_MESSAGE_ERROR, text, FALSE);
    }
  else
    show_message (self, GTK_MESSAGE_ERROR, _ ("Not saved: see the marks on the fields."), FALSE);
}

static void
get_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcCatalogPage *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL)
        show_failure (self, error, data);
      return;
    }
  g_clear_pointer (&self->catalog, json_object_unref);
  self->catalog = json_object_ref (json_node_get_object (reply));
  fill_list (self);
  if (!self->adding)
    show_row (self, NULL);
}

static void
load (KcCatalogPage *self)
{
  if (!kc_lazy_ready (GTK_WIDGET (self)))
    return;
  set_busy (self, TRUE);
  kc_session_catalog_get_async (self->session, self->cancellable, get_done_cb, self);
}

static void
save_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcCatalogPage *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);
  JsonObject *row;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL)
        show_failure (self, error, data);
      return;
    }
  if (self->adding)
    {
      JsonObject *cap = json_object_get_object_member (json_node_get_object (reply), "cap");
      g_autofree char *from = kc_label_date (
          cap != NULL ? json_object_get_string_member_with_default (cap, "valid_from", NULL)
                      : NULL);
      g_autofree char *text = g_strdup_printf (
          _ ("The new cap %s is in force from %s; the row it replaces closes the day before."),
          cap != NULL ? json_object_get_string_member_with_default (cap, "cap_code", "") : "",
          from);

      self->adding = FALSE;
      show_message (self, GTK_MESSAGE_INFO, text, FALSE);
      show_row (self, NULL);
      load (self);
      return;
    }
  row = json_node_get_object (reply);
  /* The list and the form show the row as saved, version + 1. */
  {
    JsonArray *rows = json_object_get_array_member (self->catalog, section (self));

    for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
      {
        JsonNode *element = json_array_get_element (rows, i);
        JsonObject *old = json_node_get_object (element);
        const char *key = keyed_by_id (section (self)) ? "id" : "code";

        if (json_node_equal (json_object_get_member (old, key), json_object_get_member (row, key)))
          json_node_set_object (element, row);
      }
  }
  fill_list (self);
  show_row (self, row);
  show_message (self, GTK_MESSAGE_INFO, _ ("Saved."), FALSE);
}

static void
send_save (KcCatalogPage *self, JsonNode *node)
{
  set_busy (self, TRUE);
  (self->adding ? kc_session_catalog_add_cap_async : kc_session_catalog_update_async) (
      self->session, node, self->cancellable, save_done_cb, self);
}

/* Callbacks */

/* The decision a cap changes by into the params (@data, the call's
 * params node), and the call sent. */
static void
decision_answered_cb (GObject *owner, JsonObject *decision, gpointer data)
{
  KcCatalogPage *self = KC_CATALOG_PAGE (owner);

  json_object_set_object_member (json_node_get_object (data), "decision",
                                 json_object_ref (decision));
  send_save (self, data);
}

static void
on_save_clicked_cb (KcCatalogPage *self)
{
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (JsonObject) params = json_object_new ();
  g_autoptr (JsonNode) node = NULL;
  gboolean ok = TRUE;

  if (self->busy > 0 || (self->row == NULL && !self->adding))
    return;
  clear_errors (self);
  gtk_widget_hide (GTK_WIDGET (self->message_bar));
  for (guint i = 0; i < self->form->len; i++)
    {
      FormField *field = &g_array_index (self->form, FormField, i);
      g_autofree char *text = g_strstrip (widget_text (field->widget));
      JsonNode *value = NULL;

      /* A correction sends only what changed; a new cap everything given. */
      if (!self->adding && g_strcmp0 (text, g_strstrip (field->shown)) == 0)
        continue;
      if (self->adding && text[0] == '\0' && !g_str_equal (field->spec->name, "content_code"))
        continue;
      if (!read_field (self, field, &value))
        {
          ok = FALSE;
          continue;
        }
      json_object_set_member (fields, field->spec->name, value);
    }
  if (!ok)
    {
      show_message (self, GTK_MESSAGE_ERROR, _ ("Some fields cannot be read: see the marks."),
                    FALSE);
      return;
    }
  if (self->adding)
    node = json_node_init_object (json_node_alloc (), fields);
  else
    {
      if (json_object_get_size (fields) == 0)
        {
          show_message (self, GTK_MESSAGE_INFO, _ ("Nothing changed."), FALSE);
          return;
        }
      json_object_set_string_member (params, "section", section (self));
      if (keyed_by_id (section (self)))
        json_object_set_int_member (params, "key", json_object_get_int_member (self->row, "id"));
      else
        json_object_set_string_member (params, "key",
                                       json_object_get_string_member (self->row, "code"));
      json_object_set_int_member (params, "version",
                                  json_object_get_int_member (self->row, "version"));
      json_object_set_object_member (params, "fields", json_object_ref (fields));
      node = json_node_init_object (json_node_alloc (), params);
    }
  if (self->adding || g_str_equal (section (self), "support_caps"))
    {
      kc_ask_decision (GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))),
                       _ ("The decision that changes this cap"), G_OBJECT (self),
                       decision_answered_cb, g_steal_pointer (&node),
                       (GDestroyNotify)json_node_unref);
      return;
    }
  send_save (self, node);
}

static void
on_add_cap_clicked_cb (KcCatalogPage *self)
{
  g_autoptr (JsonObject) seed = json_object_new ();

  gtk_widget_hide (GTK_WIDGET (self->message_bar));
  /* A new value of the cap chosen in the list starts from its values. */
  if (self->row != NULL && g_str_equal (section (self), "support_caps"))
    {
      const char *copy[] = { "cap_code",        "content_code", "pct_cap", "abs_cap_vnd",
                             "priority_factor", "unit",         "base",    "legal_act" };

      for (gsize i = 0; i < G_N_ELEMENTS (copy); i++)
        if (json_object_has_member (self->row, copy[i]))
          json_object_set_member (seed, copy[i],
                                  json_node_copy (json_object_get_member (self->row, copy[i])));
    }
  g_clear_pointer (&self->row, json_object_unref);
  self->adding = TRUE;
  build_form (self, ADD_CAP, seed);
  gtk_label_set_text (self->form_title, _ ("New support cap: the value in force from a day on"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), self->busy == 0);
}

static void
on_selection_changed_cb (GtkTreeSelection *selection, gpointer user_data)
{
  KcCatalogPage *self = user_data;
  GtkTreeModel *model;
  GtkTreeIter iter;
  JsonArray *rows;
  int index;

  if (!gtk_tree_selection_get_selected (selection, &model, &iter) || self->catalog == NULL)
    return;
  gtk_tree_model_get (model, &iter, COL_INDEX, &index, -1);
  rows = json_object_get_array_member (self->catalog, section (self));
  if (rows == NULL || index < 0 || (guint)index >= json_array_get_length (rows))
    return;
  gtk_widget_hide (GTK_WIDGET (self->message_bar));
  show_row (self, json_array_get_object_element (rows, index));
}

/* Enter or a double-click chooses the row as a click does. */
static void
on_row_activated_cb (GtkTreeView *view, GtkTreePath *path, GtkTreeViewColumn *column,
                     gpointer user_data)
{
  gtk_tree_selection_select_path (gtk_tree_view_get_selection (view), path);
}

static void
on_section_changed_cb (KcCatalogPage *self)
{
  self->adding = FALSE;
  show_row (self, NULL);
  fill_list (self);
}

static void
on_message_bar_response_cb (KcCatalogPage *self, int response)
{
  gtk_widget_hide (GTK_WIDGET (self->message_bar));
}

static void
on_reload_clicked_cb (KcCatalogPage *self)
{
  gtk_widget_hide (GTK_WIDGET (self->message_bar));
  self->adding = FALSE;
  load (self);
}

/* GObject */

static void
kc_catalog_page_dispose (GObject *object)
{
  KcCatalogPage *self = KC_CATALOG_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->session);
  g_clear_pointer (&self->catalog, json_object_unref);
  g_clear_pointer (&self->row, json_object_unref);
  g_clear_pointer (&self->form, g_array_unref);
  G_OBJECT_CLASS (kc_catalog_page_parent_class)->dispose (object);
}

static void
kc_catalog_page_class_init (KcCatalogPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kc_catalog_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-catalog-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KcCatalogPage, section_combo);
  gtk_widget_class_bind_template_child (widget_class, KcCatalogPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, KcCatalogPage, add_cap_button);
  gtk_widget_class_bind_template_child (widget_class, KcCatalogPage, message_bar);
  gtk_widget_class_bind_template_child (widget_class, KcCatalogPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, KcCatalogPage, reload_button);
  gtk_widget_class_bind_template_child (widget_class, KcCatalogPage, view);
  gtk_widget_class_bind_template_child (widget_class, KcCatalogPage, form_title);
  gtk_widget_class_bind_template_child (widget_class, KcCatalogPage, form_grid);
  gtk_widget_class_bind_template_child (widget_class, KcCatalogPage, save_button);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_cap_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_section_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_message_bar_response_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_reload_clicked_cb);
}

static void
kc_catalog_page_init (KcCatalogPage *self)
{
  const char *titles[] = { N_ ("Code"),      N_ ("Name (Vietnamese)"), N_ ("Unit or cap"),
                           N_ ("Legal act"), N_ ("Validity"),          N_ ("Confidence") };

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->form = g_array_new (FALSE, TRUE, sizeof (FormField));
  g_array_set_clear_func (self->form, form_field_clear);
  self->store = gtk_list_store_new (N_COLUMNS, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                                    G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_INT);
  gtk_tree_view_set_model (self->view, GTK_TREE_MODEL (self->store));
  for (int i = 0; i < COL_INDEX; i++)
    {
      GtkCellRenderer *renderer = gtk_cell_renderer_text_new ();
      GtkTreeViewColumn *column
          = gtk_tree_view_column_new_with_attributes (_ (titles[i]), renderer, "text", i, NULL);

      gtk_tree_view_column_set_resizable (column, TRUE);
      gtk_tree_view_column_set_sort_column_id (column, i);
      gtk_tree_view_append_column (self->view, column);
      /* A content's name runs to 200 characters: it takes what the other
       * columns leave, 240 px at least, and wraps there. */
      if (i == COL_NAME || i == COL_LEGAL_ACT)
        kc_table_wrap_column (self->view, column, i == COL_NAME ? 240 : 120);
      /* "Đơn vị tính / hoặc mức" over "30 %" or "70.000.000 ₫". */
      if (i == COL_DETAIL)
        kc_table_two_line_title (self->view, column, "1.500.000.000 ₫");
    }
  g_signal_connect (gtk_tree_view_get_selection (self->view), "changed",
                    G_CALLBACK (on_selection_changed_cb), self);
  g_signal_connect (self->view, "row-activated", G_CALLBACK (on_row_activated_cb), self);
}

/* Public API */

KcCatalogPage *
kc_catalog_page_new (KcSession *session)
{
  KcCatalogPage *self = g_object_new (KC_TYPE_CATALOG_PAGE, NULL);

  self->session = g_object_ref (session);
  /* The first reading when first shown (issue 17, point 7). */
  kc_lazy_init (GTK_WIDGET (self), G_CALLBACK (load));
  return self;
}

void
kc_catalog_page_refresh (KcCatalogPage *self)
{
  g_return_if_fail (KC_IS_CATALOG_PAGE (self));
  gtk_widget_hide (GTK_WIDGET (self->message_bar));
  load (self);
}
