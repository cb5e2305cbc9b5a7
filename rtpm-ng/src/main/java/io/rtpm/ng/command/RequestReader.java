package io.rtpm.ng.command;

import io.rtpm.ng.bencode.BencodeDictionary;
import io.rtpm.ng.bencode.BencodeList;
import io.rtpm.ng.bencode.BencodeString;
import io.rtpm.ng.bencode.BencodeValue;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/** Reads one request's keys and flags into fields, collecting warnings. One per request. */
final class RequestReader {

    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    final List<String> warnings = new ArrayList<>();
    final MediaOptions.Builder media = new MediaOptions.Builder();
    String callId;
    String fromTag;
    String toTag;
    String viaBranch;
    boolean sdpGiven;
    boolean fatal;
    boolean fast;
    boolean honourToTag;
    OptionalInt deleteDelay = OptionalInt.empty();
    int limit = NgCommand.ListCalls.DEFAULT_LIMIT;
    private final String[] direction = {"", ""};

    void key(NgKey key, String spelling, BencodeValue v) throws NgRefusal {
        switch (key) {
            case CALL_ID -> callId = Values.text(v, spelling);
            case FROM_TAG -> fromTag = Values.text(v, spelling);
            case TO_TAG -> toTag = Values.text(v, spelling);
            case VIA_BRANCH -> viaBranch = Values.text(v, spelling);
            case SDP -> {
                if (!(v instanceof BencodeString s)) {
                    throw new NgRefusal("key 'sdp' must be a string, not " + v.aKind());
                }
                media.sdp = s.bytes();
                sdpGiven = true;
            }
            case FLAGS -> {
                for (String f : Values.strings(v, spelling, warnings)) {
                    flag(f);
                }
            }
            case REPLACE -> {
                for (String s : Values.strings(v, spelling, warnings)) {
                    ValueRules.replace(s, media, warnings);
                }
            }
            case DIRECTION -> direction(Values.strings(v, spelling, warnings));
            case FROM_INTERFACE -> direction[0] = Values.text(v, spelling);
            case TO_INTERFACE -> direction[1] = Values.text(v, spelling);
            case LABEL -> media.label = Optional.of(Values.text(v, spelling));
            case DELETE_DELAY -> deleteDelay = OptionalInt.of((int) bounded(v, spelling, 0, Integer.MAX_VALUE));
            case RECEIVED_FROM -> receivedFrom(v, spelling);
            case ICE -> {
                for (String s : Values.strings(v, spelling, warnings)) {
                    ValueRules.ice(s, media, warnings);
                }
            }
            case TRANSPORT_PROTOCOL -> ValueRules.transportProtocol(Values.text(v, spelling), media, warnings);
            case RTCP_MUX -> {
                for (String s : Values.strings(v, spelling, warnings)) {
                    ValueRules.rtcpMux(s, media, warnings);
                }
            }
            case MEDIA_ADDRESS -> media.mediaAddress = Optional.of(address(Values.text(v, spelling), spelling));
            case ADDRESS_FAMILY -> {
                final String s = Values.text(v, spelling);
                media.addressFamily = AddressFamily.of(s);
                if (media.addressFamily.isEmpty()) {
                    warnings.add("address-family '" + s + "' ignored (IP4 or IP6)");
                }
            }
            case SUPPORTS -> {
                for (String s : Values.strings(v, spelling, warnings)) {
                    ValueRules.supports(s, media, warnings);
                }
            }
            case SIP_MESSAGE_TYPE -> media.sipMessageType = Optional.of(Values.text(v, spelling));
            case LIMIT -> limit = (int) bounded(v, spelling, 1, Integer.MAX_VALUE);
            case TOS -> {
                final long tos = Values.integer(v, spelling);
                media.tos = tos >= 0 && tos <= 255 ? OptionalInt.of((int) tos) : OptionalInt.empty();
            }
            case DTLS -> ValueRules.dtls(Values.text(v, spelling), warnings);
            case SDES -> {
                for (String s : Values.strings(v, spelling, warnings)) {
                    ValueRules.sdes(s);
                }
            }
            case CODEC -> codec(v, spelling);
            default -> unsupported(key.spec(), "key '" + spelling + "'");
        }
    }

