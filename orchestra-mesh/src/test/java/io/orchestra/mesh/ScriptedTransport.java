package io.orchestra.mesh;

import io.orchestra.core.transport.CallOutcome;
import io.orchestra.core.transport.Endpoint;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.core.transport.Transport;
import io.orchestra.core.transport.TransportException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An in-process transport for tests: each port answers with a scripted behaviour (a status, a
 * failure, or a future the test completes), and every call is recorded.
 */
final class ScriptedTransport implements Transport {
  /** A recorded call. */
  record Call(Endpoint endpoint, Request request, CompletableFuture<Response> future) {}

  private final Map<Integer, Function<Request, CompletionStage<Response>>> behaviour = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicInteger> counts = new ConcurrentHashMap<>();
  final List<Call> calls = new CopyOnWriteArrayList<>();
  private volatile Function<Request, CompletionStage<Response>> fallback = r -> CompletableFuture.completedFuture(Response.of(200, "ok"));

  ScriptedTransport answer(int port, int status) {
    behaviour.put(port, r -> CompletableFuture.completedFuture(Response.of(status, "from " + port)));
    return this;
  }

  ScriptedTransport fail(int port, CallOutcome outcome) {
    behaviour.put(
        port,
        r -> CompletableFuture.failedFuture(new TransportException(outcome, null, outcome + " on " + port, null)));
    return this;
  }

  /** Calls to {@code port} stay pending until the test completes them. */
  ScriptedTransport hang(int port) {
    behaviour.put(port, r -> new CompletableFuture<>());
    return this;
  }

  ScriptedTransport behave(int port, Function<Request, CompletionStage<Response>> f) {
    behaviour.put(port, f);
    return this;
  }

  ScriptedTransport otherwise(int status) {
    fallback = r -> CompletableFuture.completedFuture(Response.of(status, "fallback"));
    return this;
  }

  int count(int port) {
    AtomicInteger c = counts.get(port);
    return c == null ? 0 : c.get();
  }

  int total() {
    return calls.size();
  }

  @Override
  public CompletionStage<Response> send(Endpoint endpoint, Request request) {
    counts.computeIfAbsent(endpoint.port(), p -> new AtomicInteger()).incrementAndGet();
    CompletionStage<Response> stage = behaviour.getOrDefault(endpoint.port(), fallback).apply(request);
    calls.add(new Call(endpoint, request, stage.toCompletableFuture()));
    return stage;
  }
}
