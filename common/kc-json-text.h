/*
 * kc-json-text.h — JSON text read and written by our own code: a strict,
 * non-recursive parser into json-glib nodes (kc-json-parse.c) and the one
 * writer of the tree (kc-json-write.c). kc-rpc builds the JSON-RPC
 * envelope on both. Pure functions: no I/O, no logging.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Containers nested deeper than this are validated but not built. */
#define KC_JSON_MAX_DEPTH 64

/* Parses one JSON text of @len bytes (RFC 8259, UTF-8 checked). At most
 * @max_values values (0: no limit). Containers nested deeper than
 * KC_JSON_MAX_DEPTH are validated but left out of the tree and *@too_deep
 * is set, so that a caller can still read the shallow members (a request's
 * "id"). NULL with @error (KC_ERROR_PARSE or KC_ERROR_INVALID_REQUEST) on
 * a bad text. (transfer full) */
JsonNode *kc_json_parse_text (const char *text, gsize len, gsize max_values, gboolean *too_deep,
                              GError **error);

/* The length of the UTF-8 sequence at @p (@avail bytes there), or 0 if it
 * is not one (overlong, surrogate, beyond U+10FFFF: RFC 3629). */
gsize kc_json_utf8_sequence (const guchar *p, gsize avail);

/* Appends @node (NULL: null) to @out; @indent < 0: compact, else pretty
 * from that level. */
void kc_json_write_node (GString *out, JsonNode *node, int indent);
/* Appends @value in decimal. */
void kc_json_write_int (GString *out, gint64 value);
/* Appends @text as a JSON string. */
void kc_json_write_string (GString *out, const char *text);

/* Removes insignificant whitespace from a valid JSON text, in place, and
 * returns its new length. Used on JSON produced elsewhere (PostgreSQL writes
 * `{"a" : 1, "b" : 2}`) so that every line on the wire is compact; since
 * raw newlines are whitespace, the result also never spans two lines. */
gsize kc_json_compact_inplace (char *text, gsize len);

/* The one JSON writer of the tree (requests, answers, stored JSON, kc-cli's
 * output): integers as integers, doubles always with a point or exponent
 * ("2.0", never "2"), members in insertion order. @pretty: one member per
 * line, two spaces per level. @node may be NULL ("null"). The caller frees
 * the result. */
char *kc_json_to_string (JsonNode *node, gboolean pretty);

G_END_DECLS
