package io.orchestra.discovery.zookeeper;

import io.orchestra.core.internal.Checks;
import io.orchestra.discovery.Registration;
import io.orchestra.discovery.RegistrySource;
import io.orchestra.discovery.internal.Watchers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.utils.ZKPaths;
import org.apache.curator.x.discovery.ServiceCache;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.ServiceType;
import org.apache.curator.x.discovery.details.ServiceCacheListener;
import org.apache.curator.x.discovery.details.ServiceDiscoveryImpl;
import org.apache.zookeeper.KeeperException;

/**
 * A registry kept in ZooKeeper with Curator's service discovery recipe. Each service gets a
 * Curator {@link ServiceCache} the first time it is asked for: the cache loads the service's
 * znodes once and then follows them through ZooKeeper watches, so {@link #fetch} answers from
 * memory and {@link #watch} listeners hear about every change without polling.
 *
 * <p>Registrations are ephemeral by default (they vanish with this client's session, as a
 * process's own registration should); {@link Builder#permanent(boolean)} makes them persistent
 * for registering on behalf of others. Curator re-registers this client's instances after a
 * session loss.
 *
 * <p>A {@link #fetch} lists what this registry has registered (and not deregistered) even while
 * the service's cache does not show it yet, or while Curator is re-creating its znode (see
 * docs/discovery.md).
 *
 * <p>Thread-safe. The {@link CuratorFramework} belongs to the caller, who starts it before and
 * closes it after this registry.
 */
public final class ZooKeeperRegistry implements RegistrySource, AutoCloseable {
  /** Starts of a service's cache before one is kept even if it disagrees with ZooKeeper. */
  private static final int CACHE_STARTS = 3;

  private final ServiceDiscovery<Registration> discovery;
  private final CuratorFramework client;
  private final String basePath;
  private final Executor executor;
  private final ServiceType type;
  private final Map<String, ServiceCache<Registration>> caches = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<ServiceCache<Registration>>> starting =
      new ConcurrentHashMap<>();
  /** Watchers per service; kept here, not on a cache, so they outlive a cache that failed to start. */
  private final Watchers watchers = new Watchers();
  /**
   * This registry's registrations by id: put when {@link #register} has written one, removed
   * when this registry unregisters it from Curator (a new register of the id, or deregister).
   */
  private final Map<String, ServiceInstance<Registration>> own = new ConcurrentHashMap<>();
  /**
   * Per id this registry registered, a count of Curator's writes of its znode, bumped before and
   * after each one (odd while one runs): the writes of register and Curator's re-registrations,
   * whose delete-then-create leaves the znode missing in between. Never removed (one per id).
   */
  private final Map<String, AtomicLong> writes = new ConcurrentHashMap<>();

  private ZooKeeperRegistry(Builder b) {
    this.client = b.client;
    this.basePath = b.basePath;
    this.executor = b.executor;
    this.type = b.permanent ? ServiceType.PERMANENT : ServiceType.DYNAMIC;
    // What ServiceDiscoveryBuilder builds (no instance of its own, watchInstances on), with the
    // writes counted.
    this.discovery = new CountingDiscovery(b.client, b.basePath, writes);
    try {
      discovery.start();
    } catch (Exception e) {
      throw new RegistryException("cannot start ZooKeeper service discovery at " + b.basePath, e);
    }
  }

  /** A builder for a registry on {@code client} (which must be started). */
  public static Builder builder(CuratorFramework client) {
    return new Builder(client);
  }

  @Override
  public String name() {
    return "zookeeper";
  }

  /**
   * Answers from the service's watched cache, plus this registry's own registrations of the
   * service that the cache does not list but ZooKeeper has or Curator is re-creating (see {@code
   * withOwnRegistrations}). The first call for a service loads its cache on the executor, and
   * so does the check of an own registration the cache does not list.
   */
  @Override
  public CompletionStage<List<Registration>> fetch(String serviceName) {
    ServiceCache<Registration> cache = caches.get(serviceName);
    if (cache != null) {
      return withOwnRegistrations(serviceName, cache.getInstances());
    }
    return cacheFor(serviceName).thenCompose(c -> withOwnRegistrations(serviceName, c.getInstances()));
  }

