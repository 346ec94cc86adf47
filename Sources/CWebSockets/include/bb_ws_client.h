#ifndef BB_WS_CLIENT_H
#define BB_WS_CLIENT_H
/* The bytebit WebSocket client over libwebsockets. The callback switch lives in C because
 * LWS_PRE and the lws callback reasons are macros and enums Swift should not depend on. */
#include <stddef.h>

/* Why a run ended; exactly one per run. */
typedef enum {
    BB_WS_END_NONE = 0,
    BB_WS_END_SETUP_FAILED,      /* context or connection could not be created (detail) */
    BB_WS_END_DNS_FAILURE,       /* detail: resolver message */
    BB_WS_END_CONNECTION_REFUSED,
    BB_WS_END_CONNECT_FAILED,    /* other TCP connect failure (detail) */
    BB_WS_END_CONNECT_TIMEOUT,
    BB_WS_END_TLS_FAILURE,       /* detail: verifier's message */
    BB_WS_END_UPGRADE_FAILED,    /* code: HTTP status */
    BB_WS_END_HANDSHAKE_FAILED,  /* not an HTTP 101 upgrade, no usable status (detail) */
    BB_WS_END_PEER_CLOSED,       /* code, detail: close code and reason */
    BB_WS_END_ABNORMAL_CLOSE,    /* detail */
    BB_WS_END_IDLE_TIMEOUT,
    BB_WS_END_PING_TIMEOUT,
    BB_WS_END_MESSAGE_TOO_BIG,
    BB_WS_END_STOPPED,
} bb_ws_end_kind;

typedef struct {
    bb_ws_end_kind kind;
    int code;
    char detail[256];
} bb_ws_ending;

typedef struct {
    const char *host;              /* name or address; also the TLS SNI and verified host name */
    int port;
    const char *path;              /* e.g. "/v2" */
    int use_tls;
    const char *extra_ca_file;     /* PEM, trusted in addition to the system store; may be NULL */
    unsigned connect_timeout_ms;   /* TCP + TLS + upgrade */
    unsigned idle_timeout_ms;      /* 0: none */
    unsigned ping_interval_ms;     /* 0: no client pings */
    unsigned ping_timeout_ms;      /* hang up if no pong within this */
    unsigned tick_interval_ms;     /* 0: no ticks */
    unsigned close_grace_ms;       /* wait for the peer's close reply after stop */
    size_t max_message_bytes;
    size_t rx_buffer_bytes;
} bb_ws_client_config;

typedef struct {
    void *owner;
    void (*did_open)(void *owner);
    /* bytes are valid only during the call */
    void (*did_receive)(void *owner, const void *bytes, size_t length, int is_text);
    void (*did_tick)(void *owner);
} bb_ws_client_callbacks;

typedef struct bb_ws_client bb_ws_client;

bb_ws_client *bb_ws_client_create(void);
void bb_ws_client_destroy(bb_ws_client *client);

/* Connects and services on the calling thread until the connection ends. */
void bb_ws_client_run(bb_ws_client *client, const bb_ws_client_config *config,
                      const bb_ws_client_callbacks *callbacks, bb_ws_ending *ending);

/* Queues a text message; safe from any thread. Returns 0, or -1 when out of memory. */
int bb_ws_client_send_text(bb_ws_client *client, const void *bytes, size_t length);

/* Ends the current run (close 1000) and every later run; safe from any thread. */
void bb_ws_client_stop(bb_ws_client *client);
/* Ends the current run like stop (reported as stopped) but lets later runs connect again. */
void bb_ws_client_close(bb_ws_client *client);

#endif
