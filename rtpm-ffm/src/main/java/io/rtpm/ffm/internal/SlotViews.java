package io.rtpm.ffm.internal;

import java.lang.foreign.MemorySegment;

import io.rtpm.ffm.RingLayout;
import io.rtpm.ffm.Slot;

/**
 * What both backends' sessions do with a mapped ring's slots: make the views once, when the
 * ring is mapped, and check that a slot handed back is one of them. The views are made per
 * session, so a slot of another session (or ring) is recognised by identity, not by index.
 */
public final class SlotViews {

    private SlotViews() {
    }

    /**
     * @param mapping the whole mapped region
     * @param layout  the ring's layout
     * @return one view per slot, by index
     */
    public static Slot[] over(MemorySegment mapping, RingLayout layout) {
        Slot[] views = new Slot[layout.slotCount()];
        for (int i = 0; i < views.length; i++) {
            views[i] = new Slot(i, mapping.asSlice(layout.slotOffset(i), layout.slotStride()),
                    layout.metaSize(), layout.maxPayload());
        }
        return views;
    }

    /**
     * @param views this session's views
     * @param slot  a slot handed back to it
     * @param op    the call, for the message
     * @param name  the session's ring, for the message
     * @return the slot's index
     * @throws IllegalArgumentException when the slot is not one of {@code views}
     */
    public static int own(Slot[] views, Slot slot, String op, String name) {
        int i = slot.index();
        if (i < 0 || i >= views.length || views[i] != slot) {
            throw new IllegalArgumentException(op + " on " + name + ": slot " + i
                    + " does not belong to this session: use the slots its claim or pop returned");
        }
        return i;
    }
}
