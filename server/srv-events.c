/*
 * srv-events.c — see srv-events.h. The visibility rule mirrors
 * kc_plan_visible() in SQL: a province's sessions see their province and
 * what it inherited in 2025; the Ministry side sees local plans and the
 * national ones that left the province.
 */
#include "srv-events.h"

#include <json-glib/json-glib.h>

#include "kc-rpc.h"

static const char *const topic_names[]
    = { "project",      "plan",  "allocation", "payment",   "comment", "correspondence",
        "round_report", "inbox", "round",      "programme", "budget",  NULL };

SrvTopic
srv_topic_from_name (const char *name)
{
  for (guint i = 0; name != NULL && topic_names[i] != NULL; i++)
    if (g_str_equal (topic_names[i], name))
      return 1u << i;
  return 0;
}

const char *const *
srv_topic_names (void)
{
  return topic_names;
}

SrvEvent *
srv_event_parse (const char *payload)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (SrvEvent) event = g_new0 (SrvEvent, 1);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) params = NULL;
  JsonObject *o;
  JsonArray *provinces;
  static const char *const copied[] = { "topic", "id", "status", "version", "at" };

  if (payload == NULL || !json_parser_load_from_data (parser, payload, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  o = json_node_get_object (json_parser_get_root (parser));
  event->topic = srv_topic_from_name (json_object_get_string_member_with_default (o, "topic", ""));
  if (event->topic == 0)
    return NULL;
  event->ministry = json_object_get_boolean_member_with_default (o, "ministry", FALSE);
  event->provinces = g_array_new (FALSE, FALSE, sizeof (gint64));
  provinces = json_object_has_member (o, "provinces")
                  ? json_object_get_array_member (o, "provinces")
                  : NULL;
  for (guint i = 0; provinces != NULL && i < json_array_get_length (provinces); i++)
    {
      gint64 id = json_array_get_int_element (provinces, i);
      g_array_append_val (event->provinces, id);
    }

  /* What a client sees is exactly PROTOCOL.md's {topic, id, status,
   * version, at}: who may see it stays on the server. */
  json_builder_begin_object (b);
  for (gsize i = 0; i < G_N_ELEMENTS (copied); i++)
    {
      JsonNode *member = json_object_get_member (o, copied[i]);
      json_builder_set_member_name (b, copied[i]);
      if (member != NULL)
        json_builder_add_value (b, json_node_copy (member));
      else
        json_builder_add_null_value (b);
    }
  json_builder_end_object (b);
  params = json_builder_get_root (b);
  event->line = kc_rpc_build_notification ("event", params, &event->line_len);
  return g_steal_pointer (&event);
}

void
srv_event_free (SrvEvent *event)
{
  if (event == NULL)
    return;
  if (event->provinces != NULL)
    g_array_unref (event->provinces);
  g_free (event->line);
  g_free (event);
}

gboolean
srv_event_visible (const SrvEvent *event, gint64 scope_root)
{
  if (scope_root == 0)
    return event->ministry;
  for (guint i = 0; i < event->provinces->len; i++)
    if (g_array_index (event->provinces, gint64, i) == scope_root)
      return TRUE;
  return FALSE;
}
