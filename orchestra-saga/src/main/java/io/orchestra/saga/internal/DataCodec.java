package io.orchestra.saga.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.orchestra.saga.SagaDataException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Saga data to and from JSON with the orchestrator's Jackson mapper. Keeps an {@link ObjectReader}
 * and {@link ObjectWriter} per class: they hold the root (de)serializer, which {@code
 * ObjectMapper.readValue} and {@code writeValueAsString} would otherwise look up (and construct
 * a type for) on every call, several times per saga. Thread-safe. Not public API.
 */
public final class DataCodec {
  /** Bounds the caches; saga data comes in a few types, so this is never reached in practice. */
  private static final int MAX_CACHED_TYPES = 256;

  private final ObjectMapper mapper;
  private final ConcurrentHashMap<Class<?>, ObjectReader> readers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Class<?>, ObjectWriter> writers = new ConcurrentHashMap<>();

  /** A codec over {@code mapper}. */
  public DataCodec(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * The mapper used when the application gives none: Jackson defaults, except that unknown
   * properties are ignored (responses merged into the data may carry more fields).
   */
  public static ObjectMapper defaultMapper() {
    ObjectMapper m = new ObjectMapper();
    m.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    m.enable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    return m;
  }

  /** The mapper. */
  public ObjectMapper mapper() {
    return mapper;
  }

  /** {@code value} as JSON. */
  public String write(Object value) {
    try {
      return writer(value.getClass()).writeValueAsString(value);
    } catch (Exception e) {
      throw new SagaDataException(
          "saga data of " + value.getClass().getName() + " cannot be written as JSON: " + message(e), e);
    }
  }

  /** JSON read into {@code type}. */
  public <D> D read(String json, Class<D> type) {
    try {
      return reader(type).readValue(json);
    } catch (Exception e) {
      throw new SagaDataException(
          "saga data cannot be read back as " + type.getName() + ": " + message(e), e);
    }
  }

  /** A writer for values of exactly {@code type}: what writeValueAsString would use for them. */
  private ObjectWriter writer(Class<?> type) {
    ObjectWriter w = writers.get(type);
    if (w == null) {
      w = mapper.writerFor(type);
      if (writers.size() < MAX_CACHED_TYPES) {
        writers.putIfAbsent(type, w);
      }
    }
    return w;
  }

  private ObjectReader reader(Class<?> type) {
    ObjectReader r = readers.get(type);
    if (r == null) {
      r = mapper.readerFor(type);
      if (readers.size() < MAX_CACHED_TYPES) {
        readers.putIfAbsent(type, r);
      }
    }
    return r;
  }

  /** JSON as a tree. */
  public JsonNode tree(String json) {
    try {
      return mapper.readTree(json);
    } catch (Exception e) {
      throw new SagaDataException("not JSON: " + message(e), e);
    }
  }

  /** A tree read into {@code type}. */
  public <D> D fromTree(JsonNode tree, Class<D> type) {
    try {
      return mapper.treeToValue(tree, type);
    } catch (Exception e) {
      throw new SagaDataException("JSON cannot be read as " + type.getName() + ": " + message(e), e);
    }
  }

  static String message(Throwable e) {
    String m = e.getMessage();
    if (m == null) {
      return e.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return nl > 0 ? m.substring(0, nl) : m;
  }
}
