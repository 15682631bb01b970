/*
 * kc-suggest.h — names offered while typing in an entry, searched without
 * diacritics ("dong luong" offers "Xã Đồng Lương"), the entry still taking
 * any text (issue 17: the project's implementer among the province's
 * organisations; a location's commune among those already used).
 *
 * The names are a GtkListStore of two strings, the name and its folded
 * form; kc_suggest_attach() offers them under an entry while it is typed in
 * (a popover named "Gợi ý" of one button per name, at most eight; ↓ goes
 * to them, Enter or a click chooses, Esc closes).
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkListStore *kc_suggest_store_new (void);
/* Replaces the names (@names: NULL-terminated; the order is kept). */
void kc_suggest_store_set (GtkListStore *store, const char *const *names);

/* Again on the same entry: the names are replaced. */
void kc_suggest_attach (GtkEntry *entry, GtkTreeModel *names);

G_END_DECLS
