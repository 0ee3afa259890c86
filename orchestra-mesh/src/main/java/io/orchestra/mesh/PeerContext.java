package io.orchestra.mesh;

import io.orchestra.core.internal.Checks;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The security context of whoever sent a request: the calling service, its certificate chain (for
 * mutual TLS), a declared identity and namespace, and the client address. Immutable and
 * thread-safe; create one per connection and reuse it for its requests, which lets the traffic
 * manager reuse the chain's verification.
 *
 * <p>Two kinds exist. A <em>network</em> peer ({@link #builder()}) proves its identity with its
 * certificate chain when mTLS is enabled; its declared identity is then ignored. A <em>local</em>
 * peer ({@link #local}) is the application itself calling out through the mesh: it is
 * authenticated by being in the same process, so mTLS accepts its declared identity (still checked
 * against the allowed identities) and no certificate is needed.
 */
public final class PeerContext {
  private static final PeerContext ANONYMOUS = new Builder().build();

  private final String sourceService;
  private final PeerIdentity declared;
  private final List<X509Certificate> certificateChain;
  private final String clientAddress;
  private final boolean local;

  private PeerContext(Builder b, boolean local) {
    this.sourceService = b.sourceService;
    this.declared = PeerIdentity.of(b.identity, b.namespace);
    this.certificateChain = List.copyOf(b.certificateChain);
    this.clientAddress = b.clientAddress;
    this.local = local;
  }

  /** A network peer with nothing known about it. */
  public static PeerContext anonymous() {
    return ANONYMOUS;
  }

  /** A builder for a network peer. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The application itself as a caller.
   *
   * @param sourceService this service's name, or null
   * @param identity this service's identity (such as its SPIFFE id), or null
   * @param namespace its namespace, or null (taken from a SPIFFE id when there is one)
   */
  public static PeerContext local(String sourceService, String identity, String namespace) {
    Builder b = new Builder().sourceService(sourceService).identity(identity).namespace(namespace);
    return new PeerContext(b, true);
  }

  /**
   * A network peer from a TLS session: its certificate chain, or none when the peer presented no
   * certificate.
   */
  public static Builder fromSslSession(SSLSession session) {
    Checks.notNull("session", session);
    Builder b = new Builder();
    try {
      Certificate[] chain = session.getPeerCertificates();
      List<X509Certificate> x509 = new ArrayList<>(chain.length);
      for (Certificate c : chain) {
        if (c instanceof X509Certificate x) {
          x509.add(x);
        }
      }
      b.certificateChain(x509);
    } catch (SSLPeerUnverifiedException e) {
      // No client certificate: mTLS verification will deny with missing_client_certificate.
    }
    if (session.getPeerHost() != null) {
      b.clientAddress(session.getPeerHost());
    }
    return b;
  }

  /** The calling service's name (used by route rules' {@code source} and metrics), or null. */
  public String sourceService() {
    return sourceService;
  }

  /**
   * The identity and namespace the peer declares. Used as is for local peers and when mTLS is
   * disabled; with mTLS, a network peer's identity comes from its certificate instead.
   */
  public PeerIdentity declaredIdentity() {
    return declared;
  }

  /** The peer's certificate chain, leaf first; empty when it presented none. */
  public List<X509Certificate> certificateChain() {
    return certificateChain;
  }

  /** The client's address, or null. */
  public String clientAddress() {
    return clientAddress;
  }

  /** Whether this is the application itself (see the class description). */
  public boolean isLocal() {
    return local;
  }

  @Override
  public String toString() {
    return (local ? "LocalPeer[" : "Peer[")
        + "service="
        + sourceService
        + ", identity="
        + declared.identity()
        + ", namespace="
        + declared.namespace()
        + ", certificates="
        + certificateChain.size()
        + ", address="
        + clientAddress
        + "]";
  }

  /** Builds a network {@link PeerContext}; not thread-safe. */
  public static final class Builder {
    private String sourceService;
    private String identity;
    private String namespace;
    private List<X509Certificate> certificateChain = List.of();
    private String clientAddress;

    private Builder() {}

    /** The calling service's name. */
    public Builder sourceService(String sourceService) {
      this.sourceService = sourceService;
      return this;
    }

    /** The declared identity (trusted only when mTLS is disabled). */
    public Builder identity(String identity) {
      this.identity = identity;
      return this;
    }

    /** The declared namespace. */
    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /** The client certificate chain, leaf first. */
    public Builder certificateChain(List<X509Certificate> chain) {
      this.certificateChain = Checks.noNulls("certificateChain", chain);
      return this;
    }

    /** The client address. */
    public Builder clientAddress(String clientAddress) {
      this.clientAddress = clientAddress;
      return this;
    }

    /** The network peer context. */
    public PeerContext build() {
      return new PeerContext(this, false);
    }
  }
}
