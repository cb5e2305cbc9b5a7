package io.rtpm.cli;

import java.util.concurrent.Callable;

import io.rtpm.ffm.RingDevice;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rtpm stop}: stops a ring; with --unconfigure also frees it. */
@Command(name = "stop", mixinStandardHelpOptions = true, versionProvider = Rtpm.Version.class,
        description = "Stop a ring (idempotent): producers stop, consumers drain what is READY."
                + " A running rtpm stream on it then drains and exits.")
final class StopCommand implements Callable<Integer> {

    @Mixin
    RingOptions ring;

    @Option(names = "--unconfigure", description = "Also free the ring's memory (fails while sessions are attached).")
    boolean unconfigure;

    @Option(names = "--json", description = "Print the ring's state after it, as rtpm stats --json does.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (RingDevice dev = ring.open()) {
            dev.stop(ring.ring);
            String msg = "ring " + ring.ring + " stopped";
            if (unconfigure) {
                dev.unconfigure(ring.ring);
                msg += " and unconfigured";
            }
            spec.commandLine().getOut().println(json ? Report.ringState(dev, ring.ring)
                    : msg + " (" + Describe.backend(dev.backend()) + ")");
        }
        return ExitCodes.OK;
    }
}