  /**
   * {@code listed} (a cache's view of {@code name}) with this registry's registrations of the
   * service that it lacks and that are still registered, so that a fetch after {@link #register}
   * lists the registration. A cache can lack one for two reasons. (1) It has not heard of the
   * znode yet: its watch event is on its way. (2) The znode is missing for a moment: Curator
   * re-registers every instance of this client on the session's first {@code CONNECTED} (which
   * it may deliver after register wrote the znode) and on each {@code RECONNECTED}, by deleting
   * the znode and creating it again, and a cache that loads, or a read that lands, in between
   * sees no instance; checking a cache against a direct read when it starts cannot tell this gap
   * from a deregistration, since both read the same missing znode (one first fetch in 150 missed
   * its instance on a loaded host that way).
   *
   * <p>So a missing own registration is read from ZooKeeper directly (that covers the lagging
   * cache), and if its znode is absent too, it is still listed when one of Curator's writes of
   * it ran while the read did (the write counter was odd before the read, or changed across it):
   * the read may then have fallen between Curator's delete and create, and Curator re-creates
   * the znode from this registration. If no write overlapped the read, the znode is really gone
   * (deleted by someone else, or with an expired session not re-created yet) and the registration
   * is not listed: the registry believes its own registrations only while Curator is writing
   * them, not against ZooKeeper. When ZooKeeper cannot be read, the registration is listed:
   * Curator holds it and re-creates it once connected, and the cache's view is no fresher.
   */
  private CompletionStage<List<Registration>> withOwnRegistrations(
      String name, List<ServiceInstance<Registration>> listed) {
    Set<String> ids = new HashSet<>();
    for (ServiceInstance<Registration> n : listed) {
      ids.add(n.getId());
    }
    List<ServiceInstance<Registration>> missing = new ArrayList<>();
    for (ServiceInstance<Registration> mine : own.values()) {
      if (mine.getName().equals(name) && !ids.contains(mine.getId())) {
        missing.add(mine);
      }
    }
    if (missing.isEmpty()) {
      return CompletableFuture.completedFuture(payloads(listed));
    }
    return CompletableFuture.supplyAsync(
        () -> {
          List<ServiceInstance<Registration>> all = new ArrayList<>(listed);
          for (ServiceInstance<Registration> mine : missing) {
            ServiceInstance<Registration> registered = stillRegistered(mine);
            if (registered != null) {
              all.add(registered);
            }
          }
          return payloads(all);
        },
        executor);
  }

  /**
   * {@code mine} as ZooKeeper has it, or {@code mine} itself while Curator is writing its znode
   * or ZooKeeper cannot be read; null when the znode is gone (or unreadable, which the cache skips too).
   */
  private ServiceInstance<Registration> stillRegistered(ServiceInstance<Registration> mine) {
    AtomicLong count = writes.get(mine.getId());
    long before = count == null ? 0 : count.get();
    try {
      ServiceInstance<Registration> read = discovery.queryForInstance(mine.getName(), mine.getId());
      if (read != null) {
        return read;
      }
    } catch (KeeperException e) {
      return mine; // connection loss and the like: Curator re-registers it when connected
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return mine;
    } catch (Exception unreadable) {
      return null; // data that does not deserialize: someone else wrote it; the cache skips it too
    }
    long after = count == null ? 0 : count.get();
    boolean writtenMeanwhile = (before & 1) == 1 || after != before;
    return writtenMeanwhile ? mine : null;
  }

  /**
   * Calls {@code onChange} after every change of the service's znodes and after a reconnect. The
   * watch is kept by this registry and served by every cache the service gets: one that could not
   * load (ZooKeeper unreachable) is replaced on the next {@link #fetch}, and the watch carries on
   * with the new one. The service's cache hears of changes from before this call returns.
   */
  @Override
  public AutoCloseable watch(String serviceName, Runnable onChange) {
    AutoCloseable handle = watchers.add(serviceName, onChange);
    cacheFor(serviceName);
    return handle;
  }

  /** One Curator listener per cache, added before the cache starts, calling the service's watchers. */
  private ServiceCacheListener dispatcher(String serviceName) {
    return new ServiceCacheListener() {
      @Override
      public void cacheChanged() {
        watchers.changed(serviceName);
      }

      @Override
      public void stateChanged(CuratorFramework client, ConnectionState newState) {
        if (newState == ConnectionState.RECONNECTED) {
          watchers.changed(serviceName); // changes may have been missed while disconnected
        }
      }
    };
  }

  private CompletableFuture<ServiceCache<Registration>> cacheFor(String serviceName) {
    return starting.computeIfAbsent(serviceName, name -> CompletableFuture.supplyAsync(() -> verifiedCache(name), executor));
  }

