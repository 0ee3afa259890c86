package io.orchestra.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.orchestra.core.internal.Checks;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Loads Orchestra configuration objects from JSON or YAML. Every configuration class in
 * Orchestra is an immutable object with a Jackson-aware builder, so the file names the same
 * properties as the builder; missing properties keep the builder's defaults, unknown properties
 * are errors, and durations may be written as {@code 30s}, {@code 250ms}, {@code PT5M} or a
 * number of milliseconds.
 *
 * <p>Errors come back as {@link ConfigException} naming the property path and the reason (a
 * validation failure in the builder keeps its message, which names the field and value).
 */
public final class ConfigLoader {
  private static final ObjectMapper JSON = configure(new ObjectMapper());
  private static final ObjectMapper YAML = configure(new ObjectMapper(new YAMLFactory()));

  private ConfigLoader() {}

  /** Parses JSON text into {@code type}. */
  public static <T> T fromJson(String json, Class<T> type) {
    Checks.notNull("json", json);
    return read(() -> JSON.readValue(json, type), type);
  }

  /** Parses YAML text into {@code type}. */
  public static <T> T fromYaml(String yaml, Class<T> type) {
    Checks.notNull("yaml", yaml);
    return read(() -> YAML.readValue(yaml, type), type);
  }

  /** Reads a {@code .json}, {@code .yaml} or {@code .yml} file into {@code type}. */
  public static <T> T fromFile(Path file, Class<T> type) {
    Checks.notNull("file", file);
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    ObjectMapper mapper = name.endsWith(".json") ? JSON : YAML;
    return read(
        () -> {
          try (InputStream in = Files.newInputStream(file)) {
            return mapper.readValue(in, type);
          }
        },
        type);
  }

  /** Converts an already parsed tree (for example one section of a larger file) into {@code type}. */
  public static <T> T fromTree(JsonNode tree, Class<T> type) {
    return read(() -> JSON.treeToValue(tree, type), type);
  }

  /**
   * A copy of the JSON mapper Orchestra uses (with the duration format registered), for
   * applications that embed Orchestra configuration in their own documents.
   */
  public static ObjectMapper jsonMapper() {
    return JSON.copy();
  }

  /** A copy of the YAML mapper Orchestra uses. */
  public static ObjectMapper yamlMapper() {
    return YAML.copy();
  }

  private static ObjectMapper configure(ObjectMapper mapper) {
    SimpleModule module = new SimpleModule("orchestra-durations");
    module.addDeserializer(Duration.class, new DurationDeserializer());
    module.addSerializer(Duration.class, ToStringSerializer.instance);
    mapper.registerModule(module);
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    mapper.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    return mapper;
  }

  private static <T> T read(Reader<T> reader, Class<T> type) {
    try {
      return reader.read();
    } catch (JsonMappingException e) {
      throw ConfigException.from(e, type);
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          "cannot parse " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FunctionalInterface
  private interface Reader<T> {
    T read() throws IOException;
  }

  private static final class DurationDeserializer extends StdDeserializer<Duration> {
    private static final long serialVersionUID = 1L;

    DurationDeserializer() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken token = p.currentToken();
      try {
        if (token == JsonToken.VALUE_NUMBER_INT) {
          return Duration.ofMillis(p.getLongValue());
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
          return Duration.ofNanos(Math.round(p.getDoubleValue() * 1e6));
        }
        if (token == JsonToken.VALUE_STRING) {
          return DurationParser.parse(p.getText());
        }
      } catch (IllegalArgumentException e) {
        throw JsonMappingException.from(p, e.getMessage(), e);
      }
      return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
    }
  }
}
