/**
 * The {@code rtpm} command (picocli): {@link io.rtpm.cli.Rtpm} is the entry point; one class per
 * subcommand ({@code *Command}), shared ring options ({@code RingOptions}), exit codes in
 * {@link io.rtpm.cli.ExitCodes}, output formats in {@code Report} (text, NDJSON, Prometheus).
 */
package io.rtpm.cli;
