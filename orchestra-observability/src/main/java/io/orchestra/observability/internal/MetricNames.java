package io.orchestra.observability.internal;

import io.orchestra.observability.metrics.MetricType;
import java.util.Locale;

/**
 * Metric name normalization to Micrometer's convention (lower case, dot-separated words), the
 * seed's component labels, and type inference for untyped values.
 */
public final class MetricNames {
  /** Longest accepted normalized name. */
  public static final int MAX_LENGTH = 200;

  private static final String[] WELL_KNOWN = {
    "http", "db", "database", "cache", "cpu", "memory", "disk", "jvm", "process", "system", "orchestra",
    "log", "trace", "span", "requests", "errors", "latency"
  };

  private MetricNames() {}

  /**
   * {@code HTTP_Request-Duration_ms} becomes {@code http.request.duration.ms}: lower case, every
   * run of characters other than letters and digits becomes one dot, no leading or trailing dot;
   * a counter's trailing {@code .total} is dropped (registries add their own suffix). Returns
   * null when the result is empty, does not start with a letter, or is too long.
   */
  public static String normalize(String raw, MetricType type) {
    if (raw == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(raw.length());
    boolean pendingDot = false;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        if (pendingDot && out.length() > 0) {
          out.append('.');
        }
        pendingDot = false;
        out.append(c);
      } else {
        pendingDot = true;
      }
    }
    String name = out.toString();
    if (type == MetricType.COUNTER && name.endsWith(".total") && name.length() > 6) {
      name = name.substring(0, name.length() - 6);
    }
    if (name.isEmpty() || name.length() > MAX_LENGTH || !(name.charAt(0) >= 'a' && name.charAt(0) <= 'z')) {
      return null;
    }
    return name;
  }

  /** The seed's component label: {@code http}, {@code database}, {@code cache}, or null. */
  public static String component(String raw) {
    String n = raw.toLowerCase(Locale.ROOT);
    if (n.startsWith("http_") || n.startsWith("http.")) {
      return "http";
    }
    if (n.startsWith("db_") || n.startsWith("db.")) {
      return "database";
    }
    if (n.startsWith("cache_") || n.startsWith("cache.")) {
      return "cache";
    }
    return null;
  }

  /**
   * The type of an untyped value from its name: {@code _total}/{@code _count} counters; names
   * about duration, latency or time (or with a {@code _ms}/{@code _seconds} unit) distributions;
   * everything else gauges.
   */
  public static MetricType inferType(String raw) {
    String n = raw.toLowerCase(Locale.ROOT);
    if (n.endsWith("_total") || n.endsWith(".total") || n.endsWith("_count") || n.endsWith(".count")) {
      return MetricType.COUNTER;
    }
    if (n.contains("duration") || n.contains("latency") || n.contains("response_time") || n.endsWith("_ms")
        || n.endsWith("_seconds") || n.endsWith(".ms") || n.endsWith(".seconds")) {
      return MetricType.DISTRIBUTION;
    }
    return MetricType.GAUGE;
  }

  /** Whether a normalized name starts with a well-known prefix (used when custom metrics are off). */
  public static boolean isWellKnown(String normalized) {
    for (String p : WELL_KNOWN) {
      if (normalized.equals(p) || normalized.startsWith(p + ".")) {
        return true;
      }
    }
    return false;
  }
}
