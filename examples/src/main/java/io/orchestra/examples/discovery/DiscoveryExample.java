package io.orchestra.examples.discovery;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.time.Ticker;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.core.transport.HttpTransport;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.core.transport.TransportException;
import io.orchestra.discovery.ClientContext;
import io.orchestra.discovery.ServiceDiscovery;
import io.orchestra.examples.LoopbackService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * Calling {@link ServiceDiscovery#discover} from application code: two instances of an "orders"
 * service in two zones register; a caller in zone eu-1a looks one up for each call, calls it over
 * HTTP and reports the outcome back (passive health); a retry asks for another instance than the
 * one that was tried. Run it with {@code main}; the test runs {@link #run()}.
 */
public final class DiscoveryExample {
  private DiscoveryExample() {}

  /**
   * What the caller saw.
   *
   * @param answeredBy the service that answered each call from eu-1a ({@code x-served-by})
   * @param retryInstance the instance discovery gave for a retry that avoids the first one
   * @param retryAnsweredBy who answered that retry
   */
  public record Result(List<String> answeredBy, String retryInstance, String retryAnsweredBy) {}

  public static Result run() throws Exception {
    try (LoopbackService east = LoopbackService.start("orders-east", (m, p) -> new LoopbackService.Answer(200, "order list"));
        LoopbackService west = LoopbackService.start("orders-west", (m, p) -> new LoopbackService.Answer(200, "order list"));
        ServiceDiscovery discovery = ServiceDiscovery.builder().build()) {
      // Registration: usually each instance does this for itself at startup.
      discovery.register(ServiceInstance.builder("orders-1", "orders")
          .address("127.0.0.1", east.port()).zone("eu-1a").region("eu-1").build());
      discovery.register(ServiceInstance.builder("orders-2", "orders")
          .address("127.0.0.1", west.port()).zone("eu-1b").region("eu-1").build());

      HttpTransport http = HttpTransport.create();
      Ticker ticker = Ticker.system();
      ClientContext here = ClientContext.of("eu-1a", "eu-1"); // build once per caller location
      List<String> answeredBy = new ArrayList<>();
      ServiceInstance first = null;
      for (int i = 0; i < 5; i++) {
        ServiceInstance target = discovery.discover("orders", here); // same zone while it is healthy
        first = first == null ? target : first;
        answeredBy.add(call(discovery, http, ticker, target));
      }
      // A retry avoids what the call already tried:
      ServiceInstance second = discovery.discover("orders", here.avoiding(first.id()));
      return new Result(answeredBy, second.id(), call(discovery, http, ticker, second));
    }
  }

  /** One call to {@code target}, reported back to discovery with its outcome and latency. */
  static String call(ServiceDiscovery discovery, HttpTransport http, Ticker ticker, ServiceInstance target) {
    long start = ticker.read();
    try {
      Response r = http.send(target.endpoint(), Request.get("/orders")).toCompletableFuture().join();
      discovery.recordResult(target, r.outcome(), ticker.read() - start);
      return r.headers().get("x-served-by");
    } catch (CompletionException e) {
      CallOutcome outcome = e.getCause() instanceof TransportException t ? t.outcome() : CallOutcome.FAILURE;
      discovery.recordResult(target, outcome, ticker.read() - start);
      throw e;
    }
  }

  public static void main(String[] args) throws Exception {
    Result r = run();
    System.out.println("calls from eu-1a answered by " + r.answeredBy());
    System.out.println("retry avoiding orders-1 went to " + r.retryInstance() + " (" + r.retryAnsweredBy() + ")");
  }
}
