#ifndef BB_CONNECT_DIAGNOSIS_H
#define BB_CONNECT_DIAGNOSIS_H
#include <stddef.h>

/* Why a TCP connection to host:port fails: resolves the name, then (if probe_ms > 0) tries each address
 * for up to probe_ms. Returns a bb_ws_end_kind (DNS failure, refused, connect failed) and a reason. */
int bb_diagnose_connect(const char *host, int port, int probe_ms, char *reason, size_t reason_capacity);

#endif
