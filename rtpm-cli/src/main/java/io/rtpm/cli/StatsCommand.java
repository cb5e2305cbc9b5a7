package io.rtpm.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import io.rtpm.ffm.RingDevice;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rtpm stats}: a ring's counters, once or every few seconds. */
@Command(name = "stats", mixinStandardHelpOptions = true, versionProvider = Rtpm.Version.class,
        description = "Print a ring's counters (any process may read them while another streams).")
final class StatsCommand implements Callable<Integer> {

    @Mixin
    RingOptions ring;

    @Option(names = "--json", description = "One JSON object per sample (NDJSON).")
    boolean json;

    @Option(names = "--watch", paramLabel = "SECONDS",
            description = "Print again every SECONDS until interrupted (or --count samples).")
    Double watch;

    @Option(names = "--count", paramLabel = "N", description = "With --watch: stop after N samples.")
    Long count;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (watch != null && !(watch > 0 && watch <= 86_400)) {
            throw new CliException(ExitCodes.USAGE, "--watch " + watch + " must be a number of seconds in (0, 86400]");
        }
        if (count != null && count < 1) {
            throw new CliException(ExitCodes.USAGE, "--count " + count + " must be 1 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        long samples = watch == null ? 1 : count == null ? Long.MAX_VALUE : count;
        try (RingDevice dev = ring.open()) {
            long next = System.nanoTime();
            for (long i = 0; i < samples; i++) {
                if (i > 0) {
                    next += (long) (watch * 1e9);
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                if (json) {
                    out.println(Report.ringState(dev, ring.ring));
                } else {
                    Report.ringText(dev.stats(ring.ring)).forEach(out::println);
                }
                out.flush();
            }
        }
        return ExitCodes.OK;
    }
}
