/*
 * test-draft-store — the offline queue of kc-client (client/session/kc-draft-store.c)
 * on its own: what is kept, how a second edit merges into the first, that
 * it survives a restart of the client (files in $XDG_DATA_HOME, mode 0600),
 * that another user's edits stay apart, and what counts as "offline".
 * Sending is covered by tests/client/test_offline_ui.py against a real
 * kc-server.
 */
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "kc-draft-store.h"
#include "kc-error.h"

static char *data_home;

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr (JsonNode) node = json_from_string (text, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

/* A session as the client has it before logging in again: server known. */
static KcSession *
new_session (const char *host)
{
  KcSession *session = kc_session_new ();

  kc_session_set_server (session, host, 8443, NULL);
  return session;
}

static char *
only_file (const char *suffix)
{
  g_autofree char *root = g_build_filename (data_home, "khuyen-cong", "drafts", NULL);
  g_autoptr (GDir) dirs = g_dir_open (root, 0, NULL);
  const char *sub;

  g_assert_nonnull (dirs);
  while ((sub = g_dir_read_name (dirs)) != NULL)
    {
      g_autofree char *path = g_build_filename (root, sub, suffix, NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&path);
    }
  return NULL;
}

static void
test_keep_merge_and_restart (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) first
      = parse_object ("{\"id\": 42, \"version\": 3, \"title\": \"Đào tạo nghề\"}");
  g_autoptr (JsonObject) second
      = parse_object ("{\"id\": 42, \"version\": 5, \"end_date\": \"2027-10-31\"}");
  g_autofree char *path = NULL;
  GStatBuf st;

  {
    g_autoptr (KcSession) session = new_session ("kc.example.vn");
    KcDraftStore *store = kc_draft_store_get (session);

    g_assert_cmpuint (kc_draft_store_count (store), ==, 0);
    g_assert_true (kc_draft_store_keep (store, first, &error));
    g_assert_no_error (error);
    g_assert_true (kc_draft_store_keep (store, second, &error));
    g_assert_cmpuint (kc_draft_store_count (store), ==, 1);

    /* Both edits' members, on the version the server last showed. */
    JsonObject *kept = kc_draft_store_lookup (store, 42);
    g_assert_nonnull (kept);
    g_assert_cmpstr (json_object_get_string_member (kept, "title"), ==, "Đào tạo nghề");
    g_assert_cmpstr (json_object_get_string_member (kept, "end_date"), ==, "2027-10-31");
    g_assert_cmpint (json_object_get_int_member (kept, "version"), ==, 3);
    g_assert_null (kc_draft_store_get_problem (store, 42));
  }

  /* Readable by the user only: a draft may hold what is not yet public. */
  path = only_file ("project-42.json");
  g_assert_nonnull (path);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The client started again: the edit is still there, whole. */
  {
    g_autoptr (KcSession) session = new_session ("kc.example.vn");
    KcDraftStore *store = kc_draft_store_get (session);
    g_autoptr (GArray) conflicts = kc_draft_store_conflicts (store);

    g_assert_cmpuint (kc_draft_store_count (store), ==, 1);
    g_assert_cmpuint (conflicts->len, ==, 0);
    JsonObject *kept = kc_draft_store_lookup (store, 42);
    g_assert_nonnull (kept);
    g_assert_cmpstr (json_object_get_string_member (kept, "title"), ==, "Đào tạo nghề");
    g_assert_cmpint (json_object_get_int_member (kept, "version"), ==, 3);
  }

  /* Another server's store does not see it. */
  {
    g_autoptr (KcSession) session = new_session ("kc2.example.vn");

    g_assert_cmpuint (kc_draft_store_count (kc_draft_store_get (session)), ==, 0);
  }
}

static void
test_new_project (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GObject) editor = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr (JsonObject) create = parse_object (
      "{\"plan_id\": 7, \"title\": \"Máy sấy\", \"content_category\": \"ND45.4.3\"}");
  g_autoptr (JsonObject) again = parse_object (
      "{\"plan_id\": 7, \"title\": \"Máy sấy nông sản\", \"content_category\": \"ND45.4.3\"}");
  g_autoptr (KcSession) session = new_session ("new.example.vn");
  KcDraftStore *store = kc_draft_store_get (session);
  gint64 local;

  g_assert_true (kc_draft_store_keep_from (store, editor, create, &error));
  g_assert_no_error (error);
  local = kc_draft_store_local_id (editor);
  g_assert_cmpint (local, <, 0);
  /* Saved again while still offline: the same kept project, replaced. */
  g_assert_true (kc_draft_store_keep_from (store, editor, again, &error));
  g_assert_cmpint (kc_draft_store_local_id (editor), ==, local);
  g_assert_cmpuint (kc_draft_store_count (store), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (kc_draft_store_lookup (store, local), "title"),
                   ==, "Máy sấy nông sản");

  {
    g_autoptr (KcSession) restarted = new_session ("new.example.vn");
    KcDraftStore *reread = kc_draft_store_get (restarted);

    g_assert_cmpuint (kc_draft_store_count (reread), ==, 1);
    g_assert_nonnull (kc_draft_store_lookup (reread, local));
  }
}

static void
test_offline_errors (void)
{
  g_autoptr (GError) unreachable
      = g_error_new_literal (KC_SESSION_ERROR, KC_SESSION_ERROR_UNREACHABLE, "x");
  g_autoptr (GError) dropped
      = g_error_new_literal (KC_SESSION_ERROR, KC_SESSION_ERROR_DISCONNECTED, "x");
  g_autoptr (GError) untrusted
      = g_error_new_literal (KC_SESSION_ERROR, KC_SESSION_ERROR_UNTRUSTED_CERTIFICATE, "x");
  g_autoptr (GError) down = g_error_new_literal (KC_PROTOCOL_ERROR, KC_ERROR_UNAVAILABLE, "x");
  g_autoptr (GError) stale = g_error_new_literal (KC_PROTOCOL_ERROR, KC_ERROR_CONFLICT, "x");

  g_assert_true (kc_draft_store_is_offline_error (unreachable));
  g_assert_true (kc_draft_store_is_offline_error (dropped));
  g_assert_true (kc_draft_store_is_offline_error (down));
  /* A refusal is not "offline": keeping it would hide it. */
  g_assert_false (kc_draft_store_is_offline_error (untrusted));
  g_assert_false (kc_draft_store_is_offline_error (stale));
  g_assert_false (kc_draft_store_is_offline_error (NULL));
}

int
main (int argc, char **argv)
{
  int rc;

  /* Before anything asks GLib for the user data directory (it caches it). */
  data_home = g_dir_make_tmp ("kc-drafts-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/draft-store/keep-merge-restart", test_keep_merge_and_restart);
  g_test_add_func ("/draft-store/new-project", test_new_project);
  g_test_add_func ("/draft-store/offline-errors", test_offline_errors);
  rc = g_test_run ();
  remove_tree (data_home);
  g_free (data_home);
  return rc;
}
