package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.telemetry.TelemetrySink.SpanKind;
import io.orchestra.observability.traces.SpanData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The drain's allocation-lean conversion of a sink span is the plain one: same ids, masking, service and size. */
class SpanConversionProperties {
  private static final List<String> KEYS = List.of(
      "http.status_code", "peer.service", "service", "service.name", "db_password", "Api-Key", "retries", "url", "user.email");

  @Property(tries = 1_000)
  void theStoredSpanIsTheMaskedSpanAndItsSizeIsTheStoresEstimate(
      @ForAll long high, @ForAll long low, @ForAll long spanId, @ForAll long parent,
      @ForAll("attributes") @Size(max = 5) List<Map.Entry<String, Object>> attributes,
      @ForAll("messages") String errorMessage) {
    RecordingSpan span = new RecordingSpan(null, "GET /orders", SpanKind.SERVER, high, low, spanId, parent, 1_000);
    span.endEpochNanos = 2_000;
    Map<String, String> plain = new HashMap<>();
    for (Map.Entry<String, Object> e : attributes) {
      if (e.getValue() instanceof Long) {
        span.attribute(e.getKey(), (Long) e.getValue());
      } else {
        span.attribute(e.getKey(), (String) e.getValue());
      }
      plain.put(e.getKey(), String.valueOf(e.getValue()));
    }
    if (errorMessage != null) {
      span.error(errorMessage);
    }
    SpanAttributeText text = new SpanAttributeText();
    byte[] scratch = new byte[32];
    SpanData s = span.toSpanData(Ids.traceId(high, low, scratch), "checkout", text, scratch);

    String service = plain.remove("service.name");
    if (service == null) {
      service = plain.remove("service");
    }
    Map<String, String> masked = new HashMap<>();
    plain.forEach((k, v) -> masked.put(k, Masker.isSensitiveKey(k) ? "[secret]" : Masker.mask(v)));
    assertThat(s.traceId()).isEqualTo(String.format("%016x%016x", high, low));
    assertThat(s.spanId()).isEqualTo(String.format("%016x", spanId));
    assertThat(s.parentSpanId()).isEqualTo(parent == 0 ? null : String.format("%016x", parent));
    assertThat(s.serviceName()).isEqualTo(service == null || service.isBlank() ? "checkout" : service);
    assertThat(s.attributes()).isEqualTo(masked);
    assertThat(s.errorMessage()).isEqualTo(Masker.mask(errorMessage));
    assertThat(span.storedSize).isEqualTo(StoredTrace.sizeOf(s));
  }

  @Provide
  Arbitrary<List<Map.Entry<String, Object>>> attributes() {
    Arbitrary<Object> values = Arbitraries.oneOf(
        Arbitraries.longs().map(v -> (Object) v),
        Arbitraries.longs().between(-3, 1_100).map(v -> (Object) v),
        Arbitraries.of("200", "", " ", "payments", "card 4111111111111111", "a@b.example", "password=hunter2").map(v -> (Object) v));
    return Arbitraries.of(KEYS).flatMap(k -> values.map(v -> Map.entry(k, v))).list().ofMaxSize(5);
  }

  @Provide
  Arbitrary<String> messages() {
    return Arbitraries.of("card 4111111111111111 declined", "timeout", "token=abc").injectNull(0.5);
  }

  @Property(tries = 500)
  void keySensitivityIsRememberedCorrectlyEvenWhenKeysShareASlot(@ForAll @Size(max = 600) List<@net.jqwik.api.constraints.StringLength(max = 20) String> keys) {
    SpanAttributeText text = new SpanAttributeText();
    for (int round = 0; round < 2; round++) {
      for (String k : keys) {
        assertThat(text.sensitive(k)).as(k).isEqualTo(Masker.isSensitiveKey(k));
      }
    }
  }

  @Test
  void numbersReadAsTheirDecimalText() {
    for (long v : new long[] {Long.MIN_VALUE, -1, 0, 1, 200, 1023, 1024, Long.MAX_VALUE}) {
      assertThat(SpanAttributeText.text(v)).isEqualTo(Long.toString(v));
    }
    assertThat(SpanAttributeText.text("x")).isEqualTo("x");
  }

  @Property(tries = 2_000)
  void aRecordedNumberIsMaskedAsItsTextWouldBe(@ForAll("numbers") long v, @ForAll("keys") String key) {
    SpanAttributeText text = new SpanAttributeText();
    assertThat(text.masked(key, (Object) SpanAttributeText.box(v))).isEqualTo(text.masked(key, Long.toString(v)));
  }

  @Test
  void smallNumbersAreRecordedAsSharedBoxes() {
    assertThat(SpanAttributeText.box(200)).isSameAs(SpanAttributeText.box(200)).isEqualTo(200L);
    assertThat(SpanAttributeText.box(1023)).isSameAs(SpanAttributeText.box(1023));
    assertThat(SpanAttributeText.box(-1)).isEqualTo(-1L);
    assertThat(SpanAttributeText.box(4_111_111_111_111_111L)).isEqualTo(4_111_111_111_111_111L);
  }

  @Provide
  Arbitrary<Long> numbers() {
    return Arbitraries.oneOf(Arbitraries.longs().between(-5, 1_030), Arbitraries.longs(),
        Arbitraries.of(4_111_111_111_111_111L, 5_500_000_000_000_004L, 378_282_246_310_005L));
  }

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.of(KEYS);
  }
}
