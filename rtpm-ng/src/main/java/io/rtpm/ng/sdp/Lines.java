package io.rtpm.ng.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads typed views out of lines the parser has already checked. */
final class Lines {

    /** A parse of a value known to be valid. */
    @FunctionalInterface
    interface Parse<T> {
        T apply(String value, int line) throws SdpException;
    }

    private Lines() {
    }

    static <T> T checked(Parse<T> parse, String value) {
        try {
            return parse.apply(value, 0);
        } catch (SdpException e) {
            throw new IllegalStateException("a line the parser accepted no longer parses: " + value, e);
        }
    }

    static SdpLine first(List<SdpLine> lines, char type) {
        for (SdpLine l : lines) {
            if (l.type() == type) {
                return l;
            }
        }
        return null;
    }

    static SdpLine firstAttribute(List<SdpLine> lines, String name) {
        for (SdpLine l : lines) {
            if (l.isAttribute(name)) {
                return l;
            }
        }
        return null;
    }

    /** @return every {@code a=name} attribute's value (after the ':') read by {@code parse} */
    static <T> List<T> attributes(List<SdpLine> lines, String name, Parse<T> parse) {
        final ArrayList<T> out = new ArrayList<>();
        for (SdpLine l : lines) {
            if (l.isAttribute(name)) {
                out.add(checked(parse, l.attributeValue()));
            }
        }
        return out;
    }

    /** @return the first direction attribute among {@code lines} */
    static Optional<MediaDirection> direction(List<SdpLine> lines) {
        for (SdpLine l : lines) {
            final Optional<MediaDirection> d = MediaDirection.of(l);
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    static boolean hasIce(List<SdpLine> lines) {
        for (SdpLine l : lines) {
            if (IceAttributes.is(l)) {
                return true;
            }
        }
        return false;
    }
}
