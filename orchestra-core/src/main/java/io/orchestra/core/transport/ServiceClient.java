package io.orchestra.core.transport;

import java.util.concurrent.CompletionStage;

/**
 * Calls a service by name rather than by endpoint; whoever implements it chooses the instance.
 * orchestra-mesh's traffic manager implements it, and engines that call services (saga steps)
 * depend only on this port. Same completion contract as {@link Transport}, plus whatever denial
 * responses the implementation documents.
 */
@FunctionalInterface
public interface ServiceClient {

  /** Sends {@code request} to some instance of {@code serviceName}. */
  CompletionStage<Response> call(String serviceName, Request request);
}
