package io.orchestra.scheduler.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Future helpers. Not instantiable. */
public final class Futures {
  private Futures() {}

  /** A future of every result, in order, once all of {@code stages} have completed. */
  public static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> stages) {
    return CompletableFuture.allOf(stages.toArray(new CompletableFuture<?>[0]))
        .thenApply(
            v -> {
              List<T> out = new ArrayList<>(stages.size());
              stages.forEach(s -> out.add(s.join()));
              return out;
            });
  }
}
