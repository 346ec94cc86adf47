#define _GNU_SOURCE
#include "bb_ws_client.h"
#include "connect_diagnosis.h"
#include <libwebsockets.h>
#include <openssl/x509_vfy.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One timer drives deadlines and the caller's tick: every lws timer costs a burst of zero-timeout
 * polls as it comes due, which at Kraken's pace (~100 messages/s) was most of the process's CPU. */
#define BB_HOUSEKEEPING_MS 100

typedef struct bb_message {
    struct bb_message *next;
    size_t length;
    unsigned char bytes[]; /* LWS_PRE headroom, then the payload */
} bb_message;

struct bb_ws_client {
    pthread_mutex_t lock;
    /* guarded by lock */
    bb_message *head, *tail;
    int stop_requested;
    int close_requested; /* ends the current run only; cleared when a run starts */
    struct lws_context *context;

    /* service thread only */
    const bb_ws_client_config *config;
    const bb_ws_client_callbacks *callbacks;
    bb_ws_ending *ending;
    struct lws *wsi;
    int done, established, closing, killed, too_big;
    uint64_t killed_ms;
    lws_sorted_usec_list_t housekeeping;
    uint64_t last_tick_ms;
    uint64_t started_ms, last_rx_ms, close_started_ms, last_ping_ms, ping_sent_ms;
    uint64_t rx_count, seen_rx_count;
    int ping_due, pong_outstanding;
    unsigned char *assembly;
    size_t assembly_length, assembly_capacity;
    int assembly_is_text, mid_message;
    char tls_error[160];
};

static uint64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void set_ending(bb_ws_client *c, bb_ws_end_kind kind, int code, const char *detail) {
    if (c->ending->kind != BB_WS_END_NONE) return;
    c->ending->kind = kind;
    c->ending->code = code;
    snprintf(c->ending->detail, sizeof(c->ending->detail), "%s", detail ? detail : "");
}

/* Ends the connection without a close frame; WSI_DESTROY reports the end. */
static void kill_connection(bb_ws_client *c) {
    if (c->wsi && !c->killed) {
        c->killed = 1;
        c->killed_ms = now_ms();
        lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
    }
}

static void free_queue(bb_ws_client *c) {
    pthread_mutex_lock(&c->lock);
    bb_message *m = c->head;
    c->head = c->tail = NULL;
    pthread_mutex_unlock(&c->lock);
    while (m) {
        bb_message *next = m->next;
        free(m);
        m = next;
    }
}

static int queue_is_empty(bb_ws_client *c) {
    pthread_mutex_lock(&c->lock);
    int empty = c->head == NULL;
    pthread_mutex_unlock(&c->lock);
    return empty;
}

static int stop_is_requested(bb_ws_client *c) {
    pthread_mutex_lock(&c->lock);
    int stop = c->stop_requested || c->close_requested;
    pthread_mutex_unlock(&c->lock);
    return stop;
}

static void handle_stop(bb_ws_client *c) {
    if (c->closing || c->killed || !c->wsi) return;
    set_ending(c, BB_WS_END_STOPPED, 0, NULL);
    if (c->established) {
        /* Polite close: the WRITEABLE callback sends close 1000; the grace timer bounds the wait. */
        c->closing = 1;
        c->close_started_ms = now_ms();
        lws_callback_on_writable(c->wsi);
    } else {
        kill_connection(c);
    }
}

/* The housekeeping timer's period: 100 ms, or the caller's tick interval when that is shorter. */
static lws_usec_t housekeeping_period_us(const bb_ws_client_config *cfg) {
    unsigned ms = BB_HOUSEKEEPING_MS;
    if (cfg->tick_interval_ms && cfg->tick_interval_ms < ms) ms = cfg->tick_interval_ms;
    return (lws_usec_t)ms * LWS_US_PER_MS;
}

