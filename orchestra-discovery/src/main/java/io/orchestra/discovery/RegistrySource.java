package io.orchestra.discovery;

/**
 * A service registry: a {@link DiscoverySource} that also accepts registrations. {@link
 * io.orchestra.discovery.registry.InMemoryRegistry} is the embedded default; {@link
 * io.orchestra.discovery.zookeeper.ZooKeeperRegistry} keeps registrations in ZooKeeper.
 *
 * <p>Implementations must be thread-safe.
 */
public interface RegistrySource extends DiscoverySource {

  @Override
  default Mechanism mechanism() {
    return Mechanism.REGISTRY;
  }

  /**
   * Registers (or replaces, by id) one instance.
   *
   * @throws RuntimeException when the registry cannot be written (for example ZooKeeper is down)
   */
  void register(Registration registration);

  /**
   * Removes the instance with {@code instanceId}.
   *
   * @return the removed registration, or null when no instance had that id
   */
  Registration deregister(String instanceId);

  /** The registration with {@code instanceId}, or null when there is none. */
  Registration find(String instanceId);
}
