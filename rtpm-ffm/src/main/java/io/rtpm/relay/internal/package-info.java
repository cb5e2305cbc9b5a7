/**
 * The relay's native socket layer: libc socket calls through FFM ({@link io.rtpm.relay.internal.Net}),
 * bound UDP sockets, the {@code mmsghdr} vector for recvmmsg/sendmmsg and sockaddr helpers. Not
 * exported; nothing here is API.
 */
package io.rtpm.relay.internal;
