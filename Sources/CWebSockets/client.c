#define _GNU_SOURCE
#include "bb_ws_client.h"
#include "connect_diagnosis.h"
#include "tls_diagnosis.h"
#include <libwebsockets.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "client_state.h"

/* Service passes per bb_ws_client_service call while data keeps arriving (64 KiB each by default). */
#define BB_PASSES_PER_WAKE_UP 16

/* TLS records handed to lws per pass from what OpenSSL's read-ahead already holds (one record each). */
#define BB_BUFFERED_RECORDS_PER_PASS 256

/* OpenSSL's read-ahead buffer: one read() takes up to this much of what the socket has. */
#define BB_TLS_READ_BUFFER_BYTES 65536

/* lws pings by itself after 300 s without traffic unless the connection has a policy without them. */
static const lws_retry_bo_t no_lws_keepalive = {0};

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void bb_client_set_ending(bb_ws_client *c, bb_ws_end_kind kind, int code, const char *detail) {
    if (c->ending->kind != BB_WS_END_NONE || kind == BB_WS_END_NONE) return;
    c->ending->kind = kind;
    c->ending->code = code;
    snprintf(c->ending->detail, sizeof(c->ending->detail), "%s", detail ? detail : "");
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

bb_message *bb_client_take_queue(bb_ws_client *c) {
    pthread_mutex_lock(&c->lock);
    bb_message *m = c->head;
    c->head = c->tail = NULL;
    pthread_mutex_unlock(&c->lock);
    return m;
}

/* Wakes the service thread from another thread (caller holds the lock): the direct reader's own
 * poll, or lws's (lws's wake-up pipe is never read once the direct reader polls instead). */
static void wake_service_locked(bb_ws_client *c) {
    if (c->direct) {
        if (c->notify_fd >= 0) eventfd_write(c->notify_fd, 1);
    } else if (c->context) {
        lws_cancel_service(c->context);
    }
}

static int queue_is_empty(bb_ws_client *c) {
    pthread_mutex_lock(&c->lock);
    int empty = c->head == NULL;
    pthread_mutex_unlock(&c->lock);
    return empty;
}

int bb_client_stop_is_requested(bb_ws_client *c) {
    pthread_mutex_lock(&c->lock);
    int stop = c->stop_requested || c->close_requested;
    pthread_mutex_unlock(&c->lock);
    return stop;
}

/* A close frame with `code` goes out on the next WRITEABLE; incoming messages are ignored from now. */
static void start_close_frame(bb_ws_client *c, int code) {
    c->closing = 1;
    c->close_code = code;
    c->mid_message = 0;
    c->assembly_length = 0;
    if (c->direct) bb_direct_send_close(c, code);
    else if (c->wsi) lws_callback_on_writable(c->wsi);
}

/* The ending of a connection that failed before the upgrade, from what is known of how far it got. */
static void classify_connection_error(bb_ws_client *c, struct lws *wsi, const char *lws_detail) {
    unsigned int status = lws_http_client_http_response(wsi);
    if (c->tls_error[0]) {
        bb_client_set_ending(c, BB_WS_END_TLS_FAILURE, 0, c->tls_error);
    } else if (!c->tcp_connected) {
        /* lws loses connect()'s errno (and getaddrinfo's result); a bounded second attempt recovers why. */
        char reason[200];
        int kind = bb_diagnose_connect(c->config->host, c->config->port, 500, reason, sizeof(reason));
        bb_client_set_ending(c, (bb_ws_end_kind)kind, 0, reason);
    } else if (c->config->use_tls && !c->request_sent) {
        char reason[200];
        bb_tls_describe_failure(&c->tls_seen, reason, sizeof(reason));
        bb_client_set_ending(c, BB_WS_END_TLS_FAILURE, 0, reason);
    } else if (status && status != 101) {
        bb_client_set_ending(c, BB_WS_END_UPGRADE_FAILED, (int)status, NULL);
    } else {
        bb_client_set_ending(c, BB_WS_END_HANDSHAKE_FAILED, 0,
                   lws_detail && lws_detail[0] ? lws_detail : "the answer was not a WebSocket upgrade");
    }
}

int bb_client_append_fragment(bb_ws_client *c, const void *in, size_t len) {
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

static void message_too_big(bb_ws_client *c) {
    char detail[96];
    snprintf(detail, sizeof(detail), "message exceeds %zu bytes", c->config->max_message_bytes);
    bb_client_set_ending(c, BB_WS_END_MESSAGE_TOO_BIG, 0, detail);
    /* Returning -1 from inside the rx parser crashed lws 4.1; close from WRITEABLE instead. */
    start_close_frame(c, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE);
}

/* After lws delivered a whole message its parser stands between frames: stop it there (lws keeps
 * whatever it has read beyond that for later) so the direct reader may take over after the pass. */
static void offer_takeover(bb_ws_client *c, struct lws *wsi) {
    if (c->direct || c->takeover_requested || c->closing || !c->established) return;
    c->takeover_requested = 1;
    lws_rx_flow_control(wsi, 0);
}

static int receive(bb_ws_client *c, struct lws *wsi, const void *in, size_t len) {
    c->frames_received++;
    c->received_after_offer |= c->takeover_requested;
    int is_final = lws_is_final_fragment(wsi);
    size_t remaining = lws_remaining_packet_payload(wsi);
    size_t limit = c->config->max_message_bytes;
    if (!c->mid_message && is_final && remaining == 0) {
        /* Fast path: a whole message in one piece is handed over in place, no copy. */
        if (len > limit) {
            message_too_big(c);
            return 0;
        }
        c->callbacks->did_receive(c->callbacks->owner, in, len, !lws_frame_is_binary(wsi));
        offer_takeover(c, wsi);
        return 0;
    }
    if (!c->mid_message) {
        c->mid_message = 1;
        c->assembly_length = 0;
        c->assembly_is_text = !lws_frame_is_binary(wsi);
    }
    if (c->assembly_length + len + remaining > limit) {
        message_too_big(c);
        return 0;
    }
    if (bb_client_append_fragment(c, in, len)) {
        bb_client_set_ending(c, BB_WS_END_ABNORMAL_CLOSE, 0, "out of memory reassembling a message");
        return -1;
    }
    if (is_final && remaining == 0) {
        c->mid_message = 0;
        c->callbacks->did_receive(c->callbacks->owner, c->assembly, c->assembly_length, c->assembly_is_text);
        c->assembly_length = 0;
        offer_takeover(c, wsi);
    }
    return 0;
}

static int writeable(bb_ws_client *c, struct lws *wsi) {
    if (c->close_code) {
        if (c->close_code == LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE)
            lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, (unsigned char *)"message too big", 15);
        else
            lws_close_reason(wsi, (enum lws_close_status)c->close_code, (unsigned char *)"", 0);
        return -1;
    }
    if (c->ping_due) {
        unsigned char ping[LWS_PRE + 1];
        c->ping_due = 0;
        if (lws_write(wsi, ping + LWS_PRE, 0, LWS_WRITE_PING) < 0) return -1;
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
        bb_client_set_ending(c, BB_WS_END_ABNORMAL_CLOSE, 0, "write failed");
        return -1;
    }
    if (more) lws_callback_on_writable(wsi);
    return 0;
}

void bb_client_record_peer_close(bb_ws_client *c, const unsigned char *p, size_t len) {
    int code = len >= 2 ? (p[0] << 8) | p[1] : 1005;
    char reason_text[200];
    size_t n = len > 2 ? len - 2 : 0;
    if (n >= sizeof(reason_text)) n = sizeof(reason_text) - 1;
    if (n) memcpy(reason_text, p + 2, n);
    reason_text[n] = '\0';
    bb_client_set_ending(c, BB_WS_END_PEER_CLOSED, code, reason_text);
}

/* The server's certificate chain and name, checked by OpenSSL alone. lws's own per-certificate
 * callback finds its connection through an ex_data index that every new lws TLS context in the
 * process allocates afresh (a library-wide static): a context made on another thread (another
 * connection's run, a server) while this handshake waited for the certificate made it fail a good
 * one ("can't get wsi from ssl privdata"). OpenSSL's verdict stands; a failure's reason is kept. */
static int keep_verdict(int ok, X509_STORE_CTX *store) {
    (void)store;
    return ok; /* as OpenSSL's own default: the first error ends the check */
}

static int verify_chain(X509_STORE_CTX *store, void *arg) {
    bb_ws_client *c = arg;
    X509_STORE_CTX_set_verify_cb(store, keep_verdict);
    int verified = X509_verify_cert(store) > 0;
    if (!verified && !c->tls_error[0]) {
        int error = X509_STORE_CTX_get_error(store);
        snprintf(c->tls_error, sizeof(c->tls_error), "certificate verification failed for %s: %s (depth %d)",
                 c->config->host, X509_verify_cert_error_string(error), X509_STORE_CTX_get_error_depth(store));
    }
    return verified;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len) {
    struct lws_context *context = lws_get_context(wsi);
    bb_ws_client *c = context ? lws_context_user(context) : NULL;
    if (!c) return 0;
    int ours = user == c || (c->wsi && wsi == c->wsi);

    switch (reason) {
    case LWS_CALLBACK_RAW_RX_FILE:
        if (wsi == c->wake_wsi) {
            uint64_t expirations;
            while (read(c->wake_fd, &expirations, sizeof(expirations)) > 0) {
            }
            c->wake_armed_ns = 0;
        }
        break;

    case LWS_CALLBACK_OPENSSL_LOAD_EXTRA_CLIENT_VERIFY_CERTS:
        /* user: the client SSL_CTX, made once per context (so once per run). */
        if (user) {
            SSL_CTX_set_cert_verify_callback(user, verify_chain, c);
            bb_tls_observe(user, &c->tls_seen);
            /* Without read-ahead OpenSSL reads each record's 5-byte header and its body with two
             * read() calls; with it one read() takes every record the socket has. The records it
             * holds are handed to lws by service_buffered_records (lws 4.1 does not see them). */
            SSL_CTX_set_read_ahead(user, 1);
            SSL_CTX_set_default_read_buffer_len(user, BB_TLS_READ_BUFFER_BYTES);
        }
        break;

    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
        /* Another thread queued a message (or asked to stop: the caller's loop sees that next). */
        if (c->wsi && c->established && !c->closing && !queue_is_empty(c)) lws_callback_on_writable(c->wsi);
        break;

    case LWS_CALLBACK_WSI_CREATE:
        /* For a client connection lws reports this once the TCP connection is made. */
        if (ours) c->tcp_connected = 1;
        break;

    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
        /* The HTTP upgrade request is being written: TCP and TLS are done. */
        if (ours) c->request_sent = 1;
        break;

    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        /* An attempt the caller abandoned (deadline, stop) already has its ending. */
        if (ours && c->ending->kind == BB_WS_END_NONE) classify_connection_error(c, wsi, in);
        break;

    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        if (!ours) break;
        c->established = 1;
        if (c->callbacks->did_open) c->callbacks->did_open(c->callbacks->owner);
        if (!c->closing && !queue_is_empty(c)) lws_callback_on_writable(wsi);
        break;

    case LWS_CALLBACK_CLIENT_RECEIVE:
        if (!ours || c->closing) break;
        return receive(c, wsi, in, len);

    case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
        if (ours) c->pongs_received++;
        break;

    case LWS_CALLBACK_CLIENT_WRITEABLE:
        if (!ours) break;
        return writeable(c, wsi);

    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        if (ours) bb_client_record_peer_close(c, in, len);
        break;

    case LWS_CALLBACK_CLIENT_CLOSED:
        if (!ours) break;
        /* A frame cut short leaves payload outstanding in lws's parser. */
        bb_client_set_ending(c, BB_WS_END_ABNORMAL_CLOSE, 0,
                   c->mid_message || lws_remaining_packet_payload(wsi) > 0
                       ? "connection lost in the middle of a message"
                       : "connection closed without a close frame");
        break;

    case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
        if (!ours) break;
        bb_client_set_ending(c, BB_WS_END_HANDSHAKE_FAILED, 0, "connection closed before the WebSocket upgrade completed");
        break;

    case LWS_CALLBACK_WSI_DESTROY:
        if (!ours) break;
        /* The catch-all end: a connection closed before the upgrade may report nothing else. */
        if (c->established)
            bb_client_set_ending(c, BB_WS_END_ABNORMAL_CLOSE, 0,
                       c->mid_message ? "connection lost in the middle of a message" : "connection lost");
        else
            bb_client_set_ending(c, BB_WS_END_HANDSHAKE_FAILED, 0, "connection ended before the WebSocket upgrade completed");
        c->wsi = NULL;
        c->done = 1;
        /* An end inside lws_service() before its poll (an lws timeout) would otherwise let it sleep on. */
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
    c->wake_fd = -1;
    c->socket_fd = -1;
    c->notify_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (c->notify_fd < 0) {
        pthread_mutex_destroy(&c->lock);
        free(c);
        return NULL;
    }
    return c;
}

void bb_ws_client_destroy(bb_ws_client *c) {
    if (!c) return;
    free_queue(c);
    free(c->assembly);
    free(c->rx);
    if (c->notify_fd >= 0) close(c->notify_fd);
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
    wake_service_locked(c);
    pthread_mutex_unlock(&c->lock);
    return 0;
}

void bb_ws_client_stop(bb_ws_client *c) {
    pthread_mutex_lock(&c->lock);
    c->stop_requested = 1;
    wake_service_locked(c);
    pthread_mutex_unlock(&c->lock);
}

void bb_ws_client_close(bb_ws_client *c) {
    pthread_mutex_lock(&c->lock);
    c->close_requested = 1;
    wake_service_locked(c);
    pthread_mutex_unlock(&c->lock);
}

void bb_ws_client_status_get(bb_ws_client *c, bb_ws_client_status *status) {
    if (c->done) status->phase = BB_WS_PHASE_ENDED;
    else if (c->closing) status->phase = BB_WS_PHASE_CLOSING;
    else if (c->established) status->phase = BB_WS_PHASE_OPEN;
    else status->phase = BB_WS_PHASE_CONNECTING;
    status->frames_received = c->frames_received;
    status->pongs_received = c->pongs_received;
    status->stop_requested = bb_client_stop_is_requested(c);
}

int bb_ws_client_reads_directly(bb_ws_client *c) {
    pthread_mutex_lock(&c->lock);
    int direct = c->direct;
    pthread_mutex_unlock(&c->lock);
    return direct;
}

uint64_t bb_ws_client_direct_reads(bb_ws_client *c) {
    return __atomic_load_n(&c->direct_reads, __ATOMIC_RELAXED);
}

uint64_t bb_ws_client_direct_batches(bb_ws_client *c) {
    return __atomic_load_n(&c->direct_batches, __ATOMIC_RELAXED);
}

void bb_ws_client_ping(bb_ws_client *c) {
    if (!c->wsi || !c->established || c->closing) return;
    if (c->direct) {
        bb_direct_ping(c);
        return;
    }
    c->ping_due = 1;
    lws_callback_on_writable(c->wsi);
}

void bb_ws_client_abort(bb_ws_client *c, bb_ws_end_kind reason) {
    bb_client_set_ending(c, reason, 0, NULL);
    /* Outside any callback a synchronous kill is safe; WSI_DESTROY marks the run done. */
    if (c->wsi) lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_SYNC);
    c->wsi = NULL;
    c->done = 1;
}

void bb_ws_client_begin_close(bb_ws_client *c, bb_ws_end_kind reason, int code) {
    if (c->done || c->closing) return;
    if (!c->established) {
        bb_ws_client_abort(c, reason);
        return;
    }
    bb_client_set_ending(c, reason, 0, NULL);
    start_close_frame(c, code);
}

/* Makes lws's poll return by `timeout_us` from now; an earlier wake already set is kept. */
static void arm_wake(bb_ws_client *c, int64_t timeout_us) {
    uint64_t at = now_ns() + (uint64_t)timeout_us * 1000u;
    if (c->wake_armed_ns && c->wake_armed_ns <= at) return;
    struct itimerspec spec;
    memset(&spec, 0, sizeof(spec));
    spec.it_value.tv_sec = (time_t)(at / 1000000000u);
    spec.it_value.tv_nsec = (long)(at % 1000000000u);
    if (timerfd_settime(c->wake_fd, TFD_TIMER_ABSTIME, &spec, NULL) == 0) c->wake_armed_ns = at;
}

/* Records OpenSSL's read-ahead already took off the socket: lws 4.1 reads one record per SSL_read
 * and only checks SSL_pending (the rest of the current record), so whole records left in OpenSSL's
 * buffer would wait for the next packet. Each round services the socket as if it were readable,
 * which lets lws SSL_read the next buffered record without a syscall. It stops when OpenSSL holds
 * nothing, or only part of a record (the last SSL_read wanted the socket: poll waits for the rest). */
static int service_buffered_records(bb_ws_client *c) {
    for (int round = 0; round < BB_BUFFERED_RECORDS_PER_PASS; round++) {
        if (c->done || c->closing || !c->wsi) return 0;
        SSL *ssl = lws_get_ssl(c->wsi);
        if (!ssl || !SSL_has_pending(ssl)) return 0;
        if (round > 0 && SSL_want_read(ssl)) return 0;
        struct lws_pollfd readable;
        memset(&readable, 0, sizeof(readable));
        readable.fd = lws_get_socket_fd(c->wsi);
        readable.events = POLLIN;
        readable.revents = POLLIN;
        if (readable.fd < 0) return 0;
        if (lws_service_fd(c->context, &readable) < 0) return -1;
    }
    return 0;
}

/* Sleeps up to the configured coalescing delay after a wake-up that brought messages, never past
 * the caller's next deadline (timeout_us; < 0: none), so the next poll finds a batch. */
int bb_client_coalesce(bb_ws_client *c, int64_t timeout_us, uint64_t called_at_ns) {
    int64_t delay_us = (int64_t)c->config->coalesce_us;
    if (delay_us <= 0 || c->done || c->closing || bb_client_stop_is_requested(c)) return 0;
    if (timeout_us >= 0) {
        int64_t left_us = timeout_us - (int64_t)((now_ns() - called_at_ns) / 1000u);
        if (left_us < delay_us) delay_us = left_us;
    }
    if (delay_us <= 0) return 0;
    struct timespec pause = {.tv_sec = (time_t)(delay_us / 1000000), .tv_nsec = (long)(delay_us % 1000000) * 1000};
    nanosleep(&pause, NULL);
    return 1;
}

int bb_ws_client_service(bb_ws_client *c, int64_t timeout_us) {
    if (c->done || !c->context) return 0;
    uint64_t called_at_ns = c->config->coalesce_us ? now_ns() : 0;
    if (c->direct) return bb_direct_service(c, timeout_us, called_at_ns);
    if (timeout_us > 0) arm_wake(c, timeout_us);
    /* lws 4.1 treats any timeout >= 0 as "until something happens" and < 0 as "do not wait". */
    int wait = timeout_us == 0 ? -1 : 0;
    /* lws reads one receive buffer per pass: while passes bring frames, read on without waiting, so
     * one wake-up takes all the socket has (bounded: the caller's deadlines are checked in between). */
    uint64_t frames_at_start = c->frames_received;
    int drained = 0; /* a pass found nothing more: the socket is empty */
    for (int pass = 0; pass < BB_PASSES_PER_WAKE_UP && !c->done; pass++) {
        uint64_t frames_before = c->frames_received;
        if (lws_service(c->context, wait) < 0 ||
            (!c->takeover_requested && service_buffered_records(c) < 0)) {
            bb_client_set_ending(c, BB_WS_END_ABNORMAL_CLOSE, 0, "libwebsockets service loop failed");
            c->done = 1;
            return -1;
        }
        if (c->takeover_requested) break; /* the direct reader reads the rest (or lws, on the next call) */
        if (c->closing || bb_client_stop_is_requested(c)) break;
        if (c->frames_received == frames_before) {
            drained = 1;
            break;
        }
        wait = -1;
    }
    /* Only a trickle is worth waiting for: while data keeps the passes busy, read on at full speed. */
    if (drained && c->frames_received != frames_at_start) bb_client_coalesce(c, timeout_us, called_at_ns);
    if (c->takeover_requested) bb_direct_decide_takeover(c);
    return 0;
}

static int adopt_wake_timer(bb_ws_client *c, struct lws_context *context, const char *protocol) {
    c->wake_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (c->wake_fd < 0) return -1;
    struct lws_vhost *vhost = lws_get_vhost_by_name(context, "default");
    lws_sock_file_fd_type fd;
    fd.filefd = c->wake_fd;
    c->wake_wsi = vhost ? lws_adopt_descriptor_vhost(vhost, LWS_ADOPT_RAW_FILE_DESC, fd, protocol, NULL) : NULL;
    if (!c->wake_wsi) {
        close(c->wake_fd);
        c->wake_fd = -1;
        return -1;
    }
    return 0;
}

static void reset_run_state(bb_ws_client *c) {
    c->wsi = c->wake_wsi = NULL;
    c->wake_fd = -1;
    c->wake_armed_ns = 0;
    c->done = c->tcp_connected = c->request_sent = c->established = c->closing = 0;
    c->close_code = c->ping_due = 0;
    c->frames_received = c->pongs_received = 0;
    c->mid_message = 0;
    c->assembly_length = 0;
    c->takeover_requested = c->received_after_offer = 0;
    c->socket_fd = -1;
    c->rx_length = 0;
    c->discard = 0;
    c->read_before_poll = 0;
    __atomic_store_n(&c->direct_reads, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&c->direct_batches, 0, __ATOMIC_RELAXED);
    c->tls_error[0] = '\0';
    bb_tls_observation_reset(&c->tls_seen);
}

int bb_ws_client_open(bb_ws_client *c, const bb_ws_client_config *config, const bb_ws_client_callbacks *callbacks,
                      bb_ws_ending *ending) {
    struct lws_protocols *protocols = c->protocols;
    memset(protocols, 0, sizeof(c->protocols));
    protocols[0].name = "bytebit-client";
    protocols[0].callback = callback;
    protocols[0].rx_buffer_size = config->rx_buffer_bytes;
    memset(ending, 0, sizeof(*ending));
    c->config = config;
    c->callbacks = callbacks;
    c->ending = ending;
    reset_run_state(c);
    pthread_mutex_lock(&c->lock);
    c->close_requested = 0;
    int stopped = c->stop_requested;
    pthread_mutex_unlock(&c->lock);
    if (stopped) {
        bb_client_set_ending(c, BB_WS_END_STOPPED, 0, NULL);
        c->done = 1;
        return -1;
    }

    struct lws_context_creation_info info;
    memset(&info, 0, sizeof(info));
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    info.user = c;
    info.options = config->use_tls ? LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT : 0;
    info.client_ssl_ca_filepath = config->extra_ca_file;
    info.pt_serv_buf_size = (unsigned int)config->rx_buffer_bytes;
    info.fd_limit_per_thread = 16;
    info.timeout_secs = config->lws_timeout_secs;
    info.connect_timeout_secs = config->lws_timeout_secs;

    struct lws_context *context = lws_create_context(&info);
    if (!context) {
        bb_client_set_ending(c, BB_WS_END_SETUP_FAILED, 0,
                   config->use_tls && config->extra_ca_file
                       ? "could not create the libwebsockets context (is the CA file readable PEM?)"
                       : "could not create the libwebsockets context");
        c->done = 1;
        return -1;
    }
    pthread_mutex_lock(&c->lock);
    c->context = context;
    pthread_mutex_unlock(&c->lock);
    if (adopt_wake_timer(c, context, protocols[0].name)) {
        bb_client_set_ending(c, BB_WS_END_SETUP_FAILED, 0, "could not create the service loop's timer");
        c->done = 1;
        return -1;
    }

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
    connect.retry_and_idle_policy = &no_lws_keepalive;

    if (!lws_client_connect_via_info(&connect) && ending->kind == BB_WS_END_NONE) {
        /* lws 4.1 resolves synchronously here and returns NULL without a reason when the lookup fails. */
        char reason[200];
        int kind = bb_diagnose_connect(config->host, config->port, 0, reason, sizeof(reason));
        bb_client_set_ending(c, kind == BB_WS_END_DNS_FAILURE ? BB_WS_END_DNS_FAILURE : BB_WS_END_SETUP_FAILED, 0,
                   kind == BB_WS_END_DNS_FAILURE ? reason : "libwebsockets could not start the connection");
    }
    if (ending->kind != BB_WS_END_NONE && !c->wsi) c->done = 1;
    return c->done ? -1 : 0;
}

void bb_ws_client_finish(bb_ws_client *c) {
    struct lws_context *context = c->context;
    if (context) {
        /* A connection still alive here (the service failed) is dropped with the context. */
        pthread_mutex_lock(&c->lock);
        c->context = NULL;
        c->direct = 0;
        pthread_mutex_unlock(&c->lock);
        c->done = 1;
        lws_context_destroy(context); /* also closes the adopted timerfd */
    }
    c->wsi = c->wake_wsi = NULL;
    c->wake_fd = -1;
    free_queue(c);
    c->assembly_length = 0;
}
