#ifndef BB_WS_SERVER_H
#define BB_WS_SERVER_H
/* A small WebSocket server over libwebsockets for the local simulator, tests and benchmarks. */
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int port;                    /* 0: an ephemeral port */
    const char *cert_file;       /* PEM; NULL for plain ws:// */
    const char *key_file;        /* PEM; NULL for plain ws:// */
    unsigned tick_interval_ms;   /* 0: no ticks */
    size_t max_message_bytes;    /* larger incoming messages are refused with close 1009 */
} bb_ws_server_config;

typedef struct {
    void *owner;
    void (*did_open)(void *owner, uint64_t id);
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

/* Creates the listening server on 127.0.0.1; NULL with a message in `error` on failure.
 * `callbacks` must stay valid until bb_ws_server_destroy. */
bb_ws_server *bb_ws_server_create(const bb_ws_server_config *config, const bb_ws_server_callbacks *callbacks,
                                  char *error, size_t error_capacity);
int bb_ws_server_port(const bb_ws_server *server);
/* Services on the calling thread until bb_ws_server_stop; closes every connection before returning. */
void bb_ws_server_run(bb_ws_server *server);
void bb_ws_server_stop(bb_ws_server *server);
void bb_ws_server_destroy(bb_ws_server *server);

/* The calls below are safe from any thread. They return 0, or -1 when the id is unknown. */
int bb_ws_server_send_text(bb_ws_server *server, uint64_t id, const void *bytes, size_t length);
/* Bytes written as they are, with no framing (fault injection: partial frames, garbage). */
int bb_ws_server_send_raw(bb_ws_server *server, uint64_t id, const void *bytes, size_t length);
/* Asks for an is_writable callback once the queue is empty. */
int bb_ws_server_request_writable(bb_ws_server *server, uint64_t id);
/* Sends a close frame after the queued data. */
int bb_ws_server_close(bb_ws_server *server, uint64_t id, int code, const char *reason);
/* Fault injection: stops reading from the connection (pings go unanswered, the peer's sends back up). */
int bb_ws_server_pause_reading(bb_ws_server *server, uint64_t id);
/* Closes the TCP connection after the queued data, with no close frame. */
int bb_ws_server_drop(bb_ws_server *server, uint64_t id);

#endif
