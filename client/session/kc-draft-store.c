/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-draft-store.c — KcDraftStore: edits of draft projects, and new
 * projects, kept while the server is out of reach, sent when it is back.
 */
#include "kc-draft-store.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kc-calls.h"
#include "kc-error.h"
#include "kc-errors.h"
#include "kc-rpc.h"

/* A project never saved on the server is kept under a negative local id
 * (its editor's, see kc_draft_store_keep_from) with the params of
 * project.create, and created when the server is back. */
#define LOCAL_ID_KEY "kc-draft-local-id"

typedef struct
{
  JsonObject *params; /* of project.update with the base version, or of project.create */
  char *problem;      /* (nullable): the server's refusal, a conflict */
  gboolean sending;
} Entry;

struct _KcDraftStore
{
  GObject parent_instance;

  KcSession *session;  /* not owned: the store is the session's data */
  char *dir;           /* of the current server and user */
  GHashTable *entries; /* gint64 id → Entry */
  gint64 last_local;   /* the last local id given: never given twice in a run */
};

G_DEFINE_TYPE (KcDraftStore, kc_draft_store, G_TYPE_OBJECT)

enum
{
  SIGNAL_CHANGED,
  SIGNAL_SENT,
  SIGNAL_CONFLICT,
  SIGNAL_DROPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  json_object_unref (entry->params);
  g_free (entry->problem);
  g_free (entry);
}

static gint64
params_id (JsonObject *params)
{
  return json_object_has_member (params, "id") ? json_object_get_int_member (params, "id") : 0;
}

/* A name for the directory that no host name or username can turn into a
 * path: only letters, digits, '.', '-' and '_' are kept. */
static char *
safe_name (const char *host, guint16 port, const char *username)
{
  g_autofree char *raw = g_strdup_printf ("%s-%u-%s", host != NULL ? host : "", port,
                                          username != NULL ? username : "");

  return g_strcanon (g_steal_pointer (&raw),
                     "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_", '_');
}

static char *
file_of (KcDraftStore *self, gint64 id)
{
  g_autofree char *name = id < 0 ? g_strdup_printf ("project-new-%" G_GINT64_FORMAT ".json", -id)
                                 : g_strdup_printf ("project-%" G_GINT64_FORMAT ".json", id);

  return g_build_filename (self->dir, name, NULL);
}

static gboolean
write_entry (KcDraftStore *self, gint64 id, Entry *entry, GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *kept_at = g_date_time_format_iso8601 (now);
  g_autofree char *path = file_of (self, id);
  g_autofree char *text = NULL;

  if (g_mkdir_with_parents (self->dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", self->dir,
                   g_strerror (saved));
      return FALSE;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "project_id");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "kept_at");
  json_builder_add_string_value (builder, kept_at);
  json_builder_set_member_name (builder, "problem");
  if (entry->problem != NULL)
    json_builder_add_string_value (builder, entry->problem);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "params");
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), entry->params));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = kc_json_to_string (root, FALSE);
  /* g_file_set_contents_full writes a temporary file and renames it: a
   * crash leaves the old edit or the new one, never half of either. */
  return g_file_set_contents_full (
      path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_ONLY_EXISTING, 0600,
      error);
}

static void
remove_entry (KcDraftStore *self, gint64 id)
{
  g_autofree char *path = file_of (self, id);

  if (g_unlink (path) != 0 && errno != ENOENT)
    g_warning ("cannot remove %s: %s", path, g_strerror (errno));
  g_hash_table_remove (self->entries, &id);
}

static void
load_dir (KcDraftStore *self)
{
  g_autoptr (GDir) dir = g_dir_open (self->dir, 0, NULL);
  const char *name;

  g_hash_table_remove_all (self->entries);
  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr (JsonParser) parser = NULL;
      g_autoptr (GError) error = NULL;
      JsonNode *root;
      JsonObject *object;
      JsonObject *params;
      Entry *entry;
      gint64 id;

      if (!g_str_has_prefix (name, "project-") || !g_str_has_suffix (name, ".json"))
        continue;
      path = g_build_filename (self->dir, name, NULL);
      parser = json_parser_new ();
      if (!json_parser_load_from_file (parser, path, &error))
        {
          g_warning ("kept edit %s unreadable: %s", path, error->message);
          continue;
        }
      root = json_parser_get_root (parser);
      object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
      params = object != NULL && json_object_has_member (object, "params")
                   ? json_object_get_object_member (object, "params")
                   : NULL;
      id = params != NULL ? params_id (params) : 0;
      if (id == 0 && params != NULL && !json_object_has_member (params, "id"))
        id = json_object_get_int_member_with_default (object, "project_id", 0);
      if (id == 0 || (id < 0) != g_str_has_prefix (name, "project-new-"))
        continue;
      entry = g_new0 (Entry, 1);
      entry->params = json_object_ref (params);
      entry->problem
          = g_strdup (json_object_get_string_member_with_default (object, "problem", NULL));
      g_hash_table_insert (self->entries, g_memdup2 (&id, sizeof id), entry);
    }
}

