package io.rtpm.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.rtpm.ffm.DropPolicy;
import io.rtpm.ffm.RingConfig;
import io.rtpm.ffm.RingDevice;
import io.rtpm.ffm.RingInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rtpm configure}: allocates a ring of 2^order slots of max-payload bytes, stopped. */
@Command(name = "configure", mixinStandardHelpOptions = true, versionProvider = Rtpm.Version.class,
        description = "Allocate (or replace) a ring: 2^ORDER slots of MAX-PAYLOAD bytes. It is left"
                + " stopped: run rtpm start, or rtpm stream.")
final class ConfigureCommand implements Callable<Integer> {

    /** Defaults of {@code rtpm stream} on an unconfigured ring. */
    static final int DEFAULT_ORDER = 10;
    static final int DEFAULT_MAX_PAYLOAD = 1500;

    @Mixin
    RingOptions ring;

    @Option(names = "--order", paramLabel = "N", defaultValue = "" + DEFAULT_ORDER,
            description = "log2 of the slot count (default: ${DEFAULT-VALUE}, 1024 slots).")
    int order;

    @Option(names = "--max-payload", paramLabel = "BYTES", defaultValue = "" + DEFAULT_MAX_PAYLOAD,
            description = "Payload bytes per slot: the largest datagram relayed (default: ${DEFAULT-VALUE}).")
    int maxPayload;

    @Option(names = "--drop-policy", paramLabel = "tail|head", defaultValue = "tail",
            converter = DropPolicyConverter.class,
            description = "On a full ring: tail drops the new packet, head recycles the oldest"
                    + " (default: ${DEFAULT-VALUE}).")
    DropPolicy dropPolicy;

    @Option(names = "--no-rtp-tracking", description = "Do not parse pushes as RTP in the ring.")
    boolean noTracking;

    @Option(names = "--json", description = "Print the ring's state after it, as rtpm stats --json does.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (RingDevice dev = ring.open()) {
            checkLimits(dev.info(), order, maxPayload);
            RingConfig c = new RingConfig(ring.ring, order, maxPayload, dropPolicy, !noTracking);
            dev.configure(c);
            if (json) {
                out.println(Report.ringState(dev, ring.ring).put("max_payload", maxPayload)
                        .put("drop_policy", dropPolicy.name().toLowerCase(Locale.ROOT))
                        .put("rtp_tracking", !noTracking));
                return ExitCodes.OK;
            }
            out.println("configured ring " + ring.ring + ": " + c.slotCount() + " slots x " + maxPayload
                    + " B, drop policy " + dropPolicy.name().toLowerCase(Locale.ROOT) + ", stopped ("
                    + Describe.backend(dev.backend()) + ")");
        }
        return ExitCodes.OK;
    }

    /** Rejects order and payload out of the backend's limits with the valid range in the message. */
    static void checkLimits(RingInfo info, int order, int maxPayload) {
        if (order < info.orderMin() || order > info.orderMax()) {
            throw new CliException(ExitCodes.USAGE, "--order " + order + " is out of range: "
                    + info.orderMin() + ".." + info.orderMax() + " (2^order slots)");
        }
        if (maxPayload < info.payloadMin() || maxPayload > info.payloadMax()) {
            throw new CliException(ExitCodes.USAGE, "--max-payload " + maxPayload + " is out of range: "
                    + info.payloadMin() + ".." + info.payloadMax() + " bytes");
        }
    }

    /** Accepts tail and head in any case. */
    static final class DropPolicyConverter implements CommandLine.ITypeConverter<DropPolicy> {
        @Override
        public DropPolicy convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "tail" -> DropPolicy.TAIL;
                case "head" -> DropPolicy.HEAD;
                default -> throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not a drop policy: use tail or head");
            };
        }
    }
}
