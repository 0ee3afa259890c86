package io.orchestra.discovery;

/**
 * No instance of a service could be found: no source knows it, or none of its instances may take
 * traffic and the stale and fallback tiers had nothing either. The message names the service.
 */
public class ServiceUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String serviceName;

  /** An exception for {@code serviceName} with an explanation. */
  public ServiceUnavailableException(String serviceName, String message, Throwable cause) {
    super(message, cause);
    this.serviceName = serviceName;
  }

  /** An exception for {@code serviceName} with an explanation. */
  public ServiceUnavailableException(String serviceName, String message) {
    this(serviceName, message, null);
  }

  /** The service that has no available instance. */
  public String serviceName() {
    return serviceName;
  }
}
