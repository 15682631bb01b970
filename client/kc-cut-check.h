/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-cut-check.h — what a person cannot read in full: labels ellipsized or
 * clipped, list cells narrower than their text, widgets past the window's
 * edge. A test aid (issue 17, point 5: "fits 1366×768 with nothing cut").
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* With KC_CHECK_CUT set in the environment, looks at every shown window
 * three times a second and prints each cut text once, on stderr, as
 *   kc-cut: <window title> | <where> | <what> | "<text>" <shown>/<needed> px
 * (kc-edge: the same for a list's column running past its right edge: a
 * list without rows keeps its headers' last widths, so these are hints)
 * once it has stayed cut for three looks in a row (a page being filled is
 * not reported). Does nothing otherwise. Call once, from the main thread. */
void kc_cut_check_install (void);

G_END_DECLS
