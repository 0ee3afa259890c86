package io.orchestra.discovery;

import java.time.Instant;

/**
 * The answer to {@link ServiceDiscovery#register}, as in the seed: {@code success}, the instance
 * id and when it was registered.
 *
 * @param success whether the registry accepted the instance
 * @param instanceId the registered instance's id
 * @param registrationTime wall-clock time of the registration
 */
public record RegistrationResult(boolean success, String instanceId, Instant registrationTime) {}
