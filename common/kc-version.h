/* kc-version.h — the build's version and protocol version. */
#pragma once

#include "kc-config.h"

#define KC_SERVER_NAME "kc-server"
