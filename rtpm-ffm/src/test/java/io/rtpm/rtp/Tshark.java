package io.rtpm.rtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs tshark (the reference decoder of the fixture tests) and returns its standard output. */
public final class Tshark {

    private Tshark() {
    }

    /**
     * Runs {@code tshark args...}.
     *
     * @param args the arguments
     * @return stdout, line by line
     * @throws IOException if tshark is missing, fails or hangs, with what to do
     * @throws InterruptedException if interrupted while waiting
     */
    public static List<String> run(String... args) throws IOException, InterruptedException {
        final List<String> cmd = new ArrayList<>();
        cmd.add("tshark");
        cmd.addAll(List.of(args));
        final Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IOException("tshark is needed by the RTP fixture tests and is not installed:"
                    + " run scripts/setup-host (as root) or apt-get install tshark", e);
        }
        final byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("tshark did not finish within 120 s: " + cmd);
        }
        if (p.exitValue() != 0) {
            throw new IOException("tshark exited with " + p.exitValue() + ": " + cmd);
        }
        return new String(out, StandardCharsets.UTF_8).lines().toList();
    }
}
