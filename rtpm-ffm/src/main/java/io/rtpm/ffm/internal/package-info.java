/**
 * rtpm's one FFM binding layer: every downcall is bound here, once, through {@link
 * io.rtpm.ffm.internal.Libc}'s binder with the same errno capture ({@code -errno} results, no
 * errno read later): file, mmap, futex and ioctl calls ({@code Libc}), sockets ({@code Net}),
 * epoll, eventfd and rlimits ({@code Epoll}), io_uring's raw system calls ({@code IoUring}),
 * AF_UNIX datagrams for sd_notify ({@code UnixDatagram}) and libcrypto's AES-GCM
 * ({@code LibCrypto}); errno names and the errno-to-exception mapping; the session call guard.
 * Not exported; nothing here is API.
 */
package io.rtpm.ffm.internal;
