/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-dossier-section.c — KcDossierSection (see its header).
 */
#include "kc-dossier-section.h"

#include <glib/gi18n.h>

#include "kc-calls.h"
#include "kc-editor-fields.h"
#include "kc-editor-section.h"
#include "kc-form.h"
#include "kc-json.h"
#include "kc-labels.h"
#include "kc-org-directory.h"
#include "kc-suggest.h"
#include "kc-window.h"

struct _KcDossierSection
{
  GtkGrid parent_instance;

  KcEditorFields *fields;
  GtkComboBoxText *plan_combo; /* (nullable) new projects only */
  GtkLabel *plan_error;        /* (nullable) with the chooser */
  GtkWidget *plan_label;       /* the template's chooser, hidden until added */
  GtkComboBoxText *plan_chooser;
  GtkLabel *plan_error_label;
  GtkListStore *orgs;        /* (nullable) names offered for the implementer */
  GtkListStore *communes;    /* (nullable) names offered for a commune */
  KcOrgDirectory *directory; /* (nullable) */
  GCancellable *cancellable;
};

static void kc_dossier_section_iface_init (KcEditorSectionInterface *iface);

G_DEFINE_TYPE_WITH_CODE (KcDossierSection, kc_dossier_section, GTK_TYPE_GRID,
                         G_IMPLEMENT_INTERFACE (KC_TYPE_EDITOR_SECTION,
                                                kc_dossier_section_iface_init))

/* KcEditorSection */

static void
kc_dossier_section_set_catalog (KcEditorSection *section, JsonObject *catalog)
{
  kc_editor_fields_set_catalog (KC_DOSSIER_SECTION (section)->fields, catalog);
}

static void
kc_dossier_section_load (KcEditorSection *section, JsonObject *project)
{
  kc_editor_fields_load (KC_DOSSIER_SECTION (section)->fields, project);
}

static gboolean
kc_dossier_section_apply (KcEditorSection *section, JsonObject *params, JsonObject *before,
                          gboolean creating)
{
  return kc_editor_fields_apply (KC_DOSSIER_SECTION (section)->fields, params, before, creating);
}

static void
kc_dossier_section_clear_errors (KcEditorSection *section)
{
  KcDossierSection *self = KC_DOSSIER_SECTION (section);

  kc_editor_fields_clear_errors (self->fields);
  if (self->plan_error != NULL)
    kc_form_set_label (self->plan_error, NULL);
}

static gboolean
kc_dossier_section_mark (KcEditorSection *section, const char *field, const char *text)
{
  KcDossierSection *self = KC_DOSSIER_SECTION (section);

  if (g_str_equal (field, "plan_id") && self->plan_error != NULL)
    {
      kc_form_set_label (self->plan_error, text);
      return TRUE;
    }
  return kc_editor_fields_mark (self->fields, field, text);
}

static void
kc_dossier_section_iface_init (KcEditorSectionInterface *iface)
{
  iface->set_catalog = kc_dossier_section_set_catalog;
  iface->load = kc_dossier_section_load;
  iface->apply = kc_dossier_section_apply;
  iface->clear_errors = kc_dossier_section_clear_errors;
  iface->mark = kc_dossier_section_mark;
}

/* GObject overrides */

static void
kc_dossier_section_dispose (GObject *object)
{
  KcDossierSection *self = KC_DOSSIER_SECTION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->directory != NULL)
    g_signal_handlers_disconnect_by_data (self->directory, self);
  g_clear_object (&self->directory);
  G_OBJECT_CLASS (kc_dossier_section_parent_class)->dispose (object);
}

static void
kc_dossier_section_finalize (GObject *object)
{
  KcDossierSection *self = KC_DOSSIER_SECTION (object);

  g_clear_object (&self->orgs);
  g_clear_object (&self->communes);
  g_clear_pointer (&KC_DOSSIER_SECTION (object)->fields, kc_editor_fields_free);
  G_OBJECT_CLASS (kc_dossier_section_parent_class)->finalize (object);
}

