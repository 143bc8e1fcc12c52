package io.mapsnap.itest;

import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

import io.mapsnap.kernel.bpf.FaultInjection;

/**
 * The fault-injection switch for one test: the named BPF objects are refused as if by the verifier
 * ({@link FaultInjection}), and the bundles that load them are restarted so their components choose again; closing
 * clears the switch and restarts them once more. The switch is the JVM's system property, so it is set and cleared
 * here only, in a try-with-resources, never left behind for the next test.
 */
final class InjectedRefusal implements AutoCloseable {
    private final BundleContext context;
    private final List<Bundle> restarted = new ArrayList<>();
    private final List<String> refused = new ArrayList<>();
    private final String previous = System.getProperty(FaultInjection.PROPERTY);

    private InjectedRefusal(BundleContext context) {
        this.context = context;
    }

    /** Refuses {@code objects} (comma-separated names or patterns) and restarts the bundles named. */
    static InjectedRefusal of(BundleContext context, String objects, String... bundles) throws BundleException {
        InjectedRefusal r = new InjectedRefusal(context);
        try {
            return r.andRefuse(objects, bundles);
        } catch (BundleException | RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /** Refuses {@code objects} as well and restarts the bundles named. */
    InjectedRefusal andRefuse(String objects, String... bundles) throws BundleException {
        refused.add(objects);
        System.setProperty(FaultInjection.PROPERTY, String.join(",", refused));
        for (String name : bundles) {
            Bundle b = bundle(context, name);
            if (!restarted.contains(b)) {
                restarted.add(b);
            }
            restart(b);
        }
        return this;
    }

    static Bundle bundle(BundleContext context, String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().equals(symbolicName)) {
                return b;
            }
        }
        throw new AssertionError("bundle " + symbolicName + " is not installed");
    }

    private static void restart(Bundle b) throws BundleException {
        b.stop();
        b.start();
    }

    @Override
    public void close() throws BundleException {
        if (previous == null) {
            System.clearProperty(FaultInjection.PROPERTY);
        } else {
            System.setProperty(FaultInjection.PROPERTY, previous);
        }
        for (Bundle b : restarted) {
            restart(b);
        }
    }
}
