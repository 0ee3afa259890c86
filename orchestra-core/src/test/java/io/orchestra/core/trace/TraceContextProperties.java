package io.orchestra.core.trace;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TraceContextProperties {

  @Property(tries = 2000)
  void formatThenParse_roundTrips(
      @ForAll long high, @ForAll long low, @ForAll long span, @ForAll byte flags) {
    if ((high == 0 && low == 0) || span == 0) {
      return; // all-zero ids are invalid by definition
    }
    TraceContext ctx = new TraceContext(high, low, span, flags, "");
    String header = W3CTraceContext.formatTraceparent(ctx);
    assertThat(header).hasSize(55).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    assertThat(W3CTraceContext.parseTraceparent(header)).isEqualTo(ctx);
  }

  @Property(tries = 5000)
  void randomStrings_neverThrow(@ForAll("headerish") String traceparent, @ForAll("headerish") String tracestate) {
    TraceContext ctx = W3CTraceContext.parse(traceparent, tracestate);
    if (ctx != null) {
      assertThat(W3CTraceContext.parseTraceparent(ctx.toTraceparent())).isNotNull();
    }
    String state = W3CTraceContext.parseTraceState(tracestate);
    assertThat(W3CTraceContext.parseTraceState(state)).isEqualTo(state);
  }

  @Provide
  Arbitrary<String> headerish() {
    Arbitrary<String> any = Arbitraries.strings().ofMaxLength(120);
    Arbitrary<String> nearlyValid =
        Arbitraries.strings().withChars("0123456789abcdefABCDEF-xz= ,@").ofMinLength(50).ofMaxLength(60);
    Arbitrary<String> lists =
        Arbitraries.strings().withChars("abc123=,@ _-*/").ofMaxLength(80);
    return Arbitraries.oneOf(any, nearlyValid, lists, Arbitraries.just(null));
  }
}
