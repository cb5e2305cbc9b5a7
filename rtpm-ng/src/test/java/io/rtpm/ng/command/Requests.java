package io.rtpm.ng.command;

import io.rtpm.ng.bencode.BencodeDictionary;
import io.rtpm.ng.bencode.BencodeInteger;
import io.rtpm.ng.bencode.BencodeList;
import io.rtpm.ng.bencode.BencodeString;
import io.rtpm.ng.bencode.BencodeValue;

/** Builds request dictionaries for the tests: values are strings, Longs, or String[] lists. */
final class Requests {

    static final String SDP = "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\n"
            + "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    private Requests() {
    }

    static BencodeDictionary of(Object... keyValues) {
        BencodeDictionary.Builder b = BencodeDictionary.builder();
        for (int i = 0; i < keyValues.length; i += 2) {
            b.put((String) keyValues[i], value(keyValues[i + 1]));
        }
        return b.build();
    }

    static BencodeValue value(Object v) {
        return switch (v) {
            case String s -> BencodeString.of(s);
            case Long l -> new BencodeInteger(l);
            case Integer n -> new BencodeInteger(n);
            case String[] items -> {
                BencodeValue[] vs = new BencodeValue[items.length];
                for (int i = 0; i < items.length; i++) {
                    vs[i] = BencodeString.of(items[i]);
                }
                yield BencodeList.of(vs);
            }
            case BencodeValue bv -> bv;
            default -> throw new IllegalArgumentException(v.toString());
        };
    }

    /** An offer with the keys every offer needs, then {@code more}. */
    static BencodeDictionary offer(Object... more) {
        Object[] base = {"command", "offer", "call-id", "c1@host", "from-tag", "ft1", "sdp", SDP};
        Object[] all = new Object[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return of(all);
    }
}
