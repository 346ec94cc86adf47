#define _GNU_SOURCE
#include "bb_live_server.h"
#include <libwebsockets.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The live feed's server: bb_ws_server's queueing (a pending buffer filled from any thread, a sending
 * buffer written on the service thread), plus the caller's say on every request before it becomes a
 * WebSocket, and small HTTP answers. */

#define BB_LIVE_WRITE_CHUNK (256 * 1024)
#define BB_LIVE_PRODUCER_ROUNDS 64

typedef struct bb_live_buffer {
    unsigned char *bytes;
    size_t length, capacity;
} bb_live_buffer;

typedef struct bb_live_connection {
    struct bb_live_connection *next;
    uint64_t id;
    struct lws *wsi;
    /* guarded by the server lock */
    bb_live_buffer pending;
    int armed, close_requested, close_code;
    int disconnect_requested;    /* a slow client: drop what is queued, close now */
    char close_reason[124];
    /* service thread only */
    bb_live_buffer sending;
    size_t sent;
    bb_live_buffer assembly;
    int mid_message, assembly_is_text, refusing_rx;
} bb_live_connection;

/* Per lws connection: the WebSocket state once upgraded. */
typedef struct {
    bb_live_connection *connection;
} bb_live_session;

struct bb_live_server {
    pthread_mutex_t lock;
    /* guarded by lock */
    bb_live_connection *connections;
    int stop_requested;
    /* immutable after create / service thread only */
    struct lws_context *context;
    struct lws_protocols protocols[2];
    const bb_live_server_callbacks *callbacks;
    bb_live_server_config config;
    char host[64];
    uint64_t next_id;
    int port;
    lws_sorted_usec_list_t tick;
};

static int reserve(bb_live_buffer *b, size_t extra) {
    size_t needed = b->length + extra;
    if (needed <= b->capacity) return 0;
    size_t capacity = b->capacity ? b->capacity : 4096;
    while (capacity < needed) capacity *= 2;
    unsigned char *grown = realloc(b->bytes, capacity);
    if (!grown) return -1;
    b->bytes = grown;
    b->capacity = capacity;
    return 0;
}

static bb_live_connection *find(bb_live_server *s, uint64_t id) {
    for (bb_live_connection *c = s->connections; c; c = c->next)
        if (c->id == id) return c;
    return NULL;
}

static int arm(bb_live_connection *c) {
    if (c->armed) return 0;
    c->armed = 1;
    return 1;
}

static void wake(bb_live_server *s) {
    if (s->context) lws_cancel_service(s->context);
}

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

int bb_live_server_send_text(bb_live_server *s, uint64_t id, const void *bytes, size_t length) {
    pthread_mutex_lock(&s->lock);
    bb_live_connection *c = find(s, id);
    int result = -1, must_wake = 0;
    if (c && !c->close_requested && reserve(&c->pending, length + 10) == 0) {
        c->pending.length += frame_header(c->pending.bytes + c->pending.length, length);
        if (length) memcpy(c->pending.bytes + c->pending.length, bytes, length);
        c->pending.length += length;
        must_wake = arm(c);
        result = 0;
    }
    if (must_wake) wake(s);
    pthread_mutex_unlock(&s->lock);
    return result;
}

int bb_live_server_request_writable(bb_live_server *s, uint64_t id) {
    pthread_mutex_lock(&s->lock);
    bb_live_connection *c = find(s, id);
    if (c && arm(c)) wake(s);
    pthread_mutex_unlock(&s->lock);
    return c ? 0 : -1;
}

int bb_live_server_close(bb_live_server *s, uint64_t id, int code, const char *reason) {
    pthread_mutex_lock(&s->lock);
    bb_live_connection *c = find(s, id);
    if (c) {
        c->close_requested = 1;
        c->close_code = code;
        snprintf(c->close_reason, sizeof(c->close_reason), "%s", reason ? reason : "");
        if (arm(c)) wake(s);
    }
    pthread_mutex_unlock(&s->lock);
    return c ? 0 : -1;
}

int bb_live_server_disconnect(bb_live_server *s, uint64_t id, int code, const char *reason) {
    pthread_mutex_lock(&s->lock);
    bb_live_connection *c = find(s, id);
    if (c) {
        c->close_requested = 1;
        c->disconnect_requested = 1;
        c->close_code = code;
        snprintf(c->close_reason, sizeof(c->close_reason), "%s", reason ? reason : "");
        c->pending.length = 0;
        if (arm(c)) wake(s);
    }
    pthread_mutex_unlock(&s->lock);
    return c ? 0 : -1;
}

