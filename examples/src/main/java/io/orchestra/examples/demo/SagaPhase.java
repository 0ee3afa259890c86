package io.orchestra.examples.demo;

import io.orchestra.examples.demo.OrderScript.Expected;
import io.orchestra.examples.demo.OrderScript.Scripted;
import io.orchestra.saga.SagaDefinition;
import io.orchestra.saga.SagaExecution;
import io.orchestra.saga.SagaOrchestrator;
import io.orchestra.saga.SagaResult;
import io.orchestra.saga.SagaStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the batch of "place order" sagas, a few at a time, on the embedded journal. When a share
 * of them has finished it runs the mid-run hook (the node failure) while the rest are in flight,
 * then waits for all of them and sorts the outcomes.
 */
final class SagaPhase {
  private final SagaOrchestrator orchestrator;
  private final SagaDefinition<Order> definition;
  private final Console console;

  /**
   * How the batch ended.
   *
   * @param orders sagas started
   * @param completed ended COMPLETED
   * @param compensatedAtPayment ended COMPENSATED because the charge failed
   * @param compensatedAtShipping ended COMPENSATED because the shipment failed
   * @param other ended otherwise (FAILED, COMPENSATION_FAILED) or not at all
   * @param mismatches orders whose outcome is not the scripted one
   * @param results the results by order id
   * @param sagaIds the saga id of each order
   */
  record Result(
      int orders,
      int completed,
      int compensatedAtPayment,
      int compensatedAtShipping,
      int other,
      int mismatches,
      Map<String, SagaResult<Order>> results,
      Map<String, String> sagaIds) {}

  SagaPhase(SagaOrchestrator orchestrator, SagaDefinition<Order> definition, Console console) {
    this.orchestrator = orchestrator;
    this.definition = definition;
    this.console = console;
  }

  /**
   * Runs the batch, {@code concurrency} at a time, calling {@code midRun} once {@code midRunAfter}
   * sagas have ended, and printing progress every {@code progressEvery} ended sagas (0: never).
   */
  Result run(List<Scripted> orders, int concurrency, int midRunAfter, Runnable midRun, int progressEvery)
      throws InterruptedException {
    console.phase("saga", "%d orders through place-order (%s -> %s -> %s), %d at a time, on the embedded H2 journal",
        orders.size(), PlaceOrderSaga.RESERVE, PlaceOrderSaga.CHARGE, PlaceOrderSaga.SHIP, concurrency);
    Map<String, SagaResult<Order>> results = new ConcurrentHashMap<>();
    Map<String, String> sagaIds = new ConcurrentHashMap<>();
    CountDownLatch mid = new CountDownLatch(Math.min(midRunAfter, orders.size()));
    CountDownLatch all = new CountDownLatch(orders.size());
    AtomicInteger lost = new AtomicInteger();
    AtomicInteger ended = new AtomicInteger();
    Semaphore inFlight = new Semaphore(concurrency);
    Thread launcher =
        new Thread(
            () -> {
              for (Scripted s : orders) {
                try {
                  if (!inFlight.tryAcquire(60, TimeUnit.SECONDS)) {
                    return; // the wait below reports what did not finish
                  }
                } catch (InterruptedException e) {
                  return;
                }
                SagaExecution<Order> run = orchestrator.execute(definition, s.order());
                sagaIds.put(s.order().orderId(), run.sagaId());
                run.result().whenComplete((r, error) -> {
                  if (r != null) {
                    results.put(s.order().orderId(), r);
                  } else {
                    lost.incrementAndGet(); // this node stopped driving the saga (journal gone, lease lost)
                  }
                  inFlight.release();
                  int n = ended.incrementAndGet();
                  if (progressEvery > 0 && n % progressEvery == 0) {
                    console.detail("%d/%d orders finished", n, orders.size());
                  }
                  mid.countDown();
                  all.countDown();
                });
              }
            },
            "demo-order-launcher");
    launcher.setDaemon(true);
    launcher.start();
    if (mid.await(60, TimeUnit.SECONDS)) {
      console.detail("%d/%d orders finished; the rest are in flight", results.size(), orders.size());
      midRun.run();
    }
    boolean done = all.await(90, TimeUnit.SECONDS);
    launcher.interrupt();
    return summarize(orders, results, sagaIds, done ? lost.get() : orders.size() - results.size());
  }

  private Result summarize(List<Scripted> orders, Map<String, SagaResult<Order>> results, Map<String, String> ids, int unfinished) {
    int completed = 0;
    int atPayment = 0;
    int atShipping = 0;
    int mismatches = 0;
    for (Scripted s : orders) {
      SagaResult<Order> r = results.get(s.order().orderId());
      Expected actual = r == null ? null : classify(r);
      if (actual == Expected.COMPLETED) {
        completed++;
      } else if (actual == Expected.DECLINED) {
        atPayment++;
      } else if (actual == Expected.UNDELIVERABLE) {
        atShipping++;
      }
      if (actual != s.expected()) {
        mismatches++;
      }
    }
    int other = orders.size() - completed - atPayment - atShipping;
    console.phase("saga", "%d orders: %d completed, %d compensated (%d at %s, %d at %s), %d other; %d differ from the script%s",
        orders.size(), completed, atPayment + atShipping, atPayment, PlaceOrderSaga.CHARGE, atShipping, PlaceOrderSaga.SHIP,
        other, mismatches, unfinished > 0 ? "; " + unfinished + " did not finish" : "");
    return new Result(orders.size(), completed, atPayment, atShipping, other, mismatches, Map.copyOf(results), Map.copyOf(ids));
  }

  /** Which scripted outcome a result is, or null for one the script never asks for. */
  static Expected classify(SagaResult<Order> r) {
    if (r.status() == SagaStatus.COMPLETED) {
      return Expected.COMPLETED;
    }
    if (r.status() == SagaStatus.COMPENSATED && PlaceOrderSaga.CHARGE.equals(r.failedStep())) {
      return Expected.DECLINED;
    }
    if (r.status() == SagaStatus.COMPENSATED && PlaceOrderSaga.SHIP.equals(r.failedStep())) {
      return Expected.UNDELIVERABLE;
    }
    return null;
  }
}
