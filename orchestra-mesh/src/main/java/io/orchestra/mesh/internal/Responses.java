package io.orchestra.mesh.internal;

import io.orchestra.core.internal.JsonStrings;
import io.orchestra.core.transport.Headers;
import io.orchestra.core.transport.Response;
import io.orchestra.mesh.RejectionReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The answers the traffic manager gives itself: JSON bodies naming the reason (and the deciding
 * policy), with the reason in the {@code x-orchestra-rejection} header.
 */
final class Responses {
  static final String REJECTION_HEADER = "x-orchestra-rejection";
  static final String POLICY_HEADER = "x-orchestra-policy";
  static final String CIRCUIT_STATE_HEADER = "x-orchestra-circuit-state";
  static final String NEXT_RETRY_HEADER = "x-orchestra-next-retry-at";

  private Responses() {}

  /**
   * A rejection for {@code reason}.
   *
   * @param policy the deciding policy, or null
   * @param retryAfterNanos for rate limits, the wait until a permit (else ignored)
   * @param allow for {@code method_not_allowed}, the allowed methods (else null)
   */
  static Response rejection(
      RejectionReason reason, String service, String policy, String detail, long retryAfterNanos, String allow) {
    Headers.Builder h = Headers.builder().add("content-type", "application/json").add(REJECTION_HEADER, reason.code());
    if (policy != null) {
      h.add(POLICY_HEADER, policy);
    }
    if (reason == RejectionReason.RATE_LIMIT_EXCEEDED) {
      h.add("retry-after", Long.toString(Math.max(1, ceilSeconds(retryAfterNanos))));
    }
    if (allow != null) {
      h.add("allow", allow);
    }
    StringBuilder b = new StringBuilder(128).append('{');
    field(b, "status", reason.status());
    field(b, "error", title(reason.status()));
    field(b, "reason", reason.code());
    if (service != null) {
      field(b, "service", service);
    }
    if (policy != null) {
      field(b, "policy", policy);
    }
    field(b, "message", detail);
    b.setLength(b.length() - 1);
    b.append('}');
    return new Response(reason.status(), h.build(), b.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The seed's circuit-open answer: 503 with {@code circuitState} and {@code nextRetryAt} in the
   * body and in headers.
   *
   * @param nextRetryAt when probes will be admitted, or null when unknown (forced open)
   */
  static Response circuitOpen(String service, String state, Instant nextRetryAt, long retryAfterNanos, String scope) {
    Headers.Builder h =
        Headers.builder()
            .add("content-type", "application/json")
            .add(REJECTION_HEADER, RejectionReason.CIRCUIT_OPEN.code())
            .add(CIRCUIT_STATE_HEADER, state);
    if (nextRetryAt != null) {
      h.add(NEXT_RETRY_HEADER, nextRetryAt.toString());
      h.add("retry-after", Long.toString(Math.max(1, ceilSeconds(retryAfterNanos))));
    }
    StringBuilder b = new StringBuilder(192).append('{');
    field(b, "status", 503);
    field(b, "error", "Service Unavailable");
    field(b, "reason", RejectionReason.CIRCUIT_OPEN.code());
    field(b, "message", "Circuit breaker is open for " + scope + ": " + service);
    field(b, "service", service);
    field(b, "circuitState", state);
    if (nextRetryAt != null) {
      field(b, "nextRetryAt", nextRetryAt.toString());
    } else {
      b.append("\"nextRetryAt\":null,");
    }
    b.setLength(b.length() - 1);
    b.append('}');
    return new Response(503, h.build(), b.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static long ceilSeconds(long nanos) {
    return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
  }

  private static String title(int status) {
    switch (status) {
      case 400:
        return "Bad Request";
      case 401:
        return "Unauthorized";
      case 403:
        return "Forbidden";
      case 405:
        return "Method Not Allowed";
      case 429:
        return "Too Many Requests";
      default:
        return "Service Unavailable";
    }
  }

  private static void field(StringBuilder b, String name, int value) {
    b.append('"').append(name).append("\":").append(value).append(',');
  }

  private static void field(StringBuilder b, String name, String value) {
    b.append('"').append(name).append("\":");
    JsonStrings.append(b, value).append(',');
  }
}
