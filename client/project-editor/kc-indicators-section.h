/*
 * kc-indicators-section.h — KcIndicatorsSection: the Indicators tab of the
 * project editor (a KcEditorSection): one row widget per indicator (a
 * catalogue code, its target, what was achieved), added and removed.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KC_TYPE_INDICATORS_SECTION (kc_indicators_section_get_type ())
G_DECLARE_FINAL_TYPE (KcIndicatorsSection, kc_indicators_section, KC, INDICATORS_SECTION, GtkBox)

G_END_DECLS
