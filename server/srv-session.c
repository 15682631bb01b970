/*
 * srv-session.c — role names and the refcounted session record.
 */
#include "srv-session.h"

static const struct
{
  SrvRole role;
  const char *name;
} role_names[] = {
  { SRV_ROLE_PROVINCE_OFFICER, "province_officer" },
  { SRV_ROLE_PROVINCE_LEADER, "province_leader" },
  { SRV_ROLE_MINISTRY_REVIEWER, "ministry_reviewer" },
  { SRV_ROLE_MINISTRY_APPROVER, "ministry_approver" },
  { SRV_ROLE_ADMIN, "admin" },
  { SRV_ROLE_VIEWER, "viewer" },
};

SrvRole
srv_role_from_name (const char *name)
{
  for (gsize i = 0; name != NULL && i < G_N_ELEMENTS (role_names); i++)
    if (g_str_equal (role_names[i].name, name))
      return role_names[i].role;
  return 0;
}

/* Sessions */

typedef struct
{
  SrvSession session;
  gint ref_count;
} SessionBox;

SrvSession *
srv_session_new (void)
{
  SessionBox *box = g_new0 (SessionBox, 1);
  box->ref_count = 1;
  return &box->session;
}

SrvSession *
srv_session_ref (SrvSession *session)
{
  SessionBox *box = (SessionBox *)session;
  g_atomic_int_inc (&box->ref_count);
  return session;
}

void
srv_session_unref (SrvSession *session)
{
  SessionBox *box = (SessionBox *)session;

  if (session == NULL || !g_atomic_int_dec_and_test (&box->ref_count))
    return;
  g_free (session->username);
  g_free (session->full_name);
  g_free (session->role_name);
  g_free (box);
}

/* Calls */

const char *
srv_role_name (SrvRole role)
{
  for (gsize i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (role_names[i].role == role)
      return role_names[i].name;
  return NULL;
}
