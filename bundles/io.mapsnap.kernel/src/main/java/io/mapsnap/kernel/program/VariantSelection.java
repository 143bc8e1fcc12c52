package io.mapsnap.kernel.program;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.mapsnap.api.component.VariantVerdict;
import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.BpfLoadException;
import io.mapsnap.kernel.bpf.BpfObject;
import io.mapsnap.kernel.bpf.Errno;
import io.mapsnap.kernel.bpf.LibbpfUnavailableException;

/**
 * The outcome of trying a component's variants best first: the first the kernel accepted (and the component's own
 * check passed), turned into what the component runs, and a verdict for every variant tried.
 *
 * @param chosen what the accepted variant became, if one was accepted
 * @param variant the accepted variant
 * @param verdicts one per variant tried, in order; variants after the accepted one are not tried
 * @param <T> what a loaded variant becomes
 */
public record VariantSelection<T>(Optional<T> chosen, Optional<ProgramVariant> variant,
        List<VariantVerdict> verdicts) {
    public VariantSelection {
        verdicts = List.copyOf(verdicts);
    }

    /** What a loaded variant becomes, with the evidence that it works. */
    public record Accepted<T>(T value, String evidence) {
    }

    /** Configures an opened variant before it loads (rodata, initial values). */
    @FunctionalInterface
    public interface Configuration {
        void configure(ProgramVariant variant, BpfObject object) throws BpfException;
    }

    /**
     * Checks a loaded variant and makes it what the component runs. On success the result owns the object; on a
     * refusal or failure the selection closes it.
     */
    @FunctionalInterface
    public interface Acceptance<T> {
        Accepted<T> accept(ProgramVariant variant, BpfObject loaded) throws VariantRefusedException, BpfException;
    }

    /**
     * Opens, configures and loads each variant in turn until one loads and passes {@code acceptance}. Never throws:
     * a refusal, a missing object or a missing libbpf is a verdict.
     */
    public static <T> VariantSelection<T> firstAccepted(List<ProgramVariant> variants, Configuration configuration,
            Acceptance<T> acceptance) {
        List<VariantVerdict> verdicts = new ArrayList<>();
        for (ProgramVariant v : variants) {
            BpfObject object = null;
            try {
                object = v.open();
                configuration.configure(v, object);
                object.load();
                Accepted<T> accepted = acceptance.accept(v, object);
                object = null; // owned by the accepted value now
                verdicts.add(VariantVerdict.accepted(v.name(), v.artifact(), accepted.evidence()));
                return new VariantSelection<>(Optional.of(accepted.value()), Optional.of(v), verdicts);
            } catch (BpfLoadException e) {
                verdicts.add(VariantVerdict.refused(v.name(), v.artifact(), Errno.name(e.errno()), e.reason(),
                        e.injected()));
            } catch (LibbpfUnavailableException e) {
                verdicts.add(VariantVerdict.refused(v.name(), v.artifact(), null, e.getMessage(), false));
            } catch (BpfException e) {
                verdicts.add(VariantVerdict.refused(v.name(), v.artifact(), Errno.name(e.errno()), e.getMessage(),
                        false));
            } catch (VariantRefusedException e) {
                verdicts.add(VariantVerdict.refused(v.name(), v.artifact(), e.errno(), e.getMessage(), false));
            } catch (IOException e) {
                verdicts.add(VariantVerdict.refused(v.name(), v.artifact(), null, e.getMessage(), false));
            } catch (RuntimeException e) {
                // A bug in a check: still a verdict, never a stack trace at the user.
                verdicts.add(VariantVerdict.refused(v.name(), v.artifact(), null, String.valueOf(e), false));
            } finally {
                if (object != null) {
                    object.close();
                }
            }
        }
        return new VariantSelection<>(Optional.empty(), Optional.empty(), verdicts);
    }
}
