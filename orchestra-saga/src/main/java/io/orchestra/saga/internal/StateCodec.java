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
 * Independent of the application's data mapper. Thread-safe. Not public API.
 */
public final class StateCodec {
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
    try {
      return mapper.writeValueAsString(header);
    } catch (Exception e) {
      throw new IllegalStateException("cannot write saga header", e);
    }
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
  public String write(SagaState state) {
    try {
      return mapper.writeValueAsString(state);
    } catch (Exception e) {
      throw new IllegalStateException("cannot write saga snapshot", e);
    }
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
