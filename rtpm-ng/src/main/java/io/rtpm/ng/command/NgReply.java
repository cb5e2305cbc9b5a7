package io.rtpm.ng.command;

import io.rtpm.ng.bencode.BencodeDictionary;
import java.util.Optional;

/**
 * Reply dictionaries as rtpengine's control_ng.c writes them: {@code result} is {@code ok} (or
 * {@code pong} for ping) with an optional {@code warning}, {@code error} with {@code error-reason}
 * and nothing else, or {@code load limit} with an optional {@code message} when the proxy sent
 * {@code supports: [load limit]}.
 */
public final class NgReply {

    private NgReply() {
    }

    /** @return a builder of a successful reply: {@code result: ok}, and the warnings if any */
    public static BencodeDictionary.Builder ok(Optional<String> warning) {
        final BencodeDictionary.Builder b = BencodeDictionary.builder().put("result", "ok");
        warning.ifPresent(w -> b.put("warning", w));
        return b;
    }

    /** @return {@code result: pong} */
    public static BencodeDictionary pong() {
        return BencodeDictionary.builder().put("result", "pong").build();
    }

    /** @return {@code result: error} with the reason */
    public static BencodeDictionary error(String reason) {
        return BencodeDictionary.builder().put("result", "error").put("error-reason", reason).build();
    }

    /** @return {@code result: load limit} with an explanation */
    public static BencodeDictionary loadLimit(String message) {
        return BencodeDictionary.builder().put("result", "load limit").put("message", message).build();
    }
}
