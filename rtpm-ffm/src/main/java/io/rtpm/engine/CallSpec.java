package io.rtpm.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A call to add: its id and its legs, in order (leg 0 is usually the A side, leg 1 the B side).
 * Made by {@link #builder(String)}.
 */
public final class CallSpec {

    private final String id;
    private final List<LegSpec> legs;
    private final boolean awaitingAnswer;

    private CallSpec(Builder b) {
        this.id = b.id;
        this.legs = List.copyOf(b.legs);
        this.awaitingAnswer = b.awaitingAnswer;
    }

    /**
     * @param id the call's id (e.g. the SIP Call-ID), unique within the engine
     * @return a builder
     */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** @return the id */
    public String id() {
        return id;
    }

    /** @return the legs, in order */
    public List<LegSpec> legs() {
        return legs;
    }

    /** @return whether the call is an offer waiting for its answer ({@link EngineConfig#offerTimeout()} applies) */
    public boolean awaitingAnswer() {
        return awaitingAnswer;
    }

    /** Builds a {@link CallSpec}. */
    public static final class Builder {
        private final String id;
        private final List<LegSpec> legs = new ArrayList<>();
        private boolean awaitingAnswer;

        private Builder(String id) {
            Objects.requireNonNull(id, "id");
            if (id.isEmpty() || id.length() > 255) {
                throw new IllegalArgumentException("call id must be 1..255 characters, not " + id.length());
            }
            this.id = id;
        }

        /** @param leg the next leg */
        public Builder leg(LegSpec leg) {
            legs.add(Objects.requireNonNull(leg, "leg"));
            return this;
        }

        /** @param on whether it waits for an answer ({@link Call#answered()} ends the wait) */
        public Builder awaitingAnswer(boolean on) {
            this.awaitingAnswer = on;
            return this;
        }

        /** @return the spec; its legs' peers are checked here */
        public CallSpec build() {
            if (legs.isEmpty() || legs.size() > 16) {
                throw new IllegalArgumentException("call " + id + " has " + legs.size() + " legs: give 1..16");
            }
            for (int i = 0; i < legs.size(); i++) {
                int p = legs.get(i).peer();
                if (p >= legs.size() || p == i) {
                    throw new IllegalArgumentException("leg " + i + " of call " + id + " names peer " + p
                            + ": it must be another leg of the call, 0.." + (legs.size() - 1));
                }
            }
            return new CallSpec(this);
        }
    }
}
