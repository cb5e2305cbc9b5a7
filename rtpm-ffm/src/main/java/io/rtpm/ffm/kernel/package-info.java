/**
 * The kernel backend: {@link io.rtpm.ffm.RingDevice} over {@code /dev/rtp_mgr} through the
 * jextract bindings ({@code io.rtpm.ffm.abi}) and {@link io.rtpm.ffm.internal.Libc}. Not
 * exported: open it with {@code RingDevice.open(Backend.KERNEL)}.
 */
package io.rtpm.ffm.kernel;
