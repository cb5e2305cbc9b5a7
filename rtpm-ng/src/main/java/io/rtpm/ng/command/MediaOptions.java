package io.rtpm.ng.command;

import java.net.InetAddress;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What an offer or answer asks of the media: the SDP and every honoured key and flag. Built by
 * {@link NgRequestParser}.
 *
 * @param sdp               the SDP body, bytes as received
 * @param direction         the interface names for the two sides (0 to 2; empty strings unset)
 * @param label             the label of the side that sent this message
 * @param replaceOrigin     {@code replace: origin}
 * @param receivedFrom      the SIP message's source
 * @param trust             where the media address comes from
 * @param mediaAddress      {@code media address}, overriding SDP and received-from
 * @param addressFamily     the family for the rewritten SDP
 * @param ice               what to do with ICE attributes
 * @param rejectIce         flag {@code reject ICE}
 * @param transportProtocol the m= protocol towards the recipient, if to be changed
 * @param acceptProtocol    {@code transport-protocol: accept} (answer: follow the answer's protocol)
 * @param rtcpMux           the {@code rtcp-mux} options
 * @param strictSource      flag {@code strict source}
 * @param mediaHandover     flag {@code media handover}
 * @param asymmetric        flag {@code asymmetric} (no endpoint learning)
 * @param loopProtect       flag {@code loop protect}
 * @param originalSendrecv  flag {@code original sendrecv}
 * @param loadLimit         the proxy sent {@code supports: [load limit]}
 * @param tos               the TOS for the call's packets, if set
 * @param sipMessageType    Kamailio's {@code sip-message-type}, as sent
 */
public record MediaOptions(byte[] sdp, List<String> direction, Optional<String> label,
        boolean replaceOrigin, Optional<ReceivedFrom> receivedFrom, AddressTrust trust,
        Optional<InetAddress> mediaAddress, Optional<AddressFamily> addressFamily, IceOption ice,
        boolean rejectIce, Optional<TransportProtocol> transportProtocol, boolean acceptProtocol,
        Set<RtcpMuxOption> rtcpMux, boolean strictSource, boolean mediaHandover, boolean asymmetric,
        boolean loopProtect, boolean originalSendrecv, boolean loadLimit, OptionalInt tos,
        Optional<String> sipMessageType) {

    /** Copies the mutable parts. */
    public MediaOptions {
        sdp = sdp.clone();
        direction = List.copyOf(direction);
        rtcpMux = rtcpMux.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(rtcpMux));
    }

    /** @return a copy of the SDP body */
    @Override
    public byte[] sdp() {
        return sdp.clone();
    }

    /** Collects the options while the request is read; every field starts at rtpengine's default. */
    static final class Builder {
        byte[] sdp = new byte[0];
        List<String> direction = List.of();
        Optional<String> label = Optional.empty();
        boolean replaceOrigin;
        Optional<ReceivedFrom> receivedFrom = Optional.empty();
        AddressTrust trust = AddressTrust.TRUST_ADDRESS;
        Optional<InetAddress> mediaAddress = Optional.empty();
        Optional<AddressFamily> addressFamily = Optional.empty();
        IceOption ice = IceOption.DEFAULT;
        boolean rejectIce;
        Optional<TransportProtocol> transportProtocol = Optional.empty();
        boolean acceptProtocol;
        final EnumSet<RtcpMuxOption> rtcpMux = EnumSet.noneOf(RtcpMuxOption.class);
        boolean strictSource;
        boolean mediaHandover;
        boolean asymmetric;
        boolean loopProtect;
        boolean originalSendrecv;
        boolean loadLimit;
        OptionalInt tos = OptionalInt.empty();
        Optional<String> sipMessageType = Optional.empty();

        /** @return the options */
        MediaOptions build() {
            return new MediaOptions(sdp, direction, label, replaceOrigin, receivedFrom, trust, mediaAddress,
                    addressFamily, ice, rejectIce, transportProtocol, acceptProtocol, rtcpMux, strictSource,
                    mediaHandover, asymmetric, loopProtect, originalSendrecv, loadLimit, tos, sipMessageType);
        }
    }
}
