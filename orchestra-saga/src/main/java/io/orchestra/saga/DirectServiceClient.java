package io.orchestra.saga;

import io.orchestra.core.internal.Checks;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.core.transport.Endpoint;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.core.transport.ServiceClient;
import io.orchestra.core.transport.Transport;
import io.orchestra.core.transport.TransportException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link ServiceClient} over a plain {@link Transport} and a fixed map from service name to
 * endpoint, for setups without orchestra-mesh (tests, demos, a handful of static services).
 * Immutable and thread-safe.
 */
public final class DirectServiceClient implements ServiceClient {
  private final Transport transport;
  private final Map<String, Endpoint> endpoints;

  private DirectServiceClient(Transport transport, Map<String, Endpoint> endpoints) {
    this.transport = transport;
    this.endpoints = endpoints;
  }

  /** Calls each service at its endpoint through {@code transport}. */
  public static DirectServiceClient of(Transport transport, Map<String, Endpoint> endpoints) {
    Checks.notNull("transport", transport);
    Checks.notNull("endpoints", endpoints);
    endpoints.forEach(
        (name, endpoint) -> {
          Checks.notBlank("service name", name);
          Checks.notNull("endpoint of " + name, endpoint);
        });
    return new DirectServiceClient(transport, Map.copyOf(endpoints));
  }

  @Override
  public CompletionStage<Response> call(String serviceName, Request request) {
    Endpoint endpoint = endpoints.get(serviceName);
    if (endpoint == null) {
      return CompletableFuture.failedFuture(
          new TransportException(
              CallOutcome.CONNECT_FAILURE, null, "no endpoint for service " + serviceName, null));
    }
    return transport.send(endpoint, request);
  }

  @Override
  public String toString() {
    return "DirectServiceClient" + endpoints;
  }
}
