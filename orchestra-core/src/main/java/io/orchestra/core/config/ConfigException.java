package io.orchestra.core.config;

import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * A configuration file that cannot be turned into a valid configuration object. The message
 * names the property path (such as {@code circuitBreaker.failureRateThreshold}) and what is wrong.
 */
public class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** A failure with a message and cause. */
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  static ConfigException from(JsonMappingException e, Class<?> type) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String reason =
        root instanceof IllegalArgumentException && root.getMessage() != null
            ? root.getMessage()
            : e.getOriginalMessage();
    String where = path.length() == 0 ? type.getSimpleName() : type.getSimpleName() + " at '" + path + "'";
    return new ConfigException("invalid " + where + ": " + reason, e);
  }
}
