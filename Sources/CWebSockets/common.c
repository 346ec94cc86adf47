#include "bb_ws_common.h"
#include <libwebsockets.h>
#include <stdatomic.h>
#include <string.h>

int bb_ws_version_major(void) { return LWS_LIBRARY_VERSION_MAJOR; }

static _Atomic(bb_ws_log_sink) current_sink;

static int severity_of(int level) {
    switch (level) {
    case LLL_ERR: return BB_WS_LOG_ERROR;
    case LLL_WARN: return BB_WS_LOG_WARNING;
    case LLL_NOTICE: return BB_WS_LOG_NOTICE;
    case LLL_INFO: return BB_WS_LOG_INFO;
    default: return BB_WS_LOG_DEBUG;
    }
}

/* libwebsockets formats "[date time:ms] E: text\n"; the Swift logger adds its own stamp and level. */
static void emit(int level, const char *line) {
    bb_ws_log_sink sink = atomic_load(&current_sink);
    if (!sink || !line) return;
    const char *text = line;
    const char *mark = strstr(line, "] ");
    if (line[0] == '[' && mark) {
        text = mark + 2;
        if (text[0] && text[1] == ':' && text[2] == ' ') text += 3;
    }
    char copy[1024];
    size_t n = strlen(text);
    if (n >= sizeof(copy)) n = sizeof(copy) - 1;
    memcpy(copy, text, n);
    while (n > 0 && (copy[n - 1] == '\n' || copy[n - 1] == '\r')) n--;
    copy[n] = '\0';
    sink(severity_of(level), copy);
}

void bb_ws_set_log_sink(int severities, bb_ws_log_sink sink) {
    int levels = 0;
    if (severities & BB_WS_LOG_ERROR) levels |= LLL_ERR;
    if (severities & BB_WS_LOG_WARNING) levels |= LLL_WARN;
    if (severities & BB_WS_LOG_NOTICE) levels |= LLL_NOTICE;
    if (severities & BB_WS_LOG_INFO) levels |= LLL_INFO;
    if (severities & BB_WS_LOG_DEBUG) levels |= LLL_DEBUG;
    atomic_store(&current_sink, sink);
    lws_set_log_level(sink ? levels : 0, emit);
}
