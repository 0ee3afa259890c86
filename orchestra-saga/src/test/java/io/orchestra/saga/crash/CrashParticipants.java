package io.orchestra.saga.crash;

import io.orchestra.saga.NonRetriableStepException;
import io.orchestra.saga.SagaDefinition;
import io.orchestra.saga.StepContext;
import io.orchestra.core.time.Scheduler;
import io.orchestra.core.time.Timeouts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * The services the crash-test sagas call: each records every call it sees in {@code crash_calls}
 * and applies its effect at most once per idempotency key in {@code crash_effects} (primary key),
 * as a real participant de-duplicating on the key would.
 */
public final class CrashParticipants {
  private final DataSource ds;
  private final String node;
  private final ThreadLocal<Connection> connections = new ThreadLocal<>();

  public CrashParticipants(DataSource ds, String node) {
    this.ds = ds;
    this.node = node;
  }

  public static void createTables(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS crash_calls (id BIGSERIAL PRIMARY KEY, key TEXT NOT NULL,"
          + " saga_id TEXT NOT NULL, step TEXT NOT NULL, kind TEXT NOT NULL, node TEXT NOT NULL, attempt INT NOT NULL)");
      st.execute("CREATE TABLE IF NOT EXISTS crash_effects (key TEXT PRIMARY KEY, saga_id TEXT NOT NULL,"
          + " step TEXT NOT NULL, kind TEXT NOT NULL, node TEXT NOT NULL)");
    }
  }

  /** The crash-test saga: two compensatable steps, then a pivot and a retry-only step. */
  public SagaDefinition<CrashData> definition(Scheduler scheduler, Executor executor) {
    return SagaDefinition.builder("crash", CrashData.class)
        .step("reserve", s -> s
            .action(ctx -> slowly(ctx, false, scheduler, executor))
            .compensation(ctx -> slowly(ctx, true, scheduler, executor)))
        .step("charge", s -> s
            .action(ctx -> slowly(ctx, false, scheduler, executor))
            .compensation(ctx -> slowly(ctx, true, scheduler, executor)))
        .step("confirm", s -> s.action(ctx -> slowly(ctx, false, scheduler, executor)).retryOnly())
        .step("ship", s -> s.action(ctx -> slowly(ctx, false, scheduler, executor)).retryOnly())
        .build();
  }

  private CompletionStage<CrashData> slowly(
      StepContext<CrashData> ctx, boolean compensation, Scheduler scheduler, Executor executor) {
    long delay = 20_000_000L + ThreadLocalRandom.current().nextLong(40_000_000L);
    return Timeouts.delay(delay, scheduler)
        .thenApplyAsync(x -> act(ctx, compensation), executor);
  }

  private CrashData act(StepContext<CrashData> ctx, boolean compensation) {
    int n = ctx.data().n();
    String step = ctx.stepName();
    record(ctx, compensation);
    if (!compensation && step.equals("reserve") && n % 5 == 1 && ctx.attempt() == 0) {
      throw new IllegalStateException("reserve is briefly down");
    }
    if (!compensation && step.equals("charge") && (n % 10 == 3 || n % 10 == 7)) {
      throw new NonRetriableStepException("card declined");
    }
    if (compensation && step.equals("reserve") && n % 10 == 7) {
      throw new IllegalStateException("warehouse unreachable");
    }
    apply(ctx, compensation);
    return compensation ? null : ctx.data();
  }

  private Connection connection() throws SQLException {
    Connection c = connections.get();
    if (c == null || c.isClosed()) {
      c = ds.getConnection();
      connections.set(c);
    }
    return c;
  }

  private void record(StepContext<CrashData> ctx, boolean compensation) {
    try (PreparedStatement ps = connection().prepareStatement(
        "INSERT INTO crash_calls (key, saga_id, step, kind, node, attempt) VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, ctx.idempotencyKey());
      ps.setString(2, ctx.sagaId());
      ps.setString(3, ctx.stepName());
      ps.setString(4, compensation ? "compensate" : "forward");
      ps.setString(5, node);
      ps.setInt(6, ctx.attempt());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void apply(StepContext<CrashData> ctx, boolean compensation) {
    try (PreparedStatement ps = connection().prepareStatement(
        "INSERT INTO crash_effects (key, saga_id, step, kind, node) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (key) DO NOTHING")) {
      ps.setString(1, ctx.idempotencyKey());
      ps.setString(2, ctx.sagaId());
      ps.setString(3, ctx.stepName());
      ps.setString(4, compensation ? "compensate" : "forward");
      ps.setString(5, node);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
