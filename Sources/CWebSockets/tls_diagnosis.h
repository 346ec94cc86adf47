#ifndef BB_TLS_DIAGNOSIS_H
#define BB_TLS_DIAGNOSIS_H
#include <stddef.h>

/* Why the TLS handshake that just failed on this thread failed, from OpenSSL's error queue (its
 * library and reason codes, not lws's text), in words for the operator. Clears the queue. */
void bb_describe_tls_failure(char *reason, size_t reason_capacity);

#endif
