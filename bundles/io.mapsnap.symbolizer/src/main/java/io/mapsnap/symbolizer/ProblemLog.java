package io.mapsnap.symbolizer;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logs why something could not be symbolized, once per subject (a file, the perf map of a process, kallsyms), so
 * a profile of a million samples in one stripped binary logs one line. The set of subjects is bounded: when full
 * it starts over, so a subject may then be reported again.
 */
final class ProblemLog {
    private static final int MAX_SUBJECTS = 4096;

    private final System.Logger logger;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    ProblemLog(System.Logger logger) {
        this.logger = logger;
    }

    /** Logs {@code problem} unless {@code subject} was reported already; returns whether it logged. */
    boolean once(String subject, String problem) {
        if (reported.size() >= MAX_SUBJECTS) {
            reported.clear();
        }
        if (!reported.add(subject)) {
            return false;
        }
        logger.log(Level.INFO, "cannot symbolize {0}: {1}", subject, problem);
        return true;
    }

    boolean reported(String subject) {
        return reported.contains(subject);
    }
}
