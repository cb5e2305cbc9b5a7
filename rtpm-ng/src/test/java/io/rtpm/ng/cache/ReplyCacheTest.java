package io.rtpm.ng.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtpm.ng.wire.Cookie;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ReplyCacheTest {

    private final AtomicLong clock = new AtomicLong();
    private final ReplyCache cache = new ReplyCache(Duration.ofSeconds(30), 1000, clock::get);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRetransmissionGetsTheOriginalsReply() throws Exception {
        Cookie c = Cookie.of("1234_5");
        PendingReply run = assertInstanceOf(Lookup.Run.class, cache.lookup(c)).pending();
        CompletableFuture<byte[]> early = assertInstanceOf(Lookup.Replay.class, cache.lookup(c)).reply();
        assertFalse(early.isDone(), "the duplicate waits while the original runs");
        run.complete(b("1234_5 d6:result2:oke"));
        assertArrayEquals(b("1234_5 d6:result2:oke"), early.get(1, TimeUnit.SECONDS));
        CompletableFuture<byte[]> late = assertInstanceOf(Lookup.Replay.class, cache.lookup(c)).reply();
        assertArrayEquals(b("1234_5 d6:result2:oke"), late.getNow(null));
        assertInstanceOf(Lookup.Run.class, cache.lookup(Cookie.of("1234_6")), "another cookie is another command");
    }

    @Test
    void keepsRepliesForThirtySecondsAfterTheyWereMade() {
        Cookie c = Cookie.of("k");
        clock.set(5_000_000_000L);
        ((Lookup.Run) cache.lookup(c)).pending().complete(b("r"));
        clock.addAndGet(Duration.ofSeconds(30).toNanos() - 1);
        assertInstanceOf(Lookup.Replay.class, cache.lookup(c));
        clock.addAndGet(1);
        assertInstanceOf(Lookup.Run.class, cache.lookup(c), "expired after 30 s: the cookie is new again");
        assertEquals(1, cache.size());
    }

    @Test
    void aRunningCommandNeverExpires() {
        Cookie c = Cookie.of("slow");
        PendingReply run = ((Lookup.Run) cache.lookup(c)).pending();
        clock.addAndGet(Duration.ofMinutes(5).toNanos());
        assertInstanceOf(Lookup.Replay.class, cache.lookup(c));
        run.complete(b("r"));
        assertThrows(IllegalStateException.class, () -> run.complete(b("again")));
    }

    @Test
    void anAbandonedCommandWakesItsWaitersAndRunsAgain() {
        Cookie c = Cookie.of("a");
        PendingReply run = ((Lookup.Run) cache.lookup(c)).pending();
        CompletableFuture<byte[]> waiting = ((Lookup.Replay) cache.lookup(c)).reply();
        run.abandon();
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(1, TimeUnit.SECONDS));
        assertInstanceOf(AbandonedReplyException.class, e.getCause());
        assertInstanceOf(Lookup.Run.class, cache.lookup(c));
        assertThrows(IllegalStateException.class, () -> run.complete(b("too late")));
    }

    @Test
    void keepsAtMostMaxEntriesFinishedReplies() {
        ReplyCache small = new ReplyCache(Duration.ofSeconds(30), 2, clock::get);
        for (String k : new String[] {"1", "2", "3"}) {
            ((Lookup.Run) small.lookup(Cookie.of(k))).pending().complete(b(k));
        }
        assertEquals(2, small.size());
        assertInstanceOf(Lookup.Run.class, small.lookup(Cookie.of("1")), "the oldest went early");
        assertInstanceOf(Lookup.Replay.class, small.lookup(Cookie.of("3")));
    }

    /** Kamailio's retransmissions arriving on other worker threads while the original runs. */
    @Test
    void duplicatesOnOtherThreadsWaitAndTheCommandRunsOnce() throws Exception {
        final int threads = 8;
        Cookie c = Cookie.of("9876_1");
        CyclicBarrier start = new CyclicBarrier(threads);
        CountDownLatch duplicatesSeen = new CountDownLatch(threads - 1);
        AtomicInteger runs = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<byte[]>> got = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                got.add(pool.submit(() -> {
                    start.await();
                    switch (cache.lookup(c)) {
                        case Lookup.Run run -> {
                            runs.incrementAndGet();
                            // finish only once every duplicate has arrived and is waiting
                            assertTrue(duplicatesSeen.await(10, TimeUnit.SECONDS));
                            run.pending().complete(b("reply"));
                            return b("reply");
                        }
                        case Lookup.Replay replay -> {
                            assertFalse(replay.reply().isDone());
                            duplicatesSeen.countDown();
                            return replay.reply().get(10, TimeUnit.SECONDS);
                        }
                    }
                }));
            }
            for (Future<byte[]> f : got) {
                assertArrayEquals(b("reply"), f.get(15, TimeUnit.SECONDS));
            }
            assertEquals(1, runs.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theBlockingFormRunsEachCookieOnceAcrossThreadsAndRetriesAfterAFailure() throws Exception {
        final int threads = 6;
        final int cookies = 2_000;
        ConcurrentHashMap<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        ReplyCache cache = new ReplyCache(Duration.ofSeconds(30), cookies, clock::get);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < cookies; i++) {
                        String k = "c" + i;
                        byte[] r = cache.reply(Cookie.of(k), () -> {
                            runs.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
                            return b("r" + k);
                        });
                        assertArrayEquals(b("r" + k), r);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(15, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(cookies, runs.size());
        runs.forEach((k, n) -> assertEquals(1, n.get(), k));

        // a command that throws: the caller sees it, and the next caller runs it again
        Cookie c = Cookie.of("boom");
        assertThrows(IllegalArgumentException.class, () -> cache.reply(c, () -> {
            throw new IllegalArgumentException("engine failure");
        }));
        assertArrayEquals(b("ok"), cache.reply(c, () -> b("ok")));
    }
}
