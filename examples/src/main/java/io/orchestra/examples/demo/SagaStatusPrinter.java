package io.orchestra.examples.demo;

import io.orchestra.saga.SagaInfo;
import io.orchestra.saga.SagaOrchestrator;
import io.orchestra.saga.SagaResult;
import io.orchestra.saga.SagaStatus;
import io.orchestra.saga.StepInfo;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Prints {@code getSagaStatus} for one completed and one compensated order: the saga's status
 * as the orchestrator rebuilds it from the journal once the saga has ended.
 */
final class SagaStatusPrinter {
  private final SagaOrchestrator orchestrator;
  private final Console console;

  SagaStatusPrinter(SagaOrchestrator orchestrator, Console console) {
    this.orchestrator = orchestrator;
    this.console = console;
  }

  void show(SagaPhase.Result saga) {
    first(saga, SagaStatus.COMPLETED, null).ifPresent(this::print);
    first(saga, SagaStatus.COMPENSATED, PlaceOrderSaga.SHIP).ifPresent(this::print);
  }

  private Optional<String> first(SagaPhase.Result saga, SagaStatus status, String failedStep) {
    return saga.results().entrySet().stream()
        .filter(e -> e.getValue().status() == status && (failedStep == null || failedStep.equals(e.getValue().failedStep())))
        .map(Map.Entry::getKey)
        .sorted()
        .findFirst()
        .map(order -> saga.sagaIds().get(order));
  }

  private void print(String sagaId) {
    SagaInfo info = orchestrator.getSagaStatus(sagaId);
    String steps = info.steps().stream().map(SagaStatusPrinter::step).collect(Collectors.joining(", "));
    console.detail("getSagaStatus(%s) = %s, %d/%d steps done, %s%s", sagaId, info.status(), info.completedSteps(),
        info.totalSteps(), info.fromMemory() ? "from memory" : "rebuilt from the journal",
        info.failure() == null ? "" : "; failure: " + info.failure());
    console.detail("    %s", steps);
  }

  private static String step(StepInfo s) {
    String forward = s.name() + " " + s.status() + " (" + s.attempts() + (s.attempts() == 1 ? " attempt" : " attempts") + ")";
    return switch (s.compensation()) {
      case NONE, PENDING -> forward;
      default -> forward + " -> " + s.compensation();
    };
  }
}