static void
kc_dossier_section_class_init (KcDossierSectionClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kc_dossier_section_dispose;
  G_OBJECT_CLASS (klass)->finalize = kc_dossier_section_finalize;
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               "/vn/gov/moit/KhuyenCong/ui/kc-dossier-section.ui");
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), KcDossierSection, plan_label);
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), KcDossierSection, plan_chooser);
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), KcDossierSection,
                                        plan_error_label);
}

static void
kc_dossier_section_init (KcDossierSection *self)
{
  int row = 0;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->fields = kc_editor_fields_new (KC_EDITOR_TAB_DOSSIER, GTK_GRID (self), &row,
                                       KC_EDITOR_SECTION (self));
  gtk_widget_show_all (GTK_WIDGET (self));
}

/* Suggestions */

static void
on_directory_changed_cb (KcDossierSection *self)
{
  g_auto (GStrv) names = kc_org_directory_names (self->directory);

  kc_suggest_store_set (self->orgs, (const char *const *)names);
}

static void
communes_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, NULL, &error);
  KcDossierSection *self;
  JsonArray *items;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) names = NULL;

  /* A help, not a need: without it the commune is typed in full. */
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("catalog.communes: %s", error->message);
      return;
    }
  self = KC_DOSSIER_SECTION (user_data);
  items = kc_json_array (json_node_get_object (reply), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (node));
    }
  names = g_strv_builder_end (builder);
  kc_suggest_store_set (self->communes, (const char *const *)names);
}

/* Public API */

void
kc_dossier_section_suggest (KcDossierSection *self, KcSession *session)
{
  g_return_if_fail (KC_IS_DOSSIER_SECTION (self));
  g_return_if_fail (self->orgs == NULL);

  self->orgs = kc_suggest_store_new ();
  self->communes = kc_suggest_store_new ();
  self->cancellable = g_cancellable_new ();
  kc_editor_fields_suggest (self->fields, "implementer", GTK_TREE_MODEL (self->orgs));
  kc_editor_fields_suggest (self->fields, "commune", GTK_TREE_MODEL (self->communes));
  self->directory = g_object_ref (kc_org_directory_get (session));
  g_signal_connect_object (self->directory, "changed", G_CALLBACK (on_directory_changed_cb), self,
                           G_CONNECT_SWAPPED);
  if (kc_org_directory_is_loaded (self->directory))
    on_directory_changed_cb (self);
  kc_session_catalog_communes_async (session, self->cancellable, communes_done_cb, self);
}

void
kc_dossier_section_add_plan_chooser (KcDossierSection *self)
{
  g_return_if_fail (self->plan_combo == NULL);

  gtk_widget_show (self->plan_label);
  gtk_widget_show (GTK_WIDGET (self->plan_chooser));
  self->plan_combo = self->plan_chooser;
  self->plan_error = self->plan_error_label;
}

void
kc_dossier_section_set_plans (KcDossierSection *self, JsonArray *items, gint64 plan_id)
{
  g_return_if_fail (self->plan_combo != NULL);

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *plan = json_array_get_object_element (items, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, kc_json_int (plan, "id"));
      g_autofree char *text = kc_label_plan_choice (
          kc_json_string (plan, "title"), kc_json_int (plan, "year"),
          kc_json_string (plan, "scope"), kc_json_string (plan, "org_name"));

      gtk_combo_box_text_append (self->plan_combo, id, text);
    }
  if (plan_id != 0)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, plan_id);
      gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->plan_combo), id);
    }
  if (gtk_combo_box_get_active (GTK_COMBO_BOX (self->plan_combo)) < 0)
    gtk_combo_box_set_active (GTK_COMBO_BOX (self->plan_combo), 0);
  if (items == NULL || json_array_get_length (items) == 0)
    kc_form_set_label (self->plan_error,
                       _ ("There is no draft plan. Create one on the Plans page."));
}

gint64
kc_dossier_section_get_plan_id (KcDossierSection *self)
{
  const char *plan = self->plan_combo != NULL
                         ? gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->plan_combo))
                         : NULL;

  return plan != NULL ? g_ascii_strtoll (plan, NULL, 10) : 0;
}

void
kc_dossier_section_lock_plan (KcDossierSection *self)
{
  if (self->plan_combo != NULL)
    gtk_widget_set_sensitive (GTK_WIDGET (self->plan_combo), FALSE);
}
