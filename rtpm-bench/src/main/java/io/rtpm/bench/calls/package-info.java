/**
 * The engine as the relay under test of the many-calls benchmark (rtpm-bench/calls-load):
 * {@link io.rtpm.bench.calls.EngineCalls}.
 */
package io.rtpm.bench.calls;
