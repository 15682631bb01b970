/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-indicators-section.c — KcIndicatorsSection and its rows (see the header).
 */
#include "kc-indicators-section.h"

#include <glib/gi18n.h>

#include "kc-editor-fields.h"
#include "kc-editor-rows.h"
#include "kc-editor-section.h"
#include "kc-form.h"
#include "kc-json.h"
#include "kc-money.h"

/* One indicator: its code, its target, what was achieved (read only). */
#define KC_TYPE_INDICATOR_ROW (kc_indicator_row_get_type ())
G_DECLARE_FINAL_TYPE (KcIndicatorRow, kc_indicator_row, KC, INDICATOR_ROW, GtkBox)

struct _KcIndicatorRow
{
  GtkBox parent_instance;

  GtkComboBox *code;
  GtkEntry *target;
};

G_DEFINE_TYPE (KcIndicatorRow, kc_indicator_row, GTK_TYPE_BOX)

static void
kc_indicator_row_class_init (KcIndicatorRowClass *klass)
{
}

static void
kc_indicator_row_init (KcIndicatorRow *self)
{
  gtk_box_set_spacing (GTK_BOX (self), 6);
}

struct _KcIndicatorsSection
{
  GtkBox parent_instance;

  GtkBox *rows; /* of KcIndicatorRow */
  GtkLabel *error;
  JsonObject *catalog; /* (nullable) for the rows' code choosers */
};

static void kc_indicators_section_iface_init (KcEditorSectionInterface *iface);

G_DEFINE_TYPE_WITH_CODE (KcIndicatorsSection, kc_indicators_section, GTK_TYPE_BOX,
                         G_IMPLEMENT_INTERFACE (KC_TYPE_EDITOR_SECTION,
                                                kc_indicators_section_iface_init))

/* Helpers */

static void
add_row (KcIndicatorsSection *self, JsonObject *item)
{
  KcEditorSection *owner = KC_EDITOR_SECTION (self);
  int n = kc_editor_rows_next_number (self->rows);
  g_autofree char *code_name = g_strdup_printf (_ ("Indicator %d"), n);
  g_autofree char *target_name = g_strdup_printf (_ ("Target %d"), n);
  g_autofree char *remove_name = g_strdup_printf (_ ("Remove indicator %d"), n);
  g_autofree char *target = NULL;
  g_autofree char *achieved = NULL;
  KcIndicatorRow *row = g_object_new (KC_TYPE_INDICATOR_ROW, NULL);
  GtkWidget *combo = kc_catalog_combo_new (self->catalog, "indicators", code_name);
  GtkWidget *label;

  kc_editor_row_add (self->rows, GTK_BOX (row), remove_name, owner);
  row->code = GTK_COMBO_BOX (combo);
  gtk_box_pack_start (GTK_BOX (row), combo, TRUE, TRUE, 0);
  if (item != NULL)
    {
      kc_catalog_combo_set_code (GTK_COMBO_BOX (combo), kc_json_string (item, "code"));
      target = g_strdup_printf ("%" G_GINT64_FORMAT, kc_json_int (item, "target"));
      if (json_object_has_member (item, "achieved")
          && !json_node_is_null (json_object_get_member (item, "achieved")))
        {
          g_autofree char *value
              = g_strdup_printf ("%" G_GINT64_FORMAT, kc_json_int (item, "achieved"));

          /* TRANSLATORS: the achieved value of an indicator */
          achieved = g_strdup_printf (_ ("achieved %s"), value);
        }
    }
  g_signal_connect_object (combo, "changed", G_CALLBACK (kc_editor_section_changed), owner,
                           G_CONNECT_SWAPPED);
  row->target = kc_editor_row_entry (GTK_BOX (row), owner, target_name, 12, target, FALSE);
  label = gtk_label_new (achieved);
  gtk_box_pack_start (GTK_BOX (row), label, FALSE, FALSE, 0);
  gtk_widget_show_all (GTK_WIDGET (row));
}

