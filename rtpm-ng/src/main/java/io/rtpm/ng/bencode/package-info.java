/**
 * Bencode (BEP 3), as rtpengine's ng protocol uses it: {@link io.rtpm.ng.bencode.BencodeValue}
 * and its four kinds (byte strings, integers, lists, dictionaries), a strict bounded
 * {@link io.rtpm.ng.bencode.BencodeDecoder} whose errors name the offset and the reason, and a
 * {@link io.rtpm.ng.bencode.BencodeEncoder} for replies. Strings are bytes: SDP bodies and cookies
 * pass through unchanged whatever their encoding.
 */
package io.rtpm.ng.bencode;
