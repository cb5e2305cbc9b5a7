package io.rtpm.cli;

import io.rtpm.relay.RtcpMode;
import java.util.Locale;
import picocli.CommandLine;

/** The {@code --rtcp port+1|mux|off} value of stream, send and recv. */
final class RtcpModeConverter implements CommandLine.ITypeConverter<RtcpMode> {
    @Override
    public RtcpMode convert(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "port+1" -> RtcpMode.PORT_PLUS_ONE;
            case "mux" -> RtcpMode.MUX;
            case "off" -> RtcpMode.OFF;
            default -> throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not an RTCP mode: use port+1, mux or off");
        };
    }
}
