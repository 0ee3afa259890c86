package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.observability.traces.SpanData;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** A stored trace's span list reads back exactly what was appended, as an ArrayList would. */
class SpanListProperties {

  @Property(tries = 200)
  void readsBackWhatWasAppendedInOrder(@ForAll @IntRange(min = 0, max = 70) int n) {
    SpanList list = new SpanList();
    List<SpanData> model = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      SpanData s = SpanData.builder("0af7651916cd43dd8448eb211c80319c", String.format("%016x", i + 1)).time(1, 2).build();
      assertThat(list.add(s)).isTrue();
      model.add(s);
      assertThat(list).containsExactlyElementsOf(model);
      assertThat(list.get(i)).isSameAs(s);
    }
    assertThat(list).hasSize(n).isEqualTo(model);
    assertThat(list.isEmpty()).isEqualTo(n == 0);
    assertThatThrownBy(() -> list.get(n)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void refusesNull() {
    assertThatThrownBy(() -> new SpanList().add(null)).isInstanceOf(NullPointerException.class);
  }
}
