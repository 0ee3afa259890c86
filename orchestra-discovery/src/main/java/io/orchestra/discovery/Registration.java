package io.orchestra.discovery;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.internal.Checks;
import java.time.Instant;

/**
 * An instance as a source reports it: the instance, how to health-check it, and when it was
 * registered (the seed's {@code registrationInfo}). Immutable.
 *
 * @param instance the instance
 * @param healthCheck how to check it actively, or null to use the discovery's configured default
 * @param registeredAt when it was registered, or when the source first reported it
 */
public record Registration(ServiceInstance instance, HealthCheck healthCheck, Instant registeredAt) {

  /** Validates that no field is null. */
  public Registration {
    Checks.notNull("registration.instance", instance);
    Checks.notNull("registration.registeredAt", registeredAt);
  }

  /** A registration with the default health check, registered at {@code registeredAt}. */
  public static Registration of(ServiceInstance instance, Instant registeredAt) {
    return new Registration(instance, null, registeredAt);
  }

  /** The instance's id. */
  public String id() {
    return instance.id();
  }

  /** The instance's service name. */
  public String serviceName() {
    return instance.serviceName();
  }
}
