package io.orchestra.mesh.internal;

import io.orchestra.core.transport.Request;
import io.orchestra.mesh.PeerContext;
import io.orchestra.mesh.PeerIdentity;
import io.orchestra.mesh.RejectionReason;
import io.orchestra.mesh.SecurityConfig;
import io.orchestra.mesh.SecurityDecision;
import java.util.Set;
import java.util.TreeSet;

/**
 * The security checks in the seed's order: mTLS (the peer's verified identity, then the allowed
 * identities), authorization, rate limits, allowed methods. The first failing check decides.
 * Allocation-free when the request is allowed and no explanation is asked for. Thread-safe.
 */
final class SecurityGate {
  private final boolean mtls;
  private final boolean authorization;
  private final boolean rateLimiting;
  private final Set<String> allowedMethods;
  /**
   * Whether each of the common methods ({@link RequestMetrics#METHODS} but {@code OTHER}) is
   * allowed: an array read instead of hashing into the set on every request.
   */
  private final boolean[] allowedCommon = new boolean[RequestMetrics.METHODS.length - 1];
  final String allowHeader;

  SecurityGate(SecurityConfig config) {
    this.mtls = config.mtlsEnabled();
    this.authorization = config.authorizationPolicyEnabled();
    this.rateLimiting = config.rateLimitingEnabled();
    this.allowedMethods = config.allowedMethods();
    this.allowHeader = String.join(", ", new TreeSet<>(allowedMethods));
    for (int i = 0; i < allowedCommon.length; i++) {
      allowedCommon[i] = allowedMethods.contains(RequestMetrics.METHODS[i]);
    }
  }

  /** Whether {@code method} (upper case, as {@code Request} keeps it) is allowed. */
  boolean allowed(String method) {
    int m = RequestMetrics.methodIndex(method);
    return m < allowedCommon.length ? allowedCommon[m] : allowedMethods.contains(method);
  }

  /** The outcome of the checks: a denial, or (when explained) an allowance. */
  static final class Verdict {
    final RejectionReason reason; // null when allowed
    final String policy;
    final String detail;
    final PeerIdentity identity;
    final long retryAfterNanos;

    Verdict(RejectionReason reason, String policy, String detail, PeerIdentity identity, long retryAfterNanos) {
      this.reason = reason;
      this.policy = policy;
      this.detail = detail;
      this.identity = identity;
      this.retryAfterNanos = retryAfterNanos;
    }

    /** The public decision, for checks that ran on {@code path}. */
    SecurityDecision toDecision(String path) {
      return reason == null
          ? SecurityDecision.allow(policy, detail, identity, path)
          : SecurityDecision.deny(reason, policy, detail, identity, path);
    }
  }

  /**
   * Runs the checks. Returns null when the request is allowed and {@code explain} is false;
   * otherwise a verdict (a denial, or with {@code explain} the allowance and its policy).
   *
   * @param nowNanos a reading of the engine's ticker (the request's start), for the rate limits
   */
  Verdict evaluate(DestinationPolicy dp, Request request, PeerContext peer, boolean explain, long nowNanos) {
    // Kept under C2's FreqInlineSize (325 bytecodes) so that it inlines into the request path:
    // building a denial, and verifying a certificate chain, are calls of their own.
    PolicySet ps = dp.owner;
    PeerIdentity identity;
    if (mtls && !peer.isLocal()) {
      MtlsVerifier.Result verified = ps.mtls.verify(peer.certificateChain());
      if (verified.failure != null) {
        return deny(RejectionReason.MTLS_VERIFICATION_FAILED, null, verified.failure, PeerIdentity.anonymous(), 0);
      }
      identity = verified.identity;
    } else {
      identity = peer.declaredIdentity(); // in-process caller, or mTLS off: taken as declared
    }
    PeerProfiles.Profile profile = ps.profiles.of(identity);
    if (mtls && !profile.mtlsAllowed) {
      return identityNotAllowed(identity);
    }
    Authorizer.Rule rule = null;
    if (authorization) {
      rule = Authorizer.decide(dp.deny, dp.allow, identity, profile.authorizationMask, request);
      if (!rule.allows()) {
        return deny(RejectionReason.AUTHORIZATION_DENIED, rule.name, rule.detail, identity, 0);
      }
    }
    if (rateLimiting) {
      int refused = RateLimiter.tryAcquire(dp, identity, request, nowNanos);
      if (refused >= 0) {
        return rateLimited(dp, refused, identity, request);
      }
    }
    if (!allowed(request.method())) {
      return methodNotAllowed(request, identity);
    }
    return explain ? allowance(rule, identity) : null;
  }

  private static Verdict identityNotAllowed(PeerIdentity identity) {
    String who = identity.identity() == null ? "(none)" : "\"" + identity.identity() + "\"";
    return deny(RejectionReason.MTLS_VERIFICATION_FAILED, null, "unauthorized_client: identity " + who + " is not allowed", identity, 0);
  }

  private static Verdict rateLimited(DestinationPolicy dp, int refused, PeerIdentity identity, Request request) {
    RateLimiter.Limit limit = dp.limits[refused];
    long wait = dp.tables[refused].nanosUntilPermit(limit.key(identity, request));
    return deny(RejectionReason.RATE_LIMIT_EXCEEDED, limit.policy.name(), limit.detail, identity, wait);
  }

  private Verdict methodNotAllowed(Request request, PeerIdentity identity) {
    return deny(
        RejectionReason.METHOD_NOT_ALLOWED,
        null,
        "method " + request.method() + " is not allowed (allowed: " + allowHeader + ")",
        identity,
        0);
  }

  private static Verdict allowance(Authorizer.Rule rule, PeerIdentity identity) {
    return rule == null
        ? new Verdict(null, null, "authorization disabled", identity, 0)
        : new Verdict(null, rule.name, rule.detail, identity, 0);
  }

  private static Verdict deny(RejectionReason reason, String policy, String detail, PeerIdentity identity, long retryAfterNanos) {
    return new Verdict(reason, policy, detail, identity, retryAfterNanos);
  }
}
