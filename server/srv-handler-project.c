/*
 * srv-handler-project.c — the project.* methods (issue 3), with their table.
 */
#include "srv-handlers.h"

const SrvMethod srv_project_methods[] = {
  { NULL, NULL, 0, 0 },
};
