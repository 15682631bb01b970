/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-draft-conflict.c — KcDraftConflict: a kept edit refused by the server,
 * shown beside the server's current values.
 */
#include "kc-draft-conflict.h"

#include <glib/gi18n.h>

#include "kc-calls.h"
#include "kc-error.h"
#include "kc-labels.h"
#include "kc-money.h"
#include "kc-rpc.h"
#include "kc-project-editor.h"
#include "kc-window.h"

struct _KcDraftConflict
{
  GtkDialog parent_instance;

  GtkLabel *problem_label;
  GtkGrid *grid;
  GtkSpinner *spinner;
  GtkButton *mine_button;

  KcSession *session;
  GCancellable *cancellable;
  gint64 id;
  gint64 current_version; /* the server's, once read */
};

G_DEFINE_TYPE (KcDraftConflict, kc_draft_conflict, GTK_TYPE_DIALOG)

static GHashTable *open_conflicts; /* id → KcDraftConflict (not owned) */

/* A member's value as a person reads it: money as 1.234.567 ₫, lists one
 * item a line. */
static char *
describe_value (const char *member, JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("—");
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? _ ("Yes") : _ ("No"));
      if (type == G_TYPE_INT64 && g_str_equal (member, "total_cost"))
        return kc_money_format (json_node_get_int (node));
      if (type == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      if (type == G_TYPE_STRING)
        return g_strdup (json_node_get_string (node));
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *items = json_node_get_array (node);
      GString *text = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonNode *item = json_array_get_element (items, i);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;

          if (text->len > 0)
            g_string_append_c (text, '\n');
          if (object != NULL && json_object_has_member (object, "source"))
            {
              g_autofree char *amount
                  = kc_money_format (json_object_get_int_member_with_default (object, "amount", 0));
              g_string_append_printf (text, "%s: %s",
                                      kc_label_source (json_object_get_string_member_with_default (
                                          object, "source", "")),
                                      amount);
            }
          else if (object != NULL && json_object_has_member (object, "target"))
            g_string_append_printf (text, "%s: %" G_GINT64_FORMAT,
                                    json_object_get_string_member_with_default (object, "code", ""),
                                    json_object_get_int_member_with_default (object, "target", 0));
          else if (object != NULL && json_object_has_member (object, "name"))
            g_string_append (text, json_object_get_string_member_with_default (object, "name", ""));
          else
            {
              g_autofree char *json = kc_json_to_string (item, FALSE);
              g_string_append (text, json);
            }
        }
      return g_string_free (text, FALSE);
    }
  return kc_json_to_string (node, FALSE);
}

static GtkWidget *
cell (const char *text, const char *accessible)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  if (accessible != NULL)
    atk_object_set_name (gtk_widget_get_accessible (label), accessible);
  gtk_widget_show (label);
  return label;
}

static const char *
member_label (const char *member)
{
  if (g_str_equal (member, "budget_lines"))
    return _ ("Budget lines");
  if (g_str_equal (member, "indicators"))
    return _ ("Indicators");
  if (g_str_equal (member, "beneficiaries"))
    return _ ("Beneficiaries");
  return kc_project_editor_field_label (member);
}

