#define _GNU_SOURCE
/* The open connection's direct reader and writer. libwebsockets 4.1 parses every received byte
 * through a per-byte state machine and services one TLS record per pass, which was most of the
 * receive path's transport cost (perf: ~17% of a collector's CPU at 4000 msgs/s, libssl and the
 * kernel aside). Once lws has connected, verified TLS, upgraded and delivered a whole message, this
 * takes the connection over: one poll (or none while messages keep coming), every record OpenSSL
 * or the socket holds read in bulk, frames parsed in place and handed over without a copy. lws
 * keeps the connection's socket and SSL until the run ends; nothing here calls into its service
 * loop again, so the two never read or write the connection at the same time. */
#include "client_state.h"
#include <errno.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Bytes asked of the socket (or OpenSSL) per read; a frame larger than this grows the buffer. */
#define BB_DIRECT_READ_BYTES 65536

/* Decrypted bytes gathered from OpenSSL's buffered records before their frames are handled. */
#define BB_DIRECT_BATCH_BYTES 65536

/* How long a write may wait for the socket (our messages are small: a stall means a dead peer). */
#define BB_DIRECT_WRITE_STALL_MS 1000

enum { OP_CONTINUATION = 0x0, OP_TEXT = 0x1, OP_BINARY = 0x2, OP_CLOSE = 0x8, OP_PING = 0x9, OP_PONG = 0xA };

static SSL *tls_of(bb_ws_client *c) {
    return c->config->use_tls && c->wsi ? lws_get_ssl(c->wsi) : NULL;
}

/* The handover. After lws delivered a whole message, offer_takeover (client.c) stopped its
 * per-byte parser right there with rx flow control: lws then keeps whatever it had read beyond
 * that message in its own buffer list instead of parsing it. With that list empty (lws has nothing
 * to service: lws_service_adjust_timeout), lws holds no byte of the stream: the next byte is the
 * first of a frame, in OpenSSL's buffer or the socket, and the direct reader starts there. Otherwise
 * lws resumes (its list is serviced first) and the next whole message offers again. */
void bb_direct_decide_takeover(bb_ws_client *c) {
    struct lws *wsi = c->wsi;
    int safe = wsi && !c->done && !c->closing && c->established && !c->mid_message && !c->ping_due &&
               !c->received_after_offer && lws_remaining_packet_payload(wsi) == 0 && !lws_partial_buffered(wsi) &&
               lws_get_socket_fd(wsi) >= 0;
    if (wsi) lws_rx_flow_control(wsi, 1 | LWS_RXFLOW_REASON_FLAG_PROCESS_NOW);
    safe = safe && !c->received_after_offer && lws_service_adjust_timeout(c->context, 1, 0) != 0;
    c->takeover_requested = c->received_after_offer = 0;
    if (!safe) return;
    c->socket_fd = lws_get_socket_fd(wsi);
    /* lws asks OpenSSL to free its read buffer whenever it runs empty; between wake-ups it always
     * does, and allocating 64 KiB again per wake-up showed under perf (malloc, CRYPTO_malloc). */
    SSL *ssl = tls_of(c);
    if (ssl) SSL_clear_mode(ssl, SSL_MODE_RELEASE_BUFFERS);
    c->rx_length = 0;
    c->discard = 0;
    /* OpenSSL may already hold records lws has not read: look before polling. */
    c->read_before_poll = 1;
    uint64_t stale;
    eventfd_read(c->notify_fd, &stale); /* wake-ups meant for an earlier run */
    pthread_mutex_lock(&c->lock);
    c->direct = 1;
    pthread_mutex_unlock(&c->lock);
}


static uint64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* The connection is gone (or unusable): the ending says whether a message was cut short. */
static void connection_lost(bb_ws_client *c) {
    int cut = c->mid_message || c->rx_length > 0 || c->discard > 0;
    bb_client_set_ending(c, BB_WS_END_ABNORMAL_CLOSE, 0,
                         cut ? "connection lost in the middle of a message" : "connection closed without a close frame");
    c->done = 1;
}

