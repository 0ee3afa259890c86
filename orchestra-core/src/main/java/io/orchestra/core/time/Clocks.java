package io.orchestra.core.time;

import java.time.Clock;

/** Wall-clock access for engines: the system UTC clock by default, {@link VirtualTime} in tests. */
public final class Clocks {
  private Clocks() {}

  /** The machine's wall clock in UTC. */
  public static Clock system() {
    return SystemTime.CLOCK;
  }
}
