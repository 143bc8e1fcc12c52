package io.mapsnap.cli;

import java.io.PrintStream;

import io.mapsnap.api.profile.ProfileProgress;

/**
 * The running profile's counters on stderr: rewritten in place on a terminal, a line every five seconds otherwise
 * (so logs stay readable).
 */
final class ProgressLine {
    private final PrintStream err;
    private final boolean terminal;
    private long lastPrintedSecond = -1;
    private boolean open;

    ProgressLine(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    void show(ProfileProgress p) {
        long second = p.elapsed().toSeconds();
        String line = String.format("mapsnap: %3d s  %,9d samples  %,5d processes  %,5d exited captured  %,d drops",
                second, p.samples(), p.processes(), p.exitedCaptured(), p.drops());
        if (terminal) {
            err.print("\r" + line);
            open = true;
        } else if (second / 5 != lastPrintedSecond / 5) {
            err.println(line);
            lastPrintedSecond = second;
        }
    }

    void end() {
        if (open) {
            err.println();
            open = false;
        }
    }
}