  /**
   * A started cache of {@code name} that agrees with a direct read of ZooKeeper. On a new
   * session Curator's discovery (5.9) deletes and re-creates a registration just after it was
   * written (its first {@code CONNECTED} is handled like a reconnection and re-registers every
   * instance), and a cache whose first load falls in that gap starts without the instance; it
   * arrives moments later through the cache's watch (measured: 7 starts in 900, see
   * docs/discovery.md). So each start is checked against {@code queryForInstances}; a cache that
   * disagrees is replaced, at most {@link #CACHE_STARTS} times (concurrent registrations can make
   * a correct cache disagree too), and the service's watchers are told to look again, since a
   * change between two caches reaches neither's listeners. A direct read in the same gap agrees
   * with the cache, so the check only narrows the window; for this registry's own registrations
   * {@link #withOwnRegistrations} closes it, and for anyone else's the watch does.
   */
  private ServiceCache<Registration> verifiedCache(String name) {
    for (int start = 1; ; start++) {
      ServiceCache<Registration> c = startedCache(name);
      if (start == CACHE_STARTS || agreesWithZooKeeper(c, name)) {
        caches.put(name, c);
        if (start > 1) {
          watchers.changed(name);
        }
        return c;
      }
      closeQuietly(c);
    }
  }

  private ServiceCache<Registration> startedCache(String name) {
    ServiceCache<Registration> c = discovery.serviceCacheBuilder().name(name).build();
    c.addListener(dispatcher(name));
    try {
      c.start(); // loads the current znodes and sets the watches
      return c;
    } catch (Exception e) {
      starting.remove(name); // the next fetch builds a new cache
      closeQuietly(c);
      throw new RegistryException("cannot watch service " + name + " in ZooKeeper", e);
    }
  }

  /**
   * Whether {@code cache} holds exactly the readable instances ZooKeeper lists now (a znode whose
   * data does not deserialize is skipped by the cache too); true if ZooKeeper cannot be read.
   */
  private boolean agreesWithZooKeeper(ServiceCache<Registration> cache, String name) {
    Set<String> direct = new HashSet<>();
    try {
      for (String id : client.getChildren().forPath(ZKPaths.makePath(basePath, name))) {
        try {
          if (discovery.queryForInstance(name, id) != null) { // null: deregistered meanwhile
            direct.add(id);
          }
        } catch (Exception unreadable) {
          // malformed data: the cache skips it as well
        }
      }
    } catch (KeeperException.NoNodeException e) {
      // the service has no znode: nothing registered
    } catch (Exception e) {
      return true; // nothing to compare with; the cache follows ZooKeeper from here
    }
    Set<String> cached = new HashSet<>();
    for (ServiceInstance<Registration> n : cache.getInstances()) {
      cached.add(n.getId());
    }
    return cached.equals(direct);
  }

  private static void closeQuietly(ServiceCache<Registration> c) {
    try {
      c.close();
    } catch (IOException | RuntimeException ignored) {
      // it never started properly, or was replaced; nothing more to release
    }
  }

  private static List<Registration> payloads(List<ServiceInstance<Registration>> nodes) {
    List<Registration> out = new ArrayList<>(nodes.size());
    for (ServiceInstance<Registration> n : nodes) {
      if (n.getPayload() != null) {
        out.add(n.getPayload());
      }
    }
    return out;
  }

  /**
   * Writes the registration's znode, replacing one with the same id, under the same service or
   * another one (whose znode is deleted first), so that an id is listed under one service, as
   * {@link #find} and {@link #deregister} expect.
   *
   * @throws RegistryException when ZooKeeper cannot be read or written
   */
  @Override
  public void register(Registration registration) {
    Checks.notNull("registration", registration);
    ServiceInstance<Registration> fresh = node(registration);
    writes.computeIfAbsent(fresh.getId(), id -> new AtomicLong());
    try {
      // Curator's discovery tracks this client's registrations by id, one entry per id (the
      // first is kept), and unregisters by id. So this client's earlier registration of the id,
      // under any service, is unregistered first: else a move to another service would leave the
      // old znode, and deregister would then delete the old one and leave the new.
      own.remove(fresh.getId()); // as Curator's map: unregisterService removes it before deleting
      discovery.unregisterService(fresh);
      for (String name : serviceNames()) {
        if (!name.equals(fresh.getName())) {
          // Another client's registration of the id under another service: not in Curator's map.
          // The usual case: the id is not registered under this service.
          deleteIfPresent(name, fresh.getId());
        }
      }
      discovery.registerService(fresh);
      own.put(fresh.getId(), fresh);
    } catch (Exception e) {
      throw new RegistryException("cannot register " + registration.id() + " in ZooKeeper", e);
    }
  }

  /** The services with a znode, none before the first registration made the base path. */
  private Collection<String> serviceNames() throws Exception {
    try {
      return discovery.queryForNames();
    } catch (KeeperException.NoNodeException noBasePath) {
      return List.of();
    }
  }

