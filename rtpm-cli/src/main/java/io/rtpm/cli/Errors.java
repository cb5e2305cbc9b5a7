package io.rtpm.cli;

import java.io.PrintWriter;

import io.rtpm.ffm.AbiMismatchException;
import io.rtpm.ffm.DeviceNotFoundException;
import io.rtpm.ffm.InvalidArgumentException;
import io.rtpm.ffm.PermissionDeniedException;
import io.rtpm.ffm.RingBusyException;
import io.rtpm.ffm.RingNotConfiguredException;
import io.rtpm.ffm.RtpmException;
import io.rtpm.relay.PortInUseException;
import picocli.CommandLine;

/**
 * Turns a failure into its exit code and one line on stderr; the stack trace only with
 * {@code --verbose}. Installed as picocli's execution-exception handler.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {

    private final Rtpm root;

    Errors(Rtpm root) {
        this.root = root;
    }

    /**
     * @param t a failure
     * @return its exit code
     */
    static int exitCode(Throwable t) {
        return switch (t) {
            case CliException e -> e.exitCode();
            case DeviceNotFoundException e -> ExitCodes.NO_DEVICE;
            case PermissionDeniedException e -> ExitCodes.PERMISSION;
            case AbiMismatchException e -> ExitCodes.ABI_MISMATCH;
            case RingBusyException e -> ExitCodes.RING_BUSY;
            case PortInUseException e -> ExitCodes.PORT_IN_USE;
            case RingNotConfiguredException e -> ExitCodes.NOT_CONFIGURED;
            case InvalidArgumentException e -> ExitCodes.USAGE;
            case IllegalArgumentException e -> ExitCodes.USAGE;
            case RtpmException e -> ExitCodes.RING_ERROR;
            default -> ExitCodes.SOFTWARE;
        };
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        int code = exitCode(ex);
        String msg = ex.getMessage() != null ? ex.getMessage() : ex.getClass().getName();
        if (code == ExitCodes.SOFTWARE) {
            msg = "unexpected " + ex.getClass().getSimpleName() + ": " + msg
                    + (root.verbose ? "" : " (rerun with --verbose for the trace)");
        }
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + msg.replace('\n', ' '));
        if (root.verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** Bad arguments: one line with the hint to --help, exit {@link ExitCodes#USAGE}. */
    static int handleParameterException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        err.println(name + ": " + ex.getMessage().replace('\n', ' ') + " (see '" + name + " --help')");
        err.flush();
        return ExitCodes.USAGE;
    }
}
