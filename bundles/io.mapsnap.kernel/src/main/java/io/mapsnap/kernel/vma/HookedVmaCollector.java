package io.mapsnap.kernel.vma;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.osgi.framework.BundleContext;

import io.mapsnap.api.component.ComponentKind;
import io.mapsnap.api.component.ComponentStatus;
import io.mapsnap.api.vma.CollectedSnapshot;
import io.mapsnap.api.vma.CollectionScope;
import io.mapsnap.api.vma.CollectionSession;
import io.mapsnap.api.vma.VmaCaptureException;
import io.mapsnap.api.vma.VmaCollector;
import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.BpfLoadException;
import io.mapsnap.kernel.bpf.BpfObject;
import io.mapsnap.kernel.bpf.Errno;
import io.mapsnap.kernel.program.ComponentPublication;
import io.mapsnap.kernel.program.ProgramVariant;
import io.mapsnap.kernel.program.VariantRefusedException;
import io.mapsnap.kernel.program.VariantSelection;

/**
 * A {@link VmaCollector} backed by one of the hooked collector objects (kfunc, legacy): the variant is chosen by the
 * kernel, as the first that loads, attaches and walks this very process at one of its system calls; each collection
 * then loads that variant again with the collection's scope (rodata).
 */
public final class HookedVmaCollector implements VmaCollector {
    /** How long the check waits for its walk of this process (which makes system calls all the time). */
    private static final Duration CHECK_WAIT = Duration.ofSeconds(Long.getLong("mapsnap.check.wait.seconds", 10));

    private final String name;
    private final ProgramVariant variant;
    private final int maxVmas;
    private final Duration refreshInterval;

    private HookedVmaCollector(String name, ProgramVariant variant, int maxVmas, Duration refreshInterval) {
        this.name = name;
        this.variant = variant;
        this.maxVmas = maxVmas;
        this.refreshInterval = refreshInterval;
    }

    /**
     * Chooses the first of {@code variants} that runs here and registers it as collector {@code name} with
     * {@code ranking}, beside its {@link ComponentStatus}; registers only the status when none runs.
     */
    public static ComponentPublication publish(BundleContext context, String name, int ranking, int maxVmas,
            Duration refreshInterval, List<ProgramVariant> variants) {
        VariantSelection<HookedVmaCollector> selection = select(name, maxVmas, refreshInterval, variants);
        ComponentStatus status = new ComponentStatus(ComponentKind.COLLECTOR, name, ranking, selection.verdicts());
        return ComponentPublication.publish(context, status, VmaCollector.class, selection.chosen().orElse(null),
                Map.of(VmaCollector.COLLECTOR_PROPERTY, name), null);
    }

    /** The first variant that loads and walks this process at its system calls. */
    public static VariantSelection<HookedVmaCollector> select(String name, int maxVmas, Duration refreshInterval,
            List<ProgramVariant> variants) {
        int self = (int) ProcessHandle.current().pid();
        CollectionScope onlySelf = new CollectionScope(Set.of(self), 0);
        return VariantSelection.firstAccepted(variants,
                (v, o) -> HookedVmaCollection.configure(o, maxVmas, refreshInterval, onlySelf, true),
                (v, o) -> new VariantSelection.Accepted<>(new HookedVmaCollector(name, v, maxVmas, refreshInterval),
                        check(name, o, onlySelf, self)));
    }

    /** Runs the loaded object scoped to this process until it walked it once; closes it either way. */
    private static String check(String name, BpfObject loaded, CollectionScope onlySelf, int self)
            throws VariantRefusedException, BpfException {
        CompletableFuture<CollectedSnapshot> walked = new CompletableFuture<>();
        try (HookedVmaCollection c = HookedVmaCollection.start(name, loaded, onlySelf, walked::complete)) {
            long deadline = System.nanoTime() + CHECK_WAIT.toNanos();
            while (!walked.isDone() && c.lastWalkError() == 0 && System.nanoTime() < deadline) {
                makeSystemCalls();
                try {
                    walked.get(20, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // not yet: call again
                } catch (ExecutionException e) {
                    throw new AssertionError(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new VariantRefusedException("EINTR", "interrupted while checking the collector");
                }
            }
            if (walked.isDone()) {
                return "loaded, attached, and walked this process (" + self + ") at its system call: "
                        + walked.join().snapshot().vmas().size() + " VMAs";
            }
            int error = c.lastWalkError();
            if (error != 0) {
                throw new VariantRefusedException(Errno.name(-error), "loaded and attached, but its walk of this"
                        + " process could not start: " + error + " (" + Errno.name(-error) + ")");
            }
            throw new VariantRefusedException(null, "loaded and attached, but it did not walk this process within "
                    + CHECK_WAIT.toSeconds() + " s of system calls (its hooks do not fire here?)");
        }
    }

    private static void makeSystemCalls() {
        try {
            Files.readString(Path.of("/proc/self/stat"));
        } catch (IOException e) {
            // Any system call serves; a failed read was one too.
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** The variant this collector runs. */
    public ProgramVariant variant() {
        return variant;
    }

    @Override
    public CollectionSession start(CollectionScope scope, Consumer<CollectedSnapshot> sink)
            throws VmaCaptureException {
        return startCollection(scope, sink);
    }

    /** {@link #start} with the collection's own type, whose programs' run time the benchmarks read. */
    public HookedVmaCollection startCollection(CollectionScope scope, Consumer<CollectedSnapshot> sink)
            throws VmaCaptureException {
        BpfObject o;
        try {
            o = variant.open();
        } catch (BpfException | IOException e) {
            throw new VmaCaptureException(name + ": cannot open " + variant.artifact() + ": " + e.getMessage(), e);
        }
        try {
            HookedVmaCollection.configure(o, maxVmas, refreshInterval, scope, false);
            o.load();
        } catch (BpfLoadException e) {
            o.close();
            throw new VmaCaptureException(name + ": cannot run here: " + e.refusal(), e);
        } catch (BpfException | RuntimeException e) {
            o.close();
            throw new VmaCaptureException(name + ": cannot start collecting: " + e.getMessage(), e);
        }
        try {
            return HookedVmaCollection.start(name, o, scope, sink);
        } catch (BpfException e) {
            throw new VmaCaptureException(name + ": cannot start collecting: " + e.getMessage(), e);
        }
    }
}
