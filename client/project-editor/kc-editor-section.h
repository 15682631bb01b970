/*
 * kc-editor-section.h — KcEditorSection: what every part of the project
 * editor's form does, whatever it shows (GNOME Calendar's event-editor
 * sections are the model). The editor (kc-project-editor.c) holds the
 * project as last read, the calls and the acts; each section is a widget
 * that reads its members of the project into its fields (load), writes them
 * back into the parameters of project.create/update (apply), and shows the
 * server's objection to one of its fields (mark). A section emits
 * ::changed when the user edits it; the editor ignores what a load or a
 * catalogue causes (it is filling the form then).
 *
 * Sections: kc-dossier-section (the dossier fields and, for a new project,
 * the plan), kc-budget-section (cap, total cost, the four budget lines),
 * kc-indicators-section, kc-beneficiaries-section (rows as widgets).
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KC_TYPE_EDITOR_SECTION (kc_editor_section_get_type ())
G_DECLARE_INTERFACE (KcEditorSection, kc_editor_section, KC, EDITOR_SECTION, GtkWidget)

struct _KcEditorSectionInterface
{
  GTypeInterface parent_iface;

  /* The catalogue (catalog.get) arrived: fill the code choosers (optional). */
  void (*set_catalog) (KcEditorSection *self, JsonObject *catalog);
  /* Shows @project's members (project.get's object). */
  void (*load) (KcEditorSection *self, JsonObject *project);
  /* Adds the section's members to @params: all of them when @creating, else
   * only those that differ from @before (the project as last read; nullable).
   * FALSE when a field cannot be read (it then says why). */
  gboolean (*apply) (KcEditorSection *self, JsonObject *params, JsonObject *before,
                     gboolean creating);
  /* Hides every objection. */
  void (*clear_errors) (KcEditorSection *self);
  /* Shows @text under @field ("budget_lines.central", "title", …) when the
   * field is this section's; FALSE if not. */
  gboolean (*mark) (KcEditorSection *self, const char *field, const char *text);
};

void kc_editor_section_set_catalog (KcEditorSection *self, JsonObject *catalog);
void kc_editor_section_load (KcEditorSection *self, JsonObject *project);
gboolean kc_editor_section_apply (KcEditorSection *self, JsonObject *params, JsonObject *before,
                                  gboolean creating);
void kc_editor_section_clear_errors (KcEditorSection *self);
gboolean kc_editor_section_mark (KcEditorSection *self, const char *field, const char *text);

/* For the sections: emits ::changed (the user edited the section). */
void kc_editor_section_changed (KcEditorSection *self);

G_END_DECLS
