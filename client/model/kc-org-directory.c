/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-org-directory.c — the organisations of the session, by id.
 */
#include "kc-org-directory.h"

#include "kc-calls.h"
#include "kc-collate.h"

#define PAGE_SIZE 1000

typedef struct
{
  gint64 id;
  gint64 parent_id;
  char *name;
  char *kind;
  gboolean current; /* no valid_to */
} Org;

struct _KcOrgDirectory
{
  GObject parent_instance;

  KcSession *session; /* weak: the directory is the session's data */
  GHashTable *orgs;   /* gint64 * id → Org */
  GCancellable *cancellable;
  gboolean loading;
  gboolean loaded;
};

G_DEFINE_TYPE (KcOrgDirectory, kc_org_directory, G_TYPE_OBJECT)

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
org_free (gpointer data)
{
  Org *org = data;

  g_free (org->name);
  g_free (org->kind);
  g_free (org);
}

static void fetch (KcOrgDirectory *self, const char *cursor);

static void
list_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KcOrgDirectory) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, NULL, &error);
  JsonObject *object;
  JsonArray *items;
  const char *cursor;

  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      /* Names are a help, not a need: the lists show without them. */
      self->loading = FALSE;
      return;
    }
  object = json_node_get_object (reply);
  items = json_object_get_array_member (object, "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *o = json_array_get_object_element (items, i);
      Org *org = g_new0 (Org, 1);
      JsonNode *parent = json_object_get_member (o, "parent_id");
      JsonNode *valid_to = json_object_get_member (o, "valid_to");

      org->id = json_object_get_int_member_with_default (o, "id", 0);
      org->parent_id
          = parent != NULL && !json_node_is_null (parent) ? json_node_get_int (parent) : 0;
      org->name = g_strdup (json_object_get_string_member_with_default (o, "name", ""));
      org->kind = g_strdup (json_object_get_string_member_with_default (o, "kind", ""));
      org->current = valid_to == NULL || json_node_is_null (valid_to);
      g_hash_table_replace (self->orgs, &org->id, org);
    }
  cursor = json_object_get_string_member_with_default (object, "next_cursor", NULL);
  if (cursor != NULL)
    {
      fetch (self, cursor);
      return;
    }
  self->loading = FALSE;
  self->loaded = TRUE;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
fetch (KcOrgDirectory *self, const char *cursor)
{
  g_autoptr (JsonObject) params = json_object_new ();
  g_autoptr (JsonNode) node = NULL;

  if (self->session == NULL)
    return;
  json_object_set_int_member (params, "limit", PAGE_SIZE);
  if (cursor != NULL)
    json_object_set_string_member (params, "cursor", cursor);
  node = json_node_init_object (json_node_alloc (), params);
  self->loading = TRUE;
  kc_session_org_list_async (self->session, node, self->cancellable, list_done_cb,
                             g_object_ref (self));
}

static const Org *
province_of (KcOrgDirectory *self, gint64 org_id)
{
  /* Up the tree to the province (a few steps; guarded against a loop). */
  for (int steps = 0; steps < 16 && org_id != 0; steps++)
    {
      const Org *org = g_hash_table_lookup (self->orgs, &org_id);

      if (org == NULL)
        return NULL;
      if (g_str_equal (org->kind, "province"))
        return org;
      org_id = org->parent_id;
    }
  return NULL;
}

const char *
kc_org_directory_province_name (KcOrgDirectory *self, gint64 org_id)
{
  const Org *org = province_of (self, org_id);

  return org != NULL ? org->name : NULL;
}

gint64
kc_org_directory_province_id (KcOrgDirectory *self, gint64 org_id)
{
  const Org *org = province_of (self, org_id);

  return org != NULL ? org->id : 0;
}

static int
compare_by_name (gconstpointer a, gconstpointer b, gpointer user_data)
{
  KcOrgDirectory *self = user_data;
  const Org *x = g_hash_table_lookup (self->orgs, *(gint64 *const *)a);
  const Org *y = g_hash_table_lookup (self->orgs, *(gint64 *const *)b);
  g_autofree char *kx = kc_collate_key (x->name);
  g_autofree char *ky = kc_collate_key (y->name);

  return g_strcmp0 (kx, ky);
}

GPtrArray *
kc_org_directory_provinces (KcOrgDirectory *self)
{
  GPtrArray *ids = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->orgs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Org *org = value;

      if (org->current && g_str_equal (org->kind, "province"))
        g_ptr_array_add (ids, &org->id);
    }
  g_ptr_array_sort_with_data (ids, compare_by_name, self);
  return ids;
}

typedef struct
{
  const char *name;
  char *key;
} Named;

static int
compare_keys (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (((const Named *)a)->key, ((const Named *)b)->key);
}

GStrv
kc_org_directory_names (KcOrgDirectory *self)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GArray) pairs = g_array_new (FALSE, FALSE, sizeof (Named));
  GStrvBuilder *builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer value;
  GStrv names;

  g_hash_table_iter_init (&iter, self->orgs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Org *org = value;
      Named named;

      if (!org->current || org->name[0] == '\0' || !g_hash_table_add (seen, org->name))
        continue;
      named.name = org->name;
      named.key = kc_collate_key (org->name);
      g_array_append_val (pairs, named);
    }
  g_array_sort (pairs, compare_keys);
  for (guint i = 0; i < pairs->len; i++)
    {
      Named *named = &g_array_index (pairs, Named, i);

      g_strv_builder_add (builder, named->name);
      g_free (named->key);
    }
  names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return names;
}

gboolean
kc_org_directory_is_loaded (KcOrgDirectory *self)
{
  return self->loaded;
}

KcOrgDirectory *
kc_org_directory_get (KcSession *session)
{
  KcOrgDirectory *self = g_object_get_data (G_OBJECT (session), "kc-org-directory");

  if (self == NULL)
    {
      self = g_object_new (KC_TYPE_ORG_DIRECTORY, NULL);
      self->session = session;
      g_object_add_weak_pointer (G_OBJECT (session), (gpointer *)&self->session);
      g_object_set_data_full (G_OBJECT (session), "kc-org-directory", self, g_object_unref);
    }
  if (!self->loaded && !self->loading)
    fetch (self, NULL);
  return self;
}

static void
kc_org_directory_dispose (GObject *object)
{
  KcOrgDirectory *self = KC_ORG_DIRECTORY (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->session != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->session), (gpointer *)&self->session);
  self->session = NULL;
  G_OBJECT_CLASS (kc_org_directory_parent_class)->dispose (object);
}

static void
kc_org_directory_finalize (GObject *object)
{
  g_hash_table_unref (KC_ORG_DIRECTORY (object)->orgs);
  G_OBJECT_CLASS (kc_org_directory_parent_class)->finalize (object);
}

static void
kc_org_directory_class_init (KcOrgDirectoryClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kc_org_directory_dispose;
  G_OBJECT_CLASS (klass)->finalize = kc_org_directory_finalize;
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
kc_org_directory_init (KcOrgDirectory *self)
{
  self->orgs = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, org_free);
  self->cancellable = g_cancellable_new ();
}
