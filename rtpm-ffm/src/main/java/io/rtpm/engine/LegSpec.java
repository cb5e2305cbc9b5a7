package io.rtpm.engine;

import java.net.InetSocketAddress;
import java.util.Objects;

import io.rtpm.rtp.PayloadClockRates;

/**
 * What one leg of a call is: where its peer is (if known), how the engine learns and filters its
 * source, whether it is on hold, and which payload types pass. Immutable; made by
 * {@link #builder()}, changed by {@link #toBuilder()} and {@link Call#update(int, LegSpec)}.
 *
 * <p>The defaults are rtpengine's: delayed endpoint learning, no strict source, no media
 * handover, RTCP on RTP port + 1, every payload type passes.
 */
public final class LegSpec {

    private final InetSocketAddress remote;
    private final InetSocketAddress rtcpRemote;
    private final EndpointLearning learning;
    private final boolean strictSource;
    private final boolean mediaHandover;
    private final boolean rtcpMux;
    private final boolean sending;
    private final boolean payloadTypeFilter;
    private final PayloadTypes payloadTypes;
    private final PayloadTypes offeredPayloadTypes;
    private final PayloadClockRates clockRates;
    private final int peer;

    private LegSpec(Builder b) {
        this.remote = b.remote;
        this.rtcpRemote = b.rtcpRemote;
        this.learning = b.learning;
        this.strictSource = b.strictSource;
        this.mediaHandover = b.mediaHandover;
        this.rtcpMux = b.rtcpMux;
        this.sending = b.sending;
        this.payloadTypeFilter = b.payloadTypeFilter;
        this.payloadTypes = b.payloadTypes;
        this.offeredPayloadTypes = b.offeredPayloadTypes;
        this.clockRates = b.clockRates;
        this.peer = b.peer;
    }

    /** @return a builder with rtpengine's defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this spec's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.remote = remote;
        b.rtcpRemote = rtcpRemote;
        b.learning = learning;
        b.strictSource = strictSource;
        b.mediaHandover = mediaHandover;
        b.rtcpMux = rtcpMux;
        b.sending = sending;
        b.payloadTypeFilter = payloadTypeFilter;
        b.payloadTypes = payloadTypes;
        b.offeredPayloadTypes = offeredPayloadTypes;
        b.clockRates = clockRates;
        b.peer = peer;
        return b;
    }

    /** @return where the peer's RTP is sent before a source is learned (the SDP address), or null */
    public InetSocketAddress remote() {
        return remote;
    }

    /** @return where its RTCP goes before learned; null: {@link #remote()} port + 1, or the RTP remote with rtcp-mux */
    public InetSocketAddress rtcpRemote() {
        return rtcpRemote;
    }

    /** @return the endpoint-learning algorithm */
    public EndpointLearning learning() {
        return learning;
    }

    /** @return whether packets from other sources than the (given or learned) endpoint are dropped and counted */
    public boolean strictSource() {
        return strictSource;
    }

    /** @return whether a new source re-learns the endpoint at any time (rtpengine's media handover) */
    public boolean mediaHandover() {
        return mediaHandover;
    }

    /** @return whether RTCP shares the RTP port (RFC 5761); otherwise it uses RTP port + 1 */
    public boolean rtcpMux() {
        return rtcpMux;
    }

    /** @return whether this leg's media is forwarded; false holds this direction (its packets count as {@link DropCause#HELD}) */
    public boolean sending() {
        return sending;
    }

    /** @return whether only {@link #payloadTypes()} and {@link #offeredPayloadTypes()} pass (off by default, as in rtpengine) */
    public boolean payloadTypeFilter() {
        return payloadTypeFilter;
    }

    /** @return the negotiated payload types */
    public PayloadTypes payloadTypes() {
        return payloadTypes;
    }

    /** @return the types of a re-offer not yet answered: they pass beside the negotiated ones */
    public PayloadTypes offeredPayloadTypes() {
        return offeredPayloadTypes;
    }

    /** @return each payload type's clock rate, for jitter; a type without one gets no jitter */
    public PayloadClockRates clockRates() {
        return clockRates;
    }

