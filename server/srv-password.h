/*
 * srv-password.h — password policy and Argon2id hashing.
 *
 * Hashing costs about 20 ms of CPU; at most hash_concurrency hashes run at
 * once, on that many threads of the module's own (callers wait, on worker
 * threads only), so a burst of logins cannot take every core from the
 * event loop, and Argon2's memory is reused rather than kept per caller.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "srv-config.h"

G_BEGIN_DECLS

typedef struct _SrvPassword SrvPassword;

/* Loads the refused-password list (missing file: a warning, and only the
 * length rule applies). */
SrvPassword *srv_password_new (const SrvConfig *config);
void srv_password_free (SrvPassword *pw);

/* NULL if acceptable, else a sentence saying why not (transfer full):
 * 12 to 128 characters, no composition rules, not on the list, not the
 * username. */
char *srv_password_check_policy (SrvPassword *pw, const char *password, const char *username);
/* The same, with the rule's stable code ("password_min_length",
 * "password_max_length", "password_common", "password_username",
 * "password_encoding") in *@rule and its data ({"min": 12, "length": 5})
 * in *@data (transfer full) when the password is refused. */
char *srv_password_check_policy_rule (SrvPassword *pw, const char *password, const char *username,
                                      const char **rule, JsonObject **data);

/* PHC string "$argon2id$v=19$m=19456,t=2,p=1$..." (transfer full) or NULL. */
char *srv_password_hash (SrvPassword *pw, const char *password);

/* Verifies @password against @encoded. With @encoded NULL, burns the same
 * time on a dummy hash and returns FALSE, so an unknown username answers
 * as slowly as a wrong password. */
gboolean srv_password_verify (SrvPassword *pw, const char *encoded, const char *password);

/* Number of entries in the refused list. */
guint srv_password_list_size (SrvPassword *pw);

G_END_DECLS
