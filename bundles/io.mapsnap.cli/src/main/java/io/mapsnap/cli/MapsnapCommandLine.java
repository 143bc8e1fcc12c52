package io.mapsnap.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.mapsnap.api.capability.KernelCapabilities;
import io.mapsnap.api.profile.ComponentRefusedException;

/**
 * The main thread of the {@code profiler} feature. bnd's launcher registers the command line as the
 * {@code launcher.arguments} property of a service and runs a {@code Callable} registered with
 * {@code main.thread=true} on the JVM's main thread, exiting with the Integer it returns.
 */
@Component(service = Callable.class, property = "main.thread=true")
public final class MapsnapCommandLine implements Callable<Integer> {
    /** Exit status: bad arguments (the usage follows). */
    static final int USAGE = 2;
    /** Exit status: the process named is gone (or never was). */
    static final int PROCESS_GONE = 3;
    /** Exit status: a component the command needs (a named source or collector, the sampler) cannot run here. */
    static final int CANNOT_RUN_HERE = 4;

    private final String[] arguments;
    private final Map<String, Subcommand> subcommands = new LinkedHashMap<>();

    @Activate
    public MapsnapCommandLine(
            @Reference(service = Object.class, target = "(launcher.arguments=*)") Map<String, Object> launcher,
            @Reference KernelCapabilities capabilities,
            BundleContext context) {
        this((String[]) launcher.get("launcher.arguments"), List.of(
                new CapsCommand(capabilities, context),
                new MapsCommand(new VmaSourceSelector(context)),
                new ProfileCommand(context)));
    }

    MapsnapCommandLine(String[] arguments, List<Subcommand> commands) {
        this.arguments = arguments.clone();
        for (Subcommand c : commands) {
            subcommands.put(c.name(), c);
        }
    }

    @Override
    public Integer call() {
        return run(System.out, System.err);
    }

    int run(PrintStream out, PrintStream err) {
        if (arguments.length == 0 || arguments[0].equals("help") || arguments[0].equals("--help")) {
            usage(arguments.length == 0 ? err : out);
            return arguments.length == 0 ? USAGE : 0;
        }
        Subcommand command = subcommands.get(arguments[0]);
        if (command == null) {
            err.println("mapsnap: unknown subcommand '" + arguments[0] + "'");
            usage(err);
            return USAGE;
        }
        try {
            return command.run(Arrays.asList(arguments).subList(1, arguments.length), out, err);
        } catch (UsageException e) {
            err.println("mapsnap: " + e.getMessage());
            usage(err);
            return USAGE;
        } catch (CannotRunHereException | ComponentRefusedException e) {
            err.println("mapsnap " + command.name() + ": " + e.getMessage());
            return CANNOT_RUN_HERE;
        } catch (Exception e) {
            // One line for the user; the full trace only when asked for.
            err.println("mapsnap " + command.name() + ": " + (e.getMessage() != null ? e.getMessage() : e));
            if (Boolean.getBoolean("mapsnap.debug")) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    private void usage(PrintStream s) {
        s.println("usage: mapsnap SUBCOMMAND [ARGS]");
        for (Subcommand c : subcommands.values()) {
            s.println("  " + c.synopsis());
        }
        s.println("  test                     run the whole test suite (handled by the ./mapsnap script)");
        s.println("set -Dmapsnap.debug=true (MAPSNAP_DEBUG=1) for stack traces");
    }
}
