package io.orchestra.scheduler;

/** The four resources a node offers and a workload requests, as in the seed. */
public enum ResourceKind {
  /** Processor, in cores (fractions allowed). */
  CPU,
  /** Memory, in one unit of the application's choice (MiB suggested), used consistently. */
  MEMORY,
  /** Local storage, in one unit of the application's choice (GiB suggested). */
  STORAGE,
  /** Network bandwidth, in one unit of the application's choice (Mbit/s suggested). */
  NETWORK;

  /** The lower-case name used in messages and configuration ({@code cpu}, {@code memory} ...). */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
