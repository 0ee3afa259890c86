package io.orchestra.saga.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.saga.journal.SqlDialect;
import io.orchestra.saga.testing.Pg;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every query of the journal finds its rows through an index, on schema version 1 and on the
 * current one (which moved {@code updated_at} out of the status index): the plans of the very
 * statement texts the journal runs, over 50,000 analyzed sagas. (The fenced update's plan under
 * stale statistics is {@code PostgresPlanTest}'s.)
 */
class PostgresIndexPlanTest {

  @ParameterizedTest(name = "schema v{0}")
  @ValueSource(ints = {1, Schema.VERSION})
  void everyQueryUsesAnIndex(int version) throws Exception {
    DataSource db = Pg.database("saga_index_plans");
    try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS orchestra_saga, orchestra_saga_event, orchestra_saga_snapshot, orchestra_saga_schema");
      Schema.migrate(c, SqlDialect.POSTGRESQL, version);
      // 1 in 100 running (leased by n1 or n2), 2 in 1000 parked, the rest completed.
      st.execute(
          "INSERT INTO orchestra_saga SELECT 's-' || i, 'order', 1, 'order@1',"
              + " CASE WHEN i % 100 = 0 THEN 'RUNNING' WHEN i % 1000 = 1 THEN 'FAILED'"
              + " WHEN i % 1000 = 2 THEN 'COMPENSATION_FAILED' ELSE 'COMPLETED' END,"
              + " CASE WHEN i % 100 = 0 THEN 'n' || (i % 2 + 1) END, 1,"
              + " CASE WHEN i % 100 = 0 THEN 100000 + i ELSE 0 END, 9, i, i + 9"
              + " FROM generate_series(1, 50000) i");
      st.execute(
          "INSERT INTO orchestra_saga_event SELECT 's-' || i, k, 'STEP_STARTED', i, 0, 0, NULL, '{}', NULL"
              + " FROM generate_series(1, 50000) i, generate_series(1, 9) k");
      st.execute(
          "INSERT INTO orchestra_saga_snapshot SELECT 's-' || i, 5, '{}', i FROM generate_series(1, 50000, 3) i");
      st.execute("ANALYZE orchestra_saga, orchestra_saga_event, orchestra_saga_snapshot");

      assertThat(plan(c, Sql.SELECT_SAGA, "s-77")).contains("orchestra_saga_pkey");
      assertThat(plan(c, Sql.SELECT_EVENTS, "s-77", 2L)).contains("orchestra_saga_event_pkey");
      assertThat(plan(c, Sql.SELECT_SNAPSHOT, "s-77")).contains("orchestra_saga_snapshot_pkey");
      assertThat(plan(c, Sql.RENEW, 200_000L, "s-100", 1L)).contains("orchestra_saga_pkey");
      assertThat(plan(c, Sql.TAKE_LEASE, "n3", 2L, 200_000L, "s-100")).contains("orchestra_saga_pkey");
      assertThat(plan(c, Sql.claim(1, false, SqlDialect.POSTGRESQL), "order@1", 100_500L, 10))
          .contains("orchestra_saga_claim");
      assertThat(plan(c, Sql.claim(1, true, SqlDialect.POSTGRESQL), "order@1", 100_500L, "n1", 10))
          .contains("orchestra_saga_claim");
      assertThat(plan(c, Sql.find(2), "FAILED", "COMPENSATION_FAILED", 10)).contains("orchestra_saga_status");
      // On v2 the planner may take the claim index, whose predicate is the active statuses.
      assertThat(plan(c, Sql.find(1), "RUNNING", 10)).containsAnyOf("orchestra_saga_status", "orchestra_saga_claim");
      try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + PostgresBatch.FENCE)) {
        PostgresColumns.fences(
            c, ps, 1, List.of(new Batch.Fence("s-100", 1, null, 10, 200_000, false, false)), new HashMap<>());
        assertThat(text(ps)).contains("orchestra_saga_pkey");
      }
    }
  }

  /** The plan of {@code sql} with {@code params} bound, as text. */
  private static String plan(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
      for (int i = 0; i < params.length; i++) {
        if (params[i] instanceof String s) {
          ps.setString(i + 1, s);
        } else if (params[i] instanceof Long l) {
          ps.setLong(i + 1, l);
        } else {
          ps.setInt(i + 1, (Integer) params[i]);
        }
      }
      return text(ps);
    }
  }

  private static String text(PreparedStatement ps) throws SQLException {
    StringBuilder b = new StringBuilder();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        b.append(rs.getString(1)).append('\n');
      }
    }
    assertThat(b).doesNotContain("Seq Scan");
    return b.toString();
  }
}
