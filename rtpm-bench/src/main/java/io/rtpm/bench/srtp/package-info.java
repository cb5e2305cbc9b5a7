/**
 * JMH benchmarks of SRTP ({@link io.rtpm.bench.srtp.SrtpBench}): protect and unprotect per suite
 * at 172 bytes, and the two GCM engines. Results, the libsrtp2 baseline and the commands:
 * docs/perf/srtp.md.
 */
package io.rtpm.bench.srtp;
