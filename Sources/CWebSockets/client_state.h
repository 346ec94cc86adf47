#ifndef BB_CLIENT_STATE_H
#define BB_CLIENT_STATE_H
/* The client's state, shared by client.c (libwebsockets: connect, TLS, upgrade, the first messages)
 * and client_direct.c (the open connection's own frame reader and writer once it takes over). */
#include "bb_ws_client.h"
#include "tls_diagnosis.h"
#include <libwebsockets.h>
#include <pthread.h>
#include <stdint.h>

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
    int direct;          /* the direct reader owns the connection: wake it through notify_fd */

    /* service thread only */
    struct lws_protocols protocols[2]; /* lws keeps a pointer: lives as long as the client */
    const bb_ws_client_config *config;
    const bb_ws_client_callbacks *callbacks;
    bb_ws_ending *ending;
    struct lws *wsi;
    /* The caller's next deadline wakes lws's poll through this timerfd, adopted as a raw file:
     * lws timers spin poll(0) for their last millisecond, and lws_service ignores its timeout. */
    int wake_fd;
    struct lws *wake_wsi;
    uint64_t wake_armed_ns; /* CLOCK_MONOTONIC instant the timer is set for; 0: not set */
    int done, tcp_connected, request_sent, established, closing, close_code, ping_due;
    uint64_t frames_received, pongs_received;
    unsigned char *assembly;
    size_t assembly_length, assembly_capacity;
    int assembly_is_text, mid_message;
    /* lws was stopped after a whole message for the direct reader to take over (see client_direct.c);
     * a delivery after that would mean lws did not stop there */
    int takeover_requested, received_after_offer;
    char tls_error[160];
    bb_tls_observation tls_seen; /* watched for the context's lifetime */

    /* the direct reader (client_direct.c) */
    int notify_fd;          /* eventfd: other threads' sends and stops wake the direct poll */
    int socket_fd;
    unsigned char *rx;      /* bytes read and not yet parsed into whole frames */
    size_t rx_length, rx_capacity;
    uint64_t discard;       /* payload bytes still to skip (a frame over the size limit) */
    int read_before_poll;   /* the last pass may have left data: read again before polling */
    uint64_t direct_reads;  /* recv/SSL_read calls this run (atomic: read by other threads) */
    uint64_t direct_batches; /* hand-overs of decrypted data to the frame parser this run (atomic) */
};

void bb_client_set_ending(bb_ws_client *c, bb_ws_end_kind kind, int code, const char *detail);
int bb_client_stop_is_requested(bb_ws_client *c);
void bb_client_record_peer_close(bb_ws_client *c, const unsigned char *p, size_t len);
int bb_client_append_fragment(bb_ws_client *c, const void *in, size_t len);
/* Takes every queued outgoing message (oldest first), or NULL. */
bb_message *bb_client_take_queue(bb_ws_client *c);
/* Returns 1 when it paused (more may have arrived meanwhile), 0 when it did not. */
int bb_client_coalesce(bb_ws_client *c, int64_t timeout_us, uint64_t called_at_ns);

/* After a pass in which lws was stopped between frames: the direct reader takes over, or lws goes on. */
void bb_direct_decide_takeover(bb_ws_client *c);
int bb_direct_service(bb_ws_client *c, int64_t timeout_us, uint64_t called_at_ns);
void bb_direct_ping(bb_ws_client *c);
void bb_direct_send_close(bb_ws_client *c, int code);

#endif