/* The directory follows the session's server and user: another login on
 * the same client reads its own kept edits. */
static void
follow_session (KcDraftStore *self)
{
  g_autofree char *name
      = safe_name (kc_session_get_host (self->session), kc_session_get_port (self->session),
                   kc_session_get_username (self->session));
  g_autofree char *dir
      = g_build_filename (g_get_user_data_dir (), "khuyen-cong", "drafts", name, NULL);

  if (g_strcmp0 (dir, self->dir) == 0)
    return;
  g_free (self->dir);
  self->dir = g_steal_pointer (&dir);
  load_dir (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* GObject */

static void
kc_draft_store_finalize (GObject *object)
{
  KcDraftStore *self = KC_DRAFT_STORE (object);

  g_hash_table_unref (self->entries);
  g_free (self->dir);
  G_OBJECT_CLASS (kc_draft_store_parent_class)->finalize (object);
}

static void
kc_draft_store_class_init (KcDraftStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kc_draft_store_finalize;
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* (id, the project as the server now has it) */
  signals[SIGNAL_SENT]
      = g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 2, G_TYPE_INT64, JSON_TYPE_NODE);
  signals[SIGNAL_CONFLICT] = g_signal_new ("conflict", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SIGNAL_DROPPED] = g_signal_new ("dropped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
kc_draft_store_init (KcDraftStore *self)
{
  self->entries = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, entry_free);
}

/* Public API */

KcDraftStore *
kc_draft_store_get (KcSession *session)
{
  KcDraftStore *self = g_object_get_data (G_OBJECT (session), "kc-draft-store");

  if (self == NULL)
    {
      self = g_object_new (KC_TYPE_DRAFT_STORE, NULL);
      self->session = session;
      g_object_set_data_full (G_OBJECT (session), "kc-draft-store", self, g_object_unref);
    }
  follow_session (self);
  return self;
}

gboolean
kc_draft_store_is_offline_error (const GError *error)
{
  if (error == NULL)
    return FALSE;
  if (error->domain == KC_SESSION_ERROR)
    return error->code == KC_SESSION_ERROR_UNREACHABLE
           || error->code == KC_SESSION_ERROR_DISCONNECTED;
  return g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_UNAVAILABLE);
}

gboolean
kc_draft_store_keep (KcDraftStore *self, JsonObject *params, GError **error)
{
  gint64 id = params_id (params);
  Entry *old;
  Entry *entry;
  gint64 version;

  g_return_val_if_fail (id > 0, FALSE);
  follow_session (self);
  old = g_hash_table_lookup (self->entries, &id);
  version = old != NULL ? json_object_get_int_member (old->params, "version")
                        : json_object_get_int_member (params, "version");
  entry = g_new0 (Entry, 1);
  entry->params = json_object_new ();
  /* The later edit's members win; an earlier member the later one no
   * longer changes (back to the server's value) is still sent, harmlessly. */
  if (old != NULL)
    {
      g_autoptr (GList) names = json_object_get_members (old->params);

      for (GList *l = names; l != NULL; l = l->next)
        json_object_set_member (entry->params, l->data,
                                json_node_copy (json_object_get_member (old->params, l->data)));
    }
  {
    g_autoptr (GList) names = json_object_get_members (params);

    for (GList *l = names; l != NULL; l = l->next)
      json_object_set_member (entry->params, l->data,
                              json_node_copy (json_object_get_member (params, l->data)));
  }
  json_object_set_int_member (entry->params, "version", version);
  if (!write_entry (self, id, entry, error))
    {
      entry_free (entry);
      return FALSE;
    }
  g_hash_table_insert (self->entries, g_memdup2 (&id, sizeof id), entry);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

gint64
kc_draft_store_local_id (GObject *owner)
{
  gint64 *id = g_object_get_data (owner, LOCAL_ID_KEY);

  return id != NULL ? *id : 0;
}

gboolean
kc_draft_store_keep_from (KcDraftStore *self, GObject *owner, JsonObject *params, GError **error)
{
  gint64 id = kc_draft_store_local_id (owner);
  Entry *entry;

  if (json_object_has_member (params, "id"))
    return kc_draft_store_keep (self, params, error);
  follow_session (self);
  /* A new project saved again while still offline replaces its first
   * version; a first save takes the next free local id. */
  if (id == 0 || g_hash_table_lookup (self->entries, &id) == NULL)
    {
      GHashTableIter iter;
      gpointer key;

      id = self->last_local - 1;
      g_hash_table_iter_init (&iter, self->entries);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        id = MIN (id, *(gint64 *)key - 1);
      self->last_local = id;
    }
  entry = g_new0 (Entry, 1);
  entry->params = json_object_ref (params);
  if (!write_entry (self, id, entry, error))
    {
      entry_free (entry);
      return FALSE;
    }
  g_hash_table_insert (self->entries, g_memdup2 (&id, sizeof id), entry);
  g_object_set_data_full (owner, LOCAL_ID_KEY, g_memdup2 (&id, sizeof id), g_free);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

guint
kc_draft_store_count (KcDraftStore *self)
{
  return g_hash_table_size (self->entries);
}

JsonObject *
kc_draft_store_lookup (KcDraftStore *self, gint64 id)
{
  Entry *entry = g_hash_table_lookup (self->entries, &id);

  return entry != NULL ? entry->params : NULL;
}

const char *
kc_draft_store_get_problem (KcDraftStore *self, gint64 id)
{
  Entry *entry = g_hash_table_lookup (self->entries, &id);

  return entry != NULL ? entry->problem : NULL;
}

GArray *
kc_draft_store_conflicts (KcDraftStore *self)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (((Entry *)value)->problem != NULL)
      g_array_append_val (ids, *(gint64 *)key);
  return ids;
}

typedef struct
{
  KcDraftStore *self;
  gint64 id;
  char *dir; /* the entry belongs to this directory's user */
} Sending;

static void
send_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Sending *sending = user_data;
  g_autoptr (KcDraftStore) self = sending->self;
  gint64 id = sending->id;
  g_autofree char *dir = sending->dir;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);
  Entry *entry;

  g_free (sending);
  /* Another user logged in meanwhile: the reply is not about these entries. */
  if (g_strcmp0 (dir, self->dir) != 0)
    return;
  entry = g_hash_table_lookup (self->entries, &id);
  if (entry == NULL)
    return;
  entry->sending = FALSE;
  if (reply != NULL && JSON_NODE_HOLDS_OBJECT (reply))
    {
      remove_entry (self, id);
      g_signal_emit (self, signals[SIGNAL_SENT], 0, id, reply);
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
      return;
    }
  if (error == NULL || kc_draft_store_is_offline_error (error))
    return; /* still out of reach: kept for the next time */
  g_free (entry->problem);
  entry->problem = id > 0 && g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_CONFLICT)
                       ? g_strdup (_ ("someone else changed this project meanwhile."))
                       : kc_errors_describe (error, data);
  {
    g_autoptr (GError) write_error = NULL;

    if (!write_entry (self, id, entry, &write_error))
      g_warning ("cannot keep the conflict of project %" G_GINT64_FORMAT ": %s", id,
                 write_error->message);
  }
  g_signal_emit (self, signals[SIGNAL_CONFLICT], 0, id);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
