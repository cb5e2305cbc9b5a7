/**
 * The relay's and the engine's socket layer over the bindings of {@code io.rtpm.ffm.internal}:
 * bound UDP sockets, the {@code mmsghdr} vector for recvmmsg/sendmmsg, sockaddr helpers, and the
 * JIT-quiet rule of the warm-ups. Not exported; nothing here is API.
 */
package io.rtpm.relay.internal;
