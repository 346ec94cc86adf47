#include "tls_diagnosis.h"
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>

/* Reasons OpenSSL gives when the bytes that came back were not TLS records at all: typically an
 * HTTP answer from a plain ws:// server, or a hang-up after it could not parse our ClientHello. */
static int is_not_tls_answer(unsigned long error) {
    if (ERR_GET_LIB(error) != ERR_LIB_SSL) return 0;
    switch (ERR_GET_REASON(error)) {
    case SSL_R_WRONG_VERSION_NUMBER:
    case SSL_R_UNKNOWN_PROTOCOL:
    case SSL_R_PACKET_LENGTH_TOO_LONG:
    case SSL_R_RECORD_LENGTH_MISMATCH:
    case SSL_R_HTTP_REQUEST:
#ifdef SSL_R_UNEXPECTED_EOF_WHILE_READING
    case SSL_R_UNEXPECTED_EOF_WHILE_READING:
#endif
        return 1;
    default:
        return 0;
    }
}

void bb_describe_tls_failure(char *reason, size_t reason_capacity) {
    unsigned long error = ERR_peek_last_error();
    if (!error) {
        snprintf(reason, reason_capacity,
                 "the server hung up during the TLS handshake (is it a plain ws:// server?)");
    } else if (is_not_tls_answer(error)) {
        snprintf(reason, reason_capacity, "the server did not answer TLS (is it a plain ws:// server?)");
    } else {
        const char *text = ERR_reason_error_string(error);
        snprintf(reason, reason_capacity, "the handshake failed: %s", text ? text : "unknown OpenSSL error");
    }
    ERR_clear_error();
}
