package io.rtpm.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import picocli.CommandLine;

/** Ports and addresses from the command line, with messages that name the bad value. */
final class Addresses {

    private Addresses() {
    }

    /** A UDP/TCP port, 1..65535. */
    static final class Port implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int p;
            try {
                p = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a port number (1..65535)");
            }
            if (p < 1 || p > 65535) {
                throw new CommandLine.TypeConversionException("port " + p + " is not in 1..65535");
            }
            return p;
        }
    }

    /** A host name or address literal, resolved now. */
    static final class Host implements CommandLine.ITypeConverter<InetAddress> {
        @Override
        public InetAddress convert(String value) {
            return host(value);
        }
    }

    /** HOST:PORT, [V6]:PORT, or HOST alone (port 0: any). */
    static final class HostPort implements CommandLine.ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            String host = value;
            int port = 0;
            int close = value.lastIndexOf(']');
            int colon = value.lastIndexOf(':');
            if (value.startsWith("[") && close > 0) {
                host = value.substring(1, close);
                if (close + 1 < value.length()) {
                    if (value.charAt(close + 1) != ':') {
                        throw new CommandLine.TypeConversionException("'" + value + "' is not [ADDRESS]:PORT");
                    }
                    port = new Port().convert(value.substring(close + 2));
                }
            } else if (colon > 0 && value.indexOf(':') == colon) {
                host = value.substring(0, colon);
                port = new Port().convert(value.substring(colon + 1));
            }
            return new InetSocketAddress(host(host), port);
        }
    }

    /**
     * Maps a JDK bind failure to the port-in-use or permission exit codes.
     *
     * @param e the failure
     * @param at what was bound
     * @param what the socket's purpose, for the message
     * @return the exception to throw
     */
    static RuntimeException bindFailure(java.net.BindException e, InetSocketAddress at, String what) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("in use")) {
            return new io.rtpm.relay.PortInUseException("bind the " + what + " socket to " + at, 98, at.getPort());
        }
        if (m.contains("ermission")) {
            return new CliException(ExitCodes.PERMISSION, "bind the " + what + " socket to " + at
                    + ": permission denied: use a port of 1024 or above", e);
        }
        return new CliException(ExitCodes.RING_ERROR, "bind the " + what + " socket to " + at + ": " + m, e);
    }

    static InetAddress host(String value) {
        try {
            return InetAddress.getByName(value.trim());
        } catch (UnknownHostException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a known host or address");
        }
    }
}
