#ifndef BB_WS_SERVER_H
#define BB_WS_SERVER_H
/* The one WebSocket server over libwebsockets: kraken-sim's, the tests' and benchmarks', and the live
 * feed's (which answers every request before it becomes a WebSocket, and serves its page over HTTP).
 * Callbacks run on the service thread (the one inside bb_ws_server_run). */
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *host;            /* the address to listen on; NULL: "127.0.0.1"; "0.0.0.0": every IPv4 one */
    int port;                    /* 0: an ephemeral port */
    const char *cert_file;       /* PEM; NULL for plain ws:// */
    const char *key_file;        /* PEM; NULL for plain ws:// */
    unsigned tick_interval_ms;   /* 0: no ticks */
    size_t max_message_bytes;    /* larger incoming messages are refused with close 1009 */
} bb_ws_server_config;

/* One plain HTTP request, or an upgrade before it happens; the strings are valid only during the
 * call ("" when absent). */
typedef struct {
    const char *path;            /* without the query */
    const char *token_argument;  /* the value of ?token= */
    const char *authorization;   /* the Authorization header */
    const char *peer;            /* the client's address */
    int is_upgrade;              /* a WebSocket upgrade, not a plain GET */
} bb_ws_request;

/* The answer to one request, filled by bb_ws_response_set. Left alone, an upgrade goes ahead and a
 * plain request gets 404. */
typedef struct bb_ws_response bb_ws_response;

typedef struct {
    void *owner;
    /* NULL: every upgrade is accepted and plain HTTP requests get no answer */
    void (*answer)(void *owner, const bb_ws_request *request, bb_ws_response *response);
    void (*did_open)(void *owner, uint64_t id, const char *peer);
    /* bytes are valid only during the call */
    void (*did_receive)(void *owner, uint64_t id, const void *bytes, size_t length, int is_text);
    void (*did_close)(void *owner, uint64_t id);
    /* the client sent a close frame with this code (1005 when it carried none) */
    void (*did_receive_close)(void *owner, uint64_t id, int code);
    /* the connection's queue is empty and the socket takes more: push now to send "as fast as it reads" */
    void (*is_writable)(void *owner, uint64_t id);
    void (*did_tick)(void *owner);
} bb_ws_server_callbacks;

typedef struct bb_ws_server bb_ws_server;

/* Creates the listening server; NULL with a message in `error` on failure.
 * `callbacks` must stay valid until bb_ws_server_destroy. */
bb_ws_server *bb_ws_server_create(const bb_ws_server_config *config, const bb_ws_server_callbacks *callbacks,
                                  char *error, size_t error_capacity);
int bb_ws_server_port(const bb_ws_server *server);
/* Services on the calling thread until bb_ws_server_stop; closes every connection before returning. */
void bb_ws_server_run(bb_ws_server *server);
void bb_ws_server_stop(bb_ws_server *server);
void bb_ws_server_destroy(bb_ws_server *server);

/* Inside `answer` only: status 0 accepts an upgrade; any other status is sent as a small HTTP response
 * with this content type and body (both copied), and an upgrade is refused. 0, or -1 out of memory
 * (the status is set even then, without the body). */
int bb_ws_response_set(bb_ws_response *response, int status, const char *content_type, const void *body,
                       size_t length);

/* The calls below are safe from any thread. They return 0, or -1 when the id is unknown. */
int bb_ws_server_send_text(bb_ws_server *server, uint64_t id, const void *bytes, size_t length);
/* Bytes written as they are, with no framing (fault injection: partial frames, garbage). */
int bb_ws_server_send_raw(bb_ws_server *server, uint64_t id, const void *bytes, size_t length);
/* Asks for an is_writable callback once the queue is empty. */
int bb_ws_server_request_writable(bb_ws_server *server, uint64_t id);
/* Sends a close frame after the queued data. */
int bb_ws_server_close(bb_ws_server *server, uint64_t id, int code, const char *reason);
/* Drops what is queued and closes with `code` at once (a client too slow to keep): the close frame
 * when the socket takes it, the TCP connection otherwise. */
int bb_ws_server_disconnect(bb_ws_server *server, uint64_t id, int code, const char *reason);
/* Fault injection: stops reading from the connection (pings go unanswered, the peer's sends back up). */
int bb_ws_server_pause_reading(bb_ws_server *server, uint64_t id);
/* Closes the TCP connection after the queued data, with no close frame. */
int bb_ws_server_drop(bb_ws_server *server, uint64_t id);
/* Bytes queued for the connection and not yet handed to the socket (-1: unknown id). */
int64_t bb_ws_server_queued_bytes(bb_ws_server *server, uint64_t id);

#endif
