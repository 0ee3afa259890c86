package io.orchestra.core.trace;

import io.orchestra.core.internal.Hex;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.transport.Headers;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Parsing and formatting of the W3C Trace Context headers {@code traceparent} and {@code
 * tracestate} (https://www.w3.org/TR/trace-context/).
 *
 * <p>Following the specification, nothing here throws on bad input: an invalid {@code
 * traceparent} yields {@code null} (the receiver starts a new trace, see {@link
 * #extractOrNewRoot}) and an invalid {@code tracestate} is discarded while a valid {@code
 * traceparent} is kept.
 */
public final class W3CTraceContext {
  /** Header name of the trace parent. */
  public static final String TRACEPARENT = "traceparent";

  /** Header name of the vendor trace state. */
  public static final String TRACESTATE = "tracestate";

  private static final Headers.Name TRACEPARENT_NAME = Headers.Name.of(TRACEPARENT);
  private static final Headers.Name TRACESTATE_NAME = Headers.Name.of(TRACESTATE);
  private static final int VERSION_00_LENGTH = 55;
  private static final int MAX_MEMBERS = 32;

  private W3CTraceContext() {}

  /**
   * Parses a {@code traceparent} value; returns {@code null} when it is invalid. Versions above
   * {@code 00} are parsed by the version-00 rules as the specification asks, ignoring any fields
   * after the flags.
   */
  public static TraceContext parseTraceparent(String value) {
    return parse(value, null);
  }

  /**
   * Parses both headers: {@code null} when {@code traceparent} is missing or invalid; otherwise a
   * context that carries {@code tracestate} when it is valid and drops it when it is not.
   */
  public static TraceContext parse(String traceparent, String tracestate) {
    if (traceparent == null) {
      return null;
    }
    String s = trimOws(traceparent);
    int length = s.length();
    if (length < VERSION_00_LENGTH) {
      return null;
    }
    int v0 = Hex.digit(s.charAt(0));
    int v1 = Hex.digit(s.charAt(1));
    if (v0 < 0 || v1 < 0) {
      return null;
    }
    int version = v0 << 4 | v1;
    if (version == 0xff) {
      return null;
    }
    if (version == 0 && length != VERSION_00_LENGTH) {
      return null;
    }
    if (version > 0 && length > VERSION_00_LENGTH && s.charAt(VERSION_00_LENGTH) != '-') {
      return null;
    }
    if (s.charAt(2) != '-' || s.charAt(35) != '-' || s.charAt(52) != '-') {
      return null;
    }
    boolean[] ok = {true};
    long high = Hex.parse(s, 3, 16, ok);
    long low = Hex.parse(s, 19, 16, ok);
    long span = Hex.parse(s, 36, 16, ok);
    long flags = Hex.parse(s, 53, 2, ok);
    if (!ok[0] || (high == 0 && low == 0) || span == 0) {
      return null;
    }
    return new TraceContext(high, low, span, (byte) flags, parseTraceState(tracestate));
  }

  /**
   * Validates a {@code tracestate} value: returns it normalized (members joined by {@code ,}
   * without spaces, empty members dropped) or the empty string when it is missing or invalid
   * (bad key or value, duplicate key, more than 32 members).
   */
  public static String parseTraceState(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder(value.length());
    Set<String> keys = new HashSet<>();
    int members = 0;
    int start = 0;
    while (start <= value.length()) {
      int comma = value.indexOf(',', start);
      int end = comma < 0 ? value.length() : comma;
      String member = trimOws(value.substring(start, end));
      if (!member.isEmpty()) {
        int eq = member.indexOf('=');
        if (eq <= 0) {
          return "";
        }
        String key = member.substring(0, eq);
        String val = member.substring(eq + 1);
        if (!validKey(key) || !validValue(val) || !keys.add(key)) {
          return "";
        }
        if (++members > MAX_MEMBERS) {
          return "";
        }
        if (out.length() > 0) {
          out.append(',');
        }
        out.append(key).append('=').append(val);
      }
      if (comma < 0) {
        break;
      }
      start = comma + 1;
    }
    return out.toString();
  }

  /** Formats the {@code traceparent} value (version {@code 00}). */
  public static String formatTraceparent(TraceContext context) {
    return formatTraceparent(context.traceIdHigh(), context.traceIdLow(), context.spanId(), context.flags());
  }

  /**
   * Formats the {@code traceparent} value (version {@code 00}) from the ids themselves, for callers
   * that keep ids in locals rather than build a {@link TraceContext} per request.
   */
  public static String formatTraceparent(long traceIdHigh, long traceIdLow, long spanId, byte flags) {
    byte[] out = new byte[VERSION_00_LENGTH];
    out[0] = '0';
    out[1] = '0';
    out[2] = '-';
    Hex.write(traceIdHigh, out, 3);
    Hex.write(traceIdLow, out, 19);
    out[35] = '-';
    Hex.write(spanId, out, 36);
    out[52] = '-';
    int f = flags & 0xff;
    out[53] = Hex.digitByte(f >>> 4);
    out[54] = Hex.digitByte(f & 0xf);
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  /**
   * The context carried by {@code headers}, or {@code null} when there is none or it is invalid.
   *
   * <p>As the specification's test suite expects, a {@code traceparent} that appears more than
   * once is invalid (the receiver starts a new trace), and several {@code tracestate} fields are
   * combined in order into one list before it is validated (so a key repeated across fields
   * discards the whole state, and empty fields are ignored).
   */
  public static TraceContext extract(Headers headers) {
    String traceparent = null;
    String tracestate = null;
    StringBuilder combined = null;
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i); // stored in lower case
      if (name.equals(TRACEPARENT)) {
        if (traceparent != null) {
          return null;
        }
        traceparent = headers.value(i);
      } else if (name.equals(TRACESTATE)) {
        if (tracestate == null) {
          tracestate = headers.value(i);
        } else {
          if (combined == null) {
            combined = new StringBuilder(tracestate);
          }
          combined.append(',').append(headers.value(i));
        }
      }
    }
    return parse(traceparent, combined != null ? combined.toString() : tracestate);
  }

  /**
   * The context carried by {@code headers}, or a new root trace (with {@code sampledIfNew}) when
   * the headers carry none or an invalid one.
   */
  public static TraceContext extractOrNewRoot(
      Headers headers, RandomSource random, boolean sampledIfNew) {
    TraceContext context = extract(headers);
    return context != null ? context : TraceContext.newRoot(random, sampledIfNew);
  }

  /** {@code headers} with {@code traceparent} (and {@code tracestate} when non-empty) set. */
  public static Headers inject(TraceContext context, Headers headers) {
    return inject(
        context.traceIdHigh(), context.traceIdLow(), context.spanId(), context.flags(), context.traceState(), headers);
  }

  /**
   * {@link #inject(TraceContext, Headers)} from the ids themselves, for callers that keep ids in
   * locals rather than build a {@link TraceContext} per request: the same headers.
   *
   * @param traceState a validated {@code tracestate} (as {@link #parseTraceState} returns), or
   *     the empty string for none
   */
  public static Headers inject(
      long traceIdHigh, long traceIdLow, long spanId, byte flags, String traceState, Headers headers) {
    // The names are checked once (Headers.Name), not on every request.
    Headers h = headers.withKnown(TRACEPARENT_NAME, formatTraceparent(traceIdHigh, traceIdLow, spanId, flags));
    if (!traceState.isEmpty()) {
      h = h.withKnown(TRACESTATE_NAME, traceState);
    }
    return h;
  }

  private static boolean validKey(String key) {
    int at = key.indexOf('@');
    if (at < 0) {
      return key.length() <= 256 && isLcAlpha(key.charAt(0)) && restValid(key, 1, key.length());
    }
    if (key.indexOf('@', at + 1) >= 0) {
      return false;
    }
    String tenant = key.substring(0, at);
    String system = key.substring(at + 1);
    return !tenant.isEmpty()
        && tenant.length() <= 241
        && (isLcAlpha(tenant.charAt(0)) || isDigit(tenant.charAt(0)))
        && restValid(tenant, 1, tenant.length())
        && !system.isEmpty()
        && system.length() <= 14
        && isLcAlpha(system.charAt(0))
        && restValid(system, 1, system.length());
  }

  private static boolean restValid(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!(isLcAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '*' || c == '/')) {
        return false;
      }
    }
    return true;
  }

  private static boolean validValue(String v) {
    if (v.isEmpty() || v.length() > 256) {
      return false;
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      boolean nonBlank = c >= 0x21 && c <= 0x7e && c != ',' && c != '=';
      if (!nonBlank && !(c == ' ' && i < v.length() - 1)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLcAlpha(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String trimOws(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
      start++;
    }
    while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
      end--;
    }
    return start == 0 && end == s.length() ? s : s.substring(start, end);
  }
}
