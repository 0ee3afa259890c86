package io.orchestra.discovery;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** A kind of discovery source, as named in the configuration ({@code dns}, {@code registry}, {@code mesh}). */
public enum Mechanism {
  /** DNS SRV records with an A/AAAA fallback. */
  DNS,
  /** A service registry (in-memory or ZooKeeper). */
  REGISTRY,
  /** A service mesh control plane, through a port the application implements. */
  MESH;

  /**
   * Parses a mechanism name case-insensitively ({@code "dns"} and {@code "DNS"} both work).
   *
   * @throws IllegalArgumentException naming the value when it is not a mechanism
   */
  @JsonCreator
  public static Mechanism parse(String name) {
    if (name == null) {
      throw new IllegalArgumentException("mechanism must not be null");
    }
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException unknown) {
      throw new IllegalArgumentException(
          "mechanism must be one of dns, registry, mesh, was \"" + name + "\"");
    }
  }
}
