package io.rtpm.ffm.kernel;

import org.junit.jupiter.api.Tag;

import io.rtpm.ffm.Backend;
import io.rtpm.ffm.RingContractTest;
import io.rtpm.ffm.RingDevice;


/**
 * The contract suite against the rtp_mgr module. Needs a loaded module, so it runs inside
 * vm-test (tag {@code kernel}, excluded from the host's {@code mvn test}); where the device is
 * missing every test fails with {@link io.rtpm.ffm.DeviceNotFoundException}, never passes. The
 * race of close() against every call is {@link RingContractTest}'s, for both backends.
 */
@Tag("kernel")
class KernelRingContractTest extends RingContractTest {

    @Override
    protected RingDevice openDevice() {
        return RingDevice.open(Backend.KERNEL);
    }

    @Override
    protected Backend expectedBackend() {
        return Backend.KERNEL;
    }
}
