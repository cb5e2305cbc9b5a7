package io.rtpm.relay.internal;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;

import javax.management.JMException;
import javax.management.ObjectName;

/**
 * When the JIT is done with rtpm's code: what a warm-up waits for before real traffic (the
 * relay's {@code WarmUp} and the engine's). Read through the DiagnosticCommand MBean: the
 * compiler queue ({@code jcmd Compiler.queue}) and the code cache ({@code Compiler.codelist}).
 */
public final class JitQuiet {

    /** How often the compiler queue is looked at while a warm-up waits for it. */
    private static final long COMPILER_POLL_MILLIS = 20;

    private JitQuiet() {
    }

    /** One round of warm-up traffic. */
    @FunctionalInterface
    public interface Round {
        /** @return packets relayed so far, all rounds together */
        int run() throws IOException;
    }

    /**
     * Runs rounds until at least {@code packets} went through and then two rounds in a row
     * ended with the JIT done with rtpm's code, or until the deadline. A round is quiet when no
     * compilation is queued or running (the warm-up's own methods aside) and no code of an
     * {@code io.rtpm} method was installed since the round began. While some are queued it waits
     * instead of running rounds: more traffic would only take the cores from the compiler.
     *
     * <p>The queue is looked at whole, not for rtpm's methods only: while the C2 queue is long,
     * C1 compiles hot methods at tier 2 (counters, no profile) and leaves them there; measured
     * (docs/perf/relay.md, session 6), the ring's lock wrapper {@code ShmRing.run} stayed at tier 2
     * through a warm-up whose queue held only JDK methods at its end, and C2 compiled it 2.6 s
     * into real traffic at 20,000 packets/s, the relay thread waiting behind the compiler thread
     * for 2-4 ms five times. A tier change installs new code, which the code list shows; a long
     * compilation finishing late is why one quiet round is not enough.
     *
     * @param round one round of traffic
     * @param alive false ends the warm-up early (the relay under warm-up stopped)
     * @param packets the least packets to relay in all
     * @param deadline {@link System#nanoTime()} by which to stop
     * @param ownClass the warm-up's class, whose compilations do not count
     * @return packets relayed
     */
    public static int untilQuiet(Round round, BooleanSupplier alive, int packets, long deadline,
            String ownClass) throws IOException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean watchTime = jit != null && jit.isCompilationTimeMonitoringSupported();
        long last = watchTime ? jit.getTotalCompilationTime() : 0;
        int quiet = 0;
        int relayed = 0;
        Set<String> code = rtpmCode(ownClass);
        while (System.nanoTime() < deadline && alive.getAsBoolean()) {
            relayed = round.run();
            Boolean pending = compilationsPending(ownClass);
            boolean roundQuiet;
            if (pending != null) {
                roundQuiet = !pending;
                while (pending == Boolean.TRUE && System.nanoTime() < deadline && sleep(COMPILER_POLL_MILLIS)) {
                    pending = compilationsPending(ownClass);
                }
                Set<String> now = rtpmCode(ownClass);
                if (code != null && now != null && !code.containsAll(now)) {
                    roundQuiet = false; // new code: a tier changed during the round
                }
                code = now;
            } else {
                // no compiler queue to look at: fall back to the compilation time
                long now = watchTime ? jit.getTotalCompilationTime() : 0;
                roundQuiet = now == last;
                last = now;
            }
            quiet = roundQuiet ? quiet + 1 : 0;
            if (relayed >= packets && ((pending == null && !watchTime) || quiet >= 2)) {
                break;
            }
        }
        return relayed;
    }

    /** @return false when interrupted (the flag is kept: the warm-up then ends soon) */
    public static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * @return whether a compilation is queued or running (of any method but the warm-up's own),
     *         or null when the JVM does not tell (no DiagnosticCommand MBean)
     */
    static Boolean compilationsPending(String ownClass) {
        if (!(diagnostic("compilerQueue") instanceof String text)) {
            return null;
        }
        // "Current compiles:" and one queue per compiler; a task is a line naming a Class::method
        for (String line : text.split("\n")) {
            if (line.contains("::") && !line.contains(ownClass)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the compiled code of rtpm's methods, one "id level osr method" entry per piece
     *         (the warm-up's own left out), or null when the JVM does not tell
     */
    static Set<String> rtpmCode(String ownClass) {
        if (!(diagnostic("compilerCodelist") instanceof String text)) {
            return null;
        }
        // lines: compile id, level, osr flag, method, addresses
        Set<String> code = new HashSet<>();
        for (String line : text.split("\n")) {
            String[] f = line.split(" ", 5);
            if (f.length >= 4 && f[3].startsWith("io.rtpm.") && !f[3].startsWith(ownClass)) {
                code.add(f[0] + " " + f[1] + " " + f[2] + " " + f[3]);
            }
        }
        return code;
    }

    /** @return what the DiagnosticCommand operation printed, or null when unavailable */
    private static Object diagnostic(String operation) {
        try {
            return ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), operation,
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException | RuntimeException e) {
            return null;
        }
    }
}
