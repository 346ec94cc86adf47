#define _GNU_SOURCE
#include "connect_diagnosis.h"
#include "bb_ws_client.h"
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* One non-blocking connect with a deadline; returns 0 on success or the errno that ended it. */
static int try_connect(const struct addrinfo *address, int probe_ms) {
    int fd = socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, address->ai_protocol);
    if (fd < 0) return errno;
    int result = 0;
    if (connect(fd, address->ai_addr, address->ai_addrlen) != 0) {
        result = errno;
        if (result == EINPROGRESS) {
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            int ready = poll(&p, 1, probe_ms);
            if (ready == 0) {
                result = ETIMEDOUT;
            } else if (ready < 0) {
                result = errno;
            } else {
                socklen_t length = sizeof(result);
                if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &result, &length) != 0) result = errno;
            }
        }
    }
    close(fd);
    return result;
}

int bb_diagnose_connect(const char *host, int port, int probe_ms, char *reason, size_t reason_capacity) {
    char service[16];
    snprintf(service, sizeof(service), "%d", port);
    struct addrinfo hints;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    struct addrinfo *addresses = NULL;
    int lookup = getaddrinfo(host, service, &hints, &addresses);
    if (lookup != 0) {
        snprintf(reason, reason_capacity, "cannot resolve %s: %s", host,
                 lookup == EAI_SYSTEM ? strerror(errno) : gai_strerror(lookup));
        return BB_WS_END_DNS_FAILURE;
    }
    int refused = 0, other = 0;
    for (struct addrinfo *a = addresses; a && probe_ms > 0; a = a->ai_next) {
        int error = try_connect(a, probe_ms);
        if (error == ECONNREFUSED) refused = 1;
        else if (error && !other) other = error;
    }
    freeaddrinfo(addresses);
    if (refused) {
        snprintf(reason, reason_capacity, "%s:%d refused the connection", host, port);
        return BB_WS_END_CONNECTION_REFUSED;
    }
    if (other) {
        snprintf(reason, reason_capacity, "cannot connect to %s:%d: %s", host, port, strerror(other));
        return BB_WS_END_CONNECT_FAILED;
    }
    snprintf(reason, reason_capacity, "could not connect to %s:%d (it accepts connections now)", host, port);
    return BB_WS_END_CONNECT_FAILED;
}
