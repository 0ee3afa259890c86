package io.orchestra.discovery;

import io.orchestra.core.internal.Checks;
import java.util.HashSet;
import java.util.Set;

/**
 * What a caller tells discovery about one call: where the caller runs (zone, region) for
 * geographic preference, a hash key for consistent hashing, a deadline, and instances to avoid
 * (those a retry already tried). Immutable and thread-safe; build one per caller location once
 * and derive per-call copies only when a call needs a hash key or an avoid set.
 */
public final class ClientContext {
  private static final ClientContext NONE = new ClientContext(null, null, null, 0, 0, Set.of());

  private final String zone;
  private final String region;
  private final String hashKey;
  private final long hash;
  private final long deadlineNanos;
  private final Set<String> avoid;
  /** Whether {@link #avoid} has members: a final field, so picks skip a set call when it has none. */
  private final boolean avoidsAny;

  private ClientContext(
      String zone, String region, String hashKey, long hash, long deadlineNanos, Set<String> avoid) {
    this.zone = zone;
    this.region = region;
    this.hashKey = hashKey;
    this.hash = hash;
    this.deadlineNanos = deadlineNanos;
    this.avoid = avoid;
    this.avoidsAny = !avoid.isEmpty();
  }

  /** No zone, region, key, deadline or avoid set. */
  public static ClientContext none() {
    return NONE;
  }

  /** A context for a caller in {@code zone} of {@code region} (either may be null). */
  public static ClientContext of(String zone, String region) {
    return new ClientContext(zone, region, null, 0, 0, Set.of());
  }

  /** A builder starting empty. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder with this context's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.zone = zone;
    b.region = region;
    b.hashKey = hashKey;
    b.deadlineNanos = deadlineNanos;
    b.avoid.addAll(avoid);
    return b;
  }

  /** The caller's availability zone, or null when unknown. */
  public String zone() {
    return zone;
  }

  /** The caller's region, or null when unknown. */
  public String region() {
    return region;
  }

  /** The key consistent hashing routes on (a user or session id), or null for none. */
  public String hashKey() {
    return hashKey;
  }

  /** A well-mixed 64-bit hash of {@link #hashKey()}, 0 when there is no key. */
  public long keyHash() {
    return hash;
  }

  /**
   * The deadline as a reading of the discovery's {@link io.orchestra.core.time.Ticker}, or 0 for
   * none. Bounds how long a cold discovery waits for its sources.
   */
  public long deadlineNanos() {
    return deadlineNanos;
  }

  /** Ids of instances not to pick (already tried by this call); immutable. */
  public Set<String> avoid() {
    return avoid;
  }

  /** Whether {@code instanceId} is in the avoid set. */
  public boolean avoids(String instanceId) {
    return avoidsAny && avoid.contains(instanceId);
  }

  /** This context with {@code instanceId} added to the avoid set (for a retry). */
  public ClientContext avoiding(String instanceId) {
    return toBuilder().avoid(instanceId).build();
  }

  /** This context with a different hash key. */
  public ClientContext withHashKey(String key) {
    return toBuilder().hashKey(key).build();
  }

  @Override
  public String toString() {
    return "ClientContext[zone=" + zone + ", region=" + region + ", hashKey=" + hashKey
        + ", deadline=" + deadlineNanos + ", avoid=" + avoid + "]";
  }

  /** Mixes a string's hash into 64 well-distributed bits (the MurmurHash3 finalizer). */
  static long mix(String key) {
    long h = key.hashCode() * 0x9E3779B97F4A7C15L + key.length();
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }

  /** Builds a {@link ClientContext}; not thread-safe. */
  public static final class Builder {
    private String zone;
    private String region;
    private String hashKey;
    private long deadlineNanos;
    private final Set<String> avoid = new HashSet<>();

    private Builder() {}

    /** The caller's zone. */
    public Builder zone(String zone) {
      this.zone = zone;
      return this;
    }

    /** The caller's region. */
    public Builder region(String region) {
      this.region = region;
      return this;
    }

    /** The consistent-hashing key; null for none. */
    public Builder hashKey(String key) {
      this.hashKey = key;
      return this;
    }

    /** A deadline as a ticker reading; 0 for none. */
    public Builder deadlineNanos(long deadlineNanos) {
      this.deadlineNanos = deadlineNanos;
      return this;
    }

    /** Adds an instance id to avoid. */
    public Builder avoid(String instanceId) {
      avoid.add(Checks.notBlank("clientContext.avoid", instanceId));
      return this;
    }

    /** The immutable context. */
    public ClientContext build() {
      return new ClientContext(
          zone,
          region,
          hashKey,
          hashKey == null ? 0 : mix(hashKey),
          deadlineNanos,
          avoid.isEmpty() ? Set.of() : Set.copyOf(avoid));
    }
  }
}
