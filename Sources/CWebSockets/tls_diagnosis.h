#ifndef BB_TLS_DIAGNOSIS_H
#define BB_TLS_DIAGNOSIS_H
#include <stddef.h>

/* What came back from the server during the TLS handshake, seen through OpenSSL's message callback
 * (record headers and alerts as bytes): lws clears OpenSSL's error queue and reports a failed
 * handshake only as text, so this is how a failure is told apart. */
typedef struct {
    int records_received;      /* record headers read from the server */
    int first_record_not_tls;  /* the first 5 bytes were not a TLS record header (e.g. "HTTP/") */
    int alert;                 /* the server's TLS alert description, or -1 */
} bb_tls_observation;

/* Watches every connection made with `ssl_ctx` (an SSL_CTX *) and records into `observation`,
 * which must outlive the SSL_CTX. */
void bb_tls_observe(void *ssl_ctx, bb_tls_observation *observation);
void bb_tls_observation_reset(bb_tls_observation *observation);

/* Why the handshake failed, in words for the operator. */
void bb_tls_describe_failure(const bb_tls_observation *observation, char *reason, size_t reason_capacity);

#endif
