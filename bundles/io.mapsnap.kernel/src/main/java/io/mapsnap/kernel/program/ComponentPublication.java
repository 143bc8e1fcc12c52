package io.mapsnap.kernel.program;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

import io.mapsnap.api.component.ComponentStatus;

/**
 * A component's presence in the service registry: its {@link ComponentStatus} always, its service only when a
 * variant was accepted. A refused component is logged in one line (the verdicts are in its status), never with a
 * stack trace. Closing unregisters both, then closes the service's resources.
 */
public final class ComponentPublication implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ComponentPublication.class.getName());

    private final ServiceRegistration<ComponentStatus> status;
    private final ServiceRegistration<?> service;
    private final AutoCloseable resources;
    private final String id;

    private ComponentPublication(String id, ServiceRegistration<ComponentStatus> status,
            ServiceRegistration<?> service, AutoCloseable resources) {
        this.id = id;
        this.status = status;
        this.service = service;
        this.resources = resources;
    }

    /**
     * Registers {@code status} and, when it is available and {@code service} is not null, {@code service} under
     * {@code type} with {@code properties} plus {@code service.ranking} = the status's ranking. {@code resources}
     * (may be null) are closed by {@link #close()} once nothing is registered any more.
     */
    public static <S> ComponentPublication publish(BundleContext context, ComponentStatus status, Class<S> type,
            S service, Map<String, Object> properties, AutoCloseable resources) {
        ServiceRegistration<?> registered = null;
        if (status.available() && service != null) {
            Dictionary<String, Object> props = new Hashtable<>(properties);
            props.put(Constants.SERVICE_RANKING, status.ranking());
            props.put(ComponentStatus.VARIANT_PROPERTY, status.running().orElseThrow().variant());
            registered = context.registerService(type, service, props);
        } else if (!status.available()) {
            LOG.log(System.Logger.Level.INFO, "{0} cannot run here: {1}", status.id(), status.refusal());
        }
        Dictionary<String, Object> statusProps = new Hashtable<>();
        statusProps.put(ComponentStatus.KIND_PROPERTY, status.kind().key());
        statusProps.put(ComponentStatus.NAME_PROPERTY, status.name());
        statusProps.put(ComponentStatus.AVAILABLE_PROPERTY, status.available());
        statusProps.put(Constants.SERVICE_RANKING, status.ranking());
        status.running().ifPresent(v -> statusProps.put(ComponentStatus.VARIANT_PROPERTY, v.variant()));
        return new ComponentPublication(status.id(), context.registerService(ComponentStatus.class, status, statusProps),
                registered, resources);
    }

    /** Whether the component's service is registered. */
    public boolean serviceRegistered() {
        return service != null;
    }

    @Override
    public void close() {
        unregister(service);
        unregister(status);
        if (resources != null) {
            try {
                resources.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing {0}: {1}", id, e.toString());
            }
        }
    }

    private static void unregister(ServiceRegistration<?> registration) {
        if (registration == null) {
            return;
        }
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // The framework unregisters a stopping bundle's services itself.
        }
    }
}
