/**
 * rtpm-ng: rtpengine's ng control protocol without the media engine: the bencode codec and the
 * datagram framing (bencode or JSON bodies), the typed ng commands with rtpengine's key matching,
 * the reply cache for retransmissions, and the SDP parser and rewriter (see README.md).
 */
module io.rtpm.ng {
    exports io.rtpm.ng.bencode;
    exports io.rtpm.ng.wire;
    exports io.rtpm.ng.cache;
    exports io.rtpm.ng.command;
    exports io.rtpm.ng.sdp;

    requires com.fasterxml.jackson.core;
}
