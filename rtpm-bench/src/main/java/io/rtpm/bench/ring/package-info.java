/**
 * JMH benchmarks of the user-space ring through the public API ({@link io.rtpm.ffm.RingSession},
 * {@link io.rtpm.ffm.SlotBatch}) beside Agrona's {@code OneToOneRingBuffer} and JCTools'
 * {@code SpscArrayQueue} doing the same work per packet (172 bytes written, stamped, read):
 * {@link io.rtpm.bench.ring.RoundTripBench} on one thread, {@link io.rtpm.bench.ring.SpscBench}
 * with a producer and a consumer thread, and a sleeping-wait path. Results and commands:
 * docs/perf/micro.md.
 */
package io.rtpm.bench.ring;
