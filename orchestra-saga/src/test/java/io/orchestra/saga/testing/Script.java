package io.orchestra.saga.testing;

import io.orchestra.saga.NonRetriableStepException;
import io.orchestra.saga.SagaDefinition;
import io.orchestra.saga.StepContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Builds test sagas whose steps and compensations behave as scripted: succeed, fail a number of
 * times (retriable), reject (non-retriable), or hang. Every call is recorded in the {@link Ledger}.
 */
public final class Script {
  /** What one action does on an attempt. */
  public enum Behavior {
    OK,
    FAIL, // retriable failure
    REJECT, // definite, non-retriable failure
    HANG // never completes
  }

  private final Ledger ledger;
  private final Map<String, Behavior> always = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

  public Script(Ledger ledger) {
    this.ledger = ledger;
  }

  public Ledger ledger() {
    return ledger;
  }

  /** Step {@code step} (or "step/compensate") always behaves like {@code b}. */
  public Script set(String action, Behavior b) {
    always.put(action, b);
    return this;
  }

  /** The next {@code n} attempts of {@code action} fail (retriable), then it behaves as set. */
  public Script failTimes(String action, int n) {
    failuresLeft.put(action, new AtomicInteger(n));
    return this;
  }

  public Script heal(String action) {
    always.remove(action);
    failuresLeft.remove(action);
    return this;
  }

  /** A definition with the given steps, each with a compensation; {@code retryOnlyFrom} or -1. */
  public SagaDefinition<OrderData> definition(String name, int version, List<String> steps, int retryOnlyFrom,
      Consumer<io.orchestra.saga.SagaStep.Builder<OrderData>> extra) {
    SagaDefinition.Builder<OrderData> b = SagaDefinition.builder(name, OrderData.class).version(version);
    for (int i = 0; i < steps.size(); i++) {
      String step = steps.get(i);
      boolean retryOnly = retryOnlyFrom >= 0 && i >= retryOnlyFrom;
      b.step(
          step,
          s -> {
            s.action(ctx -> run(step, ctx, false));
            if (retryOnly) {
              s.retryOnly();
            } else {
              s.compensation(ctx -> run(step, ctx, true));
            }
            extra.accept(s);
          });
    }
    return b.build();
  }

  public SagaDefinition<OrderData> definition(String name, List<String> steps) {
    return definition(name, 1, steps, -1, s -> {});
  }

  private CompletionStage<OrderData> run(String step, StepContext<OrderData> ctx, boolean compensation) {
    String action = compensation ? step + "/compensate" : step;
    ledger.call(ctx.sagaId(), step, compensation, ctx.idempotencyKey(), ctx.attempt());
    AtomicInteger left = failuresLeft.get(action);
    if (left != null && left.getAndDecrement() > 0) {
      return CompletableFuture.failedFuture(new IllegalStateException(action + " is down"));
    }
    Behavior b = always.getOrDefault(action, Behavior.OK);
    switch (b) {
      case FAIL:
        return CompletableFuture.failedFuture(new IllegalStateException(action + " is down"));
      case REJECT:
        return CompletableFuture.failedFuture(new NonRetriableStepException(action + " rejected"));
      case HANG:
        return new CompletableFuture<>();
      default:
        ledger.apply(ctx.idempotencyKey(), action);
        return CompletableFuture.completedFuture(compensation ? null : ctx.data().visit(step));
    }
  }
}
