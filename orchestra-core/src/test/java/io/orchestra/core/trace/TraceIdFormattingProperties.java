package io.orchestra.core.trace;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

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
}
