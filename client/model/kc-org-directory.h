/*
 * kc-org-directory.h — KcOrgDirectory: the organisations of the caller's
 * scope (org.list, read once per session, all pages, every map), to name a
 * record's province ("Tỉnh Phú Thọ" for the plan of 25.TTKC) and to offer
 * the provinces as a filter.
 *
 * One per session (kc_org_directory_get); it reads the list the first time
 * it is asked for and emits "changed" when the names are there.
 */
#pragma once

#include "kc-session.h"

G_BEGIN_DECLS

#define KC_TYPE_ORG_DIRECTORY (kc_org_directory_get_type ())
G_DECLARE_FINAL_TYPE (KcOrgDirectory, kc_org_directory, KC, ORG_DIRECTORY, GObject)

/* The session's directory (transfer none: it lives as long as the session). */
KcOrgDirectory *kc_org_directory_get (KcSession *session);

gboolean kc_org_directory_is_loaded (KcOrgDirectory *self);

/* The name of the province @org_id belongs to (the org itself when it is a
 * province), or NULL when unknown or not loaded yet (borrowed). */
const char *kc_org_directory_province_name (KcOrgDirectory *self, gint64 org_id);

/* The id of that province, or 0. */
gint64 kc_org_directory_province_id (KcOrgDirectory *self, gint64 org_id);

/* Today's provinces (the 2025 map), by name: ids (transfer container of
 * gint64 *; borrowed elements). */
GPtrArray *kc_org_directory_provinces (KcOrgDirectory *self);

/* The names of today's organisations (no valid_to), each once, in
 * Vietnamese order: those an implementer is chosen among (transfer full). */
GStrv kc_org_directory_names (KcOrgDirectory *self);

G_END_DECLS
