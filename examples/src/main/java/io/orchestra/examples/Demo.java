package io.orchestra.examples;

import com.sun.net.httpserver.HttpServer;
import io.orchestra.core.resilience.AsyncRetry;
import io.orchestra.core.resilience.Backoff;
import io.orchestra.core.resilience.CircuitBreaker;
import io.orchestra.core.resilience.CircuitBreakerConfig;
import io.orchestra.core.resilience.RetryPolicy;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.Scheduler;
import io.orchestra.core.time.Ticker;
import io.orchestra.core.transport.Endpoint;
import io.orchestra.core.transport.HttpTransport;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The README's demo. This first version exercises orchestra-core on real HTTP services on
 * loopback: three instances of an "inventory" service, one of which fails; calls go through the
 * HTTP transport with retries onto the next instance and a circuit breaker per instance.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws Exception {
    List<HttpServer> servers = new ArrayList<>();
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      boolean broken = i == 1;
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      String name = "inventory-" + i;
      server.createContext(
          "/stock",
          exchange -> {
            byte[] body = (broken ? "out of order" : "{\"instance\":\"" + name + "\",\"stock\":42}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(broken ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      server.start();
      servers.add(server);
      endpoints.add(Endpoint.http("127.0.0.1", server.getAddress().getPort()));
      System.out.printf("[services] %s listening on %s%s%n", name, endpoints.get(i), broken ? " (answers 503)" : "");
    }

    HttpTransport transport = HttpTransport.builder().requestTimeout(Duration.ofSeconds(2)).build();
    CircuitBreakerConfig breakerConfig =
        CircuitBreakerConfig.builder().slidingWindowSize(5).minimumNumberOfCalls(3).waitDurationInOpenState(Duration.ofSeconds(30)).build();
    List<CircuitBreaker> breakers = new ArrayList<>();
    for (int i = 0; i < endpoints.size(); i++) {
      CircuitBreaker cb = CircuitBreaker.of("inventory-" + i, breakerConfig, Ticker.system());
      cb.onStateTransition(t -> System.out.printf("[breaker]  %s: %s -> %s%n", t.breakerName(), t.from(), t.to()));
      breakers.add(cb);
    }
    AsyncRetry retry =
        new AsyncRetry(
            RetryPolicy.builder().maxRetries(2).backoff(Backoff.fixed(Duration.ofMillis(10))).build(),
            Scheduler.systemDefault(),
            RandomSource.system());

    int ok = 0;
    int calls = 30;
    for (int call = 0; call < calls; call++) {
      int first = call;
      Response response =
          retry
              .executeCall(
                  attempt -> {
                    int index = (first + attempt) % endpoints.size();
                    CircuitBreaker cb = breakers.get(index);
                    if (!cb.tryAcquirePermission()) {
                      return java.util.concurrent.CompletableFuture.completedFuture(Response.of(503, "circuit open"));
                    }
                    long start = System.nanoTime();
                    return transport
                        .send(endpoints.get(index), Request.get("/stock"))
                        .whenComplete((r, e) -> cb.onResult(e != null ? io.orchestra.core.transport.CallOutcome.ofThrowable(e) : r.outcome(), System.nanoTime() - start));
                  },
                  AsyncRetry.RetryGate.ALWAYS)
              .get();
      if (response.status() == 200) {
        ok++;
      }
    }
    System.out.printf("[summary]  %d of %d calls succeeded; breaker states: %s%n", ok, calls,
        breakers.stream().map(b -> b.name() + "=" + b.state()).toList());
    servers.forEach(s -> s.stop(0));
    if (ok != calls) {
      System.exit(1);
    }
  }
}
