package io.rtpm.ffm.shm;

import io.rtpm.ffm.RingSession;
import io.rtpm.ffm.Role;
import io.rtpm.ffm.Slot;
import io.rtpm.ffm.SlotBatch;

import java.io.File;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The other processes of the cross-process tests, started by {@link #start} with this test
 * classpath. Modes:
 * <ul>
 * <li>{@code produce DIR RING COUNT BATCH}: pushes packets 0..COUNT-1 (see {@link #fill}).</li>
 * <li>{@code consume DIR RING COUNT BATCH}: pops COUNT packets, checks order, length and checksum
 *     of each; prints {@code ok COUNT BYTES} or {@code FAIL ...}.</li>
 * <li>{@code churn DIR RING ROLES SEED}: waits for its roles, then random claims, pushes, pops
 *     and releases until killed; says {@code ready} after a second of that.</li>
 * <li>{@code hold DIR RING}: pops everything READY, says {@code held N}, hangs holding it.</li>
 * <li>{@code stall DIR RING}: takes the ring lock, half-does a step, says {@code stalled}, hangs.</li>
 * </ul>
 * Each mode prints {@code ready} once attached.
 */
public final class ShmChild {

    private ShmChild() {
    }

    /** Starts {@code ShmChild} with these arguments in a new JVM. */
    static Process start(String... args) throws java.io.IOException {
        String cp = codeSource(ShmChild.class) + File.pathSeparator + codeSource(ShmRingDevice.class);
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx64m",
                "-XX:TieredStopAtLevel=1", "-cp", cp, ShmChild.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static String codeSource(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Length of packet {@code n}: 12..267 bytes, varying. */
    static int length(long n) {
        return 12 + (int) ((n * 7919) % 256);
    }

    /** The byte at {@code i} of packet {@code n} (after its 8-byte number). */
    private static byte pattern(long n, int i) {
        return (byte) (n * 31 + i * 7 + (n >>> 8));
    }

    /** Writes packet {@code n} into a payload; returns its length. */
    static int fill(MemorySegment payload, long n) {
        int len = length(n);
        payload.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, n);
        for (int i = 8; i < len; i++) {
            payload.set(ValueLayout.JAVA_BYTE, i, pattern(n, i));
        }
        return len;
    }

    /** FNV-1a over the first {@code len} bytes. */
    static long checksum(MemorySegment payload, int len) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < len; i++) {
            h = (h ^ (payload.get(ValueLayout.JAVA_BYTE, i) & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    public static void main(String[] a) throws Exception {
        ShmRingDevice dev = ShmRingDevice.open(Path.of(a[1]));
        int ring = Integer.parseInt(a[2]);
        switch (a[0]) {
            case "produce" -> produce(dev, ring, Long.parseLong(a[3]), Integer.parseInt(a[4]));
            case "consume" -> consume(dev, ring, Long.parseLong(a[3]), Integer.parseInt(a[4]));
            case "churn" -> churn(dev, ring, a[3], Long.parseLong(a[4]));
            case "stall" -> stall(dev, ring);
            case "hold" -> hold(dev, ring);
            default -> throw new IllegalArgumentException("unknown mode " + a[0]);
        }
        System.out.flush();
    }

    private static void produce(ShmRingDevice dev, int ring, long count, int batch) {
        try (RingSession p = dev.attach(ring, Role.PRODUCER)) {
            System.out.println("ready");
            SlotBatch b = p.newBatch(batch);
            long n = 0;
            while (n < count) {
                int k = p.claim(b, (int) Math.min(batch, count - n), 0);
                if (k == 0) {
                    p.awaitWritable(1, TimeUnit.SECONDS);
                    continue;
                }
                for (int i = 0; i < k; i++) {
                    Slot s = b.get(i);
                    s.length(fill(s.payload(), n));
                    s.userTag(checksum(s.payload(), s.length()));
                    n++;
                }
                p.push(b);
            }
            System.out.println("ok " + n);
        }
    }

    private static void consume(ShmRingDevice dev, int ring, long count, int batch) {
        try (RingSession c = dev.attach(ring, Role.CONSUMER)) {
            System.out.println("ready");
            SlotBatch b = c.newBatch(batch);
            long n = 0;
            long bytes = 0;
            while (n < count) {
                int k = c.pop(b, batch);
                if (k == 0) {
                    c.awaitReadable(1, TimeUnit.SECONDS);
                    continue;
                }
                for (int i = 0; i < k; i++) {
                    Slot s = b.get(i);
                    long got = s.payload().get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
                    long sum = checksum(s.payload(), s.length());
                    if (got != n || s.length() != length(n) || sum != s.userTag()
                            || s.metaLength() != s.length()) {
                        System.out.println("FAIL packet " + n + ": got number " + got + ", length "
                                + s.length() + " (want " + length(n) + "), checksum " + sum
                                + " (tag " + s.userTag() + ")");
                        System.exit(1);
                    }
                    bytes += s.length();
                    n++;
                }
                c.release(b);
            }
            System.out.println("ok " + n + " " + bytes);
        }
    }

    private static void churn(ShmRingDevice dev, int ring, String roles, long seed) {
        java.util.EnumSet<Role> rs = java.util.EnumSet.noneOf(Role.class);
        if (roles.contains("p")) {
            rs.add(Role.PRODUCER);
        }
        if (roles.contains("c")) {
            rs.add(Role.CONSUMER);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        RingSession s;
        while (true) {
            try {
                s = dev.attach(ring, rs);
                break;
            } catch (io.rtpm.ffm.RingBusyException e) {
                // the role's holder has not been killed yet: take it over when it is
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
        SlotBatch claimed = s.newBatch(16);
        SlotBatch popped = s.newBatch(16);
        SlotBatch held = s.newBatch(16);
        SlotBatch hand = s.newBatch(16);
        long n = 0;
        // say ready once warmed up (a cold JVM spends its first second linking native calls)
        long readyAt = System.nanoTime() + 1_000_000_000L;
        boolean ready = false;
        while (true) {
            if (!ready && System.nanoTime() > readyAt) {
                System.out.println("ready");
                System.out.flush();
                ready = true;
            }
            int op = rnd.nextInt(4);
            if (rs.contains(Role.PRODUCER) && op == 0) {
                int k = s.claim(claimed, 1 + rnd.nextInt(16), rnd.nextInt(3));
                hand.clear();
                for (int i = 0; i < k; i++) {
                    Slot x = claimed.get(i);
                    x.payload().set(ValueLayout.JAVA_LONG_UNALIGNED, 0, n++);
                    x.length(8 + rnd.nextInt(200));
                    hand.add(x);
                }
                // push most, abort some
                if (k > 0 && rnd.nextInt(8) == 0) {
                    s.release(hand);
                } else if (k > 0) {
                    s.push(hand);
                }
            } else if (rs.contains(Role.CONSUMER) && op == 1) {
                // hold the last slots popped until more come, so a kill mostly finds some CONSUMED
                int k = s.pop(popped, 1 + rnd.nextInt(4));
                if (k > 0) {
                    s.release(held);
                    SlotBatch t = held;
                    held = popped;
                    popped = t;
                }
            } else if (op == 2 && rnd.nextInt(16) == 0) {
                s.stats();
            } else if (rnd.nextInt(64) != 0) {
                continue;
            } else if (rs.contains(Role.CONSUMER)) {
                s.awaitReadable(rnd.nextInt(2), TimeUnit.MILLISECONDS);
            } else {
                s.awaitWritable(rnd.nextInt(2), TimeUnit.MILLISECONDS);
            }
        }
    }

    private static void hold(ShmRingDevice dev, int ring) throws InterruptedException {
        RingSession c = dev.attach(ring, Role.CONSUMER);
        SlotBatch b = c.newBatch(1024);
        System.out.println("held " + c.pop(b, 1024));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Dies (is killed) in the middle of a step: lock held, journal non-empty, words changed. */
    private static void stall(ShmRingDevice dev, int ring) throws InterruptedException {
        // a bare handle: dies before it even registered its record, the earliest point it can
        ShmHandle h = ShmHandle.open(dev.rings(), dev.rings().path(ring), ring);
        boolean stolen = h.lock.lock(h.token, h);
        if (stolen) {
            h.journal.rollback();
        }
        h.journal.put32(ShmLayout.H_FREE, 12345);
        h.journal.put64(ShmLayout.H_PUSHED, 777);
        h.journal.put32(h.geo.c(ShmLayout.C_FILLING), 99);
        System.out.println("stalled");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
