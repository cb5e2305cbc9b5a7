/**
 * The rtpm command line: configure, start, stop and watch rings, relay RTP through them
 * ({@code rtpm stream}), and generate ({@code rtpm send}) or sink ({@code rtpm recv}) RTP.
 * Run it through the ./rtpm launcher; main class {@link io.rtpm.cli.Rtpm}.
 */
module io.rtpm.cli {
    requires io.rtpm.ffm;
    requires info.picocli;
    requires jdk.httpserver;

    // picocli fills the @Option fields reflectively
    opens io.rtpm.cli to info.picocli;
}
