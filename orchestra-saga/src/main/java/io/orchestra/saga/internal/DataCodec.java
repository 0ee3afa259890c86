package io.orchestra.saga.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.orchestra.saga.SagaDataException;

/** Saga data to and from JSON with the orchestrator's Jackson mapper. Thread-safe. Not public API. */
public final class DataCodec {
  private final ObjectMapper mapper;

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
      return mapper.writeValueAsString(value);
    } catch (Exception e) {
      throw new SagaDataException(
          "saga data of " + value.getClass().getName() + " cannot be written as JSON: " + message(e), e);
    }
  }

  /** JSON read into {@code type}. */
  public <D> D read(String json, Class<D> type) {
    try {
      return mapper.readValue(json, type);
    } catch (Exception e) {
      throw new SagaDataException(
          "saga data cannot be read back as " + type.getName() + ": " + message(e), e);
    }
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
