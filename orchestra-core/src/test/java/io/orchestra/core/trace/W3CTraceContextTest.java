package io.orchestra.core.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.time.RandomSource;
import io.orchestra.core.transport.Headers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class W3CTraceContextTest {
  private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void parsesTheSpecExample() {
    TraceContext ctx = W3CTraceContext.parseTraceparent(VALID);
    assertThat(ctx).isNotNull();
    assertThat(ctx.traceIdHex()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(ctx.spanIdHex()).isEqualTo("00f067aa0ba902b7");
    assertThat(ctx.sampled()).isTrue();
    assertThat(ctx.toTraceparent()).isEqualTo(VALID);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", // no flags
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", // upper case
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // zero parent id
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // forbidden version
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", // v00 must be exact
        "0x-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x", // future version needs '-' after flags
      })
  void invalidTraceparents_yieldNull(String header) {
    assertThat(W3CTraceContext.parseTraceparent(header)).isNull();
  }

  @Test
  void futureVersions_areParsedByVersionZeroRules() {
    TraceContext ctx = W3CTraceContext.parseTraceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-will-be-like");
    assertThat(ctx).isNotNull();
    assertThat(ctx.toTraceparent()).isEqualTo(VALID);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "congo=t61rcWkgMzE|congo=t61rcWkgMzE",
        "rojo=00f067aa0ba902b7 ,  congo=t61rcWkgMzE|rojo=00f067aa0ba902b7,congo=t61rcWkgMzE",
        "fw529a3039@dt=YmVsbG8|fw529a3039@dt=YmVsbG8",
        "a=1,,b=2|a=1,b=2",
        "Upper=1|''",
        "a=1,a=2|''",
        "a=|''",
        "a=b=c|''",
        "1abc=x|''",
      })
  void traceState_isValidatedAndNormalized(String input, String expected) {
    assertThat(W3CTraceContext.parseTraceState(input)).isEqualTo(expected);
  }

  @Test
  void traceState_withMoreThan32Members_isDiscarded_butTraceparentKept() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 33; i++) {
      sb.append(i == 0 ? "" : ",").append("k").append(i).append("=v");
    }
    TraceContext ctx = W3CTraceContext.parse(VALID, sb.toString());
    assertThat(ctx).isNotNull();
    assertThat(ctx.traceState()).isEmpty();
  }

  @Test
  void duplicatedTraceparent_isInvalid_soANewTraceStarts() {
    // The specification's test suite (test_traceparent_duplicated) sends two traceparent fields.
    Headers twice =
        Headers.builder()
            .add("traceparent", "00-12345678901234567890123456789011-1234567890123456-01")
            .add("TraceParent", "00-12345678901234567890123456789012-1234567890123456-01")
            .build();
    assertThat(W3CTraceContext.extract(twice)).isNull();
    TraceContext fresh = W3CTraceContext.extractOrNewRoot(twice, RandomSource.seeded(5), false);
    assertThat(fresh.traceIdHex())
        .isNotIn("12345678901234567890123456789011", "12345678901234567890123456789012");
  }

  @Test
  void severalTracestateFields_areCombinedInOrder() {
    Headers h =
        Headers.builder()
            .add("traceparent", VALID)
            .add("tracestate", "foo=1,bar=2")
            .add("TraceState", "rojo=1,congo=2")
            .add("tracestate", "")
            .add("tracestate", "baz=3")
            .build();
    assertThat(W3CTraceContext.extract(h).traceState()).isEqualTo("foo=1,bar=2,rojo=1,congo=2,baz=3");
  }

  @Test
  void severalTracestateFields_areValidatedAsOneList() {
    Headers duplicateKey =
        Headers.builder().add("traceparent", VALID).add("tracestate", "foo=1").add("tracestate", "foo=2").build();
    TraceContext ctx = W3CTraceContext.extract(duplicateKey);
    assertThat(ctx.toTraceparent()).isEqualTo(VALID);
    assertThat(ctx.traceState()).isEmpty();

    Headers.Builder many = Headers.builder().add("traceparent", VALID);
    for (int i = 1; i <= 33; i++) {
      many.add("tracestate", "k" + i + "=v");
    }
    assertThat(W3CTraceContext.extract(many.build()).traceState()).as("33 members in all").isEmpty();
  }

  @Test
  void extractOrNewRoot_startsANewTraceOnInvalidInput() {
    Headers bad = Headers.of("traceparent", "garbage");
    TraceContext ctx = W3CTraceContext.extractOrNewRoot(bad, RandomSource.seeded(7), true);
    assertThat(ctx.sampled()).isTrue();
    assertThat(ctx.traceIdHex()).hasSize(32).isNotEqualTo("00000000000000000000000000000000");

    Headers good = Headers.of("traceparent", VALID, "tracestate", "congo=t61rcWkgMzE");
    TraceContext kept = W3CTraceContext.extractOrNewRoot(good, RandomSource.seeded(7), false);
    assertThat(kept.toTraceparent()).isEqualTo(VALID);
    Headers out = W3CTraceContext.inject(kept.newChild(RandomSource.seeded(3)), Headers.empty());
    assertThat(out.get("traceparent")).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-").endsWith("-01");
    assertThat(out.get("tracestate")).isEqualTo("congo=t61rcWkgMzE");
  }
}