/* Callbacks */

static void
on_add_clicked_cb (KcIndicatorsSection *self)
{
  add_row (self, NULL);
  kc_editor_section_changed (KC_EDITOR_SECTION (self));
}

/* KcEditorSection */

static void
kc_indicators_section_set_catalog (KcEditorSection *section, JsonObject *catalog)
{
  KcIndicatorsSection *self = KC_INDICATORS_SECTION (section);

  g_clear_pointer (&self->catalog, json_object_unref);
  self->catalog = catalog != NULL ? json_object_ref (catalog) : NULL;
}

static void
kc_indicators_section_load (KcEditorSection *section, JsonObject *project)
{
  KcIndicatorsSection *self = KC_INDICATORS_SECTION (section);
  JsonArray *items = kc_json_array (project, "indicators");

  kc_editor_rows_clear (self->rows);
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    add_row (self, json_array_get_object_element (items, i));
}

static gboolean
kc_indicators_section_apply (KcEditorSection *section, JsonObject *params, JsonObject *before,
                             gboolean creating)
{
  KcIndicatorsSection *self = KC_INDICATORS_SECTION (section);
  JsonArray *indicators = json_array_new ();
  GList *rows = gtk_container_get_children (GTK_CONTAINER (self->rows));
  gboolean ok = TRUE;

  for (GList *l = rows; l != NULL; l = l->next)
    {
      KcIndicatorRow *row = KC_INDICATOR_ROW (l->data);
      g_autofree char *code = kc_catalog_combo_dup_code (row->code);
      const char *target = gtk_entry_get_text (row->target);
      gint64 value = 0;
      JsonObject *item;

      if (code == NULL && target[0] == '\0')
        continue;
      if (target[0] != '\0' && !kc_money_parse (target, &value, NULL))
        {
          kc_form_set_label (self->error, _ ("A target is a whole number."));
          ok = FALSE;
        }
      item = json_object_new ();
      json_object_set_string_member (item, "code", code != NULL ? code : "");
      json_object_set_int_member (item, "target", value);
      json_array_add_object_element (indicators, item);
    }
  g_list_free (rows);
  json_object_set_array_member (params, "indicators", indicators);
  return ok;
}

static void
kc_indicators_section_clear_errors (KcEditorSection *section)
{
  kc_form_set_label (KC_INDICATORS_SECTION (section)->error, NULL);
}

static gboolean
kc_indicators_section_mark (KcEditorSection *section, const char *field, const char *text)
{
  if (!g_str_has_prefix (field, "indicators"))
    return FALSE;
  kc_form_set_label (KC_INDICATORS_SECTION (section)->error, text);
  return TRUE;
}

static void
kc_indicators_section_iface_init (KcEditorSectionInterface *iface)
{
  iface->set_catalog = kc_indicators_section_set_catalog;
  iface->load = kc_indicators_section_load;
  iface->apply = kc_indicators_section_apply;
  iface->clear_errors = kc_indicators_section_clear_errors;
  iface->mark = kc_indicators_section_mark;
}

/* GObject overrides */

static void
kc_indicators_section_finalize (GObject *object)
{
  g_clear_pointer (&KC_INDICATORS_SECTION (object)->catalog, json_object_unref);
  G_OBJECT_CLASS (kc_indicators_section_parent_class)->finalize (object);
}

static void
kc_indicators_section_class_init (KcIndicatorsSectionClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = kc_indicators_section_finalize;
  gtk_widget_class_set_template_from_resource (
      widget_class, "/vn/gov/moit/KhuyenCong/ui/kc-indicators-section.ui");
  gtk_widget_class_bind_template_child (widget_class, KcIndicatorsSection, rows);
  gtk_widget_class_bind_template_child (widget_class, KcIndicatorsSection, error);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked_cb);
}

static void
kc_indicators_section_init (KcIndicatorsSection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