int64_t bb_live_server_queued_bytes(bb_live_server *s, uint64_t id) {
    pthread_mutex_lock(&s->lock);
    bb_live_connection *c = find(s, id);
    int64_t queued = c ? (int64_t)(c->pending.length + (c->sending.length - c->sent)) : -1;
    pthread_mutex_unlock(&s->lock);
    return queued;
}

static void free_connection(bb_live_connection *c) {
    free(c->pending.bytes);
    free(c->sending.bytes);
    free(c->assembly.bytes);
    free(c);
}

static int write_pending(bb_live_server *s, bb_live_connection *c, struct lws *wsi) {
    int producer_rounds = 0;
    for (;;) {
        if (c->sent < c->sending.length) {
            size_t chunk = c->sending.length - c->sent;
            if (chunk > BB_LIVE_WRITE_CHUNK) chunk = BB_LIVE_WRITE_CHUNK;
            if (lws_write(wsi, c->sending.bytes + c->sent, chunk, LWS_WRITE_RAW) < 0) return -1;
            pthread_mutex_lock(&s->lock);
            c->sent += chunk;
            pthread_mutex_unlock(&s->lock);
            if (lws_send_pipe_choked(wsi)) {
                lws_callback_on_writable(wsi);
                return 0;
            }
            continue;
        }
        pthread_mutex_lock(&s->lock);
        bb_live_buffer drained = c->sending;
        c->sending = c->pending;
        c->pending = drained;
        c->pending.length = 0;
        c->sent = 0;
        int close = c->close_requested, more = c->sending.length > 0;
        pthread_mutex_unlock(&s->lock);
        if (more) continue;
        if (close) {
            lws_close_reason(wsi, (enum lws_close_status)c->close_code, (unsigned char *)c->close_reason,
                             strlen(c->close_reason));
            return -1;
        }
        if (producer_rounds++ < BB_LIVE_PRODUCER_ROUNDS && s->callbacks->is_writable) {
            s->callbacks->is_writable(s->callbacks->owner, c->id);
            pthread_mutex_lock(&s->lock);
            int produced = c->pending.length > 0 || c->close_requested;
            if (!produced) c->armed = 0;
            pthread_mutex_unlock(&s->lock);
            if (produced) continue;
            return 0;
        }
        lws_callback_on_writable(wsi);
        return 0;
    }
}

