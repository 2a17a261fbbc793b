// Linux calls that Swift's Glibc module leaves out (epoll, eventfd, accept4).
// Declarations only: no logic lives here.
#ifndef XUELIANG_CLINUX_SHIM_H
#define XUELIANG_CLINUX_SHIM_H

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

// accept4 is declared only under _GNU_SOURCE, which would also change types Swift's Glibc module
// already defines; declare the one function instead.
extern int accept4(int socket, struct sockaddr *address, socklen_t *length, int flags);

#endif
