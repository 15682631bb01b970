/*
 * srv-params.h — validation of a call's parameters that
 * collects every problem into one -32602 (docs/protocol.md, "Errors").
 */
#pragma once

#include "srv-call.h"

G_BEGIN_DECLS

/* Parameter validation that collects every problem into one -32602. */
typedef struct
{
  SrvCall *call;
  KcFieldErrors *errors;
  GHashTable *seen;
} SrvParams;

void srv_params_init (SrvParams *p, SrvCall *call);
/* Each getter returns whether the member was present and valid; absent
 * optional members leave *out untouched. */
gboolean srv_params_int64 (SrvParams *p, const char *name, gboolean required, gint64 min,
                           gint64 max, gint64 *out);
/* (transfer none) string, checked for length in characters; no control
 * characters at all (names, codes, single-line fields). */
const char *srv_params_string (SrvParams *p, const char *name, gboolean required, glong min_chars,
                               glong max_chars);
/* The same for multi-line text: newlines and tabs allowed. */
const char *srv_params_text (SrvParams *p, const char *name, gboolean required, glong min_chars,
                             glong max_chars);
/* TRUE if the UTF-8 text @s has a control character: C0, DEL or C1
 * (U+0080..U+009F); with @multiline, '\n' and '\t' are allowed. */
gboolean srv_text_has_control (const char *s, gboolean multiline);
gboolean srv_params_bool (SrvParams *p, const char *name, gboolean required, gboolean *out);
/* Present and explicitly null. */
gboolean srv_params_is_null (SrvParams *p, const char *name);
/* One of @choices (NULL-terminated). */
const char *srv_params_enum (SrvParams *p, const char *name, gboolean required,
                             const char *const *choices);
/* "YYYY-MM-DD" as given (validated), or NULL. */
const char *srv_params_date (SrvParams *p, const char *name, gboolean required);
/* limit (1..1000, default 100) and cursor (decimal text of an id). */
void srv_params_page (SrvParams *p, gint64 *limit, const char **cursor);
/* Adds an error of the caller's own. */
void srv_params_error (SrvParams *p, const char *name, const char *message);
/* The same with a stable rule code and its data (transfer full, may be NULL). */
void srv_params_error_rule (SrvParams *p, const char *name, const char *rule, JsonObject *data,
                            const char *message);
/* Flags unknown members, sets -32602 on the call if anything was wrong.
 * Returns TRUE when the parameters are all valid. Frees @p's state. */
gboolean srv_params_finish (SrvParams *p);

G_END_DECLS
