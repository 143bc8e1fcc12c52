package io.mapsnap.symbolizer;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the symbolizer reads and how much of it it keeps; the component builds it from its configuration,
 * tests point the paths at files they wrote.
 *
 * @param procRoot /proc
 * @param perfMapDirectory where perf-PID.map files are looked for
 * @param debugDirectory root of separate debug files
 * @param kallsyms the kernel symbol list
 * @param procModules the module list with module extents
 * @param retainedFiles open handles kept on mapped files
 * @param cachedModules parsed files kept
 * @param perfMapMaxBytes largest perf map read
 * @param perfMapMaxLines most perf map lines read
 * @param kallsymsRefresh least time between kallsyms reloads
 * @param limits bounds on what one ELF file may make us allocate
 */
record SymbolizerSettings(Path procRoot, Path perfMapDirectory, Path debugDirectory, Path kallsyms, Path procModules,
        int retainedFiles, int cachedModules, long perfMapMaxBytes, int perfMapMaxLines, Duration kallsymsRefresh,
        ElfLimits limits) {

    static SymbolizerSettings defaults() {
        return new SymbolizerSettings(Path.of("/proc"), Path.of("/tmp"), Path.of("/usr/lib/debug"),
                Path.of("/proc/kallsyms"), Path.of("/proc/modules"), 256, 64, 64L << 20, 4_000_000,
                Duration.ofSeconds(5), ElfLimits.DEFAULT);
    }

    static SymbolizerSettings from(SymbolizerConfiguration c) {
        SymbolizerSettings d = defaults();
        return new SymbolizerSettings(d.procRoot(), Path.of(c.perfMapDirectory()), Path.of(c.debugDirectory()),
                d.kallsyms(), d.procModules(), Math.max(1, c.retainedFiles()), Math.max(1, c.cachedModules()),
                c.perfMapMaxBytes(), d.perfMapMaxLines(), Duration.ofSeconds(Math.max(0, c.kallsymsRefreshSeconds())),
                d.limits());
    }

    SymbolizerSettings withPerfMapDirectory(Path directory) {
        return new SymbolizerSettings(procRoot, directory, debugDirectory, kallsyms, procModules, retainedFiles,
                cachedModules, perfMapMaxBytes, perfMapMaxLines, kallsymsRefresh, limits);
    }

    SymbolizerSettings withDebugDirectory(Path directory) {
        return new SymbolizerSettings(procRoot, perfMapDirectory, directory, kallsyms, procModules, retainedFiles,
                cachedModules, perfMapMaxBytes, perfMapMaxLines, kallsymsRefresh, limits);
    }

    SymbolizerSettings withPerfMapMaxBytes(long maxBytes) {
        return new SymbolizerSettings(procRoot, perfMapDirectory, debugDirectory, kallsyms, procModules, retainedFiles,
                cachedModules, maxBytes, perfMapMaxLines, kallsymsRefresh, limits);
    }

    SymbolizerSettings withCachedModules(int count) {
        return new SymbolizerSettings(procRoot, perfMapDirectory, debugDirectory, kallsyms, procModules, retainedFiles,
                count, perfMapMaxBytes, perfMapMaxLines, kallsymsRefresh, limits);
    }
}
