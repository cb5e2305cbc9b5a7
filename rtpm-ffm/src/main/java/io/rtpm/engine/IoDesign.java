package io.rtpm.engine;

/**
 * How the workers move packets between sockets and their rings. docs/perf/calls.md measures
 * both.
 */
public enum IoDesign {
    /**
     * io_uring when the kernel offers what it needs (multishot RECVMSG into a provided-buffer
     * ring: 6.0) and the process may use it (not blocked by seccomp or
     * kernel.io_uring_disabled), else epoll. The choice is logged at start.
     */
    AUTO,
    /** epoll with recvmmsg/sendmmsg per ready socket: about two system calls a packet with many sockets. */
    EPOLL,
    /**
     * io_uring: one multishot RECVMSG per socket into a provided-buffer ring whose buffers are
     * the worker's ring slots, and the sends of many sockets in one submission.
     */
    IO_URING
}
