package io.orchestra.mesh;

/**
 * Who a peer is, as authorization sees it: an identity (a SPIFFE id such as {@code
 * spiffe://example.org/ns/shop/sa/checkout}, or a certificate subject) and a namespace. Immutable.
 *
 * @param identity the identity, or null for an anonymous peer
 * @param namespace the namespace, or null when unknown
 */
public record PeerIdentity(String identity, String namespace) {
  private static final PeerIdentity ANONYMOUS = new PeerIdentity(null, null);

  /**
   * Spelled out (the same components as the record's): the traffic manager looks a peer's
   * profile up by its identity on every request, and this is cheaper than the generated one.
   */
  @Override
  public int hashCode() {
    return 31 * java.util.Objects.hashCode(identity) + java.util.Objects.hashCode(namespace);
  }

  /** A peer without identity or namespace. */
  public static PeerIdentity anonymous() {
    return ANONYMOUS;
  }

  /**
   * An identity whose namespace is the SPIFFE id's {@code /ns/<namespace>/} path segment when it
   * has one, else {@code fallbackNamespace}.
   */
  public static PeerIdentity of(String identity, String fallbackNamespace) {
    if (identity == null && fallbackNamespace == null) {
      return ANONYMOUS;
    }
    String ns = spiffeNamespace(identity);
    return new PeerIdentity(identity, ns != null ? ns : fallbackNamespace);
  }

  /**
   * The namespace in a SPIFFE id of the Kubernetes form {@code spiffe://<trust
   * domain>/ns/<namespace>/sa/<account>}, or null.
   */
  public static String spiffeNamespace(String identity) {
    if (identity == null || !identity.regionMatches(true, 0, "spiffe://", 0, 9)) {
      return null;
    }
    int slash = identity.indexOf('/', 9);
    while (slash >= 0) {
      if (identity.startsWith("/ns/", slash)) {
        int start = slash + 4;
        int end = identity.indexOf('/', start);
        String ns = end < 0 ? identity.substring(start) : identity.substring(start, end);
        return ns.isEmpty() ? null : ns;
      }
      slash = identity.indexOf('/', slash + 1);
    }
    return null;
  }
}
