package io.orchestra.saga.internal;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.orchestra.saga.CompensationStatus;
import io.orchestra.saga.SagaStatus;
import io.orchestra.saga.StepStatus;
import io.orchestra.saga.journal.SagaEvent;
import java.util.List;

/**
 * Everything known about one saga, derived only from its events: {@link #apply} is the single
 * transition function, used both while running (each event is applied as it is emitted) and when
 * rebuilding from a snapshot plus events, so a rebuilt state equals the live one. Not thread-safe:
 * the owning {@link SagaRun} guards it. Not public API.
 */
@JsonAutoDetect(
    fieldVisibility = Visibility.ANY,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE)
public final class SagaState {
  /** Failure outcomes after which a step may or may not have taken effect. */
  static final String RESULT_REJECTED = "RESULT_REJECTED";

  String sagaId;
  String definitionName;
  int definitionVersion;
  List<String> stepNames = List.of();
  long startedAt;
  long deadlineAt;
  long updatedAt;
  long finishedAt;
  SagaStatus status = SagaStatus.RUNNING;
  String dataJson;
  long lastSeq;
  int currentStep = -1;
  int failedStep = -1;
  String failure;
  int forwardDeadLetter = -1;
  String ownerNode;
  int recoveries;
  StepState[] steps = new StepState[0];

  SagaState() {}

  /** Applies one event; events must come in sequence order. */
  void apply(SagaEvent e, StateCodec codec) {
    lastSeq = e.seq();
    updatedAt = e.timestampMillis();
    StepState s = e.step() >= 0 && e.step() < steps.length ? steps[e.step()] : null;
    switch (e.type()) {
      case SAGA_STARTED:
        start(e, codec.readHeader(e.detail()));
        break;
      case STEP_STARTED:
        s.status = StepStatus.STARTED;
        s.attempts = Math.max(s.attempts, e.attempt() + 1);
        s.startedAt = e.timestampMillis();
        currentStep = e.step();
        break;
      case STEP_ATTEMPT_FAILED:
        // Only written when a retry follows: attempt + 1 is that retry.
        s.attempts = Math.max(s.attempts, e.attempt() + 2);
        s.error = e.detail();
        s.outcome = e.outcome();
        break;
      case STEP_COMPLETED:
        s.status = StepStatus.COMPLETED;
        s.error = null;
        s.outcome = null;
        s.finishedAt = e.timestampMillis();
        if (e.data() != null) {
          dataJson = e.data();
        }
        break;
      case STEP_FAILED:
        s.status = StepStatus.FAILED;
        s.error = e.detail();
        s.outcome = e.outcome();
        s.finishedAt = e.timestampMillis();
        failedStep = e.step();
        failure = e.detail();
        break;
      case COMPENSATION_STARTED:
        status = SagaStatus.COMPENSATING;
        if (e.step() >= 0) {
          failedStep = e.step();
        }
        if (failure == null) {
          failure = e.detail();
        }
        break;
      case STEP_COMPENSATION_STARTED:
        s.compensation = CompensationStatus.STARTED;
        s.compensationAttempts = Math.max(s.compensationAttempts, e.attempt() + 1);
        break;
      case STEP_COMPENSATION_ATTEMPT_FAILED:
        s.compensationAttempts = Math.max(s.compensationAttempts, e.attempt() + 2);
        s.compensationError = e.detail();
        break;
      case STEP_COMPENSATED:
        s.compensation = CompensationStatus.COMPENSATED;
        s.compensationError = null;
        break;
      case STEP_COMPENSATION_FAILED:
        s.compensation = CompensationStatus.FAILED;
        s.compensationError = e.detail();
        break;
      case SAGA_COMPLETED:
        status = SagaStatus.COMPLETED;
        finishedAt = e.timestampMillis();
        if (e.data() != null) {
          dataJson = e.data();
        }
        break;
      case SAGA_COMPENSATED:
        status = SagaStatus.COMPENSATED;
        finishedAt = e.timestampMillis();
        break;
      case SAGA_COMPENSATION_FAILED:
        status = SagaStatus.COMPENSATION_FAILED;
        finishedAt = e.timestampMillis();
        break;
      case SAGA_FAILED:
        status = SagaStatus.FAILED;
        finishedAt = e.timestampMillis();
        forwardDeadLetter = e.step();
        if (failure == null) {
          failure = e.detail();
        }
        break;
      case SAGA_RECOVERED:
        recoveries++;
        ownerNode = e.detail();
        break;
      case OPERATOR_RETRY:
        if (s.compensation == CompensationStatus.FAILED) {
          s.compensation = CompensationStatus.PENDING;
          status = SagaStatus.COMPENSATING;
        } else if (forwardDeadLetter == e.step()) {
          s.status = StepStatus.PENDING;
          forwardDeadLetter = -1;
          status = SagaStatus.RUNNING;
        }
        finishedAt = 0;
        break;
      case OPERATOR_SKIPPED:
      case OPERATOR_RESOLVED:
        {
          boolean skipped = e.type() == io.orchestra.saga.journal.SagaEventType.OPERATOR_SKIPPED;
          if (s.compensation == CompensationStatus.FAILED) {
            s.compensation = skipped ? CompensationStatus.SKIPPED : CompensationStatus.RESOLVED;
            if (!hasFailedCompensation()) {
              status = SagaStatus.COMPENSATING; // the run then records SAGA_COMPENSATED
              finishedAt = 0;
            }
          } else if (forwardDeadLetter == e.step()) {
            s.status = skipped ? StepStatus.SKIPPED : StepStatus.RESOLVED;
            forwardDeadLetter = -1;
            status = SagaStatus.RUNNING;
            finishedAt = 0;
          }
          break;
        }
      default:
        throw new IllegalStateException("unknown event type " + e.type());
    }
  }

