#ifndef BB_WS_CLIENT_H
#define BB_WS_CLIENT_H
/* The bytebit WebSocket client over libwebsockets: transport only. It moves frames in and out and
 * reports one typed ending; every deadline (connect, idle, pings, ticks, close grace) is decided by
 * the caller's loop, which calls bb_ws_client_service with the time left until its next deadline.
 * The callback switch lives in C because LWS_PRE and the lws callback reasons are macros and enums
 * Swift should not depend on. */
#include <stddef.h>
#include <stdint.h>

/* Why a run ended; exactly one per run. */
typedef enum {
    BB_WS_END_NONE = 0,
    BB_WS_END_SETUP_FAILED,      /* context or connection could not be created (detail) */
    BB_WS_END_DNS_FAILURE,       /* detail: resolver message */
    BB_WS_END_CONNECTION_REFUSED,
    BB_WS_END_CONNECT_FAILED,    /* other TCP connect failure (detail) */
    BB_WS_END_CONNECT_TIMEOUT,
    BB_WS_END_TLS_FAILURE,       /* detail: verifier's message, or why the handshake failed */
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
    unsigned lws_timeout_secs;     /* libwebsockets' own handshake timeouts: set past the caller's deadline */
    size_t max_message_bytes;
    size_t rx_buffer_bytes;
    unsigned coalesce_us;          /* after a wake-up that brought messages, wait this long before the
                                      next poll so it finds a batch (never past the caller's deadline); 0: off */
} bb_ws_client_config;

typedef struct {
    void *owner;
    void (*did_open)(void *owner);
    /* bytes are valid only during the call */
    void (*did_receive)(void *owner, const void *bytes, size_t length, int is_text);
} bb_ws_client_callbacks;

/* Where the current connection stands. */
typedef enum {
    BB_WS_PHASE_CONNECTING = 0,    /* TCP, TLS, HTTP upgrade */
    BB_WS_PHASE_OPEN,
    BB_WS_PHASE_CLOSING,           /* our close frame is on its way; waiting for the peer's reply */
    BB_WS_PHASE_ENDED,             /* the ending is final */
} bb_ws_phase;

/* What the caller's loop needs to decide its deadlines. Counters only grow within a run. */
typedef struct {
    bb_ws_phase phase;
    uint64_t frames_received;      /* data frames (any fragment) since the run began */
    uint64_t pongs_received;
    int stop_requested;            /* stop() or close() was called (from any thread) */
} bb_ws_client_status;


typedef struct bb_ws_client bb_ws_client;

bb_ws_client *bb_ws_client_create(void);
void bb_ws_client_destroy(bb_ws_client *client);

/* The calls below, up to bb_ws_client_finish, belong to the one thread that runs the connection.
 * `config`, `callbacks` and `ending` must stay valid until bb_ws_client_finish. */

/* Starts a connection attempt. Returns 0 when under way, -1 when it already ended (see `ending`). */
int bb_ws_client_open(bb_ws_client *client, const bb_ws_client_config *config,
                      const bb_ws_client_callbacks *callbacks, bb_ws_ending *ending);
/* Waits until socket activity, a send/stop from another thread, or `timeout_us` (< 0: no limit;
 * 0: do not wait), then services what is ready; callbacks run inside. Returns 0, or -1 when the
 * libwebsockets service failed (the run has then ended). */
int bb_ws_client_service(bb_ws_client *client, int64_t timeout_us);
void bb_ws_client_status_get(bb_ws_client *client, bb_ws_client_status *status);
/* The open connection is read by the shim's own frame reader, no longer by libwebsockets (any thread). */
int bb_ws_client_reads_directly(bb_ws_client *client);
/* The direct reader's reads (recv or SSL_read calls) in this run; any thread (tests, diagnostics). */
uint64_t bb_ws_client_direct_reads(bb_ws_client *client);
/* How many times the direct reader handed decrypted data to its frame parser this run; for tests. */
uint64_t bb_ws_client_direct_batches(bb_ws_client *client);
/* Sends a protocol ping on the open connection. */
void bb_ws_client_ping(bb_ws_client *client);
/* Records `reason` (unless an ending is already recorded) and closes politely: close frame `code`
 * when open (the peer's reply ends the run; the caller bounds the wait), abandon when connecting. */
void bb_ws_client_begin_close(bb_ws_client *client, bb_ws_end_kind reason, int code);
/* Records `reason` (unless an ending is already recorded; BB_WS_END_NONE keeps it) and drops the
 * connection at once, without a close frame. The run has ended when this returns. */
void bb_ws_client_abort(bb_ws_client *client, bb_ws_end_kind reason);
/* Releases the connection's libwebsockets context and drops unsent messages. */
void bb_ws_client_finish(bb_ws_client *client);

/* Queues a text message; safe from any thread. Returns 0, or -1 when out of memory. */
int bb_ws_client_send_text(bb_ws_client *client, const void *bytes, size_t length);

/* Marks the current run and every later one as to be stopped; safe from any thread. */
void bb_ws_client_stop(bb_ws_client *client);
/* Marks the current run as to be stopped; later runs connect again. Safe from any thread. */
void bb_ws_client_close(bb_ws_client *client);

#endif
