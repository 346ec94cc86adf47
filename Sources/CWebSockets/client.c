#include "bb_ws_client.h"
#include <libwebsockets.h>

int bb_ws_version_major(void) { return LWS_LIBRARY_VERSION_MAJOR; }
