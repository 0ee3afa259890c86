package io.orchestra.saga.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.saga.journal.SqlDialect;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Why {@link JdbcReader} reads H2 under SNAPSHOT: the same interleaving, step by step on two
 * connections, under REPEATABLE READ and under {@link JdbcReader#H2_SNAPSHOT}. The reader reads the
 * saga row, a writer commits the row's new last_seq together with the event, then the reader reads
 * the events. Deterministic; if an H2 upgrade makes REPEATABLE READ one snapshot, the first test
 * says so (and docs/saga.md should too).
 */
class H2IsolationTest {
  @TempDir Path dir;

  @Test
  @DisplayName("H2 REPEATABLE READ: a table first read after a commit shows that commit, the row read before does not")
  void repeatableReadMixesTables() throws Exception {
    assertThat(rowThenEvents(Connection.TRANSACTION_REPEATABLE_READ)).isEqualTo("row 1, last event 2");
  }

  @Test
  @DisplayName("H2 SNAPSHOT: the row and the events come from one committed state")
  void snapshotSeesOneState() throws Exception {
    assertThat(rowThenEvents(JdbcReader.H2_SNAPSHOT)).isEqualTo("row 1, last event 1");
  }

  /** The row's last_seq and the last event the reader saw, within one transaction at {@code level}. */
  String rowThenEvents(int level) throws SQLException {
    String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("saga").toString().replace('\\', '/');
    try (Connection writer = DriverManager.getConnection(url);
        Connection reader = DriverManager.getConnection(url);
        Statement w = writer.createStatement();
        Statement r = reader.createStatement()) {
      Schema.migrate(writer, SqlDialect.H2);
      w.execute("INSERT INTO orchestra_saga VALUES ('s', 'd', 1, 'd@1', 'RUNNING', 'n', 1, 0, 1, 0, 0)");
      w.execute("INSERT INTO orchestra_saga_event (saga_id, seq, event_type, occurred_at, step, attempt)"
          + " VALUES ('s', 1, 'SAGA_STARTED', 0, -1, 0)");

      reader.setAutoCommit(false);
      reader.setTransactionIsolation(level);
      assertThat(reader.getTransactionIsolation()).isEqualTo(level);
      long lastSeq = single(r, "SELECT last_seq FROM orchestra_saga WHERE saga_id = 's'");

      writer.setAutoCommit(false);
      w.execute("UPDATE orchestra_saga SET last_seq = 2 WHERE saga_id = 's'");
      w.execute("INSERT INTO orchestra_saga_event (saga_id, seq, event_type, occurred_at, step, attempt)"
          + " VALUES ('s', 2, 'STEP_STARTED', 0, 0, 1)");
      writer.commit();

      long lastEvent = single(r, "SELECT MAX(seq) FROM orchestra_saga_event WHERE saga_id = 's'");
      reader.commit();
      return "row " + lastSeq + ", last event " + lastEvent;
    }
  }

  static long single(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }
}
