package io.orchestra.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.trace.TraceContext;
import io.orchestra.core.trace.W3CTraceContext;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The mesh's own trace-header formatting writes exactly core's text. */
class TraceHeadersProperties {

  @Property(tries = 2000)
  void traceparent_isCoresText(@ForAll long high, @ForAll long low, @ForAll long span, @ForAll byte flags) {
    String expected = String.format("00-%016x%016x-%016x-%02x", high, low, span, flags & 0xff);
    assertThat(TraceHeaders.traceparent(high, low, span, flags)).isEqualTo(expected);
    if ((high != 0 || low != 0) && span != 0) {
      TraceContext c = W3CTraceContext.parseTraceparent(expected);
      assertThat(c).isNotNull();
      assertThat(W3CTraceContext.formatTraceparent(c)).isEqualTo(TraceHeaders.traceparent(high, low, span, flags));
    }
  }

  @Property(tries = 2000)
  void traceIdHex_isCoresText(@ForAll long high, @ForAll long low) {
    String expected = String.format("%016x%016x", high, low);
    assertThat(TraceHeaders.traceIdHex(high, low)).isEqualTo(expected);
    if (high != 0 || low != 0) {
      assertThat(TraceContext.of(high, low, 1, false).traceIdHex()).isEqualTo(expected);
    }
  }
}
