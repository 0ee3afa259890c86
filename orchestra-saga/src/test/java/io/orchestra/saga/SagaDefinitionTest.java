package io.orchestra.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.saga.testing.OrderData;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SagaDefinitionTest {

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(
            "no steps",
            (Consumer<SagaDefinition.Builder<OrderData>>) b -> {},
            "saga definition order has no steps"),
        Arguments.of(
            "duplicate names",
            (Consumer<SagaDefinition.Builder<OrderData>>)
                b -> b.step("a", s -> s.run(c -> {})).step("a", s -> s.run(c -> {})),
            "has two steps named \"a\""),
        Arguments.of(
            "blank name",
            (Consumer<SagaDefinition.Builder<OrderData>>) b -> b.step(" ", s -> s.run(c -> {})),
            "step name must not be null or blank"),
        Arguments.of(
            "no action",
            (Consumer<SagaDefinition.Builder<OrderData>>) b -> b.step("a", s -> {}),
            "step a has no action"),
        Arguments.of(
            "compensatable after retry-only",
            (Consumer<SagaDefinition.Builder<OrderData>>)
                b -> b.step("a", s -> s.run(c -> {}).retryOnly()).step("b", s -> s.run(c -> {})),
            "step \"b\" follows retry-only step \"a\""),
        Arguments.of(
            "retry-only with compensation",
            (Consumer<SagaDefinition.Builder<OrderData>>)
                b -> b.step("a", s -> s.run(c -> {}).compensate(c -> {}).retryOnly()),
            "retry-only and is never compensated"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void rejectsInvalidDefinitions(String name, Consumer<SagaDefinition.Builder<OrderData>> spec, String message) {
    assertThatThrownBy(
            () -> {
              SagaDefinition.Builder<OrderData> b = SagaDefinition.builder("order", OrderData.class);
              spec.accept(b);
              b.build();
            })
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void pivotIsTheFirstRetryOnlyStep() {
    SagaDefinition<OrderData> d =
        SagaDefinition.builder("order", OrderData.class)
            .version(3)
            .step("a", s -> s.run(c -> {}).compensate(c -> {}))
            .step("b", s -> s.run(c -> {}).retryOnly())
            .step("c", s -> s.call(ServiceCall.post("x", "/c").build()).retryOnly())
            .build();
    assertThat(d.pivotIndex()).isEqualTo(1);
    assertThat(d.key()).isEqualTo("order@3");
    assertThat(d.indexOf("c")).isEqualTo(2);
    assertThat(d.step(2).serviceCall().service()).isEqualTo("x");
    assertThatThrownBy(() -> SagaDefinition.builder("order", OrderData.class).version(0))
        .hasMessageContaining("saga definition version must be > 0, was 0");
  }

  @Test
  void serviceCallTemplatesAreValidatedEarly() {
    assertThatThrownBy(() -> ServiceCall.get("s", "/a/${id"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unclosed placeholder");
    assertThatThrownBy(() -> ServiceCall.get("s", "a"))
        .hasMessageContaining("serviceCall.path must start with '/'");
    assertThatThrownBy(() -> ServiceCall.post("s", "/a").body("{\"x\": ${ }}"))
        .hasMessageContaining("empty placeholder");
  }
}
