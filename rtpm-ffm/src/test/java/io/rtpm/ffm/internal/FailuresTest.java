package io.rtpm.ffm.internal;

import org.junit.jupiter.api.Test;

import io.rtpm.ffm.InvalidArgumentException;
import io.rtpm.ffm.InvalidSlotException;
import io.rtpm.ffm.NotAttachedException;
import io.rtpm.ffm.PermissionDeniedException;
import io.rtpm.ffm.RingBusyException;
import io.rtpm.ffm.RingMemoryException;
import io.rtpm.ffm.RingNotConfiguredException;
import io.rtpm.ffm.RingStoppedException;
import io.rtpm.ffm.RtpmException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every errno of docs/ABI.md's error table becomes the exception both backends throw. */
class FailuresTest {

    @Test
    void ringErrorsBecomeTheirTypes() {
        assertInstanceOf(RingStoppedException.class, Failures.of("claim", Errno.EPIPE, 0));
        assertInstanceOf(RingNotConfiguredException.class, Failures.of("start", Errno.ENODATA, 0));
        assertInstanceOf(NotAttachedException.class, Failures.of("pop", Errno.ENOTCONN, 0));
        assertInstanceOf(RingBusyException.class, Failures.of("configure", Errno.EBUSY, 0));
        assertInstanceOf(PermissionDeniedException.class, Failures.of("claim", Errno.EPERM, 0));
        assertInstanceOf(InvalidArgumentException.class, Failures.of("attach", Errno.EINVAL, 0));
        assertInstanceOf(RingMemoryException.class, Failures.of("configure", Errno.E2BIG, 0));
        assertInstanceOf(RingMemoryException.class, Failures.of("configure", Errno.ENOSPC, 0));
        assertInstanceOf(RingMemoryException.class, Failures.of("configure", -Errno.ENOMEM, 0));
        RtpmException other = Failures.of("stats", Errno.EFAULT, 3);
        assertEquals(RtpmException.class, other.getClass());
        assertEquals(Errno.EFAULT, other.errno());
        assertEquals("stats: failed (EFAULT)", other.getMessage());
    }

    @Test
    void slotErrorsNameTheSlot() {
        for (int e : new int[] {Errno.ERANGE, Errno.EBADSLT, Errno.EMSGSIZE}) {
            var x = assertInstanceOf(InvalidSlotException.class, Failures.slot("release on ring 2", e, 2, 7));
            assertEquals(7, x.index());
            assertEquals(e, x.errno());
            assertTrue(x.getMessage().startsWith("release on ring 2: slot 7: "), x.getMessage());
        }
        assertInstanceOf(RingStoppedException.class, Failures.slot("push", Errno.EPIPE, 0, 1));
    }

    @Test
    void messagesSayWhatToDo() {
        assertTrue(Failures.of("start ring 4", Errno.ENODATA, 4).getMessage()
                .contains("configure it first (rtpm configure 4"));
        assertTrue(Failures.of("claim on ring 1", Errno.EPIPE, 1).getMessage().contains("start it"));
    }
}
