package io.orchestra.examples.demo;

import io.orchestra.core.transport.Response;
import io.orchestra.core.transport.TransportException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for one call's answer, bounded, for the demo's sequential steps. */
final class Calls {
  private Calls() {}

  /**
   * The response, or a synthetic 599 response naming the failure when no response arrived (the
   * mesh completes exceptionally with a {@link TransportException} after its retries) or the
   * answer took longer than 15 s.
   */
  /** Waits up to 15 s for {@code stage}; false when it failed or took longer. */
  static boolean awaitDone(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static Response await(CompletionStage<Response> stage) {
    try {
      return stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String what = cause instanceof TransportException t ? t.outcome().name() : String.valueOf(cause);
      return Response.of(599, "no response: " + what);
    } catch (TimeoutException e) {
      return Response.of(599, "no response within 15 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Response.of(599, "interrupted");
    }
  }
}
