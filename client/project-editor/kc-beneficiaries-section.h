/*
 * kc-beneficiaries-section.h — KcBeneficiariesSection: the Beneficiaries tab
 * of the project editor (a KcEditorSection): one row widget per beneficiary
 * (name, kind, tax code, commune), added and removed.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KC_TYPE_BENEFICIARIES_SECTION (kc_beneficiaries_section_get_type ())
G_DECLARE_FINAL_TYPE (KcBeneficiariesSection, kc_beneficiaries_section, KC, BENEFICIARIES_SECTION,
                      GtkBox)

G_END_DECLS
