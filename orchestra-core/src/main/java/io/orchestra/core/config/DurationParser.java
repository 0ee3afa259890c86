package io.orchestra.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Parses the duration forms configuration files use: ISO-8601 ({@code PT30S}), a number with a
 * unit ({@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d}, also {@code ns} and {@code
 * us}), or a bare number of milliseconds, as in the seed's configuration ({@code 30000}).
 */
public final class DurationParser {
  private DurationParser() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the text when it is not a duration
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("not a duration: \"" + text + "\"");
    }
    String s = text.trim();
    if (s.startsWith("P") || s.startsWith("p") || s.startsWith("-P")) {
      try {
        return Duration.parse(s);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("not a duration: \"" + text + "\"", e);
      }
    }
    int split = 0;
    while (split < s.length() && (Character.isDigit(s.charAt(split)) || s.charAt(split) == '.' || (split == 0 && s.charAt(0) == '-'))) {
      split++;
    }
    if (split == 0) {
      throw new IllegalArgumentException("not a duration: \"" + text + "\"");
    }
    double amount;
    try {
      amount = Double.parseDouble(s.substring(0, split));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a duration: \"" + text + "\"", e);
    }
    String unit = s.substring(split).trim().toLowerCase(Locale.ROOT);
    double nanosPerUnit;
    switch (unit) {
      case "ns":
        nanosPerUnit = 1;
        break;
      case "us":
      case "µs":
        nanosPerUnit = 1e3;
        break;
      case "":
      case "ms":
        nanosPerUnit = 1e6;
        break;
      case "s":
        nanosPerUnit = 1e9;
        break;
      case "m":
      case "min":
        nanosPerUnit = 60e9;
        break;
      case "h":
        nanosPerUnit = 3600e9;
        break;
      case "d":
        nanosPerUnit = 86400e9;
        break;
      default:
        throw new IllegalArgumentException(
            "not a duration: \"" + text + "\" (units: ns, us, ms, s, m, h, d)");
    }
    double nanos = amount * nanosPerUnit;
    if (Math.abs(nanos) > Long.MAX_VALUE) {
      throw new IllegalArgumentException("duration out of range: \"" + text + "\"");
    }
    return Duration.ofNanos(Math.round(nanos));
  }
}
