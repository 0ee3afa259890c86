package io.orchestra.mesh;

/**
 * Why the traffic manager answered a request itself instead of forwarding it. Each answer carries
 * the code in the {@code x-orchestra-rejection} header and in its JSON body.
 */
public enum RejectionReason {
  /** The peer's certificate chain or identity failed mTLS verification (401). */
  MTLS_VERIFICATION_FAILED("mtls_verification_failed", 401),
  /** A DENY policy applied, or no ALLOW policy did (403). */
  AUTHORIZATION_DENIED("authorization_denied", 403),
  /** A rate limit had no permit left (429). */
  RATE_LIMIT_EXCEEDED("rate_limit_exceeded", 429),
  /** The method is not in the allowed methods (405). */
  METHOD_NOT_ALLOWED("method_not_allowed", 405),
  /** The service's (or every candidate instance's) circuit breaker is open (503). */
  CIRCUIT_OPEN("circuit_open", 503),
  /** The service has no instance to send to (503). */
  NO_AVAILABLE_INSTANCES("no_available_instances", 503),
  /** The request, peer or destination is missing, or the path is ambiguous (400). */
  INVALID_REQUEST("invalid_request", 400),
  /** An unexpected failure inside the traffic manager (503); never an exception to the caller. */
  INTERNAL_ERROR("internal_error", 503);

  private final String code;
  private final int status;

  RejectionReason(String code, int status) {
    this.code = code;
    this.status = status;
  }

  /** The code, such as {@code rate_limit_exceeded}. */
  public String code() {
    return code;
  }

  /** The HTTP status of the answer. */
  public int status() {
    return status;
  }

  /** Whether this is one of the seed's security denials. */
  public boolean isSecurityDenial() {
    return ordinal() <= METHOD_NOT_ALLOWED.ordinal();
  }
}
