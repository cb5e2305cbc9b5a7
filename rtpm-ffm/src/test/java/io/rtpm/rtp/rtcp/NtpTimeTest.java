package io.rtpm.rtp.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NtpTimeTest {

    @Test
    void unixEpochIsNtpSecond2208988800() {
        assertEquals(0x83AA7E80_00000000L, NtpTime.fromEpoch(0, 0));
        assertEquals(Instant.EPOCH, NtpTime.toInstant(0x83AA7E80_00000000L));
    }

    @Test
    void halfASecondIsTheFractionsTopBit() {
        assertEquals(0x83AA7E81_80000000L, NtpTime.fromEpoch(1, 500_000_000));
        assertEquals(0x80000000L, NtpTime.fromEpoch(1, 500_000_000) & 0xFFFF_FFFFL);
    }

    @Test
    void knownDate() {
        // 2024-01-01T00:00:00Z: 1704067200 Unix seconds, 3913056000 NTP seconds (0xE93C_7F00)
        assertEquals(0xE93C_7F00_0000_0000L, NtpTime.from(Instant.parse("2024-01-01T00:00:00Z")));
    }

    @Test
    void roundTripLosesLessThanANanosecond() {
        SplittableRandom rnd = new SplittableRandom(0x5eed);
        for (int i = 0; i < 10_000; i++) {
            Instant t = Instant.ofEpochSecond(rnd.nextLong(0, 2_000_000_000L), rnd.nextInt(1_000_000_000));
            Instant back = NtpTime.toInstant(NtpTime.from(t));
            long diff = t.getEpochSecond() * 1_000_000_000L + t.getNano()
                    - (back.getEpochSecond() * 1_000_000_000L + back.getNano());
            assertTrue(diff >= 0 && diff <= 1, () -> t + " came back as " + back);
        }
    }

    @Test
    void rejectsNanosOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> NtpTime.fromEpoch(0, 1_000_000_000));
        assertThrows(IllegalArgumentException.class, () -> NtpTime.fromEpoch(0, -1));
    }
}
