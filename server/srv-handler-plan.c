/*
 * srv-handler-plan.c — the plan.* methods (issue 3), with their table.
 */
#include "srv-handlers.h"

const SrvMethod srv_plan_methods[] = {
  { NULL, NULL, 0, 0 },
};
