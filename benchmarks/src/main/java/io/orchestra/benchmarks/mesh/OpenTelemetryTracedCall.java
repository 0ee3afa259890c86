package io.orchestra.benchmarks.mesh;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.orchestra.core.transport.Endpoint;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.core.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The transport call as an application that decorates it with Resilience4j would trace it with
 * OpenTelemetry, to do the tracing work {@code route()} does with {@code tracing = true}: the
 * caller's context extracted from the request's W3C headers, a client span per attempt (the
 * child of that context when there is one) sampled at the given rate by trace id, {@code
 * traceparent} injected into the request actually sent, and the span ended when the response
 * arrives. The SDK has no span processor, as the benchmark's Orchestra sink records no spans.
 * (The benchmark's request carries no context, so the sampler need not be parent-based; OpenTelemetry
 * 1.58 logs a warning for {@code parentBased(traceIdRatioBased)}.) Thread-safe.
 */
final class OpenTelemetryTracedCall implements Supplier<CompletionStage<Response>>, AutoCloseable {
  private static final TextMapGetter<Request> REQUEST_HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Request carrier) { // not called by the W3C propagator
          List<String> names = new ArrayList<>();
          for (int i = 0; i < carrier.headers().size(); i++) {
            names.add(carrier.headers().name(i));
          }
          return names;
        }

        @Override
        public String get(Request carrier, String key) {
          return carrier == null ? null : carrier.headers().get(key);
        }
      };

  /** The request being built for one attempt: the carrier the propagator writes into. */
  private static final class Outgoing {
    Request request;

    Outgoing(Request request) {
      this.request = request;
    }

    void set(String name, String value) {
      request = request.withHeader(name, value);
    }
  }

  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private final TextMapPropagator propagator = W3CTraceContextPropagator.getInstance();
  private final Transport transport;
  private final Endpoint endpoint;
  private final Request request;
  private final String spanName;

  OpenTelemetryTracedCall(Transport transport, Endpoint endpoint, Request request, String service, double samplingRate) {
    this.provider =
        SdkTracerProvider.builder().setSampler(Sampler.traceIdRatioBased(samplingRate)).build();
    this.tracer = provider.get("io.orchestra.benchmarks");
    this.transport = transport;
    this.endpoint = endpoint;
    this.request = request;
    this.spanName = request.method() + " " + service;
  }

  @Override
  public CompletionStage<Response> get() {
    Context parent = propagator.extract(Context.root(), request, REQUEST_HEADERS);
    Span span = tracer.spanBuilder(spanName).setParent(parent).setSpanKind(SpanKind.CLIENT).startSpan();
    Outgoing out = new Outgoing(request);
    propagator.inject(parent.with(span), out, Outgoing::set);
    return transport.send(endpoint, out.request).whenComplete((response, failure) -> span.end());
  }

  @Override
  public void close() {
    provider.close();
  }
}
