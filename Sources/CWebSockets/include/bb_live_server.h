#ifndef BB_LIVE_SERVER_H
#define BB_LIVE_SERVER_H
/* The live feed's server over libwebsockets: a WebSocket endpoint whose upgrade the caller
 * authorizes first (refused upgrades get an HTTP 401 and never a WebSocket), plus small HTTP
 * responses (the web page) from the caller. Same threading as bb_ws_server: callbacks run on the
 * service thread; send/close/request_writable are safe from any thread. */
#include <stddef.h>
#include <stdint.h>

/* What the caller answers to one request: for an upgrade, status 0 accepts it; for plain HTTP,
 * the status, content type and body (which must stay valid until the server is destroyed). */
typedef struct {
    int status;
    const char *content_type;
    const void *body;
    size_t body_length;
} bb_live_http_response;

/* One request as the caller sees it; the strings are valid only during the call ("" when absent). */
typedef struct {
    const char *path;            /* without the query */
    const char *token_argument;  /* the value of ?token= */
    const char *authorization;   /* the Authorization header */
    const char *peer;            /* the client's address */
    int is_upgrade;              /* a WebSocket upgrade, not a plain GET */
} bb_live_request;

typedef struct {
    const char *host;            /* the address to listen on, e.g. "127.0.0.1" or "0.0.0.0" */
    int port;                    /* 0: an ephemeral port */
    const char *cert_file;       /* PEM; NULL for plain ws:// */
    const char *key_file;        /* PEM; NULL for plain ws:// */
    unsigned tick_interval_ms;   /* 0: no ticks */
    size_t max_message_bytes;    /* larger incoming messages are refused with close 1009 */
} bb_live_server_config;

typedef struct {
    void *owner;
    void (*answer)(void *owner, const bb_live_request *request, bb_live_http_response *response);
    void (*did_open)(void *owner, uint64_t id, const char *peer);
    /* bytes are valid only during the call */
    void (*did_receive)(void *owner, uint64_t id, const void *bytes, size_t length, int is_text);
    void (*did_close)(void *owner, uint64_t id);
    /* the connection's queue is empty and the socket takes more */
    void (*is_writable)(void *owner, uint64_t id);
    void (*did_tick)(void *owner);
} bb_live_server_callbacks;

typedef struct bb_live_server bb_live_server;

/* Creates the listening server; NULL with a message in `error` on failure.
 * `callbacks` must stay valid until bb_live_server_destroy. */
bb_live_server *bb_live_server_create(const bb_live_server_config *config, const bb_live_server_callbacks *callbacks,
                                      char *error, size_t error_capacity);
int bb_live_server_port(const bb_live_server *server);
/* Services on the calling thread until bb_live_server_stop; closes every connection before returning. */
void bb_live_server_run(bb_live_server *server);
void bb_live_server_stop(bb_live_server *server);
void bb_live_server_destroy(bb_live_server *server);

/* Safe from any thread; 0, or -1 when the id is unknown. */
int bb_live_server_send_text(bb_live_server *server, uint64_t id, const void *bytes, size_t length);
/* Asks for an is_writable callback once the queue is empty. */
int bb_live_server_request_writable(bb_live_server *server, uint64_t id);
/* Sends a close frame after the queued data. */
int bb_live_server_close(bb_live_server *server, uint64_t id, int code, const char *reason);
/* Drops what is queued and closes with `code` at once (a client too slow to keep): the close frame
 * when the socket takes it, the TCP connection otherwise. */
int bb_live_server_disconnect(bb_live_server *server, uint64_t id, int code, const char *reason);
/* Bytes queued for the connection and not yet handed to the socket (-1: unknown id). */
int64_t bb_live_server_queued_bytes(bb_live_server *server, uint64_t id);

#endif
