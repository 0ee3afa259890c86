package io.orchestra.discovery.dns;

import io.orchestra.core.internal.Checks;

/**
 * One SRV record: {@code priority weight port target} (RFC 2782). Immutable.
 *
 * @param priority lower is preferred, 0..65535
 * @param weight relative share among records of the same priority, 0..65535
 * @param port the service's port, 1..65535
 * @param target host name, without the trailing dot
 */
public record SrvRecord(int priority, int weight, int port, String target) {

  /** Validates the fields. */
  public SrvRecord {
    Checks.inRange("srv.priority", priority, 0, 65535);
    Checks.inRange("srv.weight", weight, 0, 65535);
    Checks.port("srv.port", port);
    Checks.notBlank("srv.target", target);
  }

  /**
   * Parses the text form JNDI returns, such as {@code "10 60 8080 a.example.com."}.
   *
   * @throws IllegalArgumentException naming the text when it is not an SRV record
   */
  public static SrvRecord parse(String text) {
    Checks.notNull("srv", text);
    String[] parts = text.trim().split("\\s+");
    Checks.argument(parts.length == 4, "srv record must have 4 fields, was \"%s\"", text);
    try {
      String target = parts[3].endsWith(".") ? parts[3].substring(0, parts[3].length() - 1) : parts[3];
      return new SrvRecord(
          Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), target);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("srv record has a non-numeric field: \"" + text + "\"", e);
    }
  }
}
