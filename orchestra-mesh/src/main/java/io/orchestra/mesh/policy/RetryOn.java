package io.orchestra.mesh.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.orchestra.core.transport.CallOutcome;
import java.util.Locale;

/**
 * The classes of failed attempts that may be retried, with the seed's (and Envoy's) names: {@code
 * 5xx}, {@code gateway-error}, {@code connect-failure}, {@code reset}, {@code timeout}, {@code
 * retriable-status-codes}. JSON/YAML accept the names and the constant names.
 */
public enum RetryOn {
  /** Any 5xx response (gateway errors included). */
  SERVER_ERROR("5xx"),
  /** 502, 503 or 504. */
  GATEWAY_ERROR("gateway-error"),
  /** No connection could be made. */
  CONNECT_FAILURE("connect-failure"),
  /** The connection broke before a complete response. */
  RESET("reset"),
  /** No response within the per-try timeout. */
  TIMEOUT("timeout"),
  /** A status listed in {@code retriableStatusCodes}. */
  RETRIABLE_STATUS_CODES("retriable-status-codes");

  private final String code;

  RetryOn(String code) {
    this.code = code;
  }

  /** The seed's name, such as {@code gateway-error}. */
  @JsonValue
  public String code() {
    return code;
  }

  /** Whether an attempt that ended in {@code outcome} falls in this class (status codes aside). */
  public boolean covers(CallOutcome outcome) {
    switch (this) {
      case SERVER_ERROR:
        return outcome.isServerError();
      case GATEWAY_ERROR:
        return outcome == CallOutcome.GATEWAY_ERROR;
      case CONNECT_FAILURE:
        return outcome == CallOutcome.CONNECT_FAILURE;
      case RESET:
        return outcome == CallOutcome.RESET;
      case TIMEOUT:
        return outcome == CallOutcome.TIMEOUT;
      default:
        return false;
    }
  }

  /** Parses a seed name ({@code 5xx}) or a constant name ({@code SERVER_ERROR}), any case. */
  @JsonCreator
  public static RetryOn parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException("retryOn value must not be null");
    }
    String v = value.trim();
    for (RetryOn r : values()) {
      if (r.code.equalsIgnoreCase(v) || r.name().equalsIgnoreCase(v.replace('-', '_'))) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "unknown retryOn \""
            + value
            + "\"; expected one of 5xx, gateway-error, connect-failure, reset, timeout, retriable-status-codes");
  }

  @Override
  public String toString() {
    return code.toLowerCase(Locale.ROOT);
  }
}
