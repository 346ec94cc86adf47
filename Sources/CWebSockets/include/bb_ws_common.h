#ifndef BB_WS_COMMON_H
#define BB_WS_COMMON_H
/* Shared pieces of the bytebit libwebsockets shim: log routing and the library version. */

/* The libwebsockets major version this build links against. */
int bb_ws_version_major(void);

/* Log severities handed to the sink (a subset of libwebsockets' LLL_* bits). */
enum {
    BB_WS_LOG_ERROR = 1,
    BB_WS_LOG_WARNING = 2,
    BB_WS_LOG_NOTICE = 4,
    BB_WS_LOG_INFO = 8,
    BB_WS_LOG_DEBUG = 16,
};

/* Receives one libwebsockets log line (no trailing newline, no timestamp prefix). */
typedef void (*bb_ws_log_sink)(int severity, const char *line);

/* Routes libwebsockets' process-wide logging to `sink` for the severities in `severities`.
 * libwebsockets has one global log hook, so this is process-wide too. */
void bb_ws_set_log_sink(int severities, bb_ws_log_sink sink);

#endif
