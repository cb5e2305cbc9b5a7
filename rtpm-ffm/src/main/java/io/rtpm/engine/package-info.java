/**
 * The media engine: calls with legs, relayed by a few worker threads (symmetric RTP, rtpengine's
 * source control and timeouts, per-leg and per-SSRC counters readable without locks).
 *
 * <p>Start with {@link io.rtpm.engine.MediaEngine}; describe calls with
 * {@link io.rtpm.engine.CallSpec} and {@link io.rtpm.engine.LegSpec}; hear of latching, handover,
 * SSRC changes, non-RTP packets and timeouts through {@link io.rtpm.engine.EngineListener}; read
 * counters with {@link io.rtpm.engine.Call#stats(int)}. The design and its measurements:
 * rtpm-ffm/README.md ("The media engine") and docs/perf/calls.md.
 */
package io.rtpm.engine;
