package io.rtpm.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 3711 section 3.3.2's replay list: its edges, and a random walk against a plain model. */
class ReplayWindowTest {

    @Test
    void acceptsEachIndexOnceAndNothingOlderThanTheWindow() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.check(1000));
        w.accept(1000);
        assertFalse(w.check(1000), "a replay");
        assertTrue(w.check(1000 - ReplayWindow.SIZE + 1), "the oldest index the window keeps");
        assertFalse(w.check(1000 - ReplayWindow.SIZE), "one older");
        assertTrue(w.check(999));
        w.accept(999);
        assertFalse(w.check(999));
        w.accept(1000 + 64 * 5 + 3); // a jump of several words clears what it passes
        assertTrue(w.check(1000 + 64 * 5 + 3 - 100));
        assertFalse(w.check(1000), "now outside the window");
        assertEquals(1000 + 64 * 5 + 3, w.top());
    }

    @Test
    void agreesWithAPlainModelOnARandomWalk() {
        Random r = new Random(7);
        ReplayWindow w = new ReplayWindow();
        BitSet seen = new BitSet();
        long top = -1;
        for (int i = 0; i < 200_000; i++) {
            long index = Math.max(0, top + r.nextInt(300) - 200);
            boolean fresh = index > top || (top - index < ReplayWindow.SIZE && !seen.get((int) index));
            assertEquals(fresh, w.check(index), "index " + index + " top " + top);
            if (fresh && r.nextInt(4) != 0) { // now and then a packet fails its tag and is not accepted
                w.accept(index);
                seen.set((int) index);
                top = Math.max(top, index);
            }
        }
    }
}