/* Writes all of `bytes`, waiting for the socket at most BB_DIRECT_WRITE_STALL_MS in all. */
static int write_all(bb_ws_client *c, const unsigned char *bytes, size_t length) {
    SSL *ssl = tls_of(c);
    uint64_t give_up_at = now_ms() + BB_DIRECT_WRITE_STALL_MS;
    while (length > 0) {
        short wait_for = POLLOUT;
        if (ssl) {
            int n = SSL_write(ssl, bytes, length > 0x7fffffff ? 0x7fffffff : (int)length);
            if (n > 0) {
                bytes += n;
                length -= (size_t)n;
                continue;
            }
            int error = SSL_get_error(ssl, n);
            if (error == SSL_ERROR_WANT_READ) wait_for = POLLIN;
            else if (error != SSL_ERROR_WANT_WRITE) return -1;
        } else {
            ssize_t n = send(c->socket_fd, bytes, length, MSG_NOSIGNAL);
            if (n > 0) {
                bytes += n;
                length -= (size_t)n;
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) return -1;
        }
        uint64_t now = now_ms();
        if (now >= give_up_at) return -1;
        struct pollfd fd = {.fd = c->socket_fd, .events = wait_for};
        if (poll(&fd, 1, (int)(give_up_at - now)) < 0 && errno != EINTR) return -1;
    }
    return 0;
}

/* One client frame (FIN set, masked as RFC 6455 requires of a client). */
static int write_frame(bb_ws_client *c, int opcode, const unsigned char *payload, size_t length) {
    unsigned char stack[256];
    size_t header = length < 126 ? 2 : length <= 0xffff ? 4 : 10;
    size_t total = header + 4 + length;
    unsigned char *frame = total <= sizeof(stack) ? stack : malloc(total);
    if (!frame) return -1;
    frame[0] = (unsigned char)(0x80 | opcode);
    if (length < 126) {
        frame[1] = (unsigned char)(0x80 | length);
    } else if (length <= 0xffff) {
        frame[1] = 0x80 | 126;
        frame[2] = (unsigned char)(length >> 8);
        frame[3] = (unsigned char)length;
    } else {
        frame[1] = 0x80 | 127;
        for (int i = 0; i < 8; i++) frame[2 + i] = (unsigned char)((uint64_t)length >> (56 - 8 * i));
    }
    unsigned char *mask = frame + header;
    if (RAND_bytes(mask, 4) != 1) {
        if (frame != stack) free(frame);
        return -1;
    }
    for (size_t i = 0; i < length; i++) frame[header + 4 + i] = payload[i] ^ mask[i & 3];
    int result = write_all(c, frame, total);
    if (frame != stack) free(frame);
    return result;
}

static void write_failed(bb_ws_client *c) {
    bb_client_set_ending(c, BB_WS_END_ABNORMAL_CLOSE, 0, "write failed");
    c->done = 1;
}

void bb_direct_ping(bb_ws_client *c) {
    if (c->done || c->closing) return;
    if (write_frame(c, OP_PING, NULL, 0)) write_failed(c);
}

/* Our close frame; the peer's reply (or its hanging up, or the caller's grace) ends the run. */
void bb_direct_send_close(bb_ws_client *c, int code) {
    if (c->done) return;
    unsigned char payload[2 + 15];
    size_t length = 2;
    payload[0] = (unsigned char)(code >> 8);
    payload[1] = (unsigned char)code;
    if (code == 1009) {
        memcpy(payload + 2, "message too big", 15);
        length += 15;
    }
    if (write_frame(c, OP_CLOSE, payload, length)) c->done = 1; /* the ending is already recorded */
}

static void protocol_error(bb_ws_client *c, const char *what) {
    char detail[120];
    snprintf(detail, sizeof(detail), "protocol error: %s", what);
    bb_client_set_ending(c, BB_WS_END_ABNORMAL_CLOSE, 0, detail);
    if (!c->closing) {
        unsigned char payload[2] = {1002 >> 8, 1002 & 0xff};
        write_frame(c, OP_CLOSE, payload, sizeof(payload));
    }
    c->done = 1;
}

static void message_too_big(bb_ws_client *c) {
    char detail[96];
    snprintf(detail, sizeof(detail), "message exceeds %zu bytes", c->config->max_message_bytes);
    bb_client_set_ending(c, BB_WS_END_MESSAGE_TOO_BIG, 0, detail);
    c->closing = 1;
    c->mid_message = 0;
    c->assembly_length = 0;
    bb_direct_send_close(c, 1009);
}

/* A data frame: delivered in place when it is a whole message, else reassembled. */
static void data_frame(bb_ws_client *c, int opcode, int final, const unsigned char *payload, size_t length) {
    if (c->closing) return; /* incoming messages are ignored once our close is on its way */
    if (opcode == OP_CONTINUATION) {
        if (!c->mid_message) {
            protocol_error(c, "a continuation frame without a message");
            return;
        }
    } else if (c->mid_message) {
        protocol_error(c, "a new message inside a fragmented one");
        return;
    }
    c->frames_received++;
    if (opcode != OP_CONTINUATION && final) {
        c->callbacks->did_receive(c->callbacks->owner, payload, length, opcode == OP_TEXT);
        return;
    }
    if (opcode != OP_CONTINUATION) {
        c->mid_message = 1;
        c->assembly_length = 0;
        c->assembly_is_text = opcode == OP_TEXT;
    }
    if (bb_client_append_fragment(c, payload, length)) {
        bb_client_set_ending(c, BB_WS_END_ABNORMAL_CLOSE, 0, "out of memory reassembling a message");
        c->done = 1;
        return;
    }
    if (final) {
        c->mid_message = 0;
        c->callbacks->did_receive(c->callbacks->owner, c->assembly, c->assembly_length, c->assembly_is_text);
        c->assembly_length = 0;
    }
}

