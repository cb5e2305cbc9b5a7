package io.rtpm.cli;

import java.util.concurrent.Callable;

import io.rtpm.ffm.RingDevice;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rtpm start}: runs a configured ring. */
@Command(name = "start", mixinStandardHelpOptions = true, versionProvider = Rtpm.Version.class,
        description = "Start a configured ring (idempotent). Packets left READY from an earlier run"
                + " are discarded.")
final class StartCommand implements Callable<Integer> {

    @Mixin
    RingOptions ring;

    @Option(names = "--json", description = "Print the ring's state after it, as rtpm stats --json does.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (RingDevice dev = ring.open()) {
            dev.start(ring.ring);
            spec.commandLine().getOut().println(json ? Report.ringState(dev, ring.ring)
                    : "ring " + ring.ring + " started (" + Describe.backend(dev.backend()) + ")");
        }
        return ExitCodes.OK;
    }
}
