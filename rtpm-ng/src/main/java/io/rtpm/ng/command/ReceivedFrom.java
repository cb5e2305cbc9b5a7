package io.rtpm.ng.command;

import java.net.InetAddress;
import java.util.Optional;

/**
 * The {@code received-from} key: the SIP message's source, {@code [family, address]} (or only an
 * address, as rtpengine also accepts).
 *
 * @param family  the family as given, if given
 * @param address the address, a literal
 */
public record ReceivedFrom(Optional<AddressFamily> family, InetAddress address) {
}
