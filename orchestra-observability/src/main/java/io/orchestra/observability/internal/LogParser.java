package io.orchestra.observability.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestra.observability.logs.LogFormat;
import io.orchestra.observability.logs.LogLevel;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns one raw line into fields: JSON objects (nested objects flattened with dots), logfmt
 * {@code key=value} lines (quoted values allowed) and free text (level read from the first
 * words). Masking happens here, on parsed values, so no unmasked value outlives this call:
 * sensitive keys lose their whole value, every other string value goes through {@link Masker}.
 * Thread-safe.
 */
public final class LogParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] MESSAGE_KEYS = {"message", "msg", "log", "text"};
  private static final String[] LEVEL_KEYS = {"level", "lvl", "severity", "log.level", "loglevel"};
  private static final String[] TIME_KEYS = {"timestamp", "ts", "time", "@timestamp", "datetime"};
  private static final String[] TRACE_KEYS = {"trace_id", "traceid", "traceId", "trace.id", "trace-id", "dd.trace_id"};
  private static final String[] SPAN_KEYS = {"span_id", "spanid", "spanId", "span.id", "span-id", "dd.span_id"};

  private LogParser() {}

  /** The parse of one line. Not thread-safe; one per line. */
  public static final class Parsed {
    /** How the line was read. */
    public LogFormat format = LogFormat.TEXT;
    /** Whether it looked like JSON but was not. */
    public boolean malformed;
    /** The (masked) message. */
    public String message = "";
    /** The level it named, or null. */
    public LogLevel level;
    /** Its own timestamp in epoch millis, or null. */
    public Long timestamp;
    /** The trace id as written, or null. */
    public String rawTraceId;
    /** The span id as written, or null. */
    public String rawSpanId;
    /** The remaining (masked) fields. */
    public final Map<String, String> fields = new LinkedHashMap<>();
  }

  /** Parses (and, when {@code mask}, masks) {@code line}. */
  public static Parsed parse(String line, boolean structured, boolean mask) {
    Parsed p = new Parsed();
    String trimmed = line.trim();
    if (structured && trimmed.startsWith("{")) {
      try {
        JsonNode node = JSON.readTree(trimmed);
        if (node != null && node.isObject()) {
          p.format = LogFormat.JSON;
          flatten("", node, p.fields, mask);
          extractKnown(p);
          return p;
        }
      } catch (JsonProcessingException e) {
        // fall through: kept as text, flagged
      }
      p.malformed = true;
    }
    String text = mask ? Masker.mask(trimmed) : trimmed;
    if (structured && !p.malformed && looksLikeLogfmt(text)) {
      parseLogfmt(text, p.fields);
      p.format = LogFormat.KEY_VALUE;
      extractKnown(p);
      if (p.message.isEmpty()) {
        p.message = text;
      }
      return p;
    }
    p.message = text;
    p.level = levelFromText(text);
    if (structured) {
      // key=value pairs inside free text still carry trace ids
      Map<String, String> kv = new LinkedHashMap<>();
      parseLogfmt(text, kv);
      p.rawTraceId = first(kv, TRACE_KEYS);
      p.rawSpanId = first(kv, SPAN_KEYS);
    }
    return p;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out, boolean mask) {
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      JsonNode v = e.getValue();
      if (mask && Masker.isSensitiveKey(e.getKey())) {
        out.put(key, "[secret]");
      } else if (v.isObject()) {
        flatten(key, v, out, mask);
      } else if (v.isTextual()) {
        out.put(key, mask ? Masker.mask(v.asText()) : v.asText());
      } else if (v.isNull()) {
        out.put(key, "");
      } else if (v.isArray()) {
        String text = v.toString();
        out.put(key, mask ? Masker.mask(text) : text);
      } else {
        String text = v.asText();
        out.put(key, mask && v.isIntegralNumber() ? Masker.mask(text) : text);
      }
    }
  }

  private static void extractKnown(Parsed p) {
    String msg = remove(p.fields, MESSAGE_KEYS);
    p.message = msg == null ? "" : msg;
    p.level = LogLevel.parse(remove(p.fields, LEVEL_KEYS));
    p.timestamp = parseTime(remove(p.fields, TIME_KEYS));
    p.rawTraceId = remove(p.fields, TRACE_KEYS);
    p.rawSpanId = remove(p.fields, SPAN_KEYS);
    String traceparent = p.fields.get("traceparent");
    if (p.rawTraceId == null && traceparent != null && traceparent.length() >= 55) {
      p.rawTraceId = traceparent.substring(3, 35);
      p.rawSpanId = p.rawSpanId != null ? p.rawSpanId : traceparent.substring(36, 52);
    }
  }

  private static String remove(Map<String, String> fields, String[] keys) {
    for (String k : keys) {
      String v = fields.remove(k);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static String first(Map<String, String> fields, String[] keys) {
    for (String k : keys) {
      String v = fields.get(k);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  /** Epoch millis from ISO-8601, epoch seconds or epoch millis; null when unreadable. */
  static Long parseTime(String v) {
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      if (Character.isDigit(v.charAt(0)) && v.indexOf('-') < 0) {
        double d = Double.parseDouble(v);
        return d < 1e11 ? (long) (d * 1000) : (long) d;
      }
      return Instant.parse(v).toEpochMilli();
    } catch (NumberFormatException | DateTimeParseException e) {
      return null;
    }
  }

  private static boolean looksLikeLogfmt(String s) {
    int eq = s.indexOf('=');
    if (eq <= 0) {
      return false;
    }
    for (int i = 0; i < eq; i++) {
      char c = s.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == '@')) {
        return false;
      }
    }
    return true;
  }

  /** Parses {@code key=value} and {@code key="quoted value"} pairs; other words are ignored. */
  static void parseLogfmt(String s, Map<String, String> out) {
    int n = s.length();
    int i = 0;
    while (i < n) {
      while (i < n && s.charAt(i) == ' ') {
        i++;
      }
      int keyStart = i;
      while (i < n && s.charAt(i) != '=' && s.charAt(i) != ' ') {
        i++;
      }
      if (i >= n || s.charAt(i) != '=' || i == keyStart) {
        while (i < n && s.charAt(i) != ' ') {
          i++;
        }
        continue;
      }
      String key = s.substring(keyStart, i);
      i++;
      String value;
      if (i < n && s.charAt(i) == '"') {
        StringBuilder b = new StringBuilder();
        i++;
        while (i < n && s.charAt(i) != '"') {
          if (s.charAt(i) == '\\' && i + 1 < n) {
            i++;
          }
          b.append(s.charAt(i++));
        }
        i++;
        value = b.toString();
      } else {
        int v = i;
        while (i < n && s.charAt(i) != ' ') {
          i++;
        }
        value = s.substring(v, i);
      }
      out.put(key, value);
    }
  }

  /** A level named in the first words of free text ({@code ERROR}, {@code [warn]}), or null. */
  static LogLevel levelFromText(String text) {
    int limit = Math.min(text.length(), 80);
    int i = 0;
    while (i < limit) {
      while (i < limit && !Character.isLetter(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < limit && Character.isLetter(text.charAt(i))) {
        i++;
      }
      if (i - start >= 3 && i - start <= 8) {
        String word = text.substring(start, i);
        if (word.equals(word.toUpperCase(java.util.Locale.ROOT)) || text.charAt(Math.max(0, start - 1)) == '[') {
          LogLevel l = LogLevel.parse(word);
          if (l != null) {
            return l;
          }
        }
      }
    }
    return null;
  }
}
