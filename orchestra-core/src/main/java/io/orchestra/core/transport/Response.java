package io.orchestra.core.transport;

import io.orchestra.core.internal.Checks;
import java.nio.charset.StandardCharsets;

/**
 * A response: status, headers and body. Immutable; the body array is not copied.
 *
 * @param status an HTTP status code, 100..599
 * @param headers header fields
 * @param body body bytes, never null
 */
public record Response(int status, Headers headers, byte[] body) {
  private static final byte[] EMPTY = new byte[0];

  /** Validates the fields. */
  public Response {
    Checks.inRange("response.status", status, 100, 599);
    Checks.notNull("response.headers", headers);
    Checks.notNull("response.body", body);
  }

  /** A response with no headers and no body. */
  public static Response of(int status) {
    return new Response(status, Headers.empty(), EMPTY);
  }

  /** A response with a UTF-8 text body. */
  public static Response of(int status, String body) {
    return new Response(status, Headers.empty(), body.getBytes(StandardCharsets.UTF_8));
  }

  /** The body decoded as UTF-8. */
  public String bodyAsString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** How this response classifies for retries and circuit breakers. */
  public CallOutcome outcome() {
    return CallOutcome.ofStatus(status);
  }

  @Override
  public String toString() {
    return "Response[" + status + ", " + headers + ", " + body.length + " bytes]";
  }
}
