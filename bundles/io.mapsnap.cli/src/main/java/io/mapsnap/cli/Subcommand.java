package io.mapsnap.cli;

import java.io.PrintStream;
import java.util.List;

/** One verb of {@code ./mapsnap}: {@code caps}, {@code maps}, {@code profile}, … */
interface Subcommand {
    String name();

    /** One line for the usage text. */
    String synopsis();

    /** Runs the verb; returns the process exit code (2 for a usage error). */
    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
