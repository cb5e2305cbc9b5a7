package io.rtpm.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** RFC 3711 section 3.3.1 (Appendix A): the index estimate around a sequence number wrap. */
class RolloverCounterTest {

    @Test
    void theFirstPacketStartsTheStreamAtRocZero() {
        RolloverCounter c = new RolloverCounter();
        assertEquals(40_000, c.estimate(40_000));
        c.update(40_000);
        assertEquals(0, c.roc());
    }

    @Test
    void aWrapMovesTheRocAndLatePacketsKeepTheOldOne() {
        RolloverCounter c = new RolloverCounter();
        c.update(65_530);
        assertEquals(1L << 16 | 3, c.estimate(3), "past the wrap: ROC + 1");
        c.update(1L << 16 | 3);
        assertEquals(1, c.roc());
        assertEquals(65_534, c.estimate(65_534), "a late packet from before the wrap: ROC - 1");
        assertEquals(1L << 16 | 30_000, c.estimate(30_000), "ahead by less than half the space");
        assertEquals(40_000, c.estimate(40_000), "more than half the space ahead is behind: ROC - 1");
        c.update(65_534); // older: changes nothing
        assertEquals(1, c.roc());
    }

    @Test
    void nothingBeforeTheStreamStart() {
        RolloverCounter c = new RolloverCounter();
        c.update(10);
        assertEquals(-1, c.estimate(60_000), "ROC - 1 at ROC 0");
    }

    @Test
    void aSetRocStartsTheStreamThere() {
        RolloverCounter c = new RolloverCounter();
        c.start(7);
        assertEquals(7L << 16 | 5, c.estimate(5));
    }
}
