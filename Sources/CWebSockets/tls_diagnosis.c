#include "tls_diagnosis.h"
#include <openssl/ssl.h>
#include <stdio.h>

static void on_tls_message(int write_p, int version, int content_type, const void *buf, size_t len, SSL *ssl,
                           void *arg) {
    (void)version;
    (void)ssl;
    bb_tls_observation *seen = arg;
    const unsigned char *bytes = buf;
    if (write_p || !seen) return;
    if (content_type == SSL3_RT_HEADER && len >= 5) {
        /* A TLS record starts with a content type 20-24 and major version 3. */
        if (seen->records_received++ == 0)
            seen->first_record_not_tls = !(bytes[0] >= 20 && bytes[0] <= 24 && bytes[1] == 3);
    } else if (content_type == SSL3_RT_ALERT && len >= 2 && seen->alert < 0) {
        seen->alert = bytes[1];
    }
}

void bb_tls_observe(void *ssl_ctx, bb_tls_observation *observation) {
    SSL_CTX_set_msg_callback(ssl_ctx, on_tls_message);
    SSL_CTX_set_msg_callback_arg(ssl_ctx, observation);
}

void bb_tls_observation_reset(bb_tls_observation *observation) {
    observation->records_received = 0;
    observation->first_record_not_tls = 0;
    observation->alert = -1;
}

void bb_tls_describe_failure(const bb_tls_observation *seen, char *reason, size_t reason_capacity) {
    if (!seen->records_received || seen->first_record_not_tls) {
        /* A plain server answers a ClientHello with HTTP text, or hangs up on it. */
        snprintf(reason, reason_capacity, "the server did not answer TLS (is it a plain ws:// server?)");
    } else if (seen->alert >= 0) {
        snprintf(reason, reason_capacity, "the server refused the TLS handshake (alert: %s)",
                 SSL_alert_desc_string_long(seen->alert));
    } else {
        snprintf(reason, reason_capacity, "the TLS handshake failed");
    }
}
