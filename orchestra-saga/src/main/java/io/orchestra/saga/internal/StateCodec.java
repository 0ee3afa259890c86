package io.orchestra.saga.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestra.saga.SagaJournalException;
import io.orchestra.saga.journal.SagaEvent;
import io.orchestra.saga.journal.SagaSnapshot;
import io.orchestra.saga.journal.StoredSaga;
import java.util.List;

/**
 * The journal's own JSON: snapshots of {@link SagaState} and the header of {@code SAGA_STARTED}.
 * Independent of the application's data mapper. Both are written by hand ({@link JsonText}): they
 * are written on the hot path and Jackson's data binding costs several times the text itself;
 * they are read with Jackson, field by field, so the format is the one data binding would write
 * (a test holds the two equal). Thread-safe. Not public API.
 */
public final class StateCodec {
  /**
   * The snapshot text is built in a per-thread buffer, like Jackson's own buffer recycling: a
   * snapshot is a few kilobytes, and a fresh builder per snapshot was most of the garbage a
   * snapshot made.
   */
  private static final ThreadLocal<StringBuilder> BUFFER =
      ThreadLocal.withInitial(() -> new StringBuilder(4096));

  private static final int MAX_KEPT_BUFFER = 64 * 1024;

  private final ObjectMapper mapper =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * The {@code detail} of {@code SAGA_STARTED}.
   *
   * @param definition definition name
   * @param version definition version
   * @param steps step names
   * @param deadline end of the total timeout, epoch millis
   * @param node the node that started the saga
   */
  public record StartHeader(String definition, int version, List<String> steps, long deadline, String node) {}

  /** The header as JSON. */
  public String writeHeader(StartHeader header) {
    StringBuilder b = new StringBuilder(96 + header.steps().size() * 16);
    JsonText.string(b.append("{\"definition\":"), header.definition());
    b.append(",\"version\":").append(header.version());
    strings(b.append(",\"steps\":"), header.steps());
    b.append(",\"deadline\":").append(header.deadline());
    JsonText.string(b.append(",\"node\":"), header.node());
    return b.append('}').toString();
  }

  private static void strings(StringBuilder b, List<String> values) {
    b.append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      JsonText.string(b, values.get(i));
    }
    b.append(']');
  }

  /** A header from JSON. */
  public StartHeader readHeader(String json) {
    try {
      return mapper.readValue(json, StartHeader.class);
    } catch (Exception e) {
      throw new SagaJournalException("corrupt SAGA_STARTED header: " + json, e);
    }
  }

  /** The state as JSON. */
  public String write(SagaState s) {
    StringBuilder b = BUFFER.get();
    b.setLength(0);
    // Each field is one constant (separator, name, colon) and its value: few appends per field.
    JsonText.string(b.append("{\"sagaId\":"), s.sagaId);
    JsonText.string(b.append(",\"definitionName\":"), s.definitionName);
    b.append(",\"definitionVersion\":").append(s.definitionVersion);
    strings(b.append(",\"stepNames\":"), s.stepNames);
    b.append(",\"startedAt\":").append(s.startedAt);
    b.append(",\"deadlineAt\":").append(s.deadlineAt);
    b.append(",\"updatedAt\":").append(s.updatedAt);
    b.append(",\"finishedAt\":").append(s.finishedAt);
    JsonText.name(b.append(",\"status\":"), s.status);
    JsonText.string(b.append(",\"dataJson\":"), s.dataJson);
    b.append(",\"lastSeq\":").append(s.lastSeq);
    b.append(",\"currentStep\":").append(s.currentStep);
    b.append(",\"failedStep\":").append(s.failedStep);
    JsonText.string(b.append(",\"failure\":"), s.failure);
    b.append(",\"forwardDeadLetter\":").append(s.forwardDeadLetter);
    JsonText.string(b.append(",\"ownerNode\":"), s.ownerNode);
    b.append(",\"recoveries\":").append(s.recoveries);
    b.append(",\"steps\":[");
    for (int i = 0; i < s.steps.length; i++) {
      StepState t = s.steps[i];
      JsonText.name(b.append(i == 0 ? "{\"status\":" : ",{\"status\":"), t.status);
      b.append(",\"attempts\":").append(t.attempts);
      JsonText.string(b.append(",\"error\":"), t.error);
      JsonText.string(b.append(",\"outcome\":"), t.outcome);
      b.append(",\"startedAt\":").append(t.startedAt);
      b.append(",\"finishedAt\":").append(t.finishedAt);
      JsonText.name(b.append(",\"compensation\":"), t.compensation);
      b.append(",\"compensationAttempts\":").append(t.compensationAttempts);
      JsonText.string(b.append(",\"compensationError\":"), t.compensationError);
      b.append('}');
    }
    String json = b.append("]}").toString();
    if (b.capacity() > MAX_KEPT_BUFFER) {
      BUFFER.remove(); // a huge saga should not pin its buffer to the thread
    }
    return json;
  }

  /** A state from snapshot JSON. */
  public SagaState read(String json) {
    try {
      return mapper.readValue(json, SagaState.class);
    } catch (Exception e) {
      throw new SagaJournalException("corrupt saga snapshot", e);
    }
  }

  /** Rebuilds a state from the latest snapshot (if any) and the events after it. */
  public SagaState rebuild(StoredSaga stored) {
    SagaSnapshot snapshot = stored.snapshot();
    SagaState state = snapshot == null ? new SagaState() : read(snapshot.state());
    for (SagaEvent e : stored.events()) {
      if (e.seq() > state.lastSeq) {
        state.apply(e, this);
      }
    }
    return state;
  }

  /** Rebuilds a state from events alone. */
  public SagaState replay(List<SagaEvent> events) {
    SagaState state = new SagaState();
    for (SagaEvent e : events) {
      state.apply(e, this);
    }
    return state;
  }
}
