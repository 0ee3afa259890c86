package io.orchestra.saga.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaEventType;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The hand-written snapshot and header JSON is exactly what Jackson's data binding writes for the
 * same objects (the format the reader expects), for any text in any field, and reads back to the
 * same state.
 */
class StateCodecTest {
  private final StateCodec codec = new StateCodec();
  private final ObjectMapper dataBinding = new ObjectMapper();

  /** A state with every field set, text fields holding {@code text}. */
  private SagaState state(String text) {
    List<String> steps = List.of("reserve", "charge \"" + text + "\"", "ship");
    String header =
        codec.writeHeader(new StateCodec.StartHeader("order " + text, 3, steps, 99_000L, "node " + text));
    List<SagaEvent> events = new ArrayList<>();
    String id = "saga-" + text;
    String json = "{\"note\":" + quoted(text) + "}";
    events.add(new SagaEvent(id, 1, SagaEventType.SAGA_STARTED, 1000, -1, 0, null, json, header));
    events.add(new SagaEvent(id, 2, SagaEventType.STEP_STARTED, 1001, 0, 0, null, null, null));
    events.add(new SagaEvent(id, 3, SagaEventType.STEP_ATTEMPT_FAILED, 1002, 0, 0, "TIMEOUT", null, text));
    events.add(new SagaEvent(id, 4, SagaEventType.STEP_STARTED, 1003, 0, 1, null, null, null));
    events.add(new SagaEvent(id, 5, SagaEventType.STEP_COMPLETED, 1004, 0, 0, null, json, null));
    events.add(new SagaEvent(id, 6, SagaEventType.STEP_STARTED, 1005, 1, 0, null, null, null));
    events.add(new SagaEvent(id, 7, SagaEventType.STEP_FAILED, 1006, 1, 0, "RESET", null, "boom " + text));
    events.add(new SagaEvent(id, 8, SagaEventType.COMPENSATION_STARTED, 1007, 1, 0, null, null, text));
    events.add(new SagaEvent(id, 9, SagaEventType.STEP_COMPENSATION_STARTED, 1008, 0, 0, null, null, null));
    events.add(new SagaEvent(id, 10, SagaEventType.STEP_COMPENSATION_FAILED, 1009, 0, 0, "SERVER_ERROR", null, text));
    events.add(new SagaEvent(id, 11, SagaEventType.SAGA_RECOVERED, 1010, -1, 2, null, null, "other " + text));
    events.add(new SagaEvent(id, 12, SagaEventType.SAGA_COMPENSATION_FAILED, 1011, -1, 0, null, null, null));
    return codec.replay(events);
  }

  private String quoted(String text) {
    try {
      return dataBinding.writeValueAsString(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private void assertSameAsDataBinding(SagaState state) throws Exception {
    String written = codec.write(state);
    JsonNode expected = dataBinding.readTree(dataBinding.writeValueAsString(state));
    assertThat(dataBinding.readTree(written)).isEqualTo(expected);
    assertThat(codec.write(codec.read(written))).isEqualTo(written);
  }

  @Test
  @DisplayName("a snapshot holds every field data binding would write, and reads back the same")
  void snapshotMatchesDataBinding() throws Exception {
    assertSameAsDataBinding(state("plain"));
    assertSameAsDataBinding(state("quote \" backslash \\ newline \n tab \t nul \0 bell \u0007 ü € 😀"));
    assertSameAsDataBinding(new SagaState()); // nulls and empty arrays
  }

  @Property(tries = 200)
  void snapshotMatchesDataBindingForAnyText(@ForAll String text) throws Exception {
    assertSameAsDataBinding(state(text));
  }

  @Property(tries = 200)
  void headerMatchesDataBindingForAnyText(@ForAll String text) throws Exception {
    StateCodec.StartHeader header =
        new StateCodec.StartHeader(text, 7, List.of(text, "b", ""), Long.MAX_VALUE, text + "!");
    String written = codec.writeHeader(header);
    assertThat(dataBinding.readTree(written))
        .isEqualTo(dataBinding.readTree(dataBinding.writeValueAsString(header)));
    assertThat(codec.readHeader(written)).isEqualTo(header);
  }

  @Test
  @DisplayName("a saga started from the header object equals one rebuilt from its JSON")
  void startFromHeaderEqualsApply() {
    StateCodec.StartHeader header =
        new StateCodec.StartHeader("order", 2, List.of("a", "b"), 5000, "n1");
    SagaEvent started =
        new SagaEvent("s-1", 1, SagaEventType.SAGA_STARTED, 10, -1, 0, null, "{}", codec.writeHeader(header));
    SagaState direct = new SagaState();
    direct.start(started, header);
    assertThat(codec.write(direct)).isEqualTo(codec.write(codec.replay(List.of(started))));
  }
}
