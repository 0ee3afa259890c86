package io.orchestra.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.orchestra.core.testing.LoopbackHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HttpTransportTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private LoopbackHttpServer server;

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) {
      server.close();
    }
  }

  private LoopbackHttpServer startServer() {
    server =
        LoopbackHttpServer.http()
            .route(
                "/echo",
                exchange -> {
                  byte[] body = exchange.getRequestBody().readAllBytes();
                  exchange.getResponseHeaders().add("x-method", exchange.getRequestMethod());
                  exchange.getResponseHeaders().add("x-seen", String.valueOf(exchange.getRequestHeaders().getFirst("x-trace")));
                  exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
                  if (body.length > 0) {
                    exchange.getResponseBody().write(body);
                  }
                })
            .respond("/unavailable", 503, "down")
            .respond("/broken", 500, "bug")
            .respond("/missing", 404, "")
            .route(
                "/slow",
                exchange -> {
                  try {
                    release.await(10, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  LoopbackHttpServer.send(exchange, 200, "late");
                })
            .start();
    return server;
  }

  @ParameterizedTest
  @EnumSource(HttpClient.Version.class)
  void sendsMethodHeadersAndBody_andReadsTheResponse(HttpClient.Version version) {
    startServer();
    HttpTransport transport = HttpTransport.builder().version(version).build();
    Request request =
        Request.builder("POST", "/echo").header("X-Trace", "abc").body("hello").build();

    Response response = transport.send(server.endpoint(), request).toCompletableFuture().join();

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.bodyAsString()).isEqualTo("hello");
    assertThat(response.headers().get("x-method")).isEqualTo("POST");
    assertThat(response.headers().get("X-Seen")).isEqualTo("abc");
    assertThat(response.outcome()).isEqualTo(CallOutcome.SUCCESS);
  }

  @Test
  void errorStatusesAreResponses_classifiedByKind() {
    startServer();
    HttpTransport transport = HttpTransport.create();

    assertThat(call(transport, "/unavailable").outcome()).isEqualTo(CallOutcome.GATEWAY_ERROR);
    assertThat(call(transport, "/broken").outcome()).isEqualTo(CallOutcome.SERVER_ERROR);
    assertThat(call(transport, "/missing").outcome()).isEqualTo(CallOutcome.CLIENT_ERROR);
  }

  @Test
  void refusedConnection_isConnectFailure() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    HttpTransport transport = HttpTransport.create();

    Throwable error = failure(transport.send(Endpoint.http("127.0.0.1", closedPort), Request.get("/")));

    assertThat(error).isInstanceOf(TransportException.class);
    assertThat(((TransportException) error).outcome()).isEqualTo(CallOutcome.CONNECT_FAILURE);
    assertThat(error.getMessage()).contains("127.0.0.1:" + closedPort);
  }

  @Test
  void responseThatDoesNotArriveInTime_isTimeout() {
    startServer();
    HttpTransport transport = HttpTransport.create();
    Request request = Request.builder("GET", "/slow").timeout(Duration.ofMillis(200)).build();

    Throwable error = failure(transport.send(server.endpoint(), request));

    assertThat(((TransportException) error).outcome()).isEqualTo(CallOutcome.TIMEOUT);
  }

  @Test
  void connectionClosedWithoutResponse_isReset() throws Exception {
    try (ServerSocket raw = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      // Accept every connection (the client may retry an idempotent request once), read the
      // request, then hang up without answering.
      Thread acceptor =
          new Thread(
              () -> {
                while (!raw.isClosed()) {
                  try (Socket s = raw.accept()) {
                    InputStream in = s.getInputStream();
                    in.read(new byte[1024]);
                  } catch (IOException ignored) {
                    // closed by the test, or the client gave up
                  }
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      HttpTransport transport = HttpTransport.builder().version(HttpClient.Version.HTTP_1_1).build();

      Throwable error = failure(transport.send(Endpoint.http("127.0.0.1", raw.getLocalPort()), Request.get("/")));

      assertThat(((TransportException) error).outcome()).isEqualTo(CallOutcome.RESET);
    }
  }

  @Test
  void cancellingTheStage_abortsTheExchangeAndClosesItsConnection() throws Exception {
    try (ServerSocket raw = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CountDownLatch requestRead = new CountDownLatch(1);
      CountDownLatch clientHungUp = new CountDownLatch(1);
      // Reads the request, never answers, and waits to see the client close the connection.
      Thread peer =
          new Thread(
              () -> {
                try (Socket s = raw.accept()) {
                  InputStream in = s.getInputStream();
                  in.read(new byte[4096]);
                  requestRead.countDown();
                  while (in.read() >= 0) {
                    // nothing more is sent; read until the client hangs up
                  }
                  clientHungUp.countDown();
                } catch (IOException e) {
                  clientHungUp.countDown(); // reset by the client: also hung up
                }
              });
      peer.setDaemon(true);
      peer.start();
      HttpTransport transport = HttpTransport.builder().version(HttpClient.Version.HTTP_1_1).build();
      Request request = Request.builder("GET", "/hang").timeout(Duration.ofSeconds(60)).build();

      java.util.concurrent.CompletableFuture<Response> call =
          transport.send(Endpoint.http("127.0.0.1", raw.getLocalPort()), request).toCompletableFuture();
      assertThat(requestRead.await(10, TimeUnit.SECONDS)).isTrue();
      call.cancel(true);

      // Without propagation the connection stays open for the 60 s request timeout.
      assertThat(clientHungUp.await(10, TimeUnit.SECONDS)).as("client closed the connection").isTrue();
      // JDK 17 leaves the stage cancelled; JDK 25 completes it with the exchange's failure.
      assertThat(call.isCompletedExceptionally()).isTrue();
    }
  }

  @Test
  void restrictedHeadersAreLeftToTheClient_notRejected() {
    startServer();
    HttpTransport transport = HttpTransport.create();
    Request request = Request.builder("GET", "/echo").header("Host", "example").header("Connection", "close").build();

    assertThat(transport.send(server.endpoint(), request).toCompletableFuture().join().status()).isEqualTo(200);
  }

  @Test
  void aRequestTheClientCannotBuild_failsTheStage_neverThrows() {
    HttpTransport transport = HttpTransport.create();
    Request bad = Request.get("/has space"); // not a valid URI

    Throwable error = failure(transport.send(Endpoint.http("127.0.0.1", 1), bad));

    assertThat(error).isInstanceOf(TransportException.class);
    assertThat(((TransportException) error).outcome()).isEqualTo(CallOutcome.FAILURE);
    assertThat(error.getMessage()).contains("/has space");
  }

  @Test
  void requestBodyAndHeadersAreUtf8() {
    Request r = Request.builder("put", "/x").body("żółw").build();
    assertThat(r.method()).isEqualTo("PUT");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("żółw");
  }

  private Response call(Transport transport, String path) {
    return transport.send(server.endpoint(), Request.get(path)).toCompletableFuture().join();
  }

  private static Throwable failure(java.util.concurrent.CompletionStage<?> stage) {
    Throwable t = catchThrowable(() -> stage.toCompletableFuture().get(15, TimeUnit.SECONDS));
    assertThat(t).as("call should fail").isNotNull();
    return CallOutcome.unwrap(t);
  }
}
