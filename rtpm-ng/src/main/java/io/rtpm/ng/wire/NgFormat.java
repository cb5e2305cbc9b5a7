package io.rtpm.ng.wire;

/** How an ng body is written; a reply uses the request's. */
public enum NgFormat {
    /** A bencoded dictionary: what Kamailio's and OpenSIPS's rtpengine modules send. */
    BENCODE,
    /** A JSON object, which rtpengine accepts on the same port (first byte '{'). */
    JSON
}