static void control_frame(bb_ws_client *c, int opcode, const unsigned char *payload, size_t length) {
    switch (opcode) {
    case OP_CLOSE:
        if (!c->closing) {
            /* The peer closes: its code and reason are the ending; the reply echoes the code. */
            bb_client_record_peer_close(c, payload, length);
            c->closing = 1;
            write_frame(c, OP_CLOSE, payload, length >= 2 ? 2 : 0);
        }
        c->done = 1;
        break;
    case OP_PING:
        if (!c->closing && write_frame(c, OP_PONG, payload, length)) write_failed(c);
        break;
    case OP_PONG:
        c->pongs_received++;
        break;
    default:
        protocol_error(c, "an unknown opcode");
    }
}

static int grow_rx(bb_ws_client *c, size_t needed) {
    if (needed <= c->rx_capacity) return 0;
    size_t capacity = c->rx_capacity ? c->rx_capacity : BB_DIRECT_READ_BYTES;
    while (capacity < needed) capacity *= 2;
    unsigned char *grown = realloc(c->rx, capacity);
    if (!grown) return -1;
    c->rx = grown;
    c->rx_capacity = capacity;
    return 0;
}

/* Handles every whole frame in rx; what is left (part of a frame) moves to the front. */
static void parse_frames(bb_ws_client *c) {
    size_t position = 0;
    size_t limit = c->config->max_message_bytes;
    while (!c->done) {
        unsigned char *p = c->rx + position;
        size_t available = c->rx_length - position;
        if (c->discard) {
            size_t skipped = available < c->discard ? available : (size_t)c->discard;
            c->discard -= skipped;
            position += skipped;
            if (c->discard) break;
            continue;
        }
        if (available < 2) break;
        int final = p[0] & 0x80, opcode = p[0] & 0x0f;
        size_t header = 2;
        uint64_t length = p[1] & 0x7f;
        if (length == 126) {
            if (available < 4) break;
            length = ((uint64_t)p[2] << 8) | p[3];
            header = 4;
        } else if (length == 127) {
            if (available < 10) break;
            length = 0;
            for (int i = 0; i < 8; i++) length = (length << 8) | p[2 + i];
            header = 10;
        }
        if (p[0] & 0x70) {
            protocol_error(c, "reserved bits set (no extension was negotiated)");
            break;
        }
        if (p[1] & 0x80) {
            protocol_error(c, "a masked frame from the server");
            break;
        }
        if (opcode >= OP_CLOSE) {
            if (!final || length > 125) {
                protocol_error(c, "a fragmented or oversized control frame");
                break;
            }
        } else if (!c->closing && (length > limit || c->assembly_length + length > limit)) {
            /* Known from the header alone: the payload is skipped, never buffered. */
            message_too_big(c);
            position += header;
            c->discard = length;
            continue;
        }
        if (available - header < length) {
            if (grow_rx(c, header + length)) {
                bb_client_set_ending(c, BB_WS_END_ABNORMAL_CLOSE, 0, "out of memory reading a message");
                c->done = 1;
            }
            break;
        }
        if (opcode >= OP_CLOSE) control_frame(c, opcode, p + header, (size_t)length);
        else data_frame(c, opcode, final, p + header, (size_t)length);
        position += header + (size_t)length;
    }
    if (c->done) {
        c->rx_length = 0;
        return;
    }
    if (position > 0) {
        memmove(c->rx, c->rx + position, c->rx_length - position);
        c->rx_length -= position;
    }
}

/* Reads what OpenSSL and the socket hold and handles it. Returns 1 when the socket is known to be
 * empty for now (a short read or nothing buffered), 0 when more may be waiting. */
