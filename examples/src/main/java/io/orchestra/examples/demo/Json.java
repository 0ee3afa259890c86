package io.orchestra.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The demo's one Jackson mapper: request bodies of the services, the dashboard file. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** Parses {@code text}; an empty or malformed body reads as an empty object. */
  static JsonNode read(String text) {
    try {
      JsonNode node = text == null || text.isBlank() ? null : MAPPER.readTree(text);
      return node == null ? MAPPER.createObjectNode() : node;
    } catch (IOException e) {
      return MAPPER.createObjectNode();
    }
  }

  /** {@code value} as compact JSON. */
  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
