package io.orchestra.observability.internal;

import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service names the engine remembers (for {@code services()}, the alert sweep of {@code *}
 * rules and the known/unknown check of queries), at most {@code limit} of them. Service names
 * come from telemetry, that is from outside; without a bound a client sending a new name per
 * request would grow this set, and every sweep over it, forever.
 *
 * <p>Past the bound a new name is refused: it is not remembered, the refusal is counted as {@code
 * service.tracking_overflow} (once per refused call, not per distinct name, since refused names
 * are not remembered either), and the first refusal is logged once at WARN. Names already
 * tracked stay tracked; nothing is ever removed.
 *
 * <p>The bound is exact: a slot is reserved by compare-and-set before the name is inserted, and
 * the reservation happens inside the map's own insertion of that key, so two threads adding the
 * same new name reserve one slot and many threads adding distinct names never overshoot. A known
 * name costs one lock-free lookup and no allocation; only a new name takes the map's per-bin
 * insertion lock, as any concurrent set insertion does.
 *
 * <p>Thread-safe.
 */
public final class TrackedServices {
  private static final Logger LOG = LoggerFactory.getLogger(TrackedServices.class);

  private final ConcurrentHashMap<String, Boolean> names = new ConcurrentHashMap<>();
  private final Set<String> view = Collections.unmodifiableSet(names.keySet());
  private final AtomicInteger reserved = new AtomicInteger();
  private final AtomicBoolean warned = new AtomicBoolean();
  // Made once so that refusing a name does not allocate a capturing lambda per call.
  private final Function<String, Boolean> admit = k -> reserve() ? Boolean.TRUE : null;
  private final int limit;
  private final BadInputCounters bad;

  /** At most {@code limit} (> 0) names; refusals counted in {@code bad}. */
  public TrackedServices(int limit, BadInputCounters bad) {
    this.limit = limit;
    this.bad = bad;
  }

  /**
   * Remembers {@code service} unless the bound is reached; returns whether it is tracked (it was
   * already, or it was admitted now).
   */
  public boolean track(String service) {
    if (service == null) {
      return false;
    }
    if (names.containsKey(service)) {
      return true; // the common case: no allocation, no lock
    }
    // The mapping function runs at most once per absent key at a time, so a slot reserved in it
    // is always used by exactly that key; returning null leaves the key absent.
    if (names.computeIfAbsent(service, admit) != null) {
      return true;
    }
    refused();
    return false;
  }

  /** {@link #track(String)} for each name. */
  public void trackAll(Iterable<String> services) {
    for (String s : services) {
      track(s);
    }
  }

  /** Whether {@code service} is tracked. */
  public boolean contains(String service) {
    return service != null && names.containsKey(service);
  }

  /** A live, unmodifiable view of the tracked names (weakly consistent iteration). */
  public Set<String> view() {
    return view;
  }

  /** Number of tracked names; never above the limit. */
  public int size() {
    return reserved.get();
  }

  /** The bound. */
  public int limit() {
    return limit;
  }

  private boolean reserve() {
    int n;
    do {
      n = reserved.get();
      if (n >= limit) {
        return false;
      }
    } while (!reserved.compareAndSet(n, n + 1));
    return true;
  }

  private void refused() {
    bad.count("service", "tracking_overflow");
    // One line for the first refusal, not one per request: a flood of new names is exactly the
    // case in which a log line per refusal would hurt. The name itself is not logged: it comes
    // from outside and may be anything.
    if (!warned.get() && warned.compareAndSet(false, true)) {
      LOG.warn("observability engine tracks at most {} services (maxTrackedServices); further new service names "
          + "are not tracked (their data is still stored) and are counted as service.tracking_overflow", limit);
    }
  }
}
