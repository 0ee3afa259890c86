package io.orchestra.discovery;

import java.time.Instant;

/**
 * The answer to {@link ServiceDiscovery#deregister}, as in the seed: success with the instance id
 * and time, or failure with the reason {@link #INSTANCE_NOT_FOUND}.
 *
 * @param success whether an instance was removed
 * @param instanceId the id that was asked for
 * @param deregistrationTime wall-clock time of the removal, or null when it failed
 * @param reason null on success; {@link #INSTANCE_NOT_FOUND} when no such instance is registered
 */
public record DeregistrationResult(
    boolean success, String instanceId, Instant deregistrationTime, String reason) {

  /** The seed's reason for deregistering an unknown id. */
  public static final String INSTANCE_NOT_FOUND = "instance_not_found";

  /** A successful removal. */
  public static DeregistrationResult removed(String instanceId, Instant time) {
    return new DeregistrationResult(true, instanceId, time, null);
  }

  /** The id was not registered. */
  public static DeregistrationResult notFound(String instanceId) {
    return new DeregistrationResult(false, instanceId, null, INSTANCE_NOT_FOUND);
  }
}
