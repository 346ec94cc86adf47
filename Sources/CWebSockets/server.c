#define _GNU_SOURCE
#include "bb_ws_server.h"
#include <libwebsockets.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* The one server core: a pending buffer per connection filled from any thread, a sending buffer
 * written on the service thread, and the caller's say on every request before it becomes a
 * WebSocket (the live feed's token check, 401, and its page over HTTP) when it sets `answer`. */

/* Bytes handed to one raw lws_write; partial sends are buffered by lws and flagged as choked. */
#define BB_WRITE_CHUNK (256 * 1024)
/* Producer rounds per WRITEABLE callback, so one fast connection cannot starve the loop. */
#define BB_PRODUCER_ROUNDS 64
/* A buffer's first size: small, as the live feed keeps many clients; busy ones grow it once. */
#define BB_FIRST_BUFFER_BYTES 4096

typedef struct bb_buffer {
    unsigned char *bytes;
    size_t length, capacity;
} bb_buffer;

typedef struct bb_connection {
    struct bb_connection *next;
    uint64_t id;
    struct lws *wsi;
    /* guarded by the server lock */
    bb_buffer pending;
    int armed, close_requested, drop_requested, pause_requested, close_code;
    int asked_again; /* a request came while armed (during the producer's call, say): serve it too */
    int disconnect_requested; /* 1: a slow client, queue dropped, close now; 2: its TCP connection goes */
    char close_reason[124];
    /* service thread only */
    bb_buffer sending;
    size_t sent;
    bb_buffer assembly;
    int mid_message, assembly_is_text, refusing_rx;
} bb_connection;

struct bb_ws_server {
    pthread_mutex_t lock;
    /* guarded by lock */
    bb_connection *connections;
    int stop_requested;
    /* immutable after create / service thread only */
    struct lws_context *context;
    struct lws_protocols protocols[2];
    const bb_ws_server_callbacks *callbacks;
    bb_ws_server_config config;
    char host[64];
    uint64_t next_id;
    int port;
    lws_sorted_usec_list_t tick;
};

static int reserve(bb_buffer *b, size_t extra) {
    size_t needed = b->length + extra;
    if (needed <= b->capacity) return 0;
    size_t capacity = b->capacity ? b->capacity : BB_FIRST_BUFFER_BYTES;
    while (capacity < needed) capacity *= 2;
    unsigned char *grown = realloc(b->bytes, capacity);
    if (!grown) return -1;
    b->bytes = grown;
    b->capacity = capacity;
    return 0;
}

static bb_connection *find(bb_ws_server *s, uint64_t id) {
    for (bb_connection *c = s->connections; c; c = c->next)
        if (c->id == id) return c;
    return NULL;
}

/* Marks the connection as wanting service; the caller wakes the loop when this returns 1. */
static int arm(bb_connection *c) {
    if (c->armed) {
        c->asked_again = 1;
        return 0;
    }
    c->armed = 1;
    return 1;
}

static void wake(bb_ws_server *s) {
    if (s->context) lws_cancel_service(s->context);
}

/* Server-to-client frames are unmasked, so the header is 2, 4 or 10 bytes. */
static size_t frame_header(unsigned char *h, size_t length) {
    h[0] = 0x81;
    if (length < 126) {
        h[1] = (unsigned char)length;
        return 2;
    }
    if (length < 65536) {
        h[1] = 126;
        h[2] = (unsigned char)(length >> 8);
        h[3] = (unsigned char)length;
        return 4;
    }
    h[1] = 127;
    for (int i = 0; i < 8; i++) h[2 + i] = (unsigned char)((uint64_t)length >> (56 - 8 * i));
    return 10;
}

/* Inlined into both senders, so the one every message takes costs no extra call. */
static inline __attribute__((always_inline)) int enqueue(bb_ws_server *s, uint64_t id, const void *bytes,
                                                         size_t length, int framed) {
    pthread_mutex_lock(&s->lock);
    bb_connection *c = find(s, id);
    int result = -1, must_wake = 0;
    if (c && !c->close_requested && !c->drop_requested && reserve(&c->pending, length + 10) == 0) {
        if (framed) c->pending.length += frame_header(c->pending.bytes + c->pending.length, length);
        if (length) memcpy(c->pending.bytes + c->pending.length, bytes, length);
        c->pending.length += length;
        must_wake = arm(c);
        result = 0;
    }
    if (must_wake) wake(s);
    pthread_mutex_unlock(&s->lock);
    return result;
}

int bb_ws_server_send_text(bb_ws_server *s, uint64_t id, const void *bytes, size_t length) {
    return enqueue(s, id, bytes, length, 1);
}

int bb_ws_server_send_raw(bb_ws_server *s, uint64_t id, const void *bytes, size_t length) {
    return enqueue(s, id, bytes, length, 0);
}

/* The connection under the server lock; unlock_arm releases it. */
static bb_connection *lock_find(bb_ws_server *s, uint64_t id) {
    pthread_mutex_lock(&s->lock);
    return find(s, id);
}

/* Wakes the loop for `c` (when found), unlocks, and gives the public calls' result. */
static int unlock_arm(bb_ws_server *s, bb_connection *c) {
    if (c && arm(c)) wake(s);
    pthread_mutex_unlock(&s->lock);
    return c ? 0 : -1;
}

static void request_close(bb_connection *c, int code, const char *reason) {
    c->close_requested = 1;
    c->close_code = code;
    snprintf(c->close_reason, sizeof(c->close_reason), "%s", reason ? reason : "");
}

int bb_ws_server_request_writable(bb_ws_server *s, uint64_t id) { return unlock_arm(s, lock_find(s, id)); }

int bb_ws_server_close(bb_ws_server *s, uint64_t id, int code, const char *reason) {
    bb_connection *c = lock_find(s, id);
    if (c) request_close(c, code, reason);
    return unlock_arm(s, c);
}

int bb_ws_server_disconnect(bb_ws_server *s, uint64_t id, int code, const char *reason) {
    bb_connection *c = lock_find(s, id);
    if (c) {
        request_close(c, code, reason);
        c->disconnect_requested = 1;
        c->pending.length = 0;
        /* Always: a slow client is armed already (waiting for a socket that does not drain), so
         * unlock_arm would not wake the loop, and only the loop's wake-up pass closes it. */
        wake(s);
    }
    return unlock_arm(s, c);
}

int bb_ws_server_pause_reading(bb_ws_server *s, uint64_t id) {
    bb_connection *c = lock_find(s, id);
    if (c) c->pause_requested = 1;
    return unlock_arm(s, c);
}

int bb_ws_server_drop(bb_ws_server *s, uint64_t id) {
    bb_connection *c = lock_find(s, id);
    if (c) c->drop_requested = 1;
    return unlock_arm(s, c);
}

int64_t bb_ws_server_queued_bytes(bb_ws_server *s, uint64_t id) {
    bb_connection *c = lock_find(s, id);
    int64_t queued = c ? (int64_t)(c->pending.length + (c->sending.length - c->sent)) : -1;
    pthread_mutex_unlock(&s->lock);
    return queued;
}

static void free_connection(bb_connection *c) {
    free(c->pending.bytes);
    free(c->sending.bytes);
    free(c->assembly.bytes);
    free(c);
}

static int write_pending(bb_ws_server *s, bb_connection *c, struct lws *wsi) {
    int producer_rounds = 0;
    for (;;) {
        if (c->sent < c->sending.length) {
            size_t chunk = c->sending.length - c->sent;
            if (chunk > BB_WRITE_CHUNK) chunk = BB_WRITE_CHUNK;
            /* LWS_WRITE_RAW: the bytes are already framed, so many messages go out in one send. */
            if (lws_write(wsi, c->sending.bytes + c->sent, chunk, LWS_WRITE_RAW) < 0) return -1;
            pthread_mutex_lock(&s->lock); /* bb_ws_server_queued_bytes reads it from other threads */
            c->sent += chunk;
            pthread_mutex_unlock(&s->lock);
            if (lws_send_pipe_choked(wsi)) {
                lws_callback_on_writable(wsi);
                return 0;
            }
            continue;
        }
        /* Everything handed over: take what was queued meanwhile, keeping both buffers' memory. */
        pthread_mutex_lock(&s->lock);
        bb_buffer drained = c->sending;
        c->sending = c->pending;
        c->pending = drained;
        c->pending.length = 0;
        c->sent = 0;
        int drop = c->drop_requested, close = c->close_requested, more = c->sending.length > 0;
        int pause = c->pause_requested;
        c->pause_requested = 0;
        c->asked_again = 0;
        pthread_mutex_unlock(&s->lock);
        /* lws_rx_flow_control may only be called on the service thread, hence the detour through here. */
        if (pause) lws_rx_flow_control(wsi, 0);
        if (more) continue;
        if (drop) {
            /* Fault injection: no close frame, no TLS close_notify, just the TCP close. */
            shutdown(lws_get_socket_fd(wsi), SHUT_RDWR);
            return -1;
        }
        if (close) {
            lws_close_reason(wsi, (enum lws_close_status)c->close_code, (unsigned char *)c->close_reason,
                             strlen(c->close_reason));
            return -1;
        }
        if (producer_rounds++ < BB_PRODUCER_ROUNDS && s->callbacks->is_writable) {
            s->callbacks->is_writable(s->callbacks->owner, c->id);
            pthread_mutex_lock(&s->lock);
            /* A request made while the producer ran found the connection armed and woke nobody:
             * disarming now would leave what it was for waiting until the next one. */
            int produced = c->pending.length > 0 || c->close_requested || c->drop_requested || c->asked_again;
            if (!produced) c->armed = 0;
            pthread_mutex_unlock(&s->lock);
            if (produced) continue;
            return 0;
        }
        /* The producer is still pushing: come back after other connections had their turn. */
        lws_callback_on_writable(wsi);
        return 0;
    }
}

static int receive(bb_ws_server *s, bb_connection *c, struct lws *wsi, const void *in, size_t len) {
    int is_final = lws_is_final_fragment(wsi);
    size_t remaining = lws_remaining_packet_payload(wsi);
    if (!c->mid_message && is_final && remaining == 0) {
        if (s->callbacks->did_receive)
            s->callbacks->did_receive(s->callbacks->owner, c->id, in, len, !lws_frame_is_binary(wsi));
        return 0;
    }
    if (!c->mid_message) {
        c->mid_message = 1;
        c->assembly.length = 0;
        c->assembly_is_text = !lws_frame_is_binary(wsi);
    }
    if (c->assembly.length + len + remaining > s->config.max_message_bytes) {
        /* Returning -1 from inside the rx parser crashed lws 4.1; close from WRITEABLE instead. */
        c->refusing_rx = 1;
        c->mid_message = 0;
        bb_ws_server_close(s, c->id, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, "message too big");
        return 0;
    }
    if (reserve(&c->assembly, len)) {
        c->refusing_rx = 1;
        c->mid_message = 0;
        bb_ws_server_close(s, c->id, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, "out of memory");
        return 0;
    }
    if (len) memcpy(c->assembly.bytes + c->assembly.length, in, len);
    c->assembly.length += len;
    if (is_final && remaining == 0) {
        c->mid_message = 0;
        if (s->callbacks->did_receive)
            s->callbacks->did_receive(s->callbacks->owner, c->id, c->assembly.bytes, c->assembly.length,
                                      c->assembly_is_text);
        c->assembly.length = 0;
    }
    return 0;
}

struct bb_ws_response {
    int status;
    unsigned char *buffer; /* LWS_PRE bytes, the body, then the content type and its NUL */
    size_t body_length;
};

int bb_ws_response_set(bb_ws_response *r, int status, const char *content_type, const void *body, size_t length) {
    r->status = status; /* out of memory too: a refused upgrade stays refused, if without its body */
    size_t type_bytes = strlen(content_type) + 1;
    unsigned char *buffer = malloc(LWS_PRE + length + type_bytes);
    if (!buffer) return -1;
    if (length) memcpy(buffer + LWS_PRE, body, length);
    memcpy(buffer + LWS_PRE + length, content_type, type_bytes);
    free(r->buffer);
    r->buffer = buffer;
    r->body_length = length;
    return 0;
}

/* Writes a whole small HTTP response; lws buffers what the socket does not take at once.
 * `is_upgrade`: the answer refuses a WebSocket upgrade, always an HTTP/1.1 request (RFC 6455
 * §4.1); lws 4.1 has not recorded the request's version when it asks us to filter the upgrade,
 * so its status line says HTTP/1.0, which clients such as Python's websockets refuse to read
 * ("unsupported protocol") instead of reporting the 401. */
static int respond(struct lws *wsi, const bb_ws_response *r, int is_upgrade) {
    unsigned char headers[LWS_PRE + 1024];
    unsigned char *start = headers + LWS_PRE, *p = start, *end = headers + sizeof(headers) - 1;
    const char *type = r->buffer ? (const char *)r->buffer + LWS_PRE + r->body_length : "text/plain; charset=utf-8";
    if (lws_add_http_common_headers(wsi, (unsigned)r->status, type, (lws_filepos_t)r->body_length, &p, end))
        return -1;
    if (is_upgrade && p - start > 8 && !memcmp(start, "HTTP/1.0", 8)) start[7] = '1';
    if (lws_add_http_header_by_name(wsi, (const unsigned char *)"cache-control:", (const unsigned char *)"no-store",
                                    8, &p, end))
        return -1;
    if (r->status == 401 &&
        lws_add_http_header_by_name(wsi, (const unsigned char *)"www-authenticate:", (const unsigned char *)"Bearer",
                                    6, &p, end))
        return -1;
    if (lws_finalize_write_http_header(wsi, start, &p, end)) return -1;
    if (r->body_length && lws_write(wsi, r->buffer + LWS_PRE, r->body_length, LWS_WRITE_HTTP_FINAL) < 0) return -1;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}

/* Asks the caller about the request on `wsi` (path, token argument, Authorization header, peer) and
 * sends its HTTP answer unless it accepted an upgrade. Returns what the lws callback returns: a
 * refused upgrade always closes (401, 404: a plain HTTP answer and no WebSocket). */
static int answer_request(bb_ws_server *s, struct lws *wsi, const char *path, int is_upgrade) {
    char token[512] = "", authorization[1024] = "", peer[128] = "";
    /* lws copies the whole "token=VALUE" fragment into the buffer and points past the name. */
    const char *token_value = lws_get_urlarg_by_name(wsi, "token=", token, (int)sizeof(token));
    if (!token_value) token_value = "";
    if (lws_hdr_copy(wsi, authorization, (int)sizeof(authorization), WSI_TOKEN_HTTP_AUTHORIZATION) < 0)
        authorization[0] = 0;
    lws_get_peer_simple(wsi, peer, sizeof(peer));
    bb_ws_request request = {path ? path : "", token_value, authorization, peer, is_upgrade};
    bb_ws_response response = {is_upgrade ? 0 : 404, NULL, 0};
    s->callbacks->answer(s->callbacks->owner, &request, &response);
    explicit_bzero(token, sizeof(token));
    explicit_bzero(authorization, sizeof(authorization));
    int result = 0;
    if (!is_upgrade || response.status != 0) {
        result = respond(wsi, &response, is_upgrade);
        if (is_upgrade) result = -1;
    }
    free(response.buffer);
    return result;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len) {
    struct lws_context *context = lws_get_context(wsi);
    bb_ws_server *s = context ? lws_context_user(context) : NULL;
    bb_connection **slot = user;
    if (!s) return 0;

    switch (reason) {
    case LWS_CALLBACK_HTTP:
        if (!s->callbacks->answer) break;
        return answer_request(s, wsi, in, 0);

    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION: {
        if (!s->callbacks->answer) break;
        char path[256] = "";
        if (lws_hdr_copy(wsi, path, (int)sizeof(path), WSI_TOKEN_GET_URI) < 0) path[0] = 0;
        return answer_request(s, wsi, path, 1);
    }

    case LWS_CALLBACK_ESTABLISHED: {
        bb_connection *c = calloc(1, sizeof(*c));
        if (!c || !slot) {
            free(c);
            return -1;
        }
        char peer[128] = "";
        lws_get_peer_simple(wsi, peer, sizeof(peer));
        c->id = ++s->next_id;
        c->wsi = wsi;
        c->armed = 1;
        *slot = c;
        pthread_mutex_lock(&s->lock);
        c->next = s->connections;
        s->connections = c;
        pthread_mutex_unlock(&s->lock);
        if (s->callbacks->did_open) s->callbacks->did_open(s->callbacks->owner, c->id, peer);
        lws_callback_on_writable(wsi);
        break;
    }

    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
        pthread_mutex_lock(&s->lock);
        for (bb_connection *c = s->connections; c; c = c->next) {
            if (c->disconnect_requested == 1 && lws_send_pipe_choked(c->wsi)) {
                /* It does not read: a close frame would never get through, so the TCP connection goes. */
                c->disconnect_requested = 2;
                lws_close_reason(c->wsi, (enum lws_close_status)c->close_code, (unsigned char *)c->close_reason,
                                 strlen(c->close_reason));
                lws_set_timeout(c->wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
            } else if (c->armed)
                lws_callback_on_writable(c->wsi);
        }
        pthread_mutex_unlock(&s->lock);
        break;

    case LWS_CALLBACK_SERVER_WRITEABLE:
        if (!slot || !*slot) break;
        return write_pending(s, *slot, wsi);

    case LWS_CALLBACK_RECEIVE:
        if (!slot || !*slot || (*slot)->refusing_rx) break;
        return receive(s, *slot, wsi, in, len);

    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        if (slot && *slot && s->callbacks->did_receive_close) {
            const unsigned char *p = in;
            s->callbacks->did_receive_close(s->callbacks->owner, (*slot)->id, len >= 2 ? (p[0] << 8) | p[1] : 1005);
        }
        break;

    case LWS_CALLBACK_CLOSED: {
        if (!slot || !*slot) break;
        bb_connection *c = *slot;
        *slot = NULL;
        pthread_mutex_lock(&s->lock);
        for (bb_connection **p = &s->connections; *p; p = &(*p)->next)
            if (*p == c) {
                *p = c->next;
                break;
            }
        pthread_mutex_unlock(&s->lock);
        if (s->callbacks->did_close) s->callbacks->did_close(s->callbacks->owner, c->id);
        free_connection(c);
        break;
    }

    default:
        break;
    }
    return 0;
}

static void tick(lws_sorted_usec_list_t *sul) {
    bb_ws_server *s = lws_container_of(sul, bb_ws_server, tick);
    if (s->callbacks->did_tick) s->callbacks->did_tick(s->callbacks->owner);
    lws_sul_schedule(s->context, 0, &s->tick, tick, (lws_usec_t)s->config.tick_interval_ms * LWS_US_PER_MS);
}

bb_ws_server *bb_ws_server_create(const bb_ws_server_config *config, const bb_ws_server_callbacks *callbacks,
                                  char *error, size_t error_capacity) {
    bb_ws_server *s = calloc(1, sizeof(*s));
    if (!s) {
        snprintf(error, error_capacity, "out of memory");
        return NULL;
    }
    if (pthread_mutex_init(&s->lock, NULL)) {
        free(s);
        snprintf(error, error_capacity, "could not create a mutex");
        return NULL;
    }
    s->callbacks = callbacks;
    s->config = *config;
    snprintf(s->host, sizeof(s->host), "%s", config->host ? config->host : "127.0.0.1");
    s->config.host = s->host;
    s->config.cert_file = NULL;
    s->config.key_file = NULL;
    s->protocols[0].name = "bytebit-server";
    s->protocols[0].callback = callback;
    s->protocols[0].per_session_data_size = sizeof(bb_connection *);
    s->protocols[0].rx_buffer_size = 65536;

    struct lws_context_creation_info info;
    memset(&info, 0, sizeof(info));
    info.port = config->port;
    /* lws takes an interface name or an address; "0.0.0.0" (all IPv4 interfaces) is NULL to it. */
    info.iface = strcmp(s->host, "0.0.0.0") == 0 ? NULL : s->host;
    info.protocols = s->protocols;
    info.user = s;
    info.options = LWS_SERVER_OPTION_VALIDATE_UTF8;
    if (!strchr(s->host, ':')) info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
    info.pt_serv_buf_size = 65536;
    info.fd_limit_per_thread = 1024;
    if (config->cert_file && config->key_file) {
        info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
        info.ssl_cert_filepath = config->cert_file;
        info.ssl_private_key_filepath = config->key_file;
    }
    s->context = lws_create_context(&info);
    if (!s->context) {
        snprintf(error, error_capacity,
                 "could not listen on %s:%d (address not local, port in use, or unreadable certificate/key)", s->host,
                 config->port);
        pthread_mutex_destroy(&s->lock);
        free(s);
        return NULL;
    }
    struct lws_vhost *vhost = lws_get_vhost_by_name(s->context, "default");
    s->port = vhost ? lws_get_vhost_listen_port(vhost) : config->port;
    if (s->config.tick_interval_ms)
        lws_sul_schedule(s->context, 0, &s->tick, tick, (lws_usec_t)s->config.tick_interval_ms * LWS_US_PER_MS);
    return s;
}

int bb_ws_server_port(const bb_ws_server *s) { return s->port; }

void bb_ws_server_run(bb_ws_server *s) {
    for (;;) {
        pthread_mutex_lock(&s->lock);
        int stop = s->stop_requested;
        pthread_mutex_unlock(&s->lock);
        if (stop || lws_service(s->context, 0) < 0) break;
    }
    lws_sul_cancel(&s->tick);
    struct lws_context *context = s->context;
    pthread_mutex_lock(&s->lock);
    s->context = NULL;
    pthread_mutex_unlock(&s->lock);
    lws_context_destroy(context);
}

void bb_ws_server_stop(bb_ws_server *s) {
    pthread_mutex_lock(&s->lock);
    s->stop_requested = 1;
    wake(s);
    pthread_mutex_unlock(&s->lock);
}

void bb_ws_server_destroy(bb_ws_server *s) {
    if (!s) return;
    if (s->context) lws_context_destroy(s->context);
    pthread_mutex_destroy(&s->lock);
    free(s);
}
