package io.orchestra.observability.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestra.core.internal.Checks;
import io.orchestra.core.transport.Endpoint;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Transport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * POSTs each notification as JSON to a webhook through the core {@link Transport} (so TLS, mTLS
 * and timeouts are the transport's). A non-2xx response completes the stage exceptionally with
 * {@link WebhookException}. Thread-safe.
 */
public final class WebhookNotifier implements Notifier {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Transport transport;
  private final Endpoint endpoint;
  private final String path;
  private final Duration timeout;

  /** A notifier posting to {@code path} on {@code endpoint} with a {@code timeout} per request. */
  public WebhookNotifier(Transport transport, Endpoint endpoint, String path, Duration timeout) {
    this.transport = Checks.notNull("transport", transport);
    this.endpoint = Checks.notNull("endpoint", endpoint);
    this.path = Checks.notBlank("path", path);
    Checks.argument(path.startsWith("/"), "path must start with '/', was \"%s\"", path);
    this.timeout = Checks.positive("timeout", timeout);
  }

  @Override
  public CompletionStage<Void> send(AlertNotification notification) {
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(notification);
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(new WebhookException("cannot serialize notification: " + e.getOriginalMessage()));
    }
    Request request = Request.builder("POST", path)
        .header("content-type", "application/json")
        .body(body)
        .timeout(timeout)
        .build();
    return transport.send(endpoint, request).thenApply(response -> {
      if (response.status() / 100 != 2) {
        throw new WebhookException("webhook " + endpoint.resolve(path) + " answered " + response.status());
      }
      return null;
    });
  }

  /** A webhook delivery failed. */
  public static final class WebhookException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure with {@code message}. */
    public WebhookException(String message) {
      super(message);
    }
  }
}
