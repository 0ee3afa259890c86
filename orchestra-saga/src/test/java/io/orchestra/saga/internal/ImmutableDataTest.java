package io.orchestra.saga.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImmutableDataTest {
  enum Kind { A, B }

  record Flat(String id, long amount, int count, boolean flag, Kind kind, Long boxed) {}

  record Values(BigDecimal total, Instant at, UUID key) {}

  record Nested(Flat flat, Values values) {}

  record Recursive(String name, Recursive next) {}

  record WithList(String id, List<String> items) {}

  record WithMap(Map<String, String> attributes) {}

  record WithArray(int[] numbers) {}

  record WithObject(Object anything) {}

  record WithMutable(Mutable inner) {}

  static final class Mutable {
    String value;
  }

  @ParameterizedTest
  @ValueSource(classes = {Flat.class, Values.class, Nested.class, Recursive.class, String.class})
  void valueRecordsAreImmutable(Class<?> type) {
    assertThat(ImmutableData.isImmutable(type)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      classes = {
        WithList.class, WithMap.class, WithArray.class, WithObject.class, WithMutable.class,
        Mutable.class, Object.class, List.class
      })
  void anythingThatMayChangeInPlaceIsNot(Class<?> type) {
    assertThat(ImmutableData.isImmutable(type)).isFalse();
  }
}
