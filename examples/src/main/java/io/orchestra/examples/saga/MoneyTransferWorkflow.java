package io.orchestra.examples.saga;

import io.orchestra.saga.NonRetriableStepException;
import io.orchestra.saga.SagaDefinition;
import io.orchestra.saga.SagaInfo;
import io.orchestra.saga.SagaOrchestrator;
import io.orchestra.saga.SagaResult;
import io.orchestra.saga.StepContext;
import io.orchestra.saga.journal.EmbeddedSagaJournal;
import io.orchestra.saga.journal.JdbcSagaJournal;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Embedding {@link SagaOrchestrator} in a business workflow with its own step functions: a money
 * transfer debits one account and credits another, both plain Java calls on the application's
 * {@link Bank}. If the credit fails (the target account is frozen), the debit is undone. Every
 * step is journaled in the embedded H2 journal, so a transfer interrupted by a crash resumes
 * where it stopped when the application starts again.
 */
public final class MoneyTransferWorkflow implements AutoCloseable {
  private final Bank bank;
  private final JdbcSagaJournal journal;
  private final SagaOrchestrator orchestrator;
  private final SagaDefinition<Transfer> transfer;

  public MoneyTransferWorkflow(Bank bank, Path journalDirectory) {
    this.bank = bank;
    this.transfer =
        SagaDefinition.builder("money-transfer", Transfer.class)
            .step("debit", s -> s
                .run(ctx -> bank.withdraw(ctx.data().from(), ctx.data().amount(), ctx.idempotencyKey()))
                .compensate(ctx -> bank.deposit(ctx.data().from(), ctx.data().amount(), ctx.idempotencyKey())))
            .step("credit", s -> s.run(ctx -> credit(bank, ctx)))
            .build();
    this.journal = EmbeddedSagaJournal.open(journalDirectory);
    this.orchestrator =
        SagaOrchestrator.builder().nodeId("bank-1").journal(journal).register(transfer).build();
    orchestrator.start(); // resumes transfers a previous run left unfinished
  }

  /** The credit step: a frozen account fails it for good (no retry), so the debit is undone. */
  private static void credit(Bank bank, StepContext<Transfer> ctx) {
    try {
      bank.deposit(ctx.data().to(), ctx.data().amount(), ctx.idempotencyKey());
    } catch (Bank.AccountFrozenException e) {
      throw new NonRetriableStepException(e.getMessage());
    }
  }

  /** Runs one transfer to its end and returns how it ended. */
  public SagaResult<Transfer> transfer(String from, String to, long amount) throws Exception {
    return orchestrator.execute(transfer, new Transfer(from, to, amount))
        .result().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** What the journal knows about a transfer. */
  public SagaInfo status(String sagaId) {
    return orchestrator.getSagaStatus(sagaId);
  }

  @Override
  public void close() {
    orchestrator.close();
    journal.close();
  }

  public static void main(String[] args) throws Exception {
    Bank bank = new Bank().open("alice", 10_000).open("bob", 0).open("carol", 0).freeze("carol");
    try (MoneyTransferWorkflow workflow = new MoneyTransferWorkflow(bank, Path.of("target", "transfer-journal"))) {
      SagaResult<Transfer> ok = workflow.transfer("alice", "bob", 2_500);
      SagaResult<Transfer> undone = workflow.transfer("alice", "carol", 1_000);
      System.out.println("alice -> bob:   " + ok.status());
      System.out.println("alice -> carol: " + undone.status() + " (" + undone.error() + ")");
      System.out.println("balances: alice " + bank.balance("alice") + ", bob " + bank.balance("bob")
          + ", carol " + bank.balance("carol"));
      System.out.println("status of the undone transfer: " + workflow.status(undone.sagaId()).steps());
    }
  }
}
