/*
 * srv-handler-events.c — events.subscribe: which live updates this
 * connection wants (PROTOCOL.md). Runs on the main thread: it only sets the
 * connection's topics; what each session may see is decided per event.
 */
#include "srv-handlers.h"

#include "srv-events.h"

static void srv_handle_events_subscribe (SrvCall *call, SrvDbConn *db);

const SrvMethod srv_events_methods[] = {
  { "events.subscribe", srv_handle_events_subscribe, SRV_ROLES_ALL, SRV_METHOD_INLINE },
  { NULL, NULL, 0, 0 },
};

static void
srv_handle_events_subscribe (SrvCall *call, SrvDbConn *db)
{
  JsonNode *topics = json_object_get_member (call->params, "topics");
  g_autoptr (JsonBuilder) b = json_builder_new ();
  guint mask = 0;
  SrvParams p;

  srv_params_init (&p, call);
  g_hash_table_add (p.seen, (gpointer) "topics");
  if (topics == NULL)
    srv_params_error (&p, "topics", "is required");
  else if (!JSON_NODE_HOLDS_ARRAY (topics))
    srv_params_error (&p, "topics", "must be a list of topic names");
  else
    {
      JsonArray *list = json_node_get_array (topics);
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonNode *item = json_array_get_element (list, i);
          SrvTopic topic = 0;

          if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
            topic = srv_topic_from_name (json_node_get_string (item));
          if (topic == 0)
            {
              g_autofree char *names = g_strjoinv (", ", (char **)srv_topic_names ());
              g_autofree char *field = g_strdup_printf ("topics[%u]", i);
              g_autofree char *message = g_strdup_printf ("must be one of: %s", names);
              srv_params_error (&p, field, message);
            }
          mask |= topic;
        }
    }
  if (!srv_params_finish (&p))
    return;

  call->event_topics = mask;
  call->event_topics_set = TRUE;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "topics");
  json_builder_begin_array (b);
  for (guint i = 0; srv_topic_names ()[i] != NULL; i++)
    if (mask & (1u << i))
      json_builder_add_string_value (b, srv_topic_names ()[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  srv_call_set_result_node (call, json_builder_get_root (b));
}
