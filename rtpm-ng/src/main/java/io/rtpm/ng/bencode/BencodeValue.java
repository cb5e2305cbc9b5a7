package io.rtpm.ng.bencode;

/**
 * One bencoded value: a byte string, an integer, a list or a dictionary. Values are immutable and
 * compare by content.
 */
public sealed interface BencodeValue
        permits BencodeString, BencodeInteger, BencodeList, BencodeDictionary {

    /** @return what this kind is called in error messages ("string", "integer", "list", "dictionary") */
    String kind();

    /** @return the kind with its article, for messages: "a list", "an integer" */
    default String aKind() {
        return (this instanceof BencodeInteger ? "an " : "a ") + kind();
    }
}
