package io.orchestra.mesh.internal;

import io.orchestra.mesh.PeerIdentity;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one policy set decides from a peer's identity alone — whether mTLS allows it, and which
 * authorization policies' principal and namespace conditions it meets — computed once per identity
 * and cached (bounded; cleared when full). Comparing identity strings against patterns costs
 * tens of nanoseconds per request otherwise. Thread-safe.
 */
final class PeerProfiles {
  static final int MAX_CACHED = 4096;

  private final MtlsVerifier mtls;
  private final Authorizer authorizer;
  private final ConcurrentHashMap<PeerIdentity, Profile> cache = new ConcurrentHashMap<>();
  /**
   * The profile asked for last: a service's outbound calls mostly come from its own one identity,
   * and comparing a reference is cheaper than hashing into the map. Written only when it changes
   * (a shared line is not dirtied per request); a Profile's fields are final, so a racy read sees
   * a whole one.
   */
  private Profile last;

  PeerProfiles(MtlsVerifier mtls, Authorizer authorizer) {
    this.mtls = mtls;
    this.authorizer = authorizer;
  }

  /** The profile of {@code peer}. */
  Profile of(PeerIdentity peer) {
    Profile seen = last;
    if (seen != null && (seen.peer == peer || seen.peer.equals(peer))) {
      return seen;
    }
    Profile p = cache.get(peer);
    if (p == null) {
      p = new Profile(peer, mtls.isAllowed(peer.identity()), authorizer.peerMask(peer));
      if (cache.size() >= MAX_CACHED) {
        cache.clear(); // bounded: a flood of identities costs recomputation, never memory
      }
      cache.put(peer, p);
    }
    if (p != seen) {
      last = p;
    }
    return p;
  }

  /** The identity-only decisions for one peer. */
  static final class Profile {
    final PeerIdentity peer;
    final boolean mtlsAllowed;
    final long authorizationMask;

    Profile(PeerIdentity peer, boolean mtlsAllowed, long authorizationMask) {
      this.peer = peer;
      this.mtlsAllowed = mtlsAllowed;
      this.authorizationMask = authorizationMask;
    }
  }
}
