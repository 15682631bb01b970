/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-editor-section.c — the KcEditorSection interface (see its header).
 */
#include "kc-editor-section.h"

G_DEFINE_INTERFACE (KcEditorSection, kc_editor_section, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
kc_editor_section_default_init (KcEditorSectionInterface *iface)
{
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_INTERFACE (iface),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

void
kc_editor_section_set_catalog (KcEditorSection *self, JsonObject *catalog)
{
  KcEditorSectionInterface *iface;

  g_return_if_fail (KC_IS_EDITOR_SECTION (self));

  iface = KC_EDITOR_SECTION_GET_IFACE (self);
  if (iface->set_catalog != NULL)
    iface->set_catalog (self, catalog);
}

void
kc_editor_section_load (KcEditorSection *self, JsonObject *project)
{
  g_return_if_fail (KC_IS_EDITOR_SECTION (self));

  KC_EDITOR_SECTION_GET_IFACE (self)->load (self, project);
}

gboolean
kc_editor_section_apply (KcEditorSection *self, JsonObject *params, JsonObject *before,
                         gboolean creating)
{
  g_return_val_if_fail (KC_IS_EDITOR_SECTION (self), FALSE);

  return KC_EDITOR_SECTION_GET_IFACE (self)->apply (self, params, before, creating);
}

void
kc_editor_section_clear_errors (KcEditorSection *self)
{
  g_return_if_fail (KC_IS_EDITOR_SECTION (self));

  KC_EDITOR_SECTION_GET_IFACE (self)->clear_errors (self);
}

gboolean
kc_editor_section_mark (KcEditorSection *self, const char *field, const char *text)
{
  g_return_val_if_fail (KC_IS_EDITOR_SECTION (self), FALSE);

  return KC_EDITOR_SECTION_GET_IFACE (self)->mark (self, field, text);
}

void
kc_editor_section_changed (KcEditorSection *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}