static int receive(bb_live_server *s, bb_live_connection *c, struct lws *wsi, const void *in, size_t len) {
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
    if (c->assembly.length + len + remaining > s->config.max_message_bytes || reserve(&c->assembly, len)) {
        /* Returning -1 from inside the rx parser crashed lws 4.1; close from WRITEABLE instead. */
        c->refusing_rx = 1;
        c->mid_message = 0;
        bb_live_server_close(s, c->id, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, "message too big");
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

/* Asks the caller about the request on `wsi` (path, token argument, Authorization header, peer). */
static void ask(bb_live_server *s, struct lws *wsi, const char *path, int is_upgrade, bb_live_http_response *response) {
    char token[512] = "", authorization[1024] = "", peer[128] = "";
    /* lws copies the whole "token=VALUE" fragment into the buffer and points past the name. */
    const char *token_value = lws_get_urlarg_by_name(wsi, "token=", token, (int)sizeof(token));
    if (!token_value) token_value = "";
    if (lws_hdr_copy(wsi, authorization, (int)sizeof(authorization), WSI_TOKEN_HTTP_AUTHORIZATION) < 0)
        authorization[0] = 0;
    lws_get_peer_simple(wsi, peer, sizeof(peer));
    bb_live_request request = {path ? path : "", token_value, authorization, peer, is_upgrade};
    memset(response, 0, sizeof(*response));
    response->status = 500;
    if (s->callbacks->answer) s->callbacks->answer(s->callbacks->owner, &request, response);
    explicit_bzero(token, sizeof(token));
    explicit_bzero(authorization, sizeof(authorization));
}

/* Writes a whole small HTTP response; lws buffers what the socket does not take at once. */
static int respond(struct lws *wsi, const bb_live_http_response *response) {
    unsigned char headers[LWS_PRE + 1024];
    unsigned char *start = headers + LWS_PRE, *p = start, *end = headers + sizeof(headers) - 1;
    const char *type = response->content_type ? response->content_type : "text/plain; charset=utf-8";
    if (lws_add_http_common_headers(wsi, (unsigned)response->status, type, (lws_filepos_t)response->body_length, &p,
                                    end))
        return -1;
    if (lws_add_http_header_by_name(wsi, (const unsigned char *)"cache-control:", (const unsigned char *)"no-store",
                                    8, &p, end))
        return -1;
    if (response->status == 401 &&
        lws_add_http_header_by_name(wsi, (const unsigned char *)"www-authenticate:", (const unsigned char *)"Bearer",
                                    6, &p, end))
        return -1;
    if (lws_finalize_write_http_header(wsi, start, &p, end)) return -1;
    if (response->body_length) {
        unsigned char *body = malloc(LWS_PRE + response->body_length);
        if (!body) return -1;
        memcpy(body + LWS_PRE, response->body, response->body_length);
        int written = lws_write(wsi, body + LWS_PRE, response->body_length, LWS_WRITE_HTTP_FINAL);
        free(body);
        if (written < 0) return -1;
    }
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len) {
    struct lws_context *context = lws_get_context(wsi);
    bb_live_server *s = context ? lws_context_user(context) : NULL;
    bb_live_session *session = user;
    if (!s) return 0;

    switch (reason) {
    case LWS_CALLBACK_HTTP: {
        bb_live_http_response response;
        ask(s, wsi, in, 0, &response);
        return respond(wsi, &response);
    }

    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION: {
        /* Before the upgrade: refuse with a plain HTTP answer (401, 404) and no WebSocket. */
        char path[256] = "";
        if (lws_hdr_copy(wsi, path, (int)sizeof(path), WSI_TOKEN_GET_URI) < 0) path[0] = 0;
        bb_live_http_response response;
        ask(s, wsi, path, 1, &response);
        if (response.status == 0) return 0;
        respond(wsi, &response);
        return -1;
    }

    case LWS_CALLBACK_ESTABLISHED: {
        bb_live_connection *c = calloc(1, sizeof(*c));
        if (!c || !session) {
            free(c);
            return -1;
        }
        char peer[128] = "";
        lws_get_peer_simple(wsi, peer, sizeof(peer));
        c->id = ++s->next_id;
        c->wsi = wsi;
        c->armed = 1;
        session->connection = c;
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
        for (bb_live_connection *c = s->connections; c; c = c->next) {
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
        if (!session || !session->connection) break;
        return write_pending(s, session->connection, wsi);

    case LWS_CALLBACK_RECEIVE:
        if (!session || !session->connection || session->connection->refusing_rx) break;
        return receive(s, session->connection, wsi, in, len);

    case LWS_CALLBACK_CLOSED: {
        if (!session || !session->connection) break;
        bb_live_connection *c = session->connection;
        session->connection = NULL;
        pthread_mutex_lock(&s->lock);
        for (bb_live_connection **p = &s->connections; *p; p = &(*p)->next)
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
    bb_live_server *s = lws_container_of(sul, bb_live_server, tick);
    if (s->callbacks->did_tick) s->callbacks->did_tick(s->callbacks->owner);
    lws_sul_schedule(s->context, 0, &s->tick, tick, (lws_usec_t)s->config.tick_interval_ms * LWS_US_PER_MS);
}

bb_live_server *bb_live_server_create(const bb_live_server_config *config, const bb_live_server_callbacks *callbacks,
                                      char *error, size_t error_capacity) {
    bb_live_server *s = calloc(1, sizeof(*s));
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
    s->protocols[0].name = "bytebit-live";
    s->protocols[0].callback = callback;
    s->protocols[0].per_session_data_size = sizeof(bb_live_session);
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

int bb_live_server_port(const bb_live_server *s) { return s->port; }

void bb_live_server_run(bb_live_server *s) {
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

void bb_live_server_stop(bb_live_server *s) {
    pthread_mutex_lock(&s->lock);
    s->stop_requested = 1;
    wake(s);
    pthread_mutex_unlock(&s->lock);
}

void bb_live_server_destroy(bb_live_server *s) {
    if (!s) return;
    if (s->context) lws_context_destroy(s->context);
    pthread_mutex_destroy(&s->lock);
    free(s);
}
