package io.rtpm.ffm.kernel;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rtpm.ffm.Backend;
import io.rtpm.ffm.DeviceNotFoundException;
import io.rtpm.ffm.RingDevice;
import io.rtpm.ffm.RtpmException;
import io.rtpm.ffm.internal.Errno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the kernel backend says when there is no module to talk to (runs on the host). */
class KernelRingDeviceTest {

    @TempDir
    Path dir;

    @Test
    void aMissingNodeMeansTheModuleIsNotLoaded() {
        String node = dir.resolve("rtp_mgr").toString();
        var e = assertThrows(DeviceNotFoundException.class, () -> RingDevice.open(Backend.KERNEL, node));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().contains("module rtp_mgr is not loaded: no " + node), e.getMessage());
        assertTrue(e.getMessage().contains("Backend.SHM"), "offers the user-space ring: " + e.getMessage());
    }

    @Test
    void aNodeThatIsNotTheModuleIsNamedAsSuch() {
        var e = assertThrows(RtpmException.class, () -> KernelRingDevice.open("/dev/null"));
        assertEquals(Errno.ENOTTY, e.errno());
        assertTrue(e.getMessage().contains("not the rtp_mgr module"), e.getMessage());
    }

    @Test
    void autoFallsBackToTheUserSpaceRingWithoutTheNode() {
        String node = dir.resolve("rtp_mgr").toString();
        String before = System.getProperty("rtpm.shm.dir");
        System.setProperty("rtpm.shm.dir", dir.toString());
        try (RingDevice dev = RingDevice.open(Backend.AUTO, node)) {
            assertEquals(Backend.SHM, dev.backend());
            assertFalse(dev.stats(0).configured());
        } finally {
            if (before == null) {
                System.clearProperty("rtpm.shm.dir");
            } else {
                System.setProperty("rtpm.shm.dir", before);
            }
        }
    }
}
