package io.orchestra.core.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.transport.Headers;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The eight-digits-per-store hex writer gives the same text as {@code String.format}. */
class TraceIdFormattingProperties {

  @Property(tries = 2000)
  void traceparent_fromIds(@ForAll long high, @ForAll long low, @ForAll long span, @ForAll byte flags) {
    String expected = String.format("00-%016x%016x-%016x-%02x", high, low, span, flags & 0xff);
    assertThat(W3CTraceContext.formatTraceparent(high, low, span, flags)).isEqualTo(expected);
    if ((high != 0 || low != 0) && span != 0) {
      TraceContext c = W3CTraceContext.parseTraceparent(expected);
      assertThat(c).isNotNull();
      assertThat(W3CTraceContext.formatTraceparent(c)).isEqualTo(expected);
    }
  }

  @Property(tries = 2000)
  void traceAndSpanIdHex(@ForAll long high, @ForAll long low, @ForAll long span) {
    String expected = String.format("%016x%016x", high, low);
    assertThat(TraceContext.traceIdHex(high, low)).isEqualTo(expected);
    if ((high != 0 || low != 0) && span != 0) {
      TraceContext c = TraceContext.of(high, low, span, false);
      assertThat(c.traceIdHex()).isEqualTo(expected);
      assertThat(c.spanIdHex()).isEqualTo(String.format("%016x", span));
    }
  }

  @Property(tries = 2000)
  void inject_fromIds_equalsInject_fromContext(
      @ForAll long high, @ForAll long low, @ForAll long span, @ForAll byte flags,
      @ForAll("traceStates") String state, @ForAll("carriers") Headers headers) {
    if ((high == 0 && low == 0) || span == 0) {
      return;
    }
    TraceContext c = new TraceContext(high, low, span, flags, state);
    Headers fromIds = W3CTraceContext.inject(high, low, span, flags, c.traceState(), headers);
    assertThat(fromIds).isEqualTo(W3CTraceContext.inject(c, headers));
    // ... and both what setting the headers by their names gives.
    Headers expected = headers.with("traceparent", W3CTraceContext.formatTraceparent(c));
    if (!state.isEmpty()) {
      expected = expected.with("tracestate", state);
    }
    assertThat(fromIds).isEqualTo(expected);
    assertThat(W3CTraceContext.extract(fromIds).toTraceparent()).isEqualTo(c.toTraceparent());
  }

  @Provide
  Arbitrary<String> traceStates() {
    return Arbitraries.of("", "a=1", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  }

  @Provide
  Arbitrary<Headers> carriers() {
    return Arbitraries.of(
        Headers.empty(),
        Headers.of("x-user-id", "u1"),
        Headers.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "accept", "*/*"),
        Headers.of("TraceState", "old=1", "x", "y", "tracestate", "older=2"));
  }
}