/* One row per member of the kept edit: the field, mine, the server's. */
static void
fill (KcDraftConflict *self, JsonObject *current)
{
  KcDraftStore *store = kc_draft_store_get (self->session);
  JsonObject *mine = kc_draft_store_lookup (store, self->id);
  const char *problem = kc_draft_store_get_problem (store, self->id);
  g_autofree char *text = NULL;
  g_autoptr (GList) members = NULL;
  g_autoptr (GList) children = NULL;
  int row = 1;

  /* The rows of the fields go; the heads (row 0, the template's) stay. */
  children = gtk_container_get_children (GTK_CONTAINER (self->grid));
  for (GList *l = children; l != NULL; l = l->next)
    {
      int top;

      gtk_container_child_get (GTK_CONTAINER (self->grid), l->data, "top-attach", &top, NULL);
      if (top > 0)
        gtk_widget_destroy (l->data);
    }
  if (self->id < 0)
    text = g_strdup_printf (_ ("Your new project, kept on this computer while the server could "
                               "not be reached, was refused: %s Send it again, or discard it."),
                            problem != NULL ? problem : "");
  else
    text = g_strdup_printf (
        _ ("Your edit of %s, kept on this computer while the server could not "
           "be reached, was refused: %s Choose which values to keep."),
        current != NULL ? json_object_get_string_member_with_default (current, "code", "") : "",
        problem != NULL ? problem : "");
  gtk_label_set_text (self->problem_label, text);
  if (mine == NULL)
    return;
  members = json_object_get_members (mine);
  for (GList *l = members; l != NULL; l = l->next, row++)
    {
      const char *member = l->data;
      const char *label;
      g_autofree char *local = NULL;
      g_autofree char *server = NULL;
      g_autofree char *local_name = NULL;
      g_autofree char *server_name = NULL;

      if (g_str_equal (member, "id") || g_str_equal (member, "version"))
        {
          row--;
          continue;
        }
      label = member_label (member);
      local = describe_value (member, json_object_get_member (mine, member));
      server = describe_value (member,
                               current != NULL ? json_object_get_member (current, member) : NULL);
      /* TRANSLATORS: accessible names of a conflict's cells: a field's label */
      local_name = g_strdup_printf (_ ("%s, kept on this computer"), label);
      server_name = g_strdup_printf (_ ("%s, on the server"), label);
      gtk_grid_attach (self->grid, cell (label, NULL), 0, row, 1, 1);
      gtk_grid_attach (self->grid, cell (local, local_name), 1, row, 1, 1);
      gtk_grid_attach (self->grid, cell (server, server_name), 2, row, 1, 1);
    }
}

static void
get_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcDraftConflict *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, NULL, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_spinner_stop (self->spinner);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      g_autofree char *text = kc_describe_error (error);

      fill (self, NULL);
      gtk_label_set_text (self->problem_label, text);
      return;
    }
  self->current_version
      = json_object_get_int_member_with_default (json_node_get_object (reply), "version", 0);
  fill (self, json_node_get_object (reply));
  gtk_widget_set_sensitive (GTK_WIDGET (self->mine_button), TRUE);
}

static void
on_response_cb (KcDraftConflict *self, int response)
{
  KcDraftStore *store = kc_draft_store_get (self->session);

  if (response == 1 && (self->current_version > 0 || self->id < 0))
    kc_draft_store_keep_mine (store, self->id, self->current_version);
  else if (response == 2)
    kc_draft_store_take_theirs (store, self->id);
  else if (response == 1)
    return; /* the server's values are not read yet */
  /* Closed without a choice: the conflict stays, the window still counts it
   * and shows this again from its count. */
  gtk_widget_destroy (GTK_WIDGET (self));
}

static void
kc_draft_conflict_dispose (GObject *object)
{
  KcDraftConflict *self = KC_DRAFT_CONFLICT (object);

  if (open_conflicts != NULL && g_hash_table_lookup (open_conflicts, &self->id) == self)
    g_hash_table_remove (open_conflicts, &self->id);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (kc_draft_conflict_parent_class)->dispose (object);
}

static void
kc_draft_conflict_class_init (KcDraftConflictClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kc_draft_conflict_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-draft-conflict.ui");
  gtk_widget_class_bind_template_child (widget_class, KcDraftConflict, problem_label);
  gtk_widget_class_bind_template_child (widget_class, KcDraftConflict, grid);
  gtk_widget_class_bind_template_child (widget_class, KcDraftConflict, spinner);
  gtk_widget_class_bind_template_child (widget_class, KcDraftConflict, mine_button);
}

static void
kc_draft_conflict_init (KcDraftConflict *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect (self, "response", G_CALLBACK (on_response_cb), NULL);
}

void
kc_draft_conflict_show (GtkWindow *parent, KcSession *session, gint64 id)
{
  KcDraftConflict *self;

  if (open_conflicts == NULL)
    open_conflicts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self = g_hash_table_lookup (open_conflicts, &id);
  if (self != NULL)
    {
      gtk_window_present (GTK_WINDOW (self));
      return;
    }
  self = g_object_new (KC_TYPE_DRAFT_CONFLICT, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  self->id = id;
  g_hash_table_insert (open_conflicts, g_memdup2 (&id, sizeof id), self);
  fill (self, NULL);
  /* A new project has nothing on the server to compare with. */
  if (id < 0)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->mine_button), TRUE);
      gtk_window_present (GTK_WINDOW (self));
      return;
    }
  gtk_spinner_start (self->spinner);
  kc_session_project_get_async (session, id, self->cancellable, get_done_cb, self);
  gtk_window_present (GTK_WINDOW (self));
}
