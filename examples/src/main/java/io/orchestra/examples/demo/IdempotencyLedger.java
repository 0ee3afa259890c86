package io.orchestra.examples.demo;

import io.orchestra.examples.demo.ServiceLogic.Call;
import io.orchestra.examples.demo.ServiceLogic.Reply;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What a participant of a saga must do with the {@code Idempotency-Key} the orchestrator sends:
 * apply each key's effect once and answer a repeated key with the first answer. A mesh retry
 * after a lost response, a saga step retry and a recovery on another node all reuse the key, so
 * with this ledger none of them charges a card twice. Thread-safe.
 */
final class IdempotencyLedger {
  private final Map<String, Reply> replies = new ConcurrentHashMap<>();
  private final AtomicInteger replays = new AtomicInteger();

  /** Runs {@code effect} once per key of {@code call}; calls without a key always run it. */
  Reply once(Call call, Supplier<Reply> effect) {
    if (call.idempotencyKey() == null) {
      return effect.get();
    }
    boolean[] ran = {false};
    // computeIfAbsent runs the effect at most once per key, even for concurrent duplicates.
    Reply reply =
        replies.computeIfAbsent(
            call.idempotencyKey(),
            k -> {
              ran[0] = true;
              return effect.get();
            });
    if (!ran[0]) {
      replays.incrementAndGet();
      return new Reply(reply.status(), reply.json(), null);
    }
    return reply;
  }

  /** Requests answered from the ledger instead of being applied again. */
  int replays() {
    return replays.get();
  }
}
