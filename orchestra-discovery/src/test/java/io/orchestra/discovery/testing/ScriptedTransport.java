package io.orchestra.discovery.testing;

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

/**
 * A transport for health-check tests that answers in memory: per host a status, a connect failure
 * (status 0) or no answer at all (status -1). Records every request.
 */
public final class ScriptedTransport implements Transport {
  private final Map<String, Integer> statusByHost = new ConcurrentHashMap<>();
  public final List<String> requests = new CopyOnWriteArrayList<>();

  public void answer(String host, int status) {
    statusByHost.put(host, status);
  }

  @Override
  public CompletionStage<Response> send(Endpoint endpoint, Request request) {
    requests.add(request.method() + " " + endpoint.host() + request.path());
    int status = statusByHost.getOrDefault(endpoint.host(), 200);
    if (status == -1) {
      return new CompletableFuture<>();
    }
    if (status == 0) {
      return CompletableFuture.failedFuture(
          new TransportException(CallOutcome.CONNECT_FAILURE, endpoint, "refused", null));
    }
    return CompletableFuture.completedFuture(Response.of(status));
  }
}