static int read_available(bb_ws_client *c) {
    SSL *ssl = tls_of(c);
    size_t read_this_call = 0;
    size_t unparsed = 0; /* decrypted bytes not parsed yet */
    while (!c->done) {
        if (grow_rx(c, c->rx_length + BB_DIRECT_READ_BYTES)) {
            bb_client_set_ending(c, BB_WS_END_ABNORMAL_CLOSE, 0, "out of memory reading a message");
            c->done = 1;
            return 1;
        }
        size_t room = c->rx_capacity - c->rx_length;
        if (room > 0x7fffffff) room = 0x7fffffff;
        __atomic_fetch_add(&c->direct_reads, 1, __ATOMIC_RELAXED);
        if (ssl) {
            int n = SSL_read(ssl, c->rx + c->rx_length, (int)room);
            /* Asked at once: handing frames over below may write (a pong) and change the answer. */
            int error = n > 0 ? SSL_ERROR_NONE : SSL_get_error(ssl, n);
            if (n > 0) {
                c->rx_length += (size_t)n;
                read_this_call += (size_t)n;
                unparsed += (size_t)n;
                /* One SSL_read is one record (at 4000 msgs/s, one message). Decrypt every record
                 * OpenSSL holds (up to BB_DIRECT_BATCH_BYTES) before handing any over: TLS and the
                 * handler taking turns per message evicted each other's code and data from the
                 * caches. */
                if (SSL_has_pending(ssl) && unparsed < BB_DIRECT_BATCH_BYTES) continue;
            }
            /* Every frame decrypted so far, before whatever ended the reading (a close_notify or a
             * TLS error behind them in the same read). */
            parse_frames(c);
            __atomic_fetch_add(&c->direct_batches, 1, __ATOMIC_RELAXED);
            unparsed = 0;
            if (c->done) return 1;
            if (n <= 0) {
                if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return 1;
                connection_lost(c); /* close_notify, EOF or a TLS error: the connection is over */
                return 1;
            }
            /* Read-ahead took up to 64 KiB off the socket at once, so with nothing left in OpenSSL
             * the socket had no more unless that read was full. */
            if (!SSL_has_pending(ssl)) return read_this_call < BB_DIRECT_READ_BYTES / 2;
        } else {
            ssize_t n = recv(c->socket_fd, c->rx + c->rx_length, room, 0);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 1;
            if (n <= 0) {
                connection_lost(c);
                return 1;
            }
            c->rx_length += (size_t)n;
            parse_frames(c);
            __atomic_fetch_add(&c->direct_batches, 1, __ATOMIC_RELAXED);
            if ((size_t)n < room) return 1;
        }
        if (bb_client_stop_is_requested(c)) return 0;
    }
    return 1;
}

static void send_queued(bb_ws_client *c) {
    bb_message *m = bb_client_take_queue(c);
    while (m) {
        bb_message *next = m->next;
        if (!c->done && !c->closing && write_frame(c, OP_TEXT, m->bytes + LWS_PRE, m->length)) write_failed(c);
        free(m);
        m = next;
    }
}

/* One wake-up: sends what is queued, waits for the socket (or the caller's deadline, or another
 * thread through notify_fd) unless the last wake-up may have left data behind, then reads
 * everything there is. The deadline is ppoll's own timeout: the timerfd that wakes lws's poll
 * cost a timerfd_settime for most messages of a quiet connection (issue 10, strace). */
int bb_direct_service(bb_ws_client *c, int64_t timeout_us, uint64_t called_at_ns) {
    send_queued(c);
    if (c->done) return 0;
    if (!c->read_before_poll) {
        struct pollfd fds[2] = {
            {.fd = c->socket_fd, .events = POLLIN},
            {.fd = c->notify_fd, .events = POLLIN},
        };
        struct timespec wait = {.tv_sec = (time_t)(timeout_us / 1000000), .tv_nsec = (long)(timeout_us % 1000000) * 1000};
        /* timeout_us < 0: nothing due, wait for the socket or notify_fd alone. */
        int n = ppoll(fds, 2, timeout_us < 0 ? NULL : &wait, NULL);
        if (n < 0) return errno == EINTR ? 0 : -1;
        if (fds[1].revents) {
            uint64_t count;
            eventfd_read(c->notify_fd, &count);
        }
        if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) return 0;
    }
    uint64_t frames_before = c->frames_received;
    int drained = read_available(c);
    int brought = c->frames_received != frames_before;
    /* Only a trickle is worth waiting for: while data keeps the socket full, read on at full speed. */
    int slept = brought && drained && bb_client_coalesce(c, timeout_us, called_at_ns);
    /* Read again before polling only when data may be waiting: the last read was not short, or the
     * coalescing delay let more arrive. A drained socket with no pause after it is polled: at ~20
     * messages a second per connection, reading it again first was a recv(EAGAIN) per message. */
    c->read_before_poll = !drained || slept;
    return 0;
}