static void housekeeping(lws_sorted_usec_list_t *sul) {
    bb_ws_client *c = lws_container_of(sul, bb_ws_client, housekeeping);
    const bb_ws_client_config *cfg = c->config;
    uint64_t now = now_ms();
    if (c->rx_count != c->seen_rx_count) {
        c->seen_rx_count = c->rx_count;
        c->last_rx_ms = now;
    }
    if (stop_is_requested(c)) handle_stop(c);
    if (c->killed && c->wsi && now - c->killed_ms >= 100) {
        /* lws resets a connection's timeout at some handshake steps, cancelling our kill: repeat it. */
        c->killed_ms = now;
        lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
    }
    if (c->killed) {
        /* nothing else to decide: the connection is on its way out */
    } else if (!c->established) {
        if (now - c->started_ms >= cfg->connect_timeout_ms) {
            set_ending(c, BB_WS_END_CONNECT_TIMEOUT, 0, NULL);
            kill_connection(c);
        }
    } else if (c->closing || c->too_big) {
        if (now - c->close_started_ms >= cfg->close_grace_ms) kill_connection(c);
    } else {
        if (cfg->idle_timeout_ms && now - c->last_rx_ms >= cfg->idle_timeout_ms) {
            set_ending(c, BB_WS_END_IDLE_TIMEOUT, 0, NULL);
            kill_connection(c);
        } else if (cfg->ping_interval_ms) {
            if (c->pong_outstanding && now - c->ping_sent_ms >= cfg->ping_timeout_ms) {
                set_ending(c, BB_WS_END_PING_TIMEOUT, 0, NULL);
                kill_connection(c);
            } else if (!c->pong_outstanding && !c->ping_due && now - c->last_ping_ms >= cfg->ping_interval_ms) {
                c->ping_due = 1;
                lws_callback_on_writable(c->wsi);
            }
        }
    }
    if (cfg->tick_interval_ms && now - c->last_tick_ms >= cfg->tick_interval_ms) {
        c->last_tick_ms = now;
        if (c->established && !c->closing && !c->killed && c->callbacks->did_tick)
            c->callbacks->did_tick(c->callbacks->owner);
    }
    if (!c->done)
        lws_sul_schedule(c->context, 0, &c->housekeeping, housekeeping, housekeeping_period_us(cfg));
}

static int contains(const char *text, const char *needle) {
    return text && strcasestr(text, needle) != NULL;
}

/* lws reports connect failures as text only; the strings below are those of lws 4.1. */
static void classify_connection_error(bb_ws_client *c, struct lws *wsi, const char *message, int saved_errno) {
    const char *detail = message ? message : "connection failed";
    unsigned int status = lws_http_client_http_response(wsi);
    if (c->tls_error[0]) {
        /* lws's own text here is a bare "SSL err"; the verifier's reason was kept when it failed. */
        set_ending(c, BB_WS_END_TLS_FAILURE, 0, c->tls_error);
    } else if (status && status != 101) {
        set_ending(c, BB_WS_END_UPGRADE_FAILED, (int)status, detail);
    } else if (contains(message, "dns") || contains(message, "getaddrinfo") || contains(message, "resol")) {
        set_ending(c, BB_WS_END_DNS_FAILURE, 0, detail);
    } else if (contains(message, "cert") || contains(message, "tls") || contains(message, "ssl") ||
               contains(message, "x509")) {
        set_ending(c, BB_WS_END_TLS_FAILURE, 0, detail);
    } else if (contains(message, "refused") || saved_errno == ECONNREFUSED) {
        set_ending(c, BB_WS_END_CONNECTION_REFUSED, 0, detail);
    } else if (contains(message, "connect")) {
        /* lws 4.1 loses connect()'s errno ("Unable to connect"); a bounded second attempt recovers why. */
        char reason[200];
        int kind = bb_diagnose_connect(c->config->host, c->config->port, 500, reason, sizeof(reason));
        set_ending(c, (bb_ws_end_kind)kind, 0, reason);
    } else {
        set_ending(c, BB_WS_END_HANDSHAKE_FAILED, 0, detail);
    }
}

static int append_fragment(bb_ws_client *c, const void *in, size_t len) {
    size_t needed = c->assembly_length + len;
    if (needed > c->assembly_capacity) {
        size_t capacity = c->assembly_capacity ? c->assembly_capacity : 65536;
        while (capacity < needed) capacity *= 2;
        unsigned char *grown = realloc(c->assembly, capacity);
        if (!grown) return -1;
        c->assembly = grown;
        c->assembly_capacity = capacity;
    }
    if (len) memcpy(c->assembly + c->assembly_length, in, len);
    c->assembly_length = needed;
    return 0;
}

