package io.orchestra.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** {@link StableHash} stays the documented FNV-1a over UTF-16 code units (routing depends on it). */
class StableHashProperties {

  /** The definition: FNV-1a over both bytes of every UTF-16 code unit, low byte first, then mixed. */
  private static long reference(String value) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      h = (h ^ (c & 0xff)) * 0x100000001b3L;
      h = (h ^ (c >>> 8)) * 0x100000001b3L;
    }
    return StableHash.mix(h);
  }

  @Property(tries = 3000)
  void hash_isFnv1aOverUtf16CodeUnits(@ForAll String value) {
    assertThat(StableHash.hash(value)).isEqualTo(reference(value));
  }

  @Property(tries = 500)
  void hash_ofLatin1AndWiderText_isFnv1aOverUtf16CodeUnits(@ForAll String ascii, @ForAll char wide) {
    String mixed = ascii + wide + "é€" + ascii;
    assertThat(StableHash.hash(mixed)).isEqualTo(reference(mixed));
  }
}
