package io.orchestra.scheduler;

import io.orchestra.core.internal.Checks;

/**
 * An amount of each {@link ResourceKind}: what a node can allocate, what a workload requests,
 * what is in use. Every amount is a finite number {@code >= 0}; units are the application's,
 * used consistently (cores, MiB, GiB and Mbit/s are suggested).
 *
 * <p>Immutable and thread-safe.
 *
 * @param cpu processor cores
 * @param memory memory
 * @param storage local storage
 * @param network network bandwidth
 */
public record Resources(double cpu, double memory, double storage, double network) {

  /** Nothing of anything. */
  public static final Resources ZERO = new Resources(0, 0, 0, 0);

  /** Validates that every amount is a finite number {@code >= 0}; the message names the field. */
  public Resources {
    Checks.nonNegative("cpu", cpu);
    Checks.nonNegative("memory", memory);
    Checks.nonNegative("storage", storage);
    Checks.nonNegative("network", network);
  }

  /** CPU and memory only. */
  public static Resources of(double cpu, double memory) {
    return new Resources(cpu, memory, 0, 0);
  }

  /** All four amounts. */
  public static Resources of(double cpu, double memory, double storage, double network) {
    return new Resources(cpu, memory, storage, network);
  }

  /** The amount of {@code kind}. */
  public double get(ResourceKind kind) {
    switch (kind) {
      case CPU:
        return cpu;
      case MEMORY:
        return memory;
      case STORAGE:
        return storage;
      default:
        return network;
    }
  }

  /** The sum of both amounts, per resource. */
  public Resources plus(Resources other) {
    return new Resources(
        cpu + other.cpu, memory + other.memory, storage + other.storage, network + other.network);
  }

  /** This amount minus {@code other}, floored at zero per resource. */
  public Resources minusFloored(Resources other) {
    return new Resources(
        Math.max(0, cpu - other.cpu),
        Math.max(0, memory - other.memory),
        Math.max(0, storage - other.storage),
        Math.max(0, network - other.network));
  }

  /** This amount times {@code factor} ({@code >= 0}). */
  public Resources times(double factor) {
    Checks.nonNegative("factor", factor);
    return new Resources(cpu * factor, memory * factor, storage * factor, network * factor);
  }

  /** Whether every amount of this is at most the matching amount of {@code capacity}. */
  public boolean fitsIn(Resources capacity) {
    return cpu <= capacity.cpu
        && memory <= capacity.memory
        && storage <= capacity.storage
        && network <= capacity.network;
  }

  /** Whether every amount is zero. */
  public boolean isZero() {
    return cpu == 0 && memory == 0 && storage == 0 && network == 0;
  }

  @Override
  public String toString() {
    return "cpu=" + fmt(cpu) + " memory=" + fmt(memory) + " storage=" + fmt(storage) + " network=" + fmt(network);
  }

  static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(java.util.Locale.ROOT, "%.3f", v).replaceAll("0+$", "");
  }
}
