package io.rtpm.ng.command;

import io.rtpm.ng.bencode.BencodeInteger;
import io.rtpm.ng.bencode.BencodeList;
import io.rtpm.ng.bencode.BencodeString;
import io.rtpm.ng.bencode.BencodeValue;
import java.util.ArrayList;
import java.util.List;

/** Reads typed values out of a request's entries, with errors that name the key. */
final class Values {

    private Values() {
    }

    /** @return a string value, one char per byte */
    static String text(BencodeValue v, String key) throws NgRefusal {
        if (v instanceof BencodeString s) {
            return s.latin1();
        }
        throw new NgRefusal("key '" + key + "' must be a string, not " + v.aKind());
    }

    /** @return an integer, given as one or as a decimal string (as rtpengine's get_int_str reads it) */
    static long integer(BencodeValue v, String key) throws NgRefusal {
        if (v instanceof BencodeInteger i) {
            return i.value();
        }
        if (v instanceof BencodeString s) {
            try {
                return Long.parseLong(s.latin1().strip());
            } catch (NumberFormatException e) {
                throw new NgRefusal("key '" + key + "' must be an integer, not '" + s.latin1() + "'");
            }
        }
        throw new NgRefusal("key '" + key + "' must be an integer, not " + v.aKind());
    }

    /**
     * @return the strings of a list, or of a string split at commas (as rtpengine's
     *         call_ng_flags_list reads one); entries that are not strings are left out with a warning
     */
    static List<String> strings(BencodeValue v, String key, List<String> warnings) throws NgRefusal {
        final ArrayList<String> out = new ArrayList<>();
        if (v instanceof BencodeString s) {
            for (String part : s.latin1().split(",")) {
                if (!part.isEmpty()) {
                    out.add(part);
                }
            }
            return out;
        }
        if (v instanceof BencodeList l) {
            for (BencodeValue item : l.items()) {
                if (item instanceof BencodeString s) {
                    out.add(s.latin1());
                } else {
                    warnings.add(item.aKind() + " in '" + key + "' ignored (strings only)");
                }
            }
            return out;
        }
        throw new NgRefusal("key '" + key + "' must be a list or a string, not " + v.aKind());
    }
}
