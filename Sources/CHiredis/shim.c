#include "bb_redis.h"
#include <hiredis/sds.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <limits.h>

#ifndef IOV_MAX
#define IOV_MAX 1024 /* Linux's UIO_MAXIOV */
#endif
#include <unistd.h>

static struct timeval bb_timeval(long ms) {
    struct timeval tv;
    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    return tv;
}

redisContext *bb_redis_connect(const char *host, int port, long timeout_ms) {
    redisContext *context = redisConnectWithTimeout(host, port, bb_timeval(timeout_ms));
    if (context != NULL && context->err == 0) {
        (void)redisSetTimeout(context, bb_timeval(timeout_ms));
    }
    return context;
}

const char *bb_redis_error(const redisContext *context) {
    if (context == NULL) return "out of memory";
    return context->err != 0 ? context->errstr : NULL;
}

int bb_redis_append_formatted(redisContext *context, const void *commands, size_t length) {
    return redisAppendFormattedCommand(context, (const char *)commands, length) == REDIS_OK ? 0 : -1;
}

int bb_redis_append_words(redisContext *context, int count, const char *const *words) {
    if (count <= 0) return -1;
    return redisAppendCommandArgv(context, count, (const char **)words, NULL) == REDIS_OK ? 0 : -1;
}

int bb_redis_get_reply(redisContext *context, redisReply **reply) {
    void *raw = NULL;
    if (redisGetReply(context, &raw) != REDIS_OK || raw == NULL) {
        *reply = NULL;
        return -1;
    }
    *reply = (redisReply *)raw;
    return 0;
}

void bb_redis_shutdown(redisContext *context) {
    if (context != NULL && context->fd >= 0) (void)shutdown(context->fd, SHUT_RDWR);
}

/* Replies of pipelined PUBLISHes are read without building hiredis' reply objects (a malloc and a
 * free each): the reader's functions are swapped for ones that return a shared marker for every
 * reply but an error, whose text is kept in a small allocation of its own. */
typedef struct {
    size_t length;
    char text[];
} bb_refusal;

static char bb_taken_marker;

static void *bb_ack_string(const redisReadTask *task, char *text, size_t length) {
    if (task->type != REDIS_REPLY_ERROR || task->parent != NULL) return &bb_taken_marker;
    bb_refusal *refusal = malloc(sizeof(bb_refusal) + length + 1);
    if (refusal == NULL) return NULL;
    refusal->length = length;
    memcpy(refusal->text, text, length);
    refusal->text[length] = '\0';
    return refusal;
}

static void *bb_ack_array(const redisReadTask *task, int elements) {
    (void)task;
    (void)elements;
    return &bb_taken_marker;
}

static void *bb_ack_integer(const redisReadTask *task, long long value) {
    (void)task;
    (void)value;
    return &bb_taken_marker;
}

static void *bb_ack_nil(const redisReadTask *task) {
    (void)task;
    return &bb_taken_marker;
}

static void bb_ack_free(void *object) {
    if (object != NULL && object != &bb_taken_marker) free(object);
}

static redisReplyObjectFunctions bb_ack_functions = {
    bb_ack_string, bb_ack_array, bb_ack_integer, bb_ack_nil, bb_ack_free,
};

size_t bb_redis_read_acks(redisContext *context, size_t count, unsigned char *refused, char *first_refusal,
                          size_t refusal_capacity, size_t *refused_count) {
    redisReplyObjectFunctions *saved = context->reader->fn;
    context->reader->fn = &bb_ack_functions;
    int has_refusal = 0;
    size_t refusals = 0;
    if (refusal_capacity > 0) first_refusal[0] = '\0';
    size_t read = 0;
    redisReader *reader = context->reader;
    while (read < count) {
        if (reader->ridx == -1 && reader->reply == NULL) {
            /* The usual replies, integer lines (`:3\r\n`), are taken straight from the reader's
             * buffer while the reader is between replies (hiredis' reader costs ~250 instructions
             * a reply, a memchr per line ~20): anything else (an error, a line cut short) goes
             * through hiredis below. */
            const char *buffer = reader->buf;
            size_t position = reader->pos;
            size_t length = reader->len;
            while (read < count && position < length && buffer[position] == ':') {
                size_t end = position + 1;
                while (end < length && buffer[end] != '\r') end += 1;
                if (end == position + 1 || end + 1 >= length || buffer[end + 1] != '\n') break;
                refused[read] = 0;
                read += 1;
                position = end + 2;
            }
            reader->pos = position;
            if (read == count) break;
            if (position == length) {
                /* All taken: empty the buffer (hiredis trims it only in its own reader), then read. */
                sdsclear(reader->buf);
                reader->pos = 0;
                reader->len = 0;
                if (redisBufferRead(context) != REDIS_OK) break;
                continue;
            }
        }
        void *reply = NULL;
        if (redisGetReply(context, &reply) != REDIS_OK || reply == NULL) break;
        refused[read] = reply != &bb_taken_marker;
        if (reply != &bb_taken_marker) {
            bb_refusal *refusal = reply;
            refusals += 1;
            if (!has_refusal && refusal_capacity > 0) {
                size_t length = refusal->length < refusal_capacity - 1 ? refusal->length : refusal_capacity - 1;
                memcpy(first_refusal, refusal->text, length);
                first_refusal[length] = '\0';
                has_refusal = 1;
            }
            free(refusal);
        }
        read += 1;
    }
    /* A reply cut off by a failure is ours to free, not hiredis' default functions'. */
    if (context->reader->reply != NULL) {
        bb_ack_free(context->reader->reply);
        context->reader->reply = NULL;
    }
    context->reader->fn = saved;
    *refused_count = refusals;
    return read;
}

/* Writes what hiredis still holds in its output buffer. 0, or -1. */
static int bb_redis_flush_output(redisContext *context) {
    int done = 0;
    do {
        if (redisBufferWrite(context, &done) == REDIS_ERR) return -1;
    } while (!done);
    return 0;
}

static int bb_redis_io_error(redisContext *context) {
    /* As hiredis says it (a timeout is EAGAIN: the socket's send timeout ran out). */
    context->err = REDIS_ERR_IO;
    snprintf(context->errstr, sizeof(context->errstr), "%s", strerror(errno));
    return -1;
}

int bb_redis_write_pieces(redisContext *context, struct iovec *pieces, size_t count) {
    if (bb_redis_flush_output(context) != 0) return -1;
    size_t next = 0;
    while (next < count) {
        struct msghdr message;
        memset(&message, 0, sizeof(message));
        message.msg_iov = pieces + next;
        message.msg_iovlen = count - next < IOV_MAX ? count - next : IOV_MAX;
        /* sendmsg, not writev: a server gone away is an error here, not a SIGPIPE that ends the process. */
        ssize_t written = sendmsg(context->fd, &message, MSG_NOSIGNAL);
        if (written < 0) {
            if (errno == EINTR) continue;
            return bb_redis_io_error(context);
        }
        size_t left = (size_t)written;
        while (next < count && left >= pieces[next].iov_len) {
            left -= pieces[next].iov_len;
            next += 1;
        }
        if (left > 0) {
            pieces[next].iov_base = (char *)pieces[next].iov_base + left;
            pieces[next].iov_len -= left;
        }
    }
    return 0;
}


int bb_redis_set_send_buffer(redisContext *context, int bytes) {
    return setsockopt(context->fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof(bytes)) == 0 ? 0 : -1;
}
