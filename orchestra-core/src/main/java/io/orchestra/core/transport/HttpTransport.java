package io.orchestra.core.transport;

import io.orchestra.core.internal.Checks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * {@link Transport} on the JDK's {@link HttpClient}: HTTP/1.1 and HTTP/2, TLS and mutual TLS
 * from an {@link SSLContext}, connection pooling by the client.
 *
 * <p>Outcomes: every response (any status) completes the stage normally; connection refusal,
 * unreachable or unresolved hosts and connect timeouts complete it with a {@link
 * TransportException} of {@link CallOutcome#CONNECT_FAILURE}; a response that does not arrive in
 * time with {@link CallOutcome#TIMEOUT}; a failed handshake with {@link CallOutcome#TLS_FAILURE};
 * a connection that breaks mid-exchange with {@link CallOutcome#RESET}.
 *
 * <p>Cancelling the returned stage's future aborts the exchange and closes its connection (the
 * JDK client passes cancellation of a dependent stage up to the exchange; a test holds this,
 * since the mesh cancels the attempts that lost a hedge or timed out).
 *
 * <p>Thread-safe. Build one per set of TLS settings and share it.
 */
public final class HttpTransport implements Transport {
  /** Headers the JDK client manages itself and refuses to be given. */
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "keep-alive", "te", "trailer", "transfer-encoding");

  private final HttpClient client;
  private final Duration defaultTimeout;

  private HttpTransport(Builder b) {
    HttpClient.Builder cb =
        HttpClient.newBuilder()
            .version(b.version)
            .connectTimeout(b.connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER);
    if (b.sslContext != null) {
      cb.sslContext(b.sslContext);
    }
    if (b.sslParameters != null) {
      cb.sslParameters(b.sslParameters);
    }
    if (b.executor != null) {
      cb.executor(b.executor);
    }
    this.client = cb.build();
    this.defaultTimeout = b.requestTimeout;
  }

  /** A builder with HTTP/2 preferred, 5 s connect timeout and 30 s request timeout. */
  public static Builder builder() {
    return new Builder();
  }

  /** A transport with the builder's defaults and the JVM's default TLS settings. */
  public static HttpTransport create() {
    return builder().build();
  }

  @Override
  public CompletionStage<Response> send(Endpoint endpoint, Request request) {
    HttpRequest httpRequest;
    try {
      httpRequest = toHttpRequest(endpoint, request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new TransportException(
              CallOutcome.FAILURE, endpoint, "cannot build request " + request + ": " + e.getMessage(), e));
    }
    return client
        .sendAsync(httpRequest, HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (response, error) -> {
              if (error != null) {
                throw translate(endpoint, request, error);
              }
              return new Response(response.statusCode(), toHeaders(response.headers()), response.body());
            });
  }

  private HttpRequest toHttpRequest(Endpoint endpoint, Request request) {
    URI uri = endpoint.resolve(request.path());
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    Duration timeout =
        request.timeoutNanos() > 0 ? Duration.ofNanos(request.timeoutNanos()) : defaultTimeout;
    b.timeout(timeout);
    byte[] body = request.body();
    b.method(
        request.method(),
        body.length == 0
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    Headers headers = request.headers();
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      if (!RESTRICTED.contains(name)) {
        b.header(name, headers.value(i));
      }
    }
    return b.build();
  }

  private static Headers toHeaders(HttpHeaders headers) {
    Map<String, List<String>> map = headers.map();
    if (map.isEmpty()) {
      return Headers.empty();
    }
    Headers.Builder b = Headers.builder();
    map.forEach(
        (name, values) -> {
          if (!name.startsWith(":")) { // HTTP/2 pseudo-headers
            for (String v : values) {
              b.add(name, v);
            }
          }
        });
    return b.build();
  }

  private static TransportException translate(Endpoint endpoint, Request request, Throwable error) {
    Throwable cause = CallOutcome.unwrap(error);
    if (cause instanceof TransportException te) {
      return te;
    }
    CallOutcome outcome = CallOutcome.ofThrowable(cause);
    String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new TransportException(
        outcome,
        endpoint,
        outcome.name().toLowerCase(java.util.Locale.ROOT)
            + " calling "
            + request.method()
            + " "
            + endpoint
            + request.path()
            + ": "
            + detail,
        cause);
  }

  @Override
  public String toString() {
    return "HttpTransport[" + client.version() + "]";
  }

  /** Configures an {@link HttpTransport}; not thread-safe. */
  public static final class Builder {
    private HttpClient.Version version = HttpClient.Version.HTTP_2;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private SSLContext sslContext;
    private SSLParameters sslParameters;
    private Executor executor;

    private Builder() {}

    /** HTTP/2 (default; falls back to HTTP/1.1 when the server does not speak it) or HTTP/1.1. */
    public Builder version(HttpClient.Version version) {
      this.version = Checks.notNull("version", version);
      return this;
    }

    /** How long to wait for a connection; default 5 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Checks.positive("connectTimeout", timeout);
      return this;
    }

    /** The request timeout used when a {@link Request} has none; default 30 s. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Checks.positive("requestTimeout", timeout);
      return this;
    }

    /**
     * TLS settings: trust material for the servers and, for mutual TLS, the key manager holding
     * this client's certificate.
     */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = Checks.notNull("sslContext", sslContext);
      return this;
    }

    /** TLS parameters (protocols, cipher suites); optional. */
    public Builder sslParameters(SSLParameters sslParameters) {
      this.sslParameters = Checks.notNull("sslParameters", sslParameters);
      return this;
    }

    /** The executor for the client's asynchronous work; the JDK's default when unset. */
    public Builder executor(Executor executor) {
      this.executor = Checks.notNull("executor", executor);
      return this;
    }

    /** The transport. */
    public HttpTransport build() {
      return new HttpTransport(this);
    }
  }
}
