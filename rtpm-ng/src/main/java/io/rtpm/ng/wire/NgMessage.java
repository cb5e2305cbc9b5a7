package io.rtpm.ng.wire;

import io.rtpm.ng.bencode.BencodeDictionary;

/**
 * One decoded ng datagram.
 *
 * @param cookie the cookie, for the reply and the reply cache
 * @param format how the body was written, and so how to write the reply
 * @param body   the request dictionary
 */
public record NgMessage(Cookie cookie, NgFormat format, BencodeDictionary body) {
}
