// Linux calls that Swift's Glibc module leaves out (epoll, eventfd, accept4, posix_spawn's closefrom, mallopt, pidfd).
// Declarations only: no logic lives here.
#ifndef XUELIANG_CLINUX_SHIM_H
#define XUELIANG_CLINUX_SHIM_H

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <spawn.h>
#include <malloc.h>
#include <sys/pidfd.h>

// accept4 is declared only under _GNU_SOURCE, which would also change types Swift's Glibc module
// already defines; declare the one function instead.
extern int accept4(int socket, struct sockaddr *address, socklen_t *length, int flags);

// glibc 2.34+: close every descriptor from `from` up in the child (libcurl's sockets are not close-on-exec).
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);

#endif
