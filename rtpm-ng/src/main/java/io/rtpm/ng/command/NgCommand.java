package io.rtpm.ng.command;

import java.util.OptionalInt;

/** A parsed ng command, one record per command rtpm serves. */
public sealed interface NgCommand {

    /** @return the command's name as the request spelled it */
    String name();

    /** {@code ping}: answered with {@code result: pong}. */
    record Ping() implements NgCommand {
        @Override
        public String name() {
            return "ping";
        }
    }

    /** {@code offer}: creates or updates a call from the offerer's SDP. */
    record Offer(CallRef call, MediaOptions media) implements NgCommand {
        @Override
        public String name() {
            return "offer";
        }
    }

    /** {@code answer}: completes a call (to-tag required) with the answerer's SDP. */
    record Answer(CallRef call, MediaOptions media) implements NgCommand {
        @Override
        public String name() {
            return "answer";
        }
    }

    /**
     * {@code delete}: call-id and from-tag required.
     *
     * @param call        the call; its to-tag counts only with {@code honourToTag}
     * @param fatal       an unknown call is an error rather than a warning (flag {@code fatal})
     * @param fast        no statistics in the reply (flag {@code fast})
     * @param honourToTag delete only the to-tag's branch (flag {@code to-tag})
     * @param deleteDelay seconds to keep the call, overriding --delete-delay, if given
     */
    record Delete(CallRef call, boolean fatal, boolean fast, boolean honourToTag, OptionalInt deleteDelay)
            implements NgCommand {
        @Override
        public String name() {
            return "delete";
        }
    }

    /** {@code query}: call-id required, from-tag and to-tag optional. */
    record Query(CallRef call) implements NgCommand {
        @Override
        public String name() {
            return "query";
        }
    }

    /** {@code list}: up to {@code limit} call-ids (rtpengine's default 32). */
    record ListCalls(int limit) implements NgCommand {
        /** rtpengine's default limit. */
        public static final int DEFAULT_LIMIT = 32;

        @Override
        public String name() {
            return "list";
        }
    }

    /** {@code statistics}: the service's counters. */
    record Statistics() implements NgCommand {
        @Override
        public String name() {
            return "statistics";
        }
    }
}
