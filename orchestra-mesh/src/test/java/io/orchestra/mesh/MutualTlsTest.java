package io.orchestra.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.config.ConfigException;
import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.testing.TestCertificates;
import io.orchestra.core.testing.TestCertificates.Identity;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.mesh.policy.AuthorizationPolicy;
import io.orchestra.mesh.policy.MeshPolicies;
import io.orchestra.mesh.policy.MtlsPolicy;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** mTLS peer verification with certificates generated in the test. */
class MutualTlsTest {
  private static final String WEB = "spiffe://example.org/ns/shop/sa/web";
  private static Identity ca;
  private static Identity otherCa;

  private VirtualTime time;
  private ScriptedTransport transport;

  @BeforeAll
  static void authorities() {
    ca = TestCertificates.newCa("mesh-root");
    otherCa = TestCertificates.newCa("someone-else");
  }

  private TrafficManager manager(MtlsPolicy mtls) {
    transport = new ScriptedTransport();
    return Fixtures.manager(time, InstanceSource.of(Fixtures.instances("orders", 9001, 1)), transport)
        .config(MeshConfig.builder()
            .security(SecurityConfig.builder().rateLimitingEnabled(false).build())
            .build())
        .policies(
            MeshPolicies.builder()
                .mtls(mtls)
                .authorize(AuthorizationPolicy.allow("shop-only").namespaces(List.of("shop")).build())
                .build())
        .build();
  }

  private static MtlsPolicy trusting(Identity authority, String... allowed) {
    return MtlsPolicy.builder()
        .trustedCertificates(List.of(authority.certificate()))
        .allowedIdentities(List.of(allowed))
        .build();
  }

  private static MeshRequest from(Identity client) {
    PeerContext peer =
        PeerContext.builder()
            .sourceService("web")
            .namespace("shop") // declared, never trusted under mTLS
            .certificateChain(client == null ? List.of() : client.chain())
            .build();
    return MeshRequest.of(Request.get("/orders/1"), peer);
  }

  private Response route(TrafficManager m, Identity client) {
    return Fixtures.now(m.route(from(client), "orders"));
  }

