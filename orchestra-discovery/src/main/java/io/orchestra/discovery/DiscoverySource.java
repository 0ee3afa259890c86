package io.orchestra.discovery;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * One place instances come from (a registry, DNS, a mesh control plane). {@link ServiceDiscovery}
 * queries all of its sources concurrently, each within the configured timeout, and merges their
 * answers; a source that fails or times out is skipped while another answers.
 *
 * <p>Implementations must be thread-safe. {@link #fetch} must not block the calling thread for
 * long: do blocking I/O on an executor and complete the stage from there.
 */
public interface DiscoverySource {

  /** The kind of source; decides whether the configured mechanisms include it. */
  Mechanism mechanism();

  /** A short name for logs and metrics tags, such as {@code zookeeper} or {@code dns}. */
  String name();

  /**
   * The current instances of {@code serviceName}: an empty list when the source knows the
   * service has none or does not know it, a failed stage when the source could not answer.
   */
  CompletionStage<List<Registration>> fetch(String serviceName);

  /**
   * Asks to be told when the instances of {@code serviceName} change, so that the cache refreshes
   * without polling. The default does nothing (the cache then refreshes on its TTL).
   *
   * @param onChange called (on any thread) after a change; must be cheap
   * @return a handle that stops watching
   */
  default AutoCloseable watch(String serviceName, Runnable onChange) {
    return () -> {};
  }
}
