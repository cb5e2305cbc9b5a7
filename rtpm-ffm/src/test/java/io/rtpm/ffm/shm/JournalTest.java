package io.rtpm.ffm.shm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The undo journal alone: what a step wrote is undone newest first, or kept by its commit. */
class JournalTest {

    private static final long CONTROL = 4096;

    @Test
    void rollbackRestoresEveryWordOfAnUnfinishedStepEvenWrittenTwice() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(CONTROL + 8192, 64);
            m.set(ValueLayout.JAVA_INT, 0, 7);
            m.set(ValueLayout.JAVA_LONG, 8, -1L);
            Journal j = new Journal(m, CONTROL);
            j.put32(0, 8);
            j.put32(0, 9);
            j.put64(8, 42);
            j.add64(8, 1);
            assertEquals(9, m.get(ValueLayout.JAVA_INT, 0));
            assertEquals(43, m.get(ValueLayout.JAVA_LONG, 8));
            // what a process taking over from a dead writer sees: a fresh Journal on the same memory
            assertEquals(4, new Journal(m, CONTROL).rollback());
            assertEquals(7, m.get(ValueLayout.JAVA_INT, 0));
            assertEquals(-1L, m.get(ValueLayout.JAVA_LONG, 8));
            assertEquals(0, new Journal(m, CONTROL).rollback(), "a rollback leaves nothing to undo");
        }
    }

    @Test
    void commitKeepsTheStepAndEmptiesTheJournal() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(CONTROL + 8192, 64);
            Journal j = new Journal(m, CONTROL);
            j.put32(4, 5);
            j.put32(4, 5); // unchanged words are not journaled
            j.commit();
            assertEquals(0, m.get(ValueLayout.JAVA_INT, CONTROL + ShmLayout.C_JOURNAL_COUNT));
            assertEquals(0, new Journal(m, CONTROL).rollback());
            assertEquals(5, m.get(ValueLayout.JAVA_INT, 4));
        }
    }

    @Test
    void aStepThatWouldOverflowTheJournalFailsLoudly() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(CONTROL + 8192, 64);
            Journal j = new Journal(m, CONTROL);
            for (int i = 0; i < ShmLayout.JOURNAL_CAPACITY; i++) {
                j.put32(4L * i, i + 1);
            }
            assertThrows(IllegalStateException.class, () -> j.put32(4L * ShmLayout.JOURNAL_CAPACITY, 1));
            j.rollback();
            for (int i = 0; i < ShmLayout.JOURNAL_CAPACITY; i++) {
                assertEquals(0, m.get(ValueLayout.JAVA_INT, 4L * i));
            }
        }
    }
}
