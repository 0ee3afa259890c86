package io.orchestra.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.orchestra.core.transport.Endpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for one of your services in the small examples: a real HTTP server (the JDK's
 * {@code com.sun.net.httpserver}) on 127.0.0.1 with an ephemeral port, answering {@code GET
 * /health} with 200 and everything else with its {@link Handler}. Thread-safe; close it.
 */
public final class LoopbackService implements AutoCloseable {
  static {
    tcpNoDelay();
  }

  /** What the service answers. */
  public record Answer(int status, String body) {}

  /** The service's behaviour for everything but {@code /health}. */
  @FunctionalInterface
  public interface Handler {
    /** Answers {@code method} on {@code path} (without the query). */
    Answer handle(String method, String path);
  }

  private final String name;
  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicInteger requests = new AtomicInteger();

  private LoopbackService(String name, Handler handler) throws IOException {
    this.name = name;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    this.executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, name + "-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", exchange -> {
      try {
        exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/health")) {
          send(exchange, new Answer(200, "UP"));
        } else {
          requests.incrementAndGet();
          send(exchange, handler.handle(exchange.getRequestMethod(), path));
        }
      } finally {
        exchange.close();
      }
    });
  }

  /** Starts a service named {@code name} (the name is in its {@code x-served-by} header). */
  public static LoopbackService start(String name, Handler handler) throws IOException {
    LoopbackService s = new LoopbackService(name, handler);
    s.server.start();
    return s;
  }

  /**
   * Turns on TCP_NODELAY for the JDK's HTTP server (it must run before the first server is
   * created): it writes headers and body separately, and without it Nagle's algorithm and delayed
   * ACKs add about 40 ms to every loopback call.
   */
  public static void tcpNoDelay() {
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private void send(HttpExchange exchange, Answer answer) throws IOException {
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("x-served-by", name);
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:<port>}. */
  public Endpoint endpoint() {
    return Endpoint.http("127.0.0.1", port());
  }

  /** Requests received, health checks not counted. */
  public int requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
