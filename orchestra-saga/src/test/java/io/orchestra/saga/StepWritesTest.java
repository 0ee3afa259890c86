package io.orchestra.saga;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.saga.journal.InMemorySagaJournal;
import io.orchestra.saga.journal.SagaAppend;
import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaEventType;
import io.orchestra.saga.testing.Harness;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import io.orchestra.saga.journal.SagaJournal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What the orchestrator hands the journal per step: the data JSON and how events are grouped. */
class StepWritesTest {
  /** Immutable data: a record of a string and a number. */
  public record Order(String id, long amount) {}

  /** Mutable data: a plain bean a step can change in place. */
  public static final class Cart {
    public String id;
    public int items;
  }

  private final InMemorySagaJournal store = InMemorySagaJournal.create();
  private final List<SagaAppend> appends = new CopyOnWriteArrayList<>();
  private final SagaJournal recording =
      (SagaJournal)
          Proxy.newProxyInstance(
              SagaJournal.class.getClassLoader(),
              new Class<?>[] {SagaJournal.class},
              (InvocationHandler)
                  (proxy, method, args) -> {
                    if (method.getName().equals("append")) {
                      appends.add((SagaAppend) args[0]);
                    }
                    try {
                      return method.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                      throw e.getCause();
                    }
                  });
  private final Harness h = new Harness(recording);
  private final SagaOrchestrator node = h.node("n1", SagaConfig.defaults());

  private List<String> completedData(String sagaId) {
    return store.history(sagaId).stream()
        .filter(e -> e.type() == SagaEventType.STEP_COMPLETED)
        .map(SagaEvent::data)
        .toList();
  }

  @Test
  @DisplayName("the last step's completion and the saga's completion are one durable write")
  void lastStepAndSagaCompletionShareOneWrite() {
    SagaDefinition<Order> d =
        SagaDefinition.builder("two", Order.class)
            .step("a", s -> s.invoke(ctx -> ctx.data()))
            .step("b", s -> s.invoke(ctx -> ctx.data()))
            .build();
    SagaResult<Order> r = h.await(node.execute(d, new Order("o-1", 5)).result());

    assertThat(r.status()).isEqualTo(SagaStatus.COMPLETED);
    SagaAppend last = appends.get(appends.size() - 1);
    assertThat(last.events()).extracting(SagaEvent::type)
        .containsExactly(SagaEventType.STEP_COMPLETED, SagaEventType.SAGA_COMPLETED);
    assertThat(last.events().get(0).step()).isEqualTo(1);
    assertThat(last.status()).isEqualTo(SagaStatus.COMPLETED);
    assertThat(appends).filteredOn(a -> a.status() == SagaStatus.COMPLETED).hasSize(1);
  }

  @Test
  @DisplayName("unchanged immutable data and new immutable data are both recorded as their JSON")
  void immutableDataIsRecordedAfterEveryStep() {
    SagaDefinition<Order> d =
        SagaDefinition.builder("imm", Order.class)
            .step("same", s -> s.invoke(ctx -> ctx.data()))
            .step("kept", s -> s.run(ctx -> {}))
            .step("raised", s -> s.invoke(ctx -> new Order(ctx.data().id(), ctx.data().amount() + 1)))
            .step("same-again", s -> s.invoke(ctx -> ctx.data()))
            .build();
    SagaExecution<Order> run = node.execute(d, new Order("o-2", 5));
    assertThat(h.await(run.result()).data()).isEqualTo(new Order("o-2", 6));

    String five = "{\"id\":\"o-2\",\"amount\":5}";
    String six = "{\"id\":\"o-2\",\"amount\":6}";
    assertThat(completedData(run.sagaId())).containsExactly(five, five, six, six);
  }

  @Test
  @DisplayName("mutable data changed in place is written again after the step, returned or not")
  void mutableDataChangedInPlaceIsWrittenAgain() {
    SagaDefinition<Cart> d =
        SagaDefinition.builder("cart", Cart.class)
            .step("add", s -> s.invoke(ctx -> {
              ctx.data().items++;
              return ctx.data();
            }))
            .step("add-again", s -> s.run(ctx -> ctx.data().items++))
            .step("add-once-more", s -> s.invoke(ctx -> {
              ctx.data().items++;
              return ctx.data();
            }))
            .build();
    Cart cart = new Cart();
    cart.id = "c-1";
    SagaExecution<Cart> run = node.execute(d, cart);
    assertThat(h.await(run.result()).data().items).isEqualTo(3);

    assertThat(completedData(run.sagaId()))
        .containsExactly(
            "{\"id\":\"c-1\",\"items\":1}", "{\"id\":\"c-1\",\"items\":2}", "{\"id\":\"c-1\",\"items\":3}");
  }
}
