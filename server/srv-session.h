/*
 * srv-session.h — who is calling: the roles of
 * ../shared/PROTOCOL.md and a logged-in session as a connection holds it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SRV_ROLE_PROVINCE_OFFICER = 1 << 0,
  SRV_ROLE_PROVINCE_LEADER = 1 << 1,
  SRV_ROLE_MINISTRY_REVIEWER = 1 << 2,
  SRV_ROLE_MINISTRY_APPROVER = 1 << 3,
  SRV_ROLE_ADMIN = 1 << 4,
  SRV_ROLE_VIEWER = 1 << 5,
} SrvRole;

#define SRV_ROLES_ALL 0x3f
#define SRV_ROLES_PROVINCE (SRV_ROLE_PROVINCE_OFFICER | SRV_ROLE_PROVINCE_LEADER)
#define SRV_ROLES_MINISTRY (SRV_ROLE_MINISTRY_REVIEWER | SRV_ROLE_MINISTRY_APPROVER)

/* "province_officer" → SRV_ROLE_PROVINCE_OFFICER; 0 if unknown. */
SrvRole srv_role_from_name (const char *name);
/* SRV_ROLE_ADMIN → "admin"; NULL for anything but one role. (transfer none) */
const char *srv_role_name (SrvRole role);

/* A logged-in session as a connection holds it (refcounted: a connection
 * and calls in flight share it; fields never change after creation except
 * the atomics noted). */
typedef struct
{
  gint64 session_id;
  gint64 user_id;
  char *username;
  char *full_name;
  char *role_name;
  SrvRole role;
  gint64 org_id;
  gint64 scope_root;             /* 0: sees every province (Ministry side) */
  gint64 expires_at_us;          /* absolute expiry, g_get_real_time() scale */
  gint64 idle_timeout_us;        /* inactivity allowed */
  gboolean must_change_password; /* at login: only a password change is allowed */
  gboolean must_enrol_totp;      /* role needs a second factor the user has not set up */
  gint64 authenticated_at_us;    /* password checked by this login (real time); 0: resumed */
} SrvSession;

SrvSession *srv_session_new (void);
SrvSession *srv_session_ref (SrvSession *session);
void srv_session_unref (SrvSession *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SrvSession, srv_session_unref)

G_END_DECLS