  /**
   * Applies {@code SAGA_STARTED} with its header already parsed: the engine starting a saga has
   * the header object at hand, so it need not read back the JSON it just wrote. {@code header}
   * must be what {@code e.detail()} holds.
   */
  void start(SagaEvent e, StateCodec.StartHeader header) {
    lastSeq = e.seq();
    updatedAt = e.timestampMillis();
    sagaId = e.sagaId();
    definitionName = header.definition();
    definitionVersion = header.version();
    stepNames = List.copyOf(header.steps());
    deadlineAt = header.deadline();
    ownerNode = header.node();
    steps = new StepState[stepNames.size()];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = new StepState();
    }
    startedAt = e.timestampMillis();
    status = SagaStatus.RUNNING;
    dataJson = e.data();
  }

  boolean hasFailedCompensation() {
    for (StepState s : steps) {
      if (s.compensation == CompensationStatus.FAILED) {
        return true;
      }
    }
    return false;
  }

  /** Index of the first forward step not done, or the step count. */
  int nextStep() {
    for (int i = 0; i < steps.length; i++) {
      if (!steps[i].status.isDone()) {
        return i;
      }
    }
    return steps.length;
  }

  int completedSteps() {
    int n = 0;
    for (StepState s : steps) {
      if (s.status == StepStatus.COMPLETED) {
        n++;
      }
    }
    return n;
  }

  /** Whether a failure with {@code outcome} leaves it open whether the step took effect. */
  static boolean uncertain(String outcome) {
    return "TIMEOUT".equals(outcome) || "RESET".equals(outcome) || RESULT_REJECTED.equals(outcome);
  }

  /** The sequence number of the last applied event. */
  public long lastSeq() {
    return lastSeq;
  }

  /** The status. */
  public SagaStatus status() {
    return status;
  }

  /** The step states. */
  public StepState step(int i) {
    return steps[i];
  }

  /** The data JSON. */
  public String dataJson() {
    return dataJson;
  }
}
