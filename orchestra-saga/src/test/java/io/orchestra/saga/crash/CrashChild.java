package io.orchestra.saga.crash;

import io.orchestra.core.resilience.Backoff;
import io.orchestra.core.time.Scheduler;
import io.orchestra.saga.CompensationConfig;
import io.orchestra.saga.ExecutionConfig;
import io.orchestra.saga.RecoveryConfig;
import io.orchestra.saga.SagaConfig;
import io.orchestra.saga.SagaDefinition;
import io.orchestra.saga.SagaOrchestrator;
import io.orchestra.saga.journal.JdbcSagaJournal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The process the crash test starts (and kills): runs sagas {@code crash-0 .. crash-(count-1)}
 * against the PostgreSQL journal, first taking over whatever its killed predecessors left, then
 * starting the ones never started. Prints STARTED once running and DONE when every saga has ended.
 *
 * <p>Arguments: jdbcUrl nodeId count concurrency.
 */
public final class CrashChild {
  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String node = args[1];
    int count = Integer.parseInt(args[2]);
    int concurrency = Integer.parseInt(args[3]);
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(url);
    ds.setUser("postgres");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    Scheduler scheduler = Scheduler.of(timer);
    JdbcSagaJournal journal = JdbcSagaJournal.builder(ds).build();
    CrashParticipants participants = new CrashParticipants(ds, node);
    SagaDefinition<CrashData> def = participants.definition(scheduler, pool);
    SagaConfig config =
        SagaConfig.builder()
            .execution(ExecutionConfig.builder()
                .stepTimeout(Duration.ofSeconds(10))
                .maxRetries(3)
                .retryBackoff(Backoff.fixed(Duration.ofMillis(20)))
                .build())
            .compensation(CompensationConfig.builder()
                .compensationRetries(2)
                .compensationBackoff(Backoff.fixed(Duration.ofMillis(20)))
                .build())
            .recovery(RecoveryConfig.builder()
                .leaseDuration(Duration.ofSeconds(2))
                .leaseRenewInterval(Duration.ofMillis(500))
                .recoveryInterval(Duration.ofMillis(300))
                .build())
            .build();
    SagaOrchestrator orchestrator =
        SagaOrchestrator.builder()
            .nodeId(node)
            .config(config)
            .journal(journal)
            .scheduler(scheduler)
            .executor(pool)
            .register(def)
            .build();
    orchestrator.start();
    System.out.println("STARTED");
    System.out.flush();

    Semaphore permits = new Semaphore(concurrency);
    for (int i = 0; i < count; i++) {
      String id = "crash-" + i;
      if (journal.load(id).isPresent()) {
        continue; // started by an earlier process; recovery owns it
      }
      permits.acquire();
      try {
        orchestrator.execute(def, new CrashData(i), id).result().whenComplete((r, e) -> permits.release());
      } catch (RuntimeException e) {
        permits.release();
      }
    }
    while (unsettled(ds, count) > 0) {
      LockSupport.parkNanos(100_000_000L); // other sagas are still being recovered and run
    }
    System.out.println("DONE");
    System.out.flush();
    orchestrator.close();
    journal.close();
    System.exit(0);
  }

  static int unsettled(PGSimpleDataSource ds, int count) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT COUNT(*) FROM orchestra_saga WHERE saga_id LIKE 'crash-%'"
                + " AND status IN ('COMPLETED', 'COMPENSATED', 'COMPENSATION_FAILED')");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return count - rs.getInt(1);
    }
  }
}
