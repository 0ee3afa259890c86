package io.orchestra.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HeadersTest {
  @Test
  void namesAreCaseInsensitive_andRepeatable() {
    Headers h = Headers.builder().add("Accept", "a").add("ACCEPT", "b").add("x-id", "1").build();
    assertThat(h.get("accept")).isEqualTo("a");
    assertThat(h.all("Accept")).containsExactly("a", "b");
    assertThat(h.with("accept", "c").all("accept")).containsExactly("c");
    assertThat(h.size()).isEqualTo(3);
    assertThat(h.get("missing")).isNull();
  }

  @Test
  void invalidNames_andOddPairs_areRejectedWithTheValue() {
    assertThatThrownBy(() -> Headers.of("bad name", "x")).hasMessageContaining("bad name");
    assertThatThrownBy(() -> Headers.of("a")).hasMessageContaining("pairs");
    assertThatThrownBy(() -> Headers.of("a", null)).hasMessageContaining("header value of a");
  }

  @Test
  void headerNames_areLowerCased_andBadNamesGetTheSameMessagesAsEver() {
    Headers h = Headers.empty().with("X-Trace-ID", "1").with("traceparent", "2");
    assertThat(h.name(0)).isEqualTo("x-trace-id");
    assertThat(h.name(1)).isEqualTo("traceparent");
    assertThatThrownBy(() -> Headers.empty().with("", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("header name must not be null or blank, was \"\"");
    assertThatThrownBy(() -> Headers.empty().with("   ", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("header name must not be null or blank, was \"   \"");
    assertThatThrownBy(() -> Headers.empty().with(null, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("header name must not be null or blank, was null");
    assertThatThrownBy(() -> Headers.empty().with("a:b", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("header name contains an invalid character: \"a:b\"");
    assertThatThrownBy(() -> Headers.empty().with("caf\u00e9", "x"))
        .hasMessage("header name contains an invalid character: \"caf\u00e9\"");
    assertThatThrownBy(() -> Headers.empty().with("a", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("header value of a must not be null");
  }

  @Test
  void requestValidation_namesTheField() {
    assertThatThrownBy(() -> Request.builder("GET", "no-slash")).hasMessageContaining("request.path").hasMessageContaining("no-slash");
    assertThatThrownBy(() -> Request.builder(" ", "/")).hasMessageContaining("request.method");
    assertThatThrownBy(() -> new Endpoint("ftp", "h", 1)).hasMessageContaining("endpoint.scheme").hasMessageContaining("ftp");
    assertThatThrownBy(() -> Endpoint.http("h", 70000)).hasMessageContaining("endpoint.port").hasMessageContaining("70000");
    assertThatThrownBy(() -> Response.of(99)).hasMessageContaining("response.status");
  }

  @Test
  void outcomeClassification() {
    assertThat(CallOutcome.ofStatus(200)).isEqualTo(CallOutcome.SUCCESS);
    assertThat(CallOutcome.ofStatus(302)).isEqualTo(CallOutcome.SUCCESS);
    assertThat(CallOutcome.ofStatus(429)).isEqualTo(CallOutcome.CLIENT_ERROR);
    assertThat(CallOutcome.ofStatus(500)).isEqualTo(CallOutcome.SERVER_ERROR);
    assertThat(CallOutcome.ofStatus(502)).isEqualTo(CallOutcome.GATEWAY_ERROR);
    assertThat(CallOutcome.ofStatus(503)).isEqualTo(CallOutcome.GATEWAY_ERROR);
    assertThat(CallOutcome.ofStatus(504)).isEqualTo(CallOutcome.GATEWAY_ERROR);
    assertThat(CallOutcome.ofThrowable(new java.util.concurrent.CompletionException(new java.net.ConnectException())))
        .isEqualTo(CallOutcome.CONNECT_FAILURE);
    assertThat(CallOutcome.ofThrowable(new java.util.concurrent.TimeoutException())).isEqualTo(CallOutcome.TIMEOUT);
    // A connect timeout is a connect failure (retried on 'connect-failure'), although the JDK's
    // HttpConnectTimeoutException is a subclass of the response timeout's HttpTimeoutException.
    assertThat(CallOutcome.ofThrowable(new java.net.http.HttpConnectTimeoutException("connect timed out")))
        .isEqualTo(CallOutcome.CONNECT_FAILURE);
    assertThat(CallOutcome.ofThrowable(new java.net.http.HttpTimeoutException("request timed out")))
        .isEqualTo(CallOutcome.TIMEOUT);
    assertThat(CallOutcome.ofThrowable(new java.util.concurrent.CancellationException())).isEqualTo(CallOutcome.CANCELLED);
    assertThat(CallOutcome.ofThrowable(new java.io.IOException("connection reset"))).isEqualTo(CallOutcome.RESET);
    assertThat(CallOutcome.ofThrowable(new javax.net.ssl.SSLHandshakeException("x"))).isEqualTo(CallOutcome.TLS_FAILURE);
    assertThat(CallOutcome.ofThrowable(new IllegalStateException())).isEqualTo(CallOutcome.FAILURE);
    assertThat(CallOutcome.GATEWAY_ERROR.isServerError()).isTrue();
    assertThat(CallOutcome.CLIENT_ERROR.isFailure()).isFalse();
  }
}
