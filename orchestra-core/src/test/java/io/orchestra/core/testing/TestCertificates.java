package io.orchestra.core.testing;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates generated during a test with BouncyCastle: certificate authorities, server
 * certificates for {@code 127.0.0.1}/{@code localhost}, and client certificates with a subject and
 * optional SPIFFE id, valid or expired. Nothing is read from disk.
 *
 * <p>Shared with the engines' tests through orchestra-core's test jar (they also need {@code
 * bcpkix-jdk18on} on their test class path).
 */
public final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());
  private static final char[] PASSWORD = "changeit".toCharArray();

  private TestCertificates() {}

  /** A key pair and its certificate chain (leaf first). */
  public record Identity(PrivateKey key, List<X509Certificate> chain) {
    /** The leaf certificate. */
    public X509Certificate certificate() {
      return chain.get(0);
    }
  }

  /** A self-signed certificate authority. */
  public static Identity newCa(String commonName) {
    try {
      KeyPair kp = newKeyPair();
      X500Name name = new X500Name("CN=" + commonName);
      Instant now = Instant.now();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              name,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(now.minus(Duration.ofDays(1))),
              Date.from(now.plus(Duration.ofDays(365))),
              name,
              kp.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
      X509Certificate cert = sign(b, kp.getPrivate());
      return new Identity(kp.getPrivate(), List.of(cert));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A server certificate for 127.0.0.1 and localhost, signed by {@code ca}. */
  public static Identity newServer(Identity ca) {
    return newLeaf(ca, "CN=localhost", null, true, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
  }

  /** A valid client certificate with {@code subject} (an X.500 name) and optional SPIFFE id. */
  public static Identity newClient(Identity ca, String subject, String spiffeId) {
    return newLeaf(ca, subject, spiffeId, false, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
  }

  /** A client certificate that expired yesterday. */
  public static Identity newExpiredClient(Identity ca, String subject, String spiffeId) {
    return newLeaf(ca, subject, spiffeId, false, Instant.now().minus(Duration.ofDays(10)), Instant.now().minus(Duration.ofDays(1)));
  }

  /** A leaf certificate with full control over its fields. */
  public static Identity newLeaf(
      Identity ca, String subject, String spiffeId, boolean server, Instant notBefore, Instant notAfter) {
    try {
      KeyPair kp = newKeyPair();
      X509Certificate caCert = ca.certificate();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              caCert,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(notBefore),
              Date.from(notAfter),
              new X500Name(subject),
              kp.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              server
                  ? new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}
                  : new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}));
      b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
      List<GeneralName> names = new ArrayList<>();
      if (server) {
        names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        names.add(new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress()));
      }
      if (spiffeId != null) {
        names.add(new GeneralName(GeneralName.uniformResourceIdentifier, spiffeId));
      }
      if (!names.isEmpty()) {
        b.addExtension(
            Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
      }
      X509Certificate cert = sign(b, ca.key());
      List<X509Certificate> chain = new ArrayList<>();
      chain.add(cert);
      chain.addAll(ca.chain());
      return new Identity(kp.getPrivate(), List.copyOf(chain));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A TLS context presenting {@code identity} (may be null) and trusting {@code trusted} CAs. */
  public static SSLContext sslContext(Identity identity, Identity... trusted) {
    try {
      KeyManagerFactory kmf = null;
      if (identity != null) {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("me", identity.key(), PASSWORD, identity.chain().toArray(new X509Certificate[0]));
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trustStore(trusted));
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A key store holding the given CAs as trusted certificates. */
  public static KeyStore trustStore(Identity... trusted) {
    try {
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      int i = 0;
      for (Identity ca : trusted) {
        ts.setCertificateEntry("ca" + i++, ca.certificate());
      }
      return ts;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws Exception {
    ContentSigner cs = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
    return new JcaX509CertificateConverter().getCertificate(b.build(cs));
  }
}
