package io.rtpm.ng.command;

/** The {@code ICE} key's honoured values; force, force-relay and optional are refused. */
public enum IceOption {
    /** No ICE key, or {@code default}: rtpm does not speak ICE, so ICE attributes go as with remove. */
    DEFAULT,
    /** {@code remove}: strip every ICE attribute from the SDP. */
    REMOVE
}
