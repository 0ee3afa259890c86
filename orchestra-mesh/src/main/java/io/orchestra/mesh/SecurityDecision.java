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
 */
public record SecurityDecision(
    boolean allowed, RejectionReason reason, String policy, String detail, PeerIdentity peer) {

  /** An allowed request. */
  public static SecurityDecision allow(String policy, String detail, PeerIdentity peer) {
    return new SecurityDecision(true, null, policy, detail, peer);
  }

  /** A denied request. */
  public static SecurityDecision deny(RejectionReason reason, String policy, String detail, PeerIdentity peer) {
    return new SecurityDecision(false, reason, policy, detail, peer);
  }
}
