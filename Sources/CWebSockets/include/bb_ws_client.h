#ifndef BB_WS_CLIENT_H
#define BB_WS_CLIENT_H
/* The libwebsockets client shim. Filled in by the transport work. */
int bb_ws_version_major(void);
#endif
