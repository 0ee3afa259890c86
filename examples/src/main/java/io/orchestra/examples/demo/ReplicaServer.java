package io.orchestra.examples.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.orchestra.core.transport.Endpoint;
import io.orchestra.examples.LoopbackService;
import io.orchestra.examples.demo.ServiceLogic.Call;
import io.orchestra.examples.demo.ServiceLogic.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One running replica of a demo service: a real HTTP server (the JDK's {@code
 * com.sun.net.httpserver}) on 127.0.0.1 with an ephemeral port. {@code GET /health} answers 200
 * while the server runs; every other path goes to the service's {@link ServiceLogic}, unless a
 * fault is switched on ({@link #failing(boolean)}), in which case it answers 503 while {@code
 * /health} stays green: the gray failure that passive health and circuit breakers exist for.
 * Thread-safe.
 */
final class ReplicaServer implements AutoCloseable {
  static {
    LoopbackService.tcpNoDelay(); // before the first server: the JDK reads the setting once
  }

  private final String instanceId;
  private final String version;
  private final ServiceLogic logic;
  private final ServerTelemetry telemetry;
  private final HttpServer server;
  private final AtomicBoolean failing = new AtomicBoolean();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final AtomicInteger faults = new AtomicInteger();

  private ReplicaServer(String instanceId, String version, ServiceLogic logic, ServerTelemetry telemetry, Executor executor)
      throws IOException {
    this.instanceId = instanceId;
    this.version = version;
    this.logic = logic;
    this.telemetry = telemetry;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
  }

  /** Starts a replica; {@code executor} runs its request handlers. */
  static ReplicaServer start(String instanceId, String version, ServiceLogic logic, ServerTelemetry telemetry, Executor executor)
      throws IOException {
    ReplicaServer replica = new ReplicaServer(instanceId, version, logic, telemetry, executor);
    replica.server.start();
    return replica;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      long start = telemetry.epochNanos();
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (path.equals("/health")) {
        send(exchange, Reply.of(200, "{\"status\":\"UP\"}"));
        return;
      }
      Reply reply;
      if (failing.get()) {
        faults.incrementAndGet();
        reply = new Reply(503, "{\"error\":\"injected_fault\"}", "ERROR injected fault: " + method + " " + path + " answered 503");
      } else {
        reply = logic.handle(new Call(method, path, body, exchange.getRequestHeaders().getFirst("Idempotency-Key")));
      }
      telemetry.served(this, method, path, exchange.getRequestHeaders().getFirst("traceparent"), start, reply);
      send(exchange, reply);
    } catch (RuntimeException e) {
      // A bug in the demo's service logic must show up as a 500, not as a hung connection.
      send(exchange, Reply.of(500, "{\"error\":\"internal\"}"));
    } finally {
      exchange.close();
    }
  }

  private void send(HttpExchange exchange, Reply reply) throws IOException {
    byte[] bytes = reply.json().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("content-type", "application/json");
    exchange.getResponseHeaders().set("x-instance", instanceId);
    exchange.getResponseHeaders().set("x-version", version);
    exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Switches the injected fault on or off. */
  void failing(boolean on) {
    failing.set(on);
  }

  String instanceId() {
    return instanceId;
  }

  String service() {
    return logic.service();
  }

  String version() {
    return version;
  }

  int port() {
    return server.getAddress().getPort();
  }

  Endpoint endpoint() {
    return Endpoint.http("127.0.0.1", port());
  }

  /** Requests answered 503 by the injected fault. */
  int faults() {
    return faults.get();
  }

  /** Whether the server has been stopped (crashed node or terminated replica). */
  boolean stopped() {
    return stopped.get();
  }

  /** Stops the server at once, dropping open connections (also how a node "crashes"). */
  @Override
  public void close() {
    if (stopped.compareAndSet(false, true)) {
      server.stop(0);
    }
  }
}
