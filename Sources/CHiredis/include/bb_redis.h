#ifndef BB_REDIS_H
#define BB_REDIS_H
/* The bytebit Redis client over hiredis (Debian libhiredis 0.14, which has no TLS): transport only.
 * Swift reads hiredis' own redisReply; these helpers cover what Swift cannot call directly
 * (hiredis' variadic commands, its fixed-size error buffer, struct timeval). */
#include <stddef.h>
#include <sys/uio.h>
#include <hiredis/hiredis.h>

/* Connects to host:port within timeout_ms, then sets that timeout on every read and write, so a
 * stuck server ends the call with an error instead of blocking it. Never NULL unless out of
 * memory; check bb_redis_error. */
redisContext *bb_redis_connect(const char *host, int port, long timeout_ms);

/* The context's error text, or NULL while it has none. */
const char *bb_redis_error(const redisContext *context);

/* Appends commands already in the Redis protocol (RESP) to the output buffer. 0, or -1. */
int bb_redis_append_formatted(redisContext *context, const void *commands, size_t length);

/* Appends a command of `count` NUL-terminated words. 0, or -1. */
int bb_redis_append_words(redisContext *context, int count, const char *const *words);

/* Writes the output buffer and reads one reply (blocking up to the timeout). 0 with *reply set
 * (free it with freeReplyObject), or -1 on an I/O or protocol error (see bb_redis_error). */
int bb_redis_get_reply(redisContext *context, redisReply **reply);

/* Writes what hiredis still holds, then the `count` pieces of commands already in the Redis protocol
 * (one sendmsg for up to IOV_MAX of them), blocking up to the timeout per call. The pieces are
 * consumed: a partial write moves the first unwritten piece's start. 0, or -1 on an I/O error. */
int bb_redis_write_pieces(redisContext *context, struct iovec *pieces, size_t count);

/* Writes the output buffer and reads `count` replies of pipelined commands (blocking up to the
 * timeout each) without building reply objects: refused[i] is 1 when reply i is an error, else 0,
 * and the first error's text goes to first_refusal (cut to refusal_capacity - 1 bytes, NUL
 * terminated; empty without one); *refused_count is how many were errors. Returns how many replies were read: fewer than `count` only on
 * an I/O or protocol error (see bb_redis_error), after which the context is not to be reused. */
size_t bb_redis_read_acks(redisContext *context, size_t count, unsigned char *refused, char *first_refusal,
                          size_t refusal_capacity, size_t *refused_count);

/* Sets the socket's send buffer to about `bytes` (tests: a long write then waits for the server). 0, or -1. */
int bb_redis_set_send_buffer(redisContext *context, int bytes);

/* Shuts the socket down (from any thread): a call blocked in bb_redis_get_reply returns -1. */
void bb_redis_shutdown(redisContext *context);

#endif
