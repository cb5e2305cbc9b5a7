package io.rtpm.ng.command;

import io.rtpm.ng.bencode.BencodeDictionary;
import io.rtpm.ng.bencode.BencodeString;
import io.rtpm.ng.bencode.BencodeValue;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an ng request dictionary into a typed {@link NgRequest}, as rtpengine reads it: the
 * {@code command} key (exact spelling) picks the command; every other key is matched by
 * {@link NgKey} (space and dash alike), flags by {@link NgFlag} and {@link NgFlagPrefix}.
 * Unknown keys and flags, and known ones rtpm does not do, become warnings; what rtpm would
 * have to do to keep the call's media but cannot (SRTP, transcoding, ICE termination) is refused,
 * as are missing or ill-typed required keys. Stateless and thread-safe.
 */
public final class NgRequestParser {

    private NgRequestParser() {
    }

    /**
     * @return the command and its warnings
     * @throws NgRefusal with the {@code error-reason} to answer
     */
    public static NgRequest parse(BencodeDictionary body) throws NgRefusal {
        final BencodeValue c = body.get("command").orElseThrow(
                () -> new NgRefusal("Dictionary contains no key \"command\""));
        if (!(c instanceof BencodeString cs)) {
            throw new NgRefusal("key 'command' must be a string, not " + c.aKind());
        }
        final String command = cs.latin1();
        final Optional<NgCommandName> name = NgCommandName.of(command);
        if (name.isEmpty()) {
            throw new NgRefusal(NgCommandName.NOT_SUPPORTED.contains(command)
                    ? "command '" + command + "' is not supported by rtpm"
                    : "Unrecognized command '" + command + "'");
        }
        final RequestReader r = new RequestReader();
        for (Map.Entry<BencodeString, BencodeValue> e : body.entries().entrySet()) {
            final String key = e.getKey().latin1();
            if (key.equals("command")) {
                continue;
            }
            final Optional<NgKey> k = NgKey.find(key);
            if (k.isPresent()) {
                r.key(k.get(), key, e.getValue());
            } else {
                r.warnings.add("unknown key '" + key + "' ignored");
            }
        }
        return new NgRequest(command(name.get(), r), r.warnings);
    }

    private static NgCommand command(NgCommandName name, RequestReader r) throws NgRefusal {
        return switch (name) {
            case PING -> new NgCommand.Ping();
            case OFFER -> new NgCommand.Offer(call(name, r, true, false), media(name, r));
            case ANSWER -> new NgCommand.Answer(call(name, r, true, true), media(name, r));
            case DELETE -> new NgCommand.Delete(call(name, r, true, false), r.fatal, r.fast, r.honourToTag,
                    r.deleteDelay);
            case QUERY -> new NgCommand.Query(call(name, r, false, false));
            case LIST -> new NgCommand.ListCalls(r.limit);
            case STATISTICS -> new NgCommand.Statistics();
        };
    }

    private static CallRef call(NgCommandName name, RequestReader r, boolean needFrom, boolean needTo)
            throws NgRefusal {
        require(name, "call-id", r.callId);
        if (needFrom) {
            require(name, "from-tag", r.fromTag);
        }
        if (needTo) {
            require(name, "to-tag", r.toTag);
        }
        return new CallRef(r.callId, Optional.ofNullable(r.fromTag), Optional.ofNullable(r.toTag),
                Optional.ofNullable(r.viaBranch));
    }

    private static MediaOptions media(NgCommandName name, RequestReader r) throws NgRefusal {
        if (!r.sdpGiven) {
            throw new NgRefusal(name.wire() + " needs key 'sdp'");
        }
        r.media.direction = r.direction();
        return r.media.build();
    }

    private static void require(NgCommandName name, String key, String value) throws NgRefusal {
        if (value == null || value.isEmpty()) {
            throw new NgRefusal(name.wire() + " needs key '" + key + "'");
        }
    }
}
