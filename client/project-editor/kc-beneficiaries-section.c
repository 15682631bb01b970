/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-beneficiaries-section.c — KcBeneficiariesSection and its rows (see the
 * header).
 */
#include "kc-beneficiaries-section.h"

#include <glib/gi18n.h>

#include "kc-editor-rows.h"
#include "kc-editor-section.h"
#include "kc-form.h"
#include "kc-json.h"
#include "kc-labels.h"
#include "kc-window.h"

/* One beneficiary: name, kind, tax code, commune. */
#define KC_TYPE_BENEFICIARY_ROW (kc_beneficiary_row_get_type ())
G_DECLARE_FINAL_TYPE (KcBeneficiaryRow, kc_beneficiary_row, KC, BENEFICIARY_ROW, GtkBox)

struct _KcBeneficiaryRow
{
  GtkBox parent_instance;

  GtkEntry *name;
  GtkComboBox *kind;
  GtkEntry *tax_code;
  GtkEntry *commune;
};

G_DEFINE_TYPE (KcBeneficiaryRow, kc_beneficiary_row, GTK_TYPE_BOX)

static void
kc_beneficiary_row_class_init (KcBeneficiaryRowClass *klass)
{
}

static void
kc_beneficiary_row_init (KcBeneficiaryRow *self)
{
  gtk_box_set_spacing (GTK_BOX (self), 6);
}

struct _KcBeneficiariesSection
{
  GtkBox parent_instance;

  GtkBox *rows; /* of KcBeneficiaryRow */
  GtkLabel *error;
};

static void kc_beneficiaries_section_iface_init (KcEditorSectionInterface *iface);

G_DEFINE_TYPE_WITH_CODE (KcBeneficiariesSection, kc_beneficiaries_section, GTK_TYPE_BOX,
                         G_IMPLEMENT_INTERFACE (KC_TYPE_EDITOR_SECTION,
                                                kc_beneficiaries_section_iface_init))

/* Helpers */

static void
add_row (KcBeneficiariesSection *self, JsonObject *item)
{
  static const char *kinds[]
      = { "enterprise", "cooperative", "cooperative_group", "household_business" };
  KcEditorSection *owner = KC_EDITOR_SECTION (self);
  int n = kc_editor_rows_next_number (self->rows);
  g_autofree char *name_name = g_strdup_printf (_ ("Beneficiary name %d"), n);
  g_autofree char *kind_name = g_strdup_printf (_ ("Beneficiary kind %d"), n);
  g_autofree char *tax_name = g_strdup_printf (_ ("Tax code %d"), n);
  g_autofree char *commune_name = g_strdup_printf (_ ("Commune %d"), n);
  g_autofree char *remove_name = g_strdup_printf (_ ("Remove beneficiary %d"), n);
  KcBeneficiaryRow *row = g_object_new (KC_TYPE_BENEFICIARY_ROW, NULL);
  GtkWidget *kind = gtk_combo_box_text_new ();
  const char *current = item != NULL ? kc_json_string (item, "kind") : NULL;

  kc_editor_row_add (self->rows, GTK_BOX (row), remove_name, owner);
  row->name = kc_editor_row_entry (GTK_BOX (row), owner, name_name, 30,
                                   item != NULL ? kc_json_string (item, "name") : NULL, TRUE);
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (kind), kinds[i],
                               kc_label_beneficiary_kind (kinds[i]));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (kind), current != NULL ? current : "enterprise");
  kc_set_accessible_name (kind, kind_name);
  g_signal_connect_object (kind, "changed", G_CALLBACK (kc_editor_section_changed), owner,
                           G_CONNECT_SWAPPED);
  row->kind = GTK_COMBO_BOX (kind);
  gtk_box_pack_start (GTK_BOX (row), kind, FALSE, FALSE, 0);
  row->tax_code
      = kc_editor_row_entry (GTK_BOX (row), owner, tax_name, 14,
                             item != NULL ? kc_json_string (item, "tax_code") : NULL, FALSE);
  row->commune
      = kc_editor_row_entry (GTK_BOX (row), owner, commune_name, 18,
                             item != NULL ? kc_json_string (item, "commune") : NULL, FALSE);
  gtk_widget_show_all (GTK_WIDGET (row));
}

/* Callbacks */

static void
on_add_clicked_cb (KcBeneficiariesSection *self)
{
  add_row (self, NULL);
  kc_editor_section_changed (KC_EDITOR_SECTION (self));
}

/* KcEditorSection */

static void
kc_beneficiaries_section_load (KcEditorSection *section, JsonObject *project)
{
  KcBeneficiariesSection *self = KC_BENEFICIARIES_SECTION (section);
  JsonArray *items = kc_json_array (project, "beneficiaries");

  kc_editor_rows_clear (self->rows);
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    add_row (self, json_array_get_object_element (items, i));
}

static gboolean
kc_beneficiaries_section_apply (KcEditorSection *section, JsonObject *params, JsonObject *before,
                                gboolean creating)
{
  KcBeneficiariesSection *self = KC_BENEFICIARIES_SECTION (section);
  JsonArray *beneficiaries = json_array_new ();
  GList *rows = gtk_container_get_children (GTK_CONTAINER (self->rows));

  for (GList *l = rows; l != NULL; l = l->next)
    {
      KcBeneficiaryRow *row = KC_BENEFICIARY_ROW (l->data);
      const char *members[] = { "name", "tax_code", "commune" };
      GtkEntry *entries[] = { row->name, row->tax_code, row->commune };
      JsonObject *item = json_object_new ();

      for (gsize m = 0; m < G_N_ELEMENTS (members); m++)
        {
          g_autofree char *text = g_strstrip (g_strdup (gtk_entry_get_text (entries[m])));
          if (text[0] != '\0' || m == 0)
            json_object_set_string_member (item, members[m], text);
        }
      json_object_set_string_member (item, "kind", gtk_combo_box_get_active_id (row->kind));
      json_array_add_object_element (beneficiaries, item);
    }
  g_list_free (rows);
  json_object_set_array_member (params, "beneficiaries", beneficiaries);
  return TRUE;
}

static void
kc_beneficiaries_section_clear_errors (KcEditorSection *section)
{
  kc_form_set_label (KC_BENEFICIARIES_SECTION (section)->error, NULL);
}

static gboolean
kc_beneficiaries_section_mark (KcEditorSection *section, const char *field, const char *text)
{
  if (!g_str_has_prefix (field, "beneficiaries"))
    return FALSE;
  kc_form_set_label (KC_BENEFICIARIES_SECTION (section)->error, text);
  return TRUE;
}

static void
kc_beneficiaries_section_iface_init (KcEditorSectionInterface *iface)
{
  iface->load = kc_beneficiaries_section_load;
  iface->apply = kc_beneficiaries_section_apply;
  iface->clear_errors = kc_beneficiaries_section_clear_errors;
  iface->mark = kc_beneficiaries_section_mark;
}

/* GObject overrides */

static void
kc_beneficiaries_section_class_init (KcBeneficiariesSectionClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/vn/gov/moit/KhuyenCong/ui/kc-beneficiaries-section.ui");
  gtk_widget_class_bind_template_child (widget_class, KcBeneficiariesSection, rows);
  gtk_widget_class_bind_template_child (widget_class, KcBeneficiariesSection, error);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked_cb);
}

static void
kc_beneficiaries_section_init (KcBeneficiariesSection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