    /** @return the index of the leg this one's media goes to, or -1 for the default pairing (0 with 1, 2 with 3, ...) */
    public int peer() {
        return peer;
    }

    @Override
    public String toString() {
        return "LegSpec[remote=" + remote + ", learning=" + learning + ", strict=" + strictSource
                + ", handover=" + mediaHandover + ", mux=" + rtcpMux + ", sending=" + sending
                + (payloadTypeFilter ? ", pt=" + payloadTypes + "+" + offeredPayloadTypes : "") + "]";
    }

    /** Builds a {@link LegSpec}; every setter returns the builder. */
    public static final class Builder {
        private InetSocketAddress remote;
        private InetSocketAddress rtcpRemote;
        private EndpointLearning learning = EndpointLearning.DELAYED;
        private boolean strictSource;
        private boolean mediaHandover;
        private boolean rtcpMux;
        private boolean sending = true;
        private boolean payloadTypeFilter;
        private PayloadTypes payloadTypes = PayloadTypes.NONE;
        private PayloadTypes offeredPayloadTypes = PayloadTypes.NONE;
        private PayloadClockRates clockRates = PayloadClockRates.rfc3551();
        private int peer = -1;

        private Builder() {
        }

        /** @param remote where to send before learning (resolved), or null for "learn it" */
        public Builder remote(InetSocketAddress remote) {
            if (remote != null && remote.isUnresolved()) {
                throw new IllegalArgumentException("remote " + remote + " is unresolved: pass an address");
            }
            this.remote = remote;
            return this;
        }

        /** @param rtcpRemote where RTCP goes before learning (SDP a=rtcp), or null for the default */
        public Builder rtcpRemote(InetSocketAddress rtcpRemote) {
            if (rtcpRemote != null && rtcpRemote.isUnresolved()) {
                throw new IllegalArgumentException("RTCP remote " + rtcpRemote + " is unresolved: pass an address");
            }
            this.rtcpRemote = rtcpRemote;
            return this;
        }

        /** @param learning the endpoint-learning algorithm */
        public Builder learning(EndpointLearning learning) {
            this.learning = Objects.requireNonNull(learning, "learning");
            return this;
        }

        /** @param on drop packets from other sources */
        public Builder strictSource(boolean on) {
            this.strictSource = on;
            return this;
        }

        /** @param on re-learn on a new source at any time */
        public Builder mediaHandover(boolean on) {
            this.mediaHandover = on;
            return this;
        }

        /** @param on RTCP on the RTP port (RFC 5761) */
        public Builder rtcpMux(boolean on) {
            this.rtcpMux = on;
            return this;
        }

        /** @param on forward this leg's media (false: hold this direction) */
        public Builder sending(boolean on) {
            this.sending = on;
            return this;
        }

        /**
         * Turns the payload-type filter on with these negotiated types.
         *
         * @param types the types that pass
         */
        public Builder payloadTypes(PayloadTypes types) {
            this.payloadTypeFilter = true;
            this.payloadTypes = Objects.requireNonNull(types, "types");
            return this;
        }

        /** @param types a pending re-offer's types, passing beside the negotiated ones until the next update */
        public Builder offeredPayloadTypes(PayloadTypes types) {
            this.offeredPayloadTypes = Objects.requireNonNull(types, "types");
            return this;
        }

        /** @param on whether the filter applies at all */
        public Builder payloadTypeFilter(boolean on) {
            this.payloadTypeFilter = on;
            return this;
        }

        /** @param rates clock rates for jitter (from a=rtpmap) */
        public Builder clockRates(PayloadClockRates rates) {
            this.clockRates = Objects.requireNonNull(rates, "rates");
            return this;
        }

        /** @param leg the index of the leg this one's media goes to, -1 for the default pairing */
        public Builder peer(int leg) {
            if (leg < -1) {
                throw new IllegalArgumentException("peer leg " + leg + " is not an index (or -1)");
            }
            this.peer = leg;
            return this;
        }

        /** @return the spec */
        public LegSpec build() {
            return new LegSpec(this);
        }
    }
}
