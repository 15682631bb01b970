/*
 * kc-json.h — reading members of the server's replies that may be absent
 * or of another type, without json-glib's critical warnings (which the UI
 * tests make fatal).
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* (transfer none, nullable): @name of @object (nullable) when it is an array. */
JsonArray *kc_json_array (JsonObject *object, const char *name);
/* (transfer none, nullable): @name of @object (nullable) when it is an object. */
JsonObject *kc_json_object (JsonObject *object, const char *name);
/* (transfer none, nullable): @name of @object (nullable) when it is a string. */
const char *kc_json_string (JsonObject *object, const char *name);
/* (transfer full): a copy of @name of @object (nullable) when it is a
 * string, else "" (never NULL). */
char *kc_json_dup_string (JsonObject *object, const char *name);
/* @name of @object (nullable) as an integer; 0 when absent, null or not a value. */
gint64 kc_json_int (JsonObject *object, const char *name);
/* @name of @object (nullable) when it is a boolean true; FALSE otherwise. */
gboolean kc_json_bool (JsonObject *object, const char *name);
/* Sets @number to @name of @object (nullable) and returns TRUE when it is a
 * number (integer or not); FALSE, @number untouched, when absent or null. */
gboolean kc_json_number (JsonObject *object, const char *name, double *number);

G_END_DECLS