static int receive(bb_ws_client *c, struct lws *wsi, const void *in, size_t len) {
    c->rx_count++;
    int is_final = lws_is_final_fragment(wsi);
    size_t remaining = lws_remaining_packet_payload(wsi);
    if (!c->mid_message && is_final && remaining == 0) {
        /* Fast path: a whole message in one piece is handed over in place, no copy. */
        c->callbacks->did_receive(c->callbacks->owner, in, len, !lws_frame_is_binary(wsi));
        return 0;
    }
    if (!c->mid_message) {
        c->mid_message = 1;
        c->assembly_length = 0;
        c->assembly_is_text = !lws_frame_is_binary(wsi);
    }
    if (c->assembly_length + len + remaining > c->config->max_message_bytes) {
        char detail[96];
        snprintf(detail, sizeof(detail), "message exceeds %zu bytes", c->config->max_message_bytes);
        set_ending(c, BB_WS_END_MESSAGE_TOO_BIG, 0, detail);
        /* Returning -1 from inside the rx parser crashed lws 4.1; close from WRITEABLE instead. */
        c->too_big = 1;
        c->mid_message = 0;
        c->assembly_length = 0;
        c->close_started_ms = now_ms();
        lws_callback_on_writable(wsi);
        return 0;
    }
    if (append_fragment(c, in, len)) {
        set_ending(c, BB_WS_END_ABNORMAL_CLOSE, 0, "out of memory reassembling a message");
        return -1;
    }
    if (is_final && remaining == 0) {
        c->mid_message = 0;
        c->callbacks->did_receive(c->callbacks->owner, c->assembly, c->assembly_length, c->assembly_is_text);
        c->assembly_length = 0;
    }
    return 0;
}

