package io.rtpm.ng.command;

/** Where a leg's media address comes from, as rtpengine decides it (media-address overrides both). */
public enum AddressTrust {
    /** The SDP's c= and m= (rtpengine's default, flag {@code trust address}). */
    TRUST_ADDRESS,
    /** The SIP message's source ({@code received-from}), flag {@code SIP source address}. */
    SIP_SOURCE_ADDRESS
}
