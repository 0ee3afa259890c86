package io.orchestra.saga.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.saga.testing.Pg;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Real processes, real SIGKILLs: child JVMs run a few hundred sagas against PostgreSQL and are
 * killed mid-flight several times; a last process takes over. Every saga must end COMPLETED,
 * COMPENSATED or COMPENSATION_FAILED as its script says, none lost, and the participants must have
 * applied each effect exactly once under one idempotency key.
 */
class CrashRecoveryTest {
  static final int SAGAS = 400;
  static final int KILLS = 4;

  @Test
  @DisplayName("SIGKILLed nodes lose no saga and apply no effect twice")
  void killedNodesLoseNothing() throws Exception {
    DataSource db = Pg.database("saga_crash");
    String url = Pg.instance().getJdbcUrl("postgres", "saga_crash");
    try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS crash_calls, crash_effects, orchestra_saga, orchestra_saga_event,"
          + " orchestra_saga_snapshot, orchestra_saga_schema");
      CrashParticipants.createTables(c);
    }
    Random random = new Random(2026);
    Path log = Path.of("target", "crash-children.log");
    for (int k = 1; k <= KILLS; k++) {
      Process child = spawn(url, "victim-" + k, log);
      awaitLine(child, "STARTED", 60);
      long delayMs = 250 + random.nextInt(600);
      assertThat(child.waitFor(delayMs, TimeUnit.MILLISECONDS)).as("child %s still running when killed", k).isFalse();
      child.destroyForcibly(); // SIGKILL
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    Process survivor = spawn(url, "survivor", log);
    awaitLine(survivor, "DONE", 180);
    assertThat(survivor.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(survivor.exitValue()).isZero();

    try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
      Map<String, String> status = new HashMap<>();
      try (ResultSet rs = st.executeQuery("SELECT saga_id, status FROM orchestra_saga")) {
        while (rs.next()) {
          status.put(rs.getString(1), rs.getString(2));
        }
      }
      assertThat(status).hasSize(SAGAS);
      Set<String> expectedEffects = new HashSet<>();
      for (int n = 0; n < SAGAS; n++) {
        String id = "crash-" + n;
        String expected;
        if (n % 10 == 3) {
          expected = "COMPENSATED";
          expectedEffects.add(id + "/reserve");
          expectedEffects.add(id + "/reserve/compensate");
        } else if (n % 10 == 7) {
          expected = "COMPENSATION_FAILED";
          expectedEffects.add(id + "/reserve");
        } else {
          expected = "COMPLETED";
          for (String step : List.of("reserve", "charge", "confirm", "ship")) {
            expectedEffects.add(id + "/" + step);
          }
        }
        assertThat(status.get(id)).as(id).isEqualTo(expected);
      }
      Set<String> effects = new HashSet<>();
      try (ResultSet rs = st.executeQuery("SELECT key FROM crash_effects")) {
        while (rs.next()) {
          effects.add(rs.getString(1));
        }
      }
      assertThat(effects).as("each effect applied exactly once, none missing").isEqualTo(expectedEffects);
      List<String> keysPerStep = new ArrayList<>();
      try (ResultSet rs = st.executeQuery(
          "SELECT saga_id, step, kind FROM crash_calls GROUP BY saga_id, step, kind HAVING COUNT(DISTINCT key) > 1")) {
        while (rs.next()) {
          keysPerStep.add(rs.getString(1) + "/" + rs.getString(2));
        }
      }
      assertThat(keysPerStep).as("one idempotency key per step, across retries and processes").isEmpty();
      try (ResultSet rs = st.executeQuery(
          "SELECT s.saga_id FROM orchestra_saga s JOIN orchestra_saga_event e ON e.saga_id = s.saga_id"
              + " GROUP BY s.saga_id, s.last_seq HAVING MAX(e.seq) <> s.last_seq OR COUNT(*) <> s.last_seq")) {
        assertThat(rs.next()).as("every journal is gap-free up to last_seq").isFalse();
      }
      int recoveries = count(st, "SELECT COUNT(*) FROM orchestra_saga_event WHERE event_type = 'SAGA_RECOVERED'");
      int calls = count(st, "SELECT COUNT(*) FROM crash_calls");
      int acrossProcesses = count(st,
          "SELECT COUNT(*) FROM (SELECT key FROM crash_calls GROUP BY key HAVING COUNT(DISTINCT node) > 1) k");
      assertThat(recoveries).as("kills landed while sagas were running").isPositive();
      System.out.printf(
          "crash test: %d sagas, %d kills, %d takeovers, %d participant calls, %d keys called by more than one process%n",
          SAGAS, KILLS, recoveries, calls, acrossProcesses);
    }
  }

  static int count(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  static Process spawn(String url, String node, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"),
            CrashChild.class.getName(), url, node, Integer.toString(SAGAS), "12");
    pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return pb.start();
  }

  /** Reads the child's output until {@code line} (its stdout is the test's pipe). */
  static void awaitLine(Process p, String line, int seconds) throws InterruptedException {
    CountDownLatch seen = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String l;
        while ((l = r.readLine()) != null) {
          if (l.equals(line)) {
            seen.countDown();
          }
        }
      } catch (IOException ignored) {
        // the child was killed
      }
    });
    reader.setDaemon(true);
    reader.start();
    if (!seen.await(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("child did not print " + line + " within " + seconds + " s; see target/crash-children.log");
    }
  }
}
