package io.orchestra.saga;

import io.orchestra.core.internal.Checks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A named, versioned sequence of steps over saga data of type {@code D}. Immutable and
 * thread-safe; register it on every node that may run or recover its sagas. A saga always
 * continues under the definition version it started with, so change the version whenever the
 * steps change.
 *
 * <pre>{@code
 * SagaDefinition<Order> placeOrder = SagaDefinition.builder("place-order", Order.class)
 *     .version(2)
 *     .step("reserve-stock", s -> s
 *         .call(ServiceCall.post("inventory", "/reservations/${orderId}").bodyFromData().build())
 *         .compensationCall(ServiceCall.delete("inventory", "/reservations/${orderId}").build()))
 *     .step("charge", s -> s
 *         .action(ctx -> payments.charge(ctx.data(), ctx.idempotencyKey()))
 *         .compensation(ctx -> payments.refund(ctx.data(), ctx.idempotencyKey()))
 *         .timeout(Duration.ofSeconds(5)))
 *     .step("ship", s -> s.invoke(ctx -> shipping.ship(ctx.data())).retryOnly())
 *     .build();
 * }</pre>
 *
 * @param <D> the saga data type, written to and read from JSON with Jackson
 */
public final class SagaDefinition<D> {
  /** Longest definition and step name, so they fit the journal's columns. */
  public static final int MAX_NAME_LENGTH = 200;

  private final String name;
  private final int version;
  private final Class<D> dataType;
  private final List<SagaStep<D>> steps;
  private final int pivot;
  private final String key; // looked up on every execute, so built once

  private SagaDefinition(Builder<D> b, List<SagaStep<D>> steps, int pivot) {
    this.name = b.name;
    this.version = b.version;
    this.dataType = b.dataType;
    this.steps = List.copyOf(steps);
    this.pivot = pivot;
    this.key = name + "@" + version;
  }

  /** A builder for a definition named {@code name} over data of {@code dataType}; version 1. */
  public static <D> Builder<D> builder(String name, Class<D> dataType) {
    return new Builder<>(name, dataType);
  }

  /** The definition name. */
  public String name() {
    return name;
  }

  /** The version, {@code >= 1}. */
  public int version() {
    return version;
  }

  /** {@code name@version}: how the journal and the registry know this definition. */
  public String key() {
    return key;
  }

  /** The saga data type. */
  public Class<D> dataType() {
    return dataType;
  }

  /** The steps in order. */
  public List<SagaStep<D>> steps() {
    return steps;
  }

  /** The step at {@code index}. */
  public SagaStep<D> step(int index) {
    return steps.get(index);
  }

  /** The index of the pivot (the first retry-only step), or -1 when every step compensates. */
  public int pivotIndex() {
    return pivot;
  }

  /** The index of the step named {@code stepName}, or -1. */
  public int indexOf(String stepName) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).name().equals(stepName)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return "SagaDefinition[" + key() + ", " + steps.size() + " steps]";
  }

  /**
   * Builds a {@link SagaDefinition}; not thread-safe. {@link #build()} rejects a definition with no
   * steps, duplicate or blank step names, or a compensatable step after a retry-only one.
   *
   * @param <D> the saga data type
   */
  public static final class Builder<D> {
    private final String name;
    private final Class<D> dataType;
    private int version = 1;
    private final List<SagaStep.Builder<D>> steps = new ArrayList<>();

    private Builder(String name, Class<D> dataType) {
      this.name = checkName("saga definition name", name);
      this.dataType = Checks.notNull("saga definition dataType", dataType);
    }

    /** The version ({@code >= 1}); default 1. */
    public Builder<D> version(int version) {
      this.version = Checks.positive("saga definition version", version);
      return this;
    }

    /** Adds a step named {@code stepName}, configured by {@code spec}. */
    public Builder<D> step(String stepName, Consumer<SagaStep.Builder<D>> spec) {
      SagaStep.Builder<D> step = new SagaStep.Builder<>(checkName("step name", stepName));
      Checks.notNull("step " + stepName + " spec", spec).accept(step);
      steps.add(step);
      return this;
    }

    /** The definition; fails naming the first problem. */
    public SagaDefinition<D> build() {
      Checks.argument(!steps.isEmpty(), "saga definition %s has no steps", name);
      List<SagaStep<D>> built = new ArrayList<>(steps.size());
      Set<String> names = new HashSet<>();
      int pivot = -1;
      for (SagaStep.Builder<D> b : steps) {
        SagaStep<D> step = b.build();
        Checks.argument(
            names.add(step.name()),
            "saga definition %s has two steps named \"%s\"",
            name,
            step.name());
        if (step.retryOnly() && pivot < 0) {
          pivot = built.size();
        }
        if (!step.retryOnly() && pivot >= 0) {
          throw new IllegalArgumentException(
              "saga definition " + name + ": step \"" + step.name() + "\" follows retry-only step \""
                  + built.get(pivot).name() + "\" and must be retry-only too");
        }
        built.add(step);
      }
      return new SagaDefinition<>(this, built, pivot);
    }

    private static String checkName(String field, String value) {
      Checks.notBlank(field, value);
      Checks.argument(
          value.length() <= MAX_NAME_LENGTH,
          "%s must be at most %s characters, was %s",
          field,
          MAX_NAME_LENGTH,
          value.length());
      return value;
    }
  }
}
