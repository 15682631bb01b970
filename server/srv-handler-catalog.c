/*
 * srv-handler-catalog.c — the catalog.* methods (issue 3), with their table.
 */
#include "srv-handlers.h"

const SrvMethod srv_catalog_methods[] = {
  { NULL, NULL, 0, 0 },
};
