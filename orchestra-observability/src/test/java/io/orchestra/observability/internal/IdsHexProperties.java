package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The drain's hex writer (eight digits per store) writes what {@code %016x} writes, and parses back. */
class IdsHexProperties {

  @Property(tries = 5_000)
  void traceAndSpanIdsAreTheirLowerCaseHex(@ForAll long high, @ForAll long low) {
    byte[] scratch = new byte[32];
    String trace = Ids.traceId(high, low, scratch);
    assertThat(trace).isEqualTo(String.format("%016x%016x", high, low));
    assertThat(Ids.spanId(low, scratch)).isEqualTo(String.format("%016x", low));
    assertThat(Ids.traceId(high, low)).isEqualTo(trace);
    assertThat(Ids.spanId(high)).isEqualTo(String.format("%016x", high));
    assertThat(Ids.high64(trace)).isEqualTo(high);
    assertThat(Ids.low64(trace)).isEqualTo(low);
  }

  @Test
  void everyDigitValueAtEveryPosition() {
    for (int nibble = 0; nibble < 16; nibble++) {
      for (int shift = 0; shift < 64; shift += 4) {
        long v = (long) nibble << shift;
        assertThat(Ids.spanId(v)).isEqualTo(String.format("%016x", v));
      }
    }
    assertThat(Ids.spanId(-1L)).isEqualTo("ffffffffffffffff");
    assertThat(Ids.spanId(0x0123456789abcdefL)).isEqualTo("0123456789abcdef");
  }
}
