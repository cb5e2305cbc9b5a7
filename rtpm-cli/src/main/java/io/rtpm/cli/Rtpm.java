package io.rtpm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import io.rtpm.ffm.AbiVersion;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code rtpm}: the command line of the rtpm RTP data plane. Subcommands implement
 * {@code Callable<Integer>}; every failure ends as one line on stderr and an exit code from
 * {@link ExitCodes}.
 */
@Command(name = "rtpm", mixinStandardHelpOptions = true, versionProvider = Rtpm.Version.class,
        description = {
            "Low-latency RTP data plane: a ring of RTP packet slots in the kernel (rtp_mgr,"
                    + " /dev/rtp_mgr) or in user space (shared memory), and a relay through it.",
            "",
            "Quick start: rtpm stream --rx 5004 --tx 5006"},
        subcommands = {ConfigureCommand.class, StartCommand.class, StopCommand.class,
            StatsCommand.class, StreamCommand.class, SendCommand.class, RecvCommand.class,
            AutoComplete.GenerateCompletion.class})
public final class Rtpm implements Runnable {

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Print the stack trace of a failure.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a command is needed: configure, start, stop, stats, stream, send or recv");
    }

    /**
     * Builds the command line with its writers, handlers and help sections.
     *
     * @param out standard output (results)
     * @param err standard error (one-line errors)
     * @return the ready command line
     */
    public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
        Rtpm root = new Rtpm();
        CommandLine cmd = new CommandLine(root);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExecutionExceptionHandler(new Errors(root));
        cmd.setParameterExceptionHandler(Errors::handleParameterException);
        Map<String, String> codes = new LinkedHashMap<>();
        for (String line : ExitCodes.HELP_LIST) {
            int colon = line.indexOf(':');
            codes.put(line.substring(0, colon), line.substring(colon + 1));
        }
        apply(cmd, codes);
        CommandLine gen = cmd.getSubcommands().get("generate-completion");
        gen.getCommandSpec().versionProvider(new Version());
        gen.getCommandSpec().usageMessage().hidden(false)
                .description("Print a bash/zsh completion script: source <(rtpm generate-completion)");
        return cmd;
    }

    private static void apply(CommandLine cmd, Map<String, String> codes) {
        cmd.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        for (CommandLine sub : cmd.getSubcommands().values()) {
            apply(sub, codes);
        }
    }

    /**
     * Runs rtpm with the given arguments.
     *
     * @param out standard output
     * @param err standard error
     * @param args the arguments
     * @return the exit code
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return newCommandLine(out, err).execute(args);
    }

    /**
     * The entry point of {@code ./rtpm}.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** --version: this rtpm and the ring ABI it speaks. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"rtpm " + version() + " (rtp_mgr ABI " + AbiVersion.CURRENT + ", Java "
                    + Runtime.version() + ")"};
        }

        static String version() {
            Properties p = new Properties();
            try (InputStream in = Rtpm.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                return "unknown";
            }
            return p.getProperty("version", "unknown");
        }
    }
}
