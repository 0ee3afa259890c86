package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.DeploymentRequest;

/**
 * Access to the compiled-form slot of a {@link DeploymentRequest}, which the public class keeps
 * private. The request class installs the accessor when it is initialised, before any instance
 * can reach this class.
 */
public final class RequestCache {
  /** Reads and writes the slot. */
  public interface Access {
    /** The cached object, or null. */
    Object get(DeploymentRequest request);

    /** Replaces the cached object. */
    void set(DeploymentRequest request, Object value);
  }

  private static volatile Access access;

  private RequestCache() {}

  /** Called once by {@link DeploymentRequest}'s static initialiser. */
  public static void install(Access value) {
    if (access == null) {
      access = value;
    }
  }

  static Object get(DeploymentRequest request) {
    return access.get(request);
  }

  static void set(DeploymentRequest request, Object value) {
    access.set(request, value);
  }
}
