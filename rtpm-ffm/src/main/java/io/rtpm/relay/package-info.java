/**
 * The embeddable relay engine: {@link io.rtpm.relay.Relay} receives UDP (RTP and RTCP) into ring
 * slots with batched recvmmsg and sends it on from the slots with sendmmsg, through FFM, on one
 * thread (run to completion) or an RX and a TX thread ({@code RelayConfig.Builder.threads}), with
 * source filtering, symmetric latching, a per-packet hook and RFC 3550 per-SSRC statistics.
 * Start one with a {@link io.rtpm.relay.RelayConfig}; read {@link io.rtpm.relay.RelayStats}.
 * {@link io.rtpm.relay.Relay#warmUp} before the first start spares the first real packets the
 * JIT's warm-up; {@link io.rtpm.relay.WaitStrategy} and thread pinning are in the configuration.
 * Measurements: docs/perf/relay.md.
 */
package io.rtpm.relay;
