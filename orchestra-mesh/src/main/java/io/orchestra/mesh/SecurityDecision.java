package io.orchestra.mesh;

/**
 * The result of the security checks (mTLS, authorization, rate limits, allowed methods) for one
 * request, with the policy that decided. Immutable.
 *
 * @param allowed whether every check passed
 * @param reason why it was denied, or null when allowed
 * @param policy the policy that decided (the matching ALLOW or DENY authorization policy, or the
 *     exhausted rate limit), or null
 * @param detail a human-readable explanation
 * @param peer the identity the checks used
 * @param path the path the checks decided on: the normalized one when {@code
 *     security.normalizePaths} is on (the default). An application serving the request itself
 *     should dispatch on this path, not the raw one, so that what it serves is what was
 *     authorized. Null when there was no request, or its path was rejected as ambiguous
 * ({@code invalid_request}), or the checks failed internally.
 */
public record SecurityDecision(
    boolean allowed, RejectionReason reason, String policy, String detail, PeerIdentity peer, String path) {

  /** An allowed request, decided on {@code path}. */
  public static SecurityDecision allow(String policy, String detail, PeerIdentity peer, String path) {
    return new SecurityDecision(true, null, policy, detail, peer, path);
  }

  /** A denied request, decided on {@code path} (null when it had none that could be checked). */
  public static SecurityDecision deny(
      RejectionReason reason, String policy, String detail, PeerIdentity peer, String path) {
    return new SecurityDecision(false, reason, policy, detail, peer, path);
  }
}