static int writeable(bb_ws_client *c, struct lws *wsi) {
    if (c->too_big) {
        lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, (unsigned char *)"message too big", 15);
        return -1;
    }
    if (c->closing) {
        lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, (unsigned char *)"", 0);
        return -1;
    }
    if (c->ping_due) {
        unsigned char ping[LWS_PRE + 1];
        c->ping_due = 0;
        if (lws_write(wsi, ping + LWS_PRE, 0, LWS_WRITE_PING) < 0) return -1;
        c->pong_outstanding = 1;
        c->ping_sent_ms = c->last_ping_ms = now_ms();
        if (!queue_is_empty(c)) lws_callback_on_writable(wsi);
        return 0;
    }
    pthread_mutex_lock(&c->lock);
    bb_message *m = c->head;
    if (m) {
        c->head = m->next;
        if (!c->head) c->tail = NULL;
    }
    int more = c->head != NULL;
    pthread_mutex_unlock(&c->lock);
    if (!m) return 0;
    int written = lws_write(wsi, m->bytes + LWS_PRE, m->length, LWS_WRITE_TEXT);
    free(m);
    if (written < 0) {
        set_ending(c, BB_WS_END_ABNORMAL_CLOSE, 0, "write failed");
        return -1;
    }
    if (more) lws_callback_on_writable(wsi);
    return 0;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len) {
    struct lws_context *context = lws_get_context(wsi);
    bb_ws_client *c = context ? lws_context_user(context) : NULL;
    if (!c) return 0;
    int ours = user == c || (c->wsi && wsi == c->wsi);

    switch (reason) {
    case LWS_CALLBACK_OPENSSL_PERFORM_SERVER_CERT_VERIFICATION:
        /* user: X509_STORE_CTX, len: OpenSSL's preverify result. Returning 0 keeps OpenSSL's verdict. */
        if (!len && user && !c->tls_error[0]) {
            X509_STORE_CTX *store = user;
            int error = X509_STORE_CTX_get_error(store);
            snprintf(c->tls_error, sizeof(c->tls_error), "certificate verification failed for %s: %s (depth %d)",
                     c->config->host, X509_verify_cert_error_string(error), X509_STORE_CTX_get_error_depth(store));
        }
        return 0;

    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
        if (!c->wsi) break;
        if (stop_is_requested(c)) handle_stop(c);
        else if (c->established && !queue_is_empty(c)) lws_callback_on_writable(c->wsi);
        break;

    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR: {
        int saved_errno = errno;
        if (ours) classify_connection_error(c, wsi, in, saved_errno);
        break;
    }

    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        if (!ours) break;
        if (c->killed) return -1;
        c->established = 1;
        c->last_rx_ms = c->last_ping_ms = now_ms();
        if (c->callbacks->did_open) c->callbacks->did_open(c->callbacks->owner);
        if (stop_is_requested(c)) handle_stop(c);
        else if (!queue_is_empty(c)) lws_callback_on_writable(wsi);
        break;

    case LWS_CALLBACK_CLIENT_RECEIVE:
        if (!ours || c->closing || c->killed || c->too_big) break;
        return receive(c, wsi, in, len);

    case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
        /* A pong proves the peer is alive but is not a message: it does not reset the idle deadline. */
        c->pong_outstanding = 0;
        break;

    case LWS_CALLBACK_CLIENT_WRITEABLE:
        if (!ours) break;
        return writeable(c, wsi);

    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE: {
        if (!ours) break;
        const unsigned char *p = in;
        int code = len >= 2 ? (p[0] << 8) | p[1] : 1005;
        char reason_text[200];
        size_t n = len > 2 ? len - 2 : 0;
        if (n >= sizeof(reason_text)) n = sizeof(reason_text) - 1;
        if (n) memcpy(reason_text, p + 2, n);
        reason_text[n] = '\0';
        set_ending(c, BB_WS_END_PEER_CLOSED, code, reason_text);
        break;
    }

    case LWS_CALLBACK_CLIENT_CLOSED:
        if (!ours) break;
        /* A frame cut short leaves payload outstanding in lws's parser. */
        set_ending(c, BB_WS_END_ABNORMAL_CLOSE, 0,
                   c->mid_message || lws_remaining_packet_payload(wsi) > 0
                       ? "connection lost in the middle of a message"
                       : "connection closed without a close frame");
        break;

    case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
        if (!ours) break;
        set_ending(c, BB_WS_END_HANDSHAKE_FAILED, 0, "connection closed before the WebSocket upgrade completed");
        break;

    case LWS_CALLBACK_WSI_DESTROY:
        if (!ours) break;
        if (c->established)
            set_ending(c, BB_WS_END_ABNORMAL_CLOSE, 0,
                       c->mid_message ? "connection lost in the middle of a message" : "connection lost");
        else
            set_ending(c, BB_WS_END_HANDSHAKE_FAILED, 0, "connection ended before the WebSocket upgrade completed");
        c->wsi = NULL;
        c->done = 1;
        /* Closes started inside lws_service() would otherwise let the next poll sleep for a long time. */
        lws_cancel_service(context);
        break;

    default:
        break;
    }
    return 0;
}

bb_ws_client *bb_ws_client_create(void) {
    bb_ws_client *c = calloc(1, sizeof(*c));
    if (!c) return NULL;
    if (pthread_mutex_init(&c->lock, NULL)) {
        free(c);
        return NULL;
    }
    return c;
}

