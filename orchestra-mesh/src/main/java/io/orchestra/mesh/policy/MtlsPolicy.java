package io.orchestra.mesh.policy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Mutual-TLS settings: the certificate authorities that vouch for peers (the trust bundle) and
 * the peer identities allowed to call. A peer's identity is the SPIFFE id in its certificate's URI
 * subject alternative name, or else its subject distinguished name (RFC 2253). Immutable.
 *
 * <p>In YAML the trust bundle is PEM text ({@code trustBundle: |}) or a PEM file ({@code
 * trustBundleFile: /etc/mesh/ca.pem}); malformed PEM and non-CA certificates fail at load time.
 *
 * @param trustBundle trusted CA certificates; empty = no network peer can be verified
 * @param allowedIdentities identity patterns (exact, {@code *}, or a prefix ending in {@code *});
 *     empty = every identity the trust bundle vouches for
 */
@JsonDeserialize(builder = MtlsPolicy.Builder.class)
public record MtlsPolicy(List<X509Certificate> trustBundle, List<String> allowedIdentities) {

  private static final MtlsPolicy NONE = new MtlsPolicy(List.of(), List.of());

  /** Validates the fields: every trusted certificate must be a CA certificate. */
  public MtlsPolicy {
    trustBundle = trustBundle == null ? List.of() : List.copyOf(Checks.noNulls("mtls.trustBundle", trustBundle));
    for (int i = 0; i < trustBundle.size(); i++) {
      X509Certificate c = trustBundle.get(i);
      Checks.argument(
          c.getBasicConstraints() >= 0,
          "mtls.trustBundle[%s] (%s) is not a CA certificate (basicConstraints CA=false)",
          i,
          c.getSubjectX500Principal().getName());
    }
    allowedIdentities = Patterns.identityPatterns("mtls.allowedIdentities", allowedIdentities);
  }

  /** No trust bundle, any identity. */
  public static MtlsPolicy none() {
    return NONE;
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Parses PEM text holding one or more certificates.
   *
   * @throws IllegalArgumentException naming {@code field} when the text is not valid PEM
   */
  public static List<X509Certificate> parsePem(String field, String pem) {
    Checks.notBlank(field, pem);
    Collection<? extends Certificate> certs;
    try {
      certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (CertificateException e) {
      // No cause: the config loader reports the deepest cause's message, and this one is clearer.
      throw new IllegalArgumentException(field + " is not a valid PEM certificate bundle: " + e.getMessage());
    }
    Checks.argument(!certs.isEmpty(), "%s contains no certificate", field);
    List<X509Certificate> out = new ArrayList<>(certs.size());
    for (Certificate c : certs) {
      out.add((X509Certificate) c);
    }
    return out;
  }

  /** Builds an {@link MtlsPolicy}; not thread-safe. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private final List<X509Certificate> trustBundle = new ArrayList<>();
    private List<String> allowedIdentities = List.of();

    Builder() {}

    /** Adds the certificates of a PEM bundle (JSON/YAML {@code trustBundle}). */
    public Builder trustBundle(String pem) {
      trustBundle.addAll(parsePem("mtls.trustBundle", pem));
      return this;
    }

    /** Adds the certificates of a PEM file (JSON/YAML {@code trustBundleFile}). */
    public Builder trustBundleFile(String path) {
      String field = "mtls.trustBundleFile";
      Checks.notBlank(field, path);
      String pem;
      try {
        pem = Files.readString(Path.of(path), StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new IllegalArgumentException(field + " cannot be read: " + path + " (" + e + ")");
      }
      trustBundle.addAll(parsePem(field + " " + path, pem));
      return this;
    }

    /** Adds trusted CA certificates. */
    @JsonIgnore
    public Builder trustedCertificates(List<X509Certificate> certificates) {
      trustBundle.addAll(Checks.noNulls("mtls.trustedCertificates", certificates));
      return this;
    }

    /** Allowed identity patterns. */
    public Builder allowedIdentities(List<String> patterns) {
      this.allowedIdentities = patterns;
      return this;
    }

    /** The policy; fails naming the first invalid field. */
    public MtlsPolicy build() {
      return new MtlsPolicy(trustBundle, allowedIdentities);
    }
  }
}
