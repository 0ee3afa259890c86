package io.orchestra.examples.demo;

import io.orchestra.core.transport.CallOutcome;
import io.orchestra.core.transport.Response;
import io.orchestra.core.transport.TransportException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting, bounded, for the answers of the demo's sequential calls. */
final class Calls {
  private static final long LIMIT_SECONDS = 15;

  private Calls() {}

  /**
   * What came back from one call: a response, or no response and why.
   *
   * @param response the response, or null when none arrived
   * @param outcome the response's outcome class, or the failure's (connect failure, timeout ...)
   */
  record Answer(Response response, CallOutcome outcome) {
    /** The HTTP status, or 0 when no response arrived. */
    int status() {
      return response == null ? 0 : response.status();
    }

    /** A response header, or null. */
    String header(String name) {
      return response == null ? null : response.headers().get(name);
    }

    /** The response body, or empty. */
    String body() {
      return response == null ? "" : response.bodyAsString();
    }

    /** "403", or "no response (TIMEOUT)". */
    @Override
    public String toString() {
      return response == null ? "no response (" + outcome + ")" : Integer.toString(response.status());
    }
  }

  /** Waits up to 15 s for the call's answer. */
  static Answer await(CompletionStage<Response> stage) {
    try {
      Response r = stage.toCompletableFuture().get(LIMIT_SECONDS, TimeUnit.SECONDS);
      return new Answer(r, r.outcome());
    } catch (ExecutionException e) {
      return new Answer(null, e.getCause() instanceof TransportException t ? t.outcome() : CallOutcome.FAILURE);
    } catch (TimeoutException e) {
      return new Answer(null, CallOutcome.TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(null, CallOutcome.CANCELLED);
    }
  }

  /** Waits up to 15 s for {@code stage}; false when it failed or took longer. */
  static boolean awaitDone(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(LIMIT_SECONDS, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