void bb_ws_client_destroy(bb_ws_client *c) {
    if (!c) return;
    free_queue(c);
    free(c->assembly);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

int bb_ws_client_send_text(bb_ws_client *c, const void *bytes, size_t length) {
    bb_message *m = malloc(sizeof(*m) + LWS_PRE + length);
    if (!m) return -1;
    m->next = NULL;
    m->length = length;
    if (length) memcpy(m->bytes + LWS_PRE, bytes, length);
    pthread_mutex_lock(&c->lock);
    if (c->tail) c->tail->next = m;
    else c->head = m;
    c->tail = m;
    if (c->context) lws_cancel_service(c->context);
    pthread_mutex_unlock(&c->lock);
    return 0;
}

void bb_ws_client_stop(bb_ws_client *c) {
    pthread_mutex_lock(&c->lock);
    c->stop_requested = 1;
    if (c->context) lws_cancel_service(c->context);
    pthread_mutex_unlock(&c->lock);
}

void bb_ws_client_close(bb_ws_client *c) {
    pthread_mutex_lock(&c->lock);
    c->close_requested = 1;
    if (c->context) lws_cancel_service(c->context);
    pthread_mutex_unlock(&c->lock);
}

void bb_ws_client_run(bb_ws_client *c, const bb_ws_client_config *config, const bb_ws_client_callbacks *callbacks,
                      bb_ws_ending *ending) {
    memset(ending, 0, sizeof(*ending));
    c->config = config;
    c->callbacks = callbacks;
    c->ending = ending;
    c->wsi = NULL;
    c->done = c->established = c->closing = c->killed = c->too_big = 0;
    c->ping_due = c->pong_outstanding = 0;
    c->rx_count = c->seen_rx_count = 0;
    c->mid_message = 0;
    c->assembly_length = 0;
    c->tls_error[0] = '\0';
    memset(&c->housekeeping, 0, sizeof(c->housekeeping));
    c->last_tick_ms = 0;
    pthread_mutex_lock(&c->lock);
    c->close_requested = 0;
    pthread_mutex_unlock(&c->lock);

    if (stop_is_requested(c)) {
        set_ending(c, BB_WS_END_STOPPED, 0, NULL);
        return;
    }

    struct lws_protocols protocols[2];
    memset(protocols, 0, sizeof(protocols));
    protocols[0].name = "bytebit-client";
    protocols[0].callback = callback;
    protocols[0].rx_buffer_size = config->rx_buffer_bytes;

    struct lws_context_creation_info info;
    memset(&info, 0, sizeof(info));
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    info.user = c;
    info.options = config->use_tls ? LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT : 0;
    info.client_ssl_ca_filepath = config->extra_ca_file;
    info.pt_serv_buf_size = (unsigned int)config->rx_buffer_bytes;
    info.fd_limit_per_thread = 16;
    /* Our own connect deadline must fire before lws's internal ones. */
    info.timeout_secs = config->connect_timeout_ms / 1000 + 10;

    struct lws_context *context = lws_create_context(&info);
    if (!context) {
        set_ending(c, BB_WS_END_SETUP_FAILED, 0,
                   config->use_tls && config->extra_ca_file
                       ? "could not create the libwebsockets context (is the CA file readable PEM?)"
                       : "could not create the libwebsockets context");
        return;
    }
    pthread_mutex_lock(&c->lock);
    c->context = context;
    pthread_mutex_unlock(&c->lock);

    c->started_ms = now_ms();
    c->last_tick_ms = c->started_ms;
    lws_sul_schedule(context, 0, &c->housekeeping, housekeeping, housekeeping_period_us(config));

    struct lws_client_connect_info connect;
    memset(&connect, 0, sizeof(connect));
    connect.context = context;
    connect.address = config->host;
    connect.port = config->port;
    connect.path = config->path;
    connect.host = config->host;
    connect.origin = config->host;
    connect.ssl_connection = config->use_tls ? LCCSCF_USE_SSL : 0;
    connect.local_protocol_name = protocols[0].name;
    connect.userdata = c;
    connect.pwsi = &c->wsi;

    if (!lws_client_connect_via_info(&connect)) {
        /* lws 4.1 resolves synchronously here and returns NULL without a reason when the lookup fails. */
        char reason[200];
        int kind = bb_diagnose_connect(config->host, config->port, 0, reason, sizeof(reason));
        set_ending(c, kind == BB_WS_END_DNS_FAILURE ? BB_WS_END_DNS_FAILURE : BB_WS_END_SETUP_FAILED, 0,
                   kind == BB_WS_END_DNS_FAILURE ? reason : "libwebsockets could not start the connection");
        c->done = 1;
    }
    while (!c->done) {
        if (lws_service(context, 0) < 0) {
            set_ending(c, BB_WS_END_ABNORMAL_CLOSE, 0, "libwebsockets service loop failed");
            break;
        }
    }
    lws_sul_cancel(&c->housekeeping);
    pthread_mutex_lock(&c->lock);
    c->context = NULL;
    pthread_mutex_unlock(&c->lock);
    c->done = 1;
    lws_context_destroy(context);
    c->wsi = NULL;
    free_queue(c);
    c->assembly_length = 0;
}