    void flag(String f) throws NgRefusal {
        final Optional<NgFlag> known = NgFlag.find(f);
        if (known.isPresent()) {
            switch (known.get()) {
                case TRUST_ADDRESS -> media.trust = AddressTrust.TRUST_ADDRESS;
                case SIP_SOURCE_ADDRESS -> media.trust = AddressTrust.SIP_SOURCE_ADDRESS;
                case SYMMETRIC -> media.asymmetric = false;
                case ASYMMETRIC -> media.asymmetric = true;
                case STRICT_SOURCE -> media.strictSource = true;
                case MEDIA_HANDOVER -> media.mediaHandover = true;
                case LOOP_PROTECT -> media.loopProtect = true;
                case REJECT_ICE -> media.rejectIce = true;
                case ORIGINAL_SENDRECV -> media.originalSendrecv = true;
                case FATAL -> fatal = true;
                case FAST -> fast = true;
                case TO_TAG -> honourToTag = true;
                default -> unsupported(known.get().spec(), "flag '" + f + "'");
            }
            return;
        }
        final Optional<NgFlagPrefix.Match> prefixed = NgFlagPrefix.find(f);
        if (prefixed.isEmpty()) {
            warnings.add("unknown flag '" + f + "' ignored");
            return;
        }
        final String value = prefixed.get().value();
        switch (prefixed.get().prefix()) {
            case REPLACE -> ValueRules.replace(value, media, warnings);
            case RTCP_MUX -> ValueRules.rtcpMux(value, media, warnings);
            case SDES -> ValueRules.sdes(value);
            default -> unsupported(prefixed.get().prefix().spec(), "flag '" + f + "'");
        }
    }

    List<String> direction() {
        if (direction[0].isEmpty() && direction[1].isEmpty()) {
            return List.of();
        }
        return List.of(direction[0], direction[1]);
    }

    private void unsupported(OptionSpec spec, String what) throws NgRefusal {
        if (spec.support() == Support.REFUSED) {
            throw new NgRefusal(what + " is not supported: " + spec.note());
        }
        warnings.add(what + " ignored: " + spec.note());
    }

    private void direction(List<String> names) {
        if (names.size() > 2) {
            warnings.add("direction has " + names.size() + " entries: the first two count");
        }
        for (int i = 0; i < Math.min(2, names.size()); i++) {
            direction[i] = names.get(i);
        }
    }

    private void receivedFrom(BencodeValue v, String spelling) throws NgRefusal {
        if (v instanceof BencodeString s) {
            media.receivedFrom = Optional.of(new ReceivedFrom(Optional.empty(), address(s.latin1(), spelling)));
            return;
        }
        if (!(v instanceof BencodeList l) || l.items().size() != 2) {
            throw new NgRefusal("key '" + spelling + "' must be a list of two strings [IP4|IP6, address]");
        }
        final String family = Values.text(l.items().get(0), spelling);
        final Optional<AddressFamily> f = AddressFamily.of(family);
        if (f.isEmpty()) {
            throw new NgRefusal("key '" + spelling + "': address family '" + family + "' is not IP4 or IP6");
        }
        media.receivedFrom = Optional.of(new ReceivedFrom(f, address(Values.text(l.items().get(1), spelling),
                spelling)));
    }

    private void codec(BencodeValue v, String spelling) throws NgRefusal {
        if (!(v instanceof BencodeDictionary d)) {
            throw new NgRefusal("key '" + spelling + "' must be a dictionary, not " + v.aKind());
        }
        for (Map.Entry<BencodeString, BencodeValue> e : d.entries().entrySet()) {
            final String op = e.getKey().latin1();
            switch (op) {
                case "strip", "offer", "except", "ignore" ->
                        warnings.add("codec " + op + " ignored: codecs pass unchanged");
                case "transcode", "accept", "consume", "mask", "set" ->
                        throw new NgRefusal("codec " + op + " is not supported: transcoding is not supported");
                default -> warnings.add("unknown codec operation '" + op + "' ignored");
            }
        }
    }

    private static long bounded(BencodeValue v, String key, long min, long max) throws NgRefusal {
        final long n = Values.integer(v, key);
        if (n < min || n > max) {
            throw new NgRefusal("key '" + key + "' must be " + min + " or more, not " + n);
        }
        return n;
    }

    /**
     * A literal address, IPv4 as a dotted quad or IPv6 (as the ng docs ask); never a name (no DNS
     * on the control path), nor the short IPv4 forms ("10.1") that InetAddress.ofLiteral allows.
     */
    private static InetAddress address(String s, String key) throws NgRefusal {
        try {
            if (s.indexOf(':') < 0 && !DOTTED_QUAD.matcher(s).matches()) {
                throw new IllegalArgumentException(s);
            }
            return InetAddress.ofLiteral(s);
        } catch (IllegalArgumentException e) {
            throw new NgRefusal("key '" + key + "': '" + s + "' is not an IP address");
        }
    }
}