  /**
   * Deletes the znode of {@code instanceId}.
   *
   * @throws RegistryException when ZooKeeper cannot be read or written
   */
  @Override
  public Registration deregister(String instanceId) {
    Registration r = find(instanceId);
    if (r == null) {
      return null;
    }
    try {
      boolean mine = own.remove(instanceId) != null;
      discovery.unregisterService(node(r));
      if (!mine) {
        // Another client's registration: Curator's discovery deletes only its own client's
        // znodes (by its map of them) and would do nothing. As register, delete it directly;
        // that client's Curator re-creates it only on its next reconnection.
        deleteIfPresent(r.instance().serviceName(), instanceId);
      }
    } catch (Exception e) {
      throw new RegistryException("cannot deregister " + instanceId + " from ZooKeeper", e);
    }
    return r;
  }

  /**
   * The registration of {@code instanceId}, looked up in ZooKeeper across services.
   *
   * @throws RegistryException when ZooKeeper cannot be read
   */
  @Override
  public Registration find(String instanceId) {
    Checks.notBlank("instanceId", instanceId);
    try {
      for (String name : discovery.queryForNames()) {
        ServiceInstance<Registration> n = discovery.queryForInstance(name, instanceId);
        if (n != null) {
          return n.getPayload();
        }
      }
      return null;
    } catch (Exception e) {
      throw new RegistryException("cannot look up " + instanceId + " in ZooKeeper", e);
    }
  }

  /**
   * Deletes the znode of {@code id} under {@code service} directly, as Curator's discovery would
   * not (it deletes only its own client's registrations); nothing when there is none.
   */
  private void deleteIfPresent(String service, String id) throws Exception {
    try {
      client.delete().forPath(ZKPaths.makePath(basePath, service, id));
    } catch (KeeperException.NoNodeException notThere) {
      // not registered there, or deregistered meanwhile
    }
  }

  private ServiceInstance<Registration> node(Registration r) {
    io.orchestra.core.instance.ServiceInstance i = r.instance();
    return new ServiceInstance<>(
        i.serviceName(), i.id(), i.host(), i.port(), null, r, r.registeredAt().toEpochMilli(), type, null);
  }

  /** Closes the caches and the Curator discovery (this client's ephemeral registrations go). */
  @Override
  public void close() {
    own.clear();
    for (ServiceCache<Registration> c : caches.values()) {
      try {
        c.close();
      } catch (IOException e) {
        // keep closing the rest
      }
    }
    try {
      discovery.close();
    } catch (IOException e) {
      throw new RegistryException("cannot close ZooKeeper service discovery", e);
    }
  }

  /**
   * Curator's discovery, counting its writes of each instance's znode in {@code writes} (the
   * registry's field of that name). {@code internalRegisterService} is the one write path of
   * Curator 5.9's discovery, for {@code registerService} and for the re-registration after a
   * (re)connection alike; it is protected and marked for tests, so a Curator upgrade must keep
   * it (the override stops compiling if it goes).
   */
  private static final class CountingDiscovery extends ServiceDiscoveryImpl<Registration> {
    private final Map<String, AtomicLong> writes;

    CountingDiscovery(CuratorFramework client, String basePath, Map<String, AtomicLong> writes) {
      super(client, basePath, new RegistrationSerializer(), null, true);
      this.writes = writes;
    }

    @Override
    protected void internalRegisterService(ServiceInstance<Registration> service) throws Exception {
      AtomicLong count = writes.computeIfAbsent(service.getId(), id -> new AtomicLong());
      count.incrementAndGet(); // odd: the znode may be missing (deleted, not yet re-created)
      try {
        super.internalRegisterService(service);
      } finally {
        count.incrementAndGet();
      }
    }
  }

  /** Builds a {@link ZooKeeperRegistry}; not thread-safe. */
  public static final class Builder {
    private final CuratorFramework client;
    private String basePath = "/orchestra/services";
    private boolean permanent;
    private Executor executor = ForkJoinPool.commonPool();

    private Builder(CuratorFramework client) {
      this.client = Checks.notNull("client", client);
    }

    /** The znode under which services live; default {@code /orchestra/services}. */
    public Builder basePath(String basePath) {
      Checks.notBlank("basePath", basePath);
      Checks.argument(basePath.startsWith("/"), "basePath must start with '/', was \"%s\"", basePath);
      this.basePath = basePath;
      return this;
    }

    /** Whether registrations outlive this client's session; default false (ephemeral). */
    public Builder permanent(boolean permanent) {
      this.permanent = permanent;
      return this;
    }

    /** Where the first (blocking) load of a service's cache runs; default the common pool. */
    public Builder executor(Executor executor) {
      this.executor = Checks.notNull("executor", executor);
      return this;
    }

    /**
     * The registry, started.
     *
     * @throws RegistryException when ZooKeeper cannot be reached
     */
    public ZooKeeperRegistry build() {
      return new ZooKeeperRegistry(this);
    }
  }
}
