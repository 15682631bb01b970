/*
 * kc-errors.h — what the client says about a failed call, in the user's
 * language (Vietnamese by default).
 *
 * The server's messages are English and meant for logs and developers; the
 * client words its own from what the server sends as codes: the error code
 * (../shared/PROTOCOL.md), each 1022 violation's rule and each -32602 and
 * 1022 item's field, and the usual -32602 complaints. Only what it does not
 * know falls back to the server's text, so nothing is ever hidden.
 *
 * Pure functions of their arguments (gettext aside); no GTK.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The message for @error: a sentence for its code and, for -32602 and 1022,
 * one line per item of @data (the error's data member, or NULL). The
 * caller frees it. */
char *kc_errors_describe (const GError *error, JsonNode *data);

/* One item of -32602 data.fields or 1022 data.violations: "Ngày kết thúc:
 * phải là một ngày". @field and @rule may be NULL. The caller frees it. */
char *kc_errors_describe_item (const char *field, const char *rule, const char *message);

/* The sentence of a rule from its data (the amounts, limits, caps the
 * server sends with it: docs/protocol.md, "Rule codes and data"), or NULL
 * when the rule is unknown or its data missing. The caller frees it. */
char *kc_errors_rule_sentence (const char *rule, JsonObject *data);

/* One item of -32602 data.fields or 1022 data.violations or warnings
 * ({field, rule?, message, data?}): the rule's sentence with its figures,
 * prefixed by the field's name when @with_field; else as
 * kc_errors_describe_item. The caller frees it. */
char *kc_errors_describe_violation (JsonObject *item, gboolean with_field);

/* The name of a parameter as the forms call it ("end_date", also
 * "budget_lines[2].amount": its last part), or NULL when unknown. */
const char *kc_errors_field_label (const char *field);

/* What a 1022 rule means, or NULL when unknown. */
const char *kc_errors_rule_text (const char *rule);

/* The translation of one of the usual -32602 messages ("is required",
 * "must be a date as YYYY-MM-DD", ...), or NULL when unknown. The caller
 * frees it. */
char *kc_errors_param_text (const char *message);

G_END_DECLS
