package io.mapsnap.symbolizer;

import java.time.Duration;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import io.mapsnap.api.symbol.Frame;
import io.mapsnap.api.symbol.Symbolizer;
import io.mapsnap.api.vma.VmaSnapshot;

/**
 * The {@link Symbolizer}: ELF symbols for user code (also of binaries deleted or replaced since, through handles
 * kept by {@link #retain}), perf maps for JIT code, /proc/kallsyms for the kernel. Every cache is bounded and
 * owned by this instance; {@link #deactivate} closes every kept file.
 */
@Component(service = Symbolizer.class, configurationPid = "io.mapsnap.symbolizer")
public final class ElfSymbolizer implements Symbolizer {
    private final UserSymbolizer user;
    private final KernelSymbolizer kernel;

    @Activate
    public ElfSymbolizer(SymbolizerConfiguration configuration) {
        this(SymbolizerSettings.from(configuration));
    }

    ElfSymbolizer(SymbolizerSettings settings) {
        ProblemLog problems = new ProblemLog(System.getLogger(ElfSymbolizer.class.getName()));
        this.user = new UserSymbolizer(settings, problems);
        this.kernel = new KernelSymbolizer(settings.kallsyms(), settings.procModules(),
                settings.kallsymsRefresh().isNegative() ? Duration.ZERO : settings.kallsymsRefresh(), System::nanoTime,
                problems);
    }

    @Deactivate
    void deactivate() {
        user.close();
    }

    @Override
    public void retain(VmaSnapshot snapshot) {
        try {
            user.retain(snapshot);
        } catch (RuntimeException e) {
            // Best effort by contract: a process that vanished mid-way leaves fewer handles, not an error.
        }
    }

    @Override
    public List<Frame> symbolizeUser(VmaSnapshot snapshot, long[] addresses) {
        return user.symbolize(snapshot, addresses);
    }

    @Override
    public Frame symbolizeBuildId(String buildId, long fileOffset, List<VmaSnapshot> process,
            List<VmaSnapshot> others) {
        return user.symbolizeBuildId(buildId, fileOffset, process, others);
    }

    @Override
    public List<Frame> symbolizeKernel(long[] addresses) {
        return kernel.symbolize(addresses);
    }

    /** Handles currently kept open on mapped files. */
    int retainedFiles() {
        return user.retainedFiles();
    }
}
