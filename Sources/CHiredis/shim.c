#include "bb_redis.h"
#include <sys/socket.h>
#include <sys/time.h>

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
