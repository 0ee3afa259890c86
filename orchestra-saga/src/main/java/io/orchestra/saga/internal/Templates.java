package io.orchestra.saga.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestra.saga.SagaDataException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code ${name}} placeholders in service-call templates. Names are dotted paths into the saga
 * data's JSON ({@code customer.id}, {@code items.0.sku}); the resolver supplies the {@code saga.*}
 * names. Not public API.
 */
public final class Templates {
  private Templates() {}

  /** Resolves a placeholder name to a JSON value, or null when it has none. */
  @FunctionalInterface
  public interface Resolver {
    /** The value of {@code name}, or null. */
    JsonNode resolve(String name);
  }

  /** Fails with IllegalArgumentException naming {@code field} if a placeholder is malformed. */
  public static void validate(String field, String template) {
    int i = 0;
    while ((i = template.indexOf("${", i)) >= 0) {
      int end = template.indexOf('}', i + 2);
      if (end < 0) {
        throw new IllegalArgumentException(
            field + " has an unclosed placeholder at index " + i + ": \"" + template + "\"");
      }
      if (template.substring(i + 2, end).isBlank()) {
        throw new IllegalArgumentException(
            field + " has an empty placeholder at index " + i + ": \"" + template + "\"");
      }
      i = end + 1;
    }
  }

  /** Expands placeholders as text, URL-encoded when {@code urlEncode}. */
  public static String text(String template, Resolver resolver, boolean urlEncode) {
    return expand(template, resolver, urlEncode ? Mode.URL : Mode.TEXT);
  }

  /** Expands placeholders as JSON values. */
  public static String json(String template, Resolver resolver) {
    return expand(template, resolver, Mode.JSON);
  }

  /** Walks a dotted path through a JSON tree; null when absent. */
  public static JsonNode at(JsonNode root, String path) {
    JsonNode node = root;
    int start = 0;
    while (node != null && start <= path.length()) {
      int dot = path.indexOf('.', start);
      String part = dot < 0 ? path.substring(start) : path.substring(start, dot);
      if (node.isArray() && isIndex(part)) {
        node = node.get(Integer.parseInt(part));
      } else {
        node = node.get(part);
      }
      if (dot < 0) {
        break;
      }
      start = dot + 1;
    }
    return node == null || node.isMissingNode() ? null : node;
  }

  private static boolean isIndex(String s) {
    if (s.isEmpty() || s.length() > 9) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private enum Mode {
    TEXT,
    URL,
    JSON
  }

  private static String expand(String template, Resolver resolver, Mode mode) {
    int i = template.indexOf("${");
    if (i < 0) {
      return template;
    }
    StringBuilder out = new StringBuilder(template.length() + 32);
    int from = 0;
    while (i >= 0) {
      int end = template.indexOf('}', i + 2);
      out.append(template, from, i);
      String name = template.substring(i + 2, end).trim();
      JsonNode value = resolver.resolve(name);
      if (value == null) {
        throw new SagaDataException("placeholder ${" + name + "} has no value in the saga data");
      }
      if (mode == Mode.JSON) {
        out.append(value.toString());
      } else {
        String text = value.isValueNode() ? value.asText() : value.toString();
        out.append(mode == Mode.URL ? urlEncode(text) : text);
      }
      from = end + 1;
      i = template.indexOf("${", from);
    }
    out.append(template, from, template.length());
    return out.toString();
  }

  /** URL-encodes {@code s} for a path segment or query (spaces as %20). */
  public static String urlEncode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
