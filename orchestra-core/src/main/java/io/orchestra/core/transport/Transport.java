package io.orchestra.core.transport;

import java.util.concurrent.CompletionStage;

/**
 * The port through which Orchestra talks to other services: one asynchronous request/response
 * exchange with an {@link Endpoint}.
 *
 * <p>Contract: {@link #send} never throws; it returns a stage that completes with the {@link
 * Response} (any status, 4xx and 5xx included) or exceptionally with a {@link TransportException}
 * whose {@link TransportException#outcome()} says whether the connection failed, timed out, was
 * reset or failed TLS. {@link Request#timeoutNanos()} bounds the exchange when set.
 *
 * <p>{@link HttpTransport} is the real implementation on the JDK's {@code HttpClient}; tests and
 * benchmarks may plug in their own. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Transport {

  /** Sends {@code request} to {@code endpoint}. */
  CompletionStage<Response> send(Endpoint endpoint, Request request);
}