send_one (KcDraftStore *self, gint64 id, Entry *entry)
{
  Sending *sending = g_new0 (Sending, 1);

  sending->self = g_object_ref (self);
  sending->id = id;
  sending->dir = g_strdup (self->dir);
  entry->sending = TRUE;
  if (id < 0)
    kc_session_project_create_async (self->session, entry->params, NULL, send_done_cb, sending);
  else
    kc_session_project_update_async (self->session, entry->params, NULL, send_done_cb, sending);
}

void
kc_draft_store_send (KcDraftStore *self)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (KC_IS_DRAFT_STORE (self));
  follow_session (self);
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Entry *entry = value;

      if (entry->problem == NULL && !entry->sending)
        send_one (self, *(gint64 *)key, entry);
    }
}

void
kc_draft_store_keep_mine (KcDraftStore *self, gint64 id, gint64 version)
{
  Entry *entry = g_hash_table_lookup (self->entries, &id);
  g_autoptr (GError) error = NULL;

  if (entry == NULL)
    return;
  g_clear_pointer (&entry->problem, g_free);
  if (id > 0)
    json_object_set_int_member (entry->params, "version", version);
  if (!write_entry (self, id, entry, &error))
    g_warning ("cannot keep the edit of project %" G_GINT64_FORMAT ": %s", id, error->message);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  if (!entry->sending)
    send_one (self, id, entry);
}

void
kc_draft_store_take_theirs (KcDraftStore *self, gint64 id)
{
  if (g_hash_table_lookup (self->entries, &id) == NULL)
    return;
  remove_entry (self, id);
  g_signal_emit (self, signals[SIGNAL_DROPPED], 0, id);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}
