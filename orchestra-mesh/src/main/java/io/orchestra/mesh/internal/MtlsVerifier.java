package io.orchestra.mesh.internal;

import io.orchestra.mesh.PeerIdentity;
import io.orchestra.mesh.policy.MtlsPolicy;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies a peer's certificate chain against the trust bundle (PKIX path validation at the
 * injected clock's time, no revocation), checks the leaf's key usage for TLS client
 * authentication, and extracts the identity (the single SPIFFE id in the URI subject alternative
 * names, else the subject).
 *
 * <p>Successful verifications are cached per leaf certificate, bounded, with the chain's validity
 * window, so a connection's later requests cost one map lookup and one clock read. Failures are
 * not cached. Thread-safe.
 */
public final class MtlsVerifier {
  static final int MAX_CACHED = 10_000;
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_EKU = "2.5.29.37.0";
  private static final int SAN_URI = 6;

  private final Set<TrustAnchor> anchors;
  private final List<X509Certificate> anchorCertificates;
  private final List<String> allowedIdentities;
  private final Clock clock;
  private final ConcurrentHashMap<X509Certificate, Result> cache = new ConcurrentHashMap<>();

  MtlsVerifier(MtlsPolicy policy, Clock clock) {
    this.anchorCertificates = policy.trustBundle();
    Set<TrustAnchor> a = new HashSet<>();
    for (X509Certificate c : anchorCertificates) {
      a.add(new TrustAnchor(c, null));
    }
    this.anchors = Set.copyOf(a);
    this.allowedIdentities = policy.allowedIdentities();
    this.clock = clock;
  }

  /** The outcome of a verification: an identity, or a failure detail. */
  public static final class Result {
    final PeerIdentity identity;
    final String failure;
    final long notBeforeMillis;
    final long notAfterMillis;

    Result(PeerIdentity identity, long notBeforeMillis, long notAfterMillis) {
      this.identity = identity;
      this.failure = null;
      this.notBeforeMillis = notBeforeMillis;
      this.notAfterMillis = notAfterMillis;
    }

    Result(String failure) {
      this.identity = null;
      this.failure = failure;
      this.notBeforeMillis = 0;
      this.notAfterMillis = 0;
    }

    /** The verified identity, or null on failure. */
    public PeerIdentity identity() {
      return identity;
    }

    /** Why verification failed, or null. */
    public String failure() {
      return failure;
    }
  }

  /** Whether {@code identity} matches the allowed identity patterns (empty = any). */
  boolean isAllowed(String identity) {
    List<String> allowed = allowedIdentities;
    if (allowed.isEmpty()) {
      return true;
    }
    for (int i = 0; i < allowed.size(); i++) {
      String p = allowed.get(i);
      if (PolicyMatching.identityMatches(p, identity)) {
        return true;
      }
    }
    return false;
  }

  /** Verifies {@code chain} (leaf first). Never throws. */
  Result verify(List<X509Certificate> chain) {
    if (chain.isEmpty()) {
      return new Result("missing_client_certificate: the peer presented no certificate");
    }
    X509Certificate leaf = chain.get(0);
    long now = clock.millis();
    Result cached = cache.get(leaf);
    if (cached != null && now >= cached.notBeforeMillis && now <= cached.notAfterMillis) {
      return cached;
    }
    Result fresh = verifyUncached(chain, now);
    if (fresh.failure == null) {
      if (cache.size() >= MAX_CACHED) {
        cache.clear(); // bounded: a burst of new peers costs re-verification, never memory
      }
      cache.put(leaf, fresh);
    }
    return fresh;
  }

  private Result verifyUncached(List<X509Certificate> chain, long nowMillis) {
    if (anchors.isEmpty()) {
      return new Result("untrusted_chain: no trust bundle is configured");
    }
    X509Certificate leaf = chain.get(0);
    Date now = new Date(nowMillis);
    long notBefore = Long.MIN_VALUE;
    long notAfter = Long.MAX_VALUE;
    for (X509Certificate c : chain) {
      long nb = c.getNotBefore().getTime();
      long na = c.getNotAfter().getTime();
      if (nowMillis > na) {
        return new Result(
            "certificate_expired: " + c.getSubjectX500Principal().getName() + " expired at " + c.getNotAfter().toInstant());
      }
      if (nowMillis < nb) {
        return new Result(
            "certificate_not_yet_valid: " + c.getSubjectX500Principal().getName() + " is valid from " + c.getNotBefore().toInstant());
      }
      notBefore = Math.max(notBefore, nb);
      notAfter = Math.min(notAfter, na);
    }
    try {
      List<X509Certificate> path = new ArrayList<>(chain.size());
      for (X509Certificate c : chain) {
        if (!anchorCertificates.contains(c)) {
          path.add(c); // PKIX paths end below the trust anchor
        }
      }
      if (path.isEmpty()) {
        return new Result("untrusted_chain: the peer presented a trust anchor as its own certificate");
      }
      CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
      PKIXParameters params = new PKIXParameters(anchors);
      params.setRevocationEnabled(false);
      params.setDate(now);
      CertPathValidator.getInstance("PKIX").validate(certPath, params);
    } catch (CertPathValidatorException e) {
      return new Result("untrusted_chain: " + e.getMessage());
    } catch (GeneralSecurityException | RuntimeException e) {
      return new Result("untrusted_chain: " + e);
    }
    boolean[] keyUsage = leaf.getKeyUsage();
    if (keyUsage != null && (keyUsage.length == 0 || !keyUsage[0])) {
      return new Result("key_usage: the certificate does not allow digitalSignature");
    }
    try {
      List<String> eku = leaf.getExtendedKeyUsage();
      if (eku != null && !eku.contains(CLIENT_AUTH) && !eku.contains(ANY_EKU)) {
        return new Result("key_usage: the certificate's extended key usage lacks clientAuth");
      }
    } catch (CertificateParsingException e) {
      return new Result("key_usage: unreadable extended key usage: " + e.getMessage());
    }
    String spiffe;
    try {
      spiffe = spiffeId(leaf.getSubjectAlternativeNames());
    } catch (CertificateParsingException | IllegalStateException e) {
      return new Result("identity: " + e.getMessage());
    }
    String identity = spiffe != null ? spiffe : leaf.getSubjectX500Principal().getName();
    // Only a SPIFFE id carries a verified namespace; what the peer declares is not trusted.
    return new Result(PeerIdentity.of(identity, null), notBefore, notAfter);
  }

  private static String spiffeId(Collection<List<?>> names) {
    if (names == null) {
      return null;
    }
    String found = null;
    for (List<?> n : names) {
      if (n.size() >= 2 && n.get(0) instanceof Integer type && type == SAN_URI && n.get(1) instanceof String uri) {
        if (uri.regionMatches(true, 0, "spiffe://", 0, 9)) {
          if (found != null) {
            throw new IllegalStateException("the certificate has more than one SPIFFE id");
          }
          found = uri;
        }
      }
    }
    return found;
  }
}