  private static void assertMtlsDenied(Response r, String detail) {
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.headers().get("x-orchestra-rejection")).isEqualTo("mtls_verification_failed");
    assertThat(r.bodyAsString()).contains(detail);
  }

  @Test
  void validCertificate_withAllowedSpiffeId_isForwarded() {
    time = new VirtualTime(Instant.now());
    TrafficManager m = manager(trusting(ca, "spiffe://example.org/ns/shop/*"));
    Identity client = TestCertificates.newClient(ca, "CN=web", WEB);

    assertThat(route(m, client).status()).isEqualTo(200);
    SecurityDecision d = m.checkSecurity(from(client), "orders");
    assertThat(d.allowed()).isTrue();
    assertThat(d.peer()).isEqualTo(new PeerIdentity(WEB, "shop")); // namespace from the SPIFFE id
    assertThat(d.policy()).isEqualTo("shop-only");
  }

  @Test
  void expiredCertificate_isDenied() {
    time = new VirtualTime(Instant.now());
    TrafficManager m = manager(trusting(ca, "*"));
    assertMtlsDenied(route(m, TestCertificates.newExpiredClient(ca, "CN=web", WEB)), "certificate_expired");
    assertThat(transport.total()).isZero();
  }

  @Test
  void certificateFromAnotherAuthority_isDenied() {
    time = new VirtualTime(Instant.now());
    TrafficManager m = manager(trusting(ca, "*"));
    assertMtlsDenied(route(m, TestCertificates.newClient(otherCa, "CN=web", WEB)), "untrusted_chain");
  }

  @Test
  void validCertificate_withIdentityNotAllowed_isDenied() {
    time = new VirtualTime(Instant.now());
    TrafficManager m = manager(trusting(ca, "spiffe://example.org/ns/shop/sa/web"));
    Identity intruder = TestCertificates.newClient(ca, "CN=cron", "spiffe://example.org/ns/shop/sa/cron");
    assertMtlsDenied(route(m, intruder), "unauthorized_client");
    assertThat(route(m, TestCertificates.newClient(ca, "CN=web", WEB)).status()).isEqualTo(200);
  }

  @Test
  void noCertificate_isDenied() {
    time = new VirtualTime(Instant.now());
    assertMtlsDenied(route(manager(trusting(ca)), null), "missing_client_certificate");
  }

  @Test
  void withoutSpiffeId_theSubjectIsTheIdentity_andTheDeclaredNamespaceIsIgnored() {
    time = new VirtualTime(Instant.now());
    Identity legacy = TestCertificates.newClient(ca, "CN=legacy,O=Shop", null);
    String subject = legacy.certificate().getSubjectX500Principal().getName(); // RFC 2253
    TrafficManager m = manager(trusting(ca, subject));
    SecurityDecision d = m.checkSecurity(from(legacy), "orders");
    assertThat(d.peer().identity()).isEqualTo(subject).contains("CN=legacy");
    // Verified, but its namespace is unknown, so the shop-only policy does not apply: default deny.
    assertThat(d.allowed()).isFalse();
    assertThat(d.reason()).isEqualTo(RejectionReason.AUTHORIZATION_DENIED);
  }

  @Test
  void cachedVerification_stillExpiresWithTheInjectedClock() {
    time = new VirtualTime(Instant.now());
    TrafficManager m = manager(trusting(ca, "*"));
    Identity client = TestCertificates.newClient(ca, "CN=web", WEB); // valid for 30 days
    assertThat(route(m, client).status()).isEqualTo(200);
    assertThat(route(m, client).status()).isEqualTo(200);
    time.advance(Duration.ofDays(31));
    assertMtlsDenied(route(m, client), "certificate_expired");
  }

  @Test
  void certificateNotYetValid_isDenied() {
    time = new VirtualTime(Instant.now().minus(Duration.ofDays(5)));
    TrafficManager m = manager(trusting(ca, "*"));
    assertMtlsDenied(route(m, TestCertificates.newClient(ca, "CN=web", WEB)), "certificate_not_yet_valid");
  }

  @Test
  void leafWithoutClientAuthUsage_isDenied() throws Exception {
    time = new VirtualTime(Instant.now());
    TrafficManager m = manager(trusting(ca, "*"));
    assertMtlsDenied(route(m, serverOnlyLeaf(ca, WEB)), "key_usage");
  }

  @Test
  void localPeer_needsNoCertificate_butMustBeAnAllowedIdentity() {
    time = new VirtualTime(Instant.now());
    TrafficManager m = manager(trusting(ca, "spiffe://example.org/ns/shop/*"));
    assertThat(Fixtures.now(m.route(Request.get("/orders/1"), "orders")).status()).isEqualTo(200);

    TrafficManager strict = manager(trusting(ca, WEB));
    assertMtlsDenied(Fixtures.now(strict.route(Request.get("/orders/1"), "orders")), "unauthorized_client");
  }

  @Test
  void trustBundle_loadsFromPem_andRejectsMalformedOrLeafCertificates() {
    time = new VirtualTime(Instant.now());
    String yaml = "mtls:\n  trustBundle: |\n" + indent(pem(ca.certificate())) + "  allowedIdentities: [\"*\"]\n"
        + "authorization:\n  - name: all\n";
    MeshPolicies p = MeshPolicies.fromYaml(yaml);
    assertThat(p.mtls().trustBundle()).containsExactly(ca.certificate());

    String broken = "mtls:\n  trustBundle: |\n    -----BEGIN CERTIFICATE-----\n    bm90IGEgY2VydA==\n    -----END CERTIFICATE-----\n";
    assertThatThrownBy(() -> MeshPolicies.fromYaml(broken))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("mtls")
        .hasMessageContaining("not a valid PEM certificate bundle");

    Identity leaf = TestCertificates.newClient(ca, "CN=web", WEB);
    String leafAsCa = "mtls:\n  trustBundle: |\n" + indent(pem(leaf.certificate()));
    assertThatThrownBy(() -> MeshPolicies.fromYaml(leafAsCa))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not a CA certificate");
  }

  @Test
  void policySwap_replacesTheTrustBundle() {
    time = new VirtualTime(Instant.now());
    TrafficManager m = manager(trusting(ca, "*"));
    Identity client = TestCertificates.newClient(otherCa, "CN=web", WEB);
    assertMtlsDenied(route(m, client), "untrusted_chain");
    m.updatePolicies(m.policies().toBuilder().mtls(trusting(otherCa, "*")).build());
    assertThat(route(m, client).status()).isEqualTo(200);
  }

  static String pem(X509Certificate c) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(c.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String indent(String s) {
    StringBuilder b = new StringBuilder();
    for (String line : s.split("\n")) {
      b.append("    ").append(line).append('\n');
    }
    return b.toString();
  }

  /** A leaf signed by {@code issuer} whose extended key usage is serverAuth only. */
  private static Identity serverOnlyLeaf(Identity issuer, String spiffe) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    KeyPair kp = g.generateKeyPair();
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            issuer.certificate(),
            BigInteger.valueOf(now.toEpochMilli()),
            Date.from(now.minus(Duration.ofDays(1))),
            Date.from(now.plus(Duration.ofDays(1))),
            new X500Name("CN=server-only"),
            kp.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    b.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, spiffe)));
    X509Certificate cert =
        new JcaX509CertificateConverter()
            .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.key())));
    return new Identity(kp.getPrivate(), List.of(cert, issuer.certificate()));
  }
}
