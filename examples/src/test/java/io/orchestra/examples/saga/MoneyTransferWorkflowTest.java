package io.orchestra.examples.saga;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.saga.CompensationStatus;
import io.orchestra.saga.SagaInfo;
import io.orchestra.saga.SagaResult;
import io.orchestra.saga.SagaStatus;
import io.orchestra.saga.StepStatus;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MoneyTransferWorkflowTest {
  @TempDir Path journal;

  @Test
  void aTransferMovesTheMoney_andOneToAFrozenAccountIsUndone() throws Exception {
    Bank bank = new Bank().open("alice", 10_000).open("bob", 0).open("carol", 0).freeze("carol");
    try (MoneyTransferWorkflow workflow = new MoneyTransferWorkflow(bank, journal)) {
      SagaResult<Transfer> ok = workflow.transfer("alice", "bob", 2_500);
      assertThat(ok.status()).isEqualTo(SagaStatus.COMPLETED);
      assertThat(bank.balance("alice")).isEqualTo(7_500);
      assertThat(bank.balance("bob")).isEqualTo(2_500);

      SagaResult<Transfer> undone = workflow.transfer("alice", "carol", 1_000);
      assertThat(undone.status()).isEqualTo(SagaStatus.COMPENSATED);
      assertThat(undone.failedStep()).isEqualTo("credit");
      assertThat(undone.error()).contains("carol is frozen");
      assertThat(bank.balance("alice")).isEqualTo(7_500); // the debit was given back
      assertThat(bank.balance("carol")).isZero();

      SagaInfo info = workflow.status(undone.sagaId());
      assertThat(info.status()).isEqualTo(SagaStatus.COMPENSATED);
      assertThat(info.steps().get(0).status()).isEqualTo(StepStatus.COMPLETED);
      assertThat(info.steps().get(0).compensation()).isEqualTo(CompensationStatus.COMPENSATED);
      assertThat(info.steps().get(1).status()).isEqualTo(StepStatus.FAILED);
    }
  }

  @Test
  void theJournalOutlivesTheWorkflow_soStatusIsReadAfterARestart() throws Exception {
    Bank bank = new Bank().open("alice", 1_000).open("bob", 0);
    String sagaId;
    try (MoneyTransferWorkflow workflow = new MoneyTransferWorkflow(bank, journal)) {
      sagaId = workflow.transfer("alice", "bob", 400).sagaId();
    }
    try (MoneyTransferWorkflow restarted = new MoneyTransferWorkflow(bank, journal)) {
      SagaInfo info = restarted.status(sagaId);
      assertThat(info.status()).isEqualTo(SagaStatus.COMPLETED);
      assertThat(info.fromMemory()).isFalse();
      assertThat(info.dataJson()).contains("\"amount\":400");
    }
  }
}
