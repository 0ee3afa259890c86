package io.orchestra.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.testing.TestCertificates;
import io.orchestra.core.testing.TestCertificates.Identity;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpTransport} against a real HTTP/2 server (Jetty): cleartext h2c by upgrade and h2 over
 * TLS negotiated by ALPN. The server answers with the protocol version it saw.
 */
class Http2TransportTest {
  /**
   * The connect timeout covers the TLS handshake, which on a loaded 2-CPU host with a cold JVM can
   * take longer than the 5 s default. Nothing here is about timeouts.
   */
  private static final Duration TLS_CONNECT = Duration.ofSeconds(60);
  private static Server server;
  private static ServerConnector cleartext;
  private static ServerConnector tls;
  private static Identity ca;

  @BeforeAll
  static void start() throws Exception {
    ca = TestCertificates.newCa("h2-ca");
    server = new Server();
    HttpConfiguration config = new HttpConfiguration();
    cleartext =
        new ServerConnector(server, new HttpConnectionFactory(config), new HTTP2CServerConnectionFactory(config));
    cleartext.setHost("127.0.0.1");

    HttpConfiguration httpsConfig = new HttpConfiguration(config);
    httpsConfig.addCustomizer(new SecureRequestCustomizer(false));
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setSslContext(TestCertificates.sslContext(TestCertificates.newServer(ca), ca));
    HttpConnectionFactory http1 = new HttpConnectionFactory(httpsConfig);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
    alpn.setDefaultProtocol(http1.getProtocol());
    tls =
        new ServerConnector(
            server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, new HTTP2ServerConnectionFactory(httpsConfig), http1);
    tls.setHost("127.0.0.1");

    server.addConnector(cleartext);
    server.addConnector(tls);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(
              org.eclipse.jetty.server.Request request,
              org.eclipse.jetty.server.Response response,
              Callback callback) {
            response.setStatus(200);
            String version = request.getConnectionMetaData().getHttpVersion().asString();
            Content.Sink.write(response, true, version, callback);
            return true;
          }
        });
    server.start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
  }

  @Test
  void http2Preferred_negotiatesH2OverTls() {
    HttpTransport transport =
        HttpTransport.builder().version(HttpClient.Version.HTTP_2).sslContext(TestCertificates.sslContext(null, ca)).connectTimeout(TLS_CONNECT).build();

    Response r = transport.send(Endpoint.https("127.0.0.1", tls.getLocalPort()), Request.get("/")).toCompletableFuture().join();

    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("HTTP/2.0");
  }

  @Test
  void http2Preferred_upgradesCleartextToH2c() {
    HttpTransport transport = HttpTransport.builder().version(HttpClient.Version.HTTP_2).build();
    Endpoint endpoint = Endpoint.http("127.0.0.1", cleartext.getLocalPort());

    // The first request upgrades the connection; later requests go over HTTP/2 frames.
    transport.send(endpoint, Request.get("/")).toCompletableFuture().join();
    Response r = transport.send(endpoint, Request.get("/")).toCompletableFuture().join();

    assertThat(r.bodyAsString()).isEqualTo("HTTP/2.0");
  }

  @Test
  void http11Configured_staysOnHttp11() {
    HttpTransport transport =
        HttpTransport.builder().version(HttpClient.Version.HTTP_1_1).sslContext(TestCertificates.sslContext(null, ca)).connectTimeout(TLS_CONNECT).build();

    Response r = transport.send(Endpoint.https("127.0.0.1", tls.getLocalPort()), Request.get("/")).toCompletableFuture().join();

    assertThat(r.bodyAsString()).isEqualTo("HTTP/1.1");
  }
}
