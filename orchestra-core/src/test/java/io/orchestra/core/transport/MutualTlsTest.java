package io.orchestra.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.orchestra.core.testing.LoopbackHttpServer;
import io.orchestra.core.testing.TestCertificates;
import io.orchestra.core.testing.TestCertificates.Identity;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Mutual TLS through {@link HttpTransport} against a real HTTPS server with generated certificates. */
class MutualTlsTest {
  private static final Duration SLOW_HOST = Duration.ofSeconds(60);
  private static Identity ca;
  private static Identity otherCa;
  private static LoopbackHttpServer server;

  @BeforeAll
  static void start() {
    ca = TestCertificates.newCa("orchestra-test-ca");
    otherCa = TestCertificates.newCa("rogue-ca");
    Identity serverId = TestCertificates.newServer(ca);
    server =
        LoopbackHttpServer.https(TestCertificates.sslContext(serverId, ca), true)
            .respond("/hello", 200, "hello over mTLS")
            .start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpTransport clientWith(Identity clientIdentity) {
    return tls(TestCertificates.sslContext(clientIdentity, ca));
  }

  /**
   * The connect timeout covers the TLS handshake, which on a loaded 2-CPU host with a cold JVM can
   * take longer than the 5 s default (a timed-out handshake is a CONNECT_FAILURE, not the outcome
   * these tests are about). Nothing here is about timeouts.
   */
  private static HttpTransport tls(SSLContext ctx) {
    return HttpTransport.builder().sslContext(ctx).connectTimeout(SLOW_HOST).build();
  }

  @Test
  void validClientCertificate_isAccepted() {
    HttpTransport transport = clientWith(TestCertificates.newClient(ca, "CN=orders", "spiffe://test/ns/shop/sa/orders"));

    Response response = transport.send(server.endpoint(), Request.get("/hello")).toCompletableFuture().join();

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.bodyAsString()).isEqualTo("hello over mTLS");
  }

  @Test
  void expiredClientCertificate_isRefused() {
    assertRefused(clientWith(TestCertificates.newExpiredClient(ca, "CN=orders", null)));
  }

  @Test
  void certificateFromAnotherCa_isRefused() {
    assertRefused(clientWith(TestCertificates.newClient(otherCa, "CN=intruder", null)));
  }

  @Test
  void missingClientCertificate_isRefused() {
    assertRefused(clientWith(null));
  }

  @Test
  void serverNotTrustedByClient_isTlsFailure() {
    Identity me = TestCertificates.newClient(ca, "CN=orders", null);
    HttpTransport transport = tls(TestCertificates.sslContext(me, otherCa));

    Throwable error = failureOf(transport);

    assertThat(((TransportException) error).outcome()).isEqualTo(CallOutcome.TLS_FAILURE);
  }

  private void assertRefused(HttpTransport transport) {
    int before = server.requestCount();
    Throwable error = failureOf(transport);
    assertThat(error).isInstanceOf(TransportException.class);
    // With TLS 1.3 the client may learn of the refusal only when it reads, as a reset.
    assertThat(((TransportException) error).outcome()).isIn(CallOutcome.TLS_FAILURE, CallOutcome.RESET);
    assertThat(server.requestCount()).as("no request reached the handler").isEqualTo(before);
  }

  private static Throwable failureOf(HttpTransport transport) {
    Throwable t =
        catchThrowable(
            () -> transport.send(server.endpoint(), Request.get("/hello")).toCompletableFuture().get(2 * SLOW_HOST.toSeconds(), TimeUnit.SECONDS));
    assertThat(t).as("the call must fail").isNotNull();
    return CallOutcome.unwrap(t);
  }
}
