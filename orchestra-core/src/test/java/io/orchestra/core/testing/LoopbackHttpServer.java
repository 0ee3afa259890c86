package io.orchestra.core.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.orchestra.core.transport.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A real HTTP(S) server on 127.0.0.1 and an ephemeral port, on the JDK's {@code
 * com.sun.net.httpserver}, for tests. Close it when done.
 */
public final class LoopbackHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicInteger requests = new AtomicInteger();
  private final boolean secure;

  private LoopbackHttpServer(HttpServer server, boolean secure) {
    this.server = server;
    this.secure = secure;
    this.executor = Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r, "loopback-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
  }

  /** A plain HTTP server. */
  public static LoopbackHttpServer http() {
    try {
      return new LoopbackHttpServer(HttpServer.create(address(), 0), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * An HTTPS server presenting the identity in {@code context}; when {@code requireClientAuth},
   * the handshake fails unless the client presents a certificate the context trusts.
   */
  public static LoopbackHttpServer https(SSLContext context, boolean requireClientAuth) {
    try {
      HttpsServer s = HttpsServer.create(address(), 0);
      s.setHttpsConfigurator(
          new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
              SSLParameters p = context.getDefaultSSLParameters();
              p.setNeedClientAuth(requireClientAuth);
              params.setSSLParameters(p);
            }
          });
      return new LoopbackHttpServer(s, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Serves {@code handler} under {@code path}; counts requests. */
  public LoopbackHttpServer route(String path, HttpHandler handler) {
    server.createContext(
        path,
        exchange -> {
          requests.incrementAndGet();
          try {
            handler.handle(exchange);
          } finally {
            exchange.close();
          }
        });
    return this;
  }

  /** Serves a fixed status and text under {@code path}. */
  public LoopbackHttpServer respond(String path, int status, String body) {
    return route(path, exchange -> send(exchange, status, body));
  }

  /** Starts serving. */
  public LoopbackHttpServer start() {
    server.start();
    return this;
  }

  /** Where to reach the server. */
  public Endpoint endpoint() {
    return new Endpoint(secure ? "https" : "http", "127.0.0.1", server.getAddress().getPort());
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Requests that reached a handler. */
  public int requestCount() {
    return requests.get();
  }

  /** Writes a text response. */
  public static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  }
}
