package io.orchestra.saga.internal.jdbc;

import io.orchestra.saga.journal.SqlDialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The journal's tables and their migrations. Each migration is a list of statements applied once,
 * in order, inside one transaction; {@code orchestra_saga_schema} remembers the version reached.
 * On PostgreSQL a transaction-scoped advisory lock keeps concurrent nodes from migrating at once.
 * Not public API; the SQL is documented in docs/saga.md.
 */
public final class Schema {
  private Schema() {}

  /** The version this library writes. */
  public static final int VERSION = 1;

  private static final long ADVISORY_LOCK = 0x5A6A_0001L;

  /** Migration {@code v} (1-based) for {@code dialect}. */
  static List<String> migration(SqlDialect dialect, int v) {
    if (v != 1) {
      throw new IllegalArgumentException("no migration " + v);
    }
    String text = dialect == SqlDialect.POSTGRESQL ? "TEXT" : "CHARACTER LARGE OBJECT";
    String claimIndex =
        dialect == SqlDialect.POSTGRESQL
            ? "CREATE INDEX orchestra_saga_claim ON orchestra_saga (lease_expires_at)"
                + " WHERE status IN ('RUNNING', 'COMPENSATING')"
            : "CREATE INDEX orchestra_saga_claim ON orchestra_saga (status, lease_expires_at)";
    return List.of(
        "CREATE TABLE orchestra_saga ("
            + " saga_id VARCHAR(128) PRIMARY KEY,"
            + " definition_name VARCHAR(200) NOT NULL,"
            + " definition_version INTEGER NOT NULL,"
            + " definition_key VARCHAR(220) NOT NULL,"
            + " status VARCHAR(32) NOT NULL,"
            + " owner_node VARCHAR(200),"
            + " epoch BIGINT NOT NULL,"
            + " lease_expires_at BIGINT NOT NULL,"
            + " last_seq BIGINT NOT NULL,"
            + " created_at BIGINT NOT NULL,"
            + " updated_at BIGINT NOT NULL)",
        claimIndex,
        "CREATE INDEX orchestra_saga_status ON orchestra_saga (status, updated_at)",
        "CREATE TABLE orchestra_saga_event ("
            + " saga_id VARCHAR(128) NOT NULL,"
            + " seq BIGINT NOT NULL,"
            + " event_type VARCHAR(48) NOT NULL,"
            + " occurred_at BIGINT NOT NULL,"
            + " step INTEGER NOT NULL,"
            + " attempt INTEGER NOT NULL,"
            + " outcome VARCHAR(32),"
            + " data " + text + ","
            + " detail " + text + ","
            + " PRIMARY KEY (saga_id, seq))",
        "CREATE TABLE orchestra_saga_snapshot ("
            + " saga_id VARCHAR(128) PRIMARY KEY,"
            + " seq BIGINT NOT NULL,"
            + " state " + text + " NOT NULL,"
            + " created_at BIGINT NOT NULL)");
  }

  /** Brings the schema to {@link #VERSION}; returns the version found before. */
  public static int migrate(Connection c, SqlDialect dialect) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      if (dialect == SqlDialect.POSTGRESQL) {
        st.execute("SELECT pg_advisory_xact_lock(" + ADVISORY_LOCK + ")");
      }
      st.execute("CREATE TABLE IF NOT EXISTS orchestra_saga_schema (version INTEGER NOT NULL)");
      int found = 0;
      try (ResultSet rs = st.executeQuery("SELECT MAX(version) FROM orchestra_saga_schema")) {
        if (rs.next()) {
          found = rs.getInt(1);
        }
      }
      if (found > VERSION) {
        throw new SQLException(
            "the saga journal schema is at version " + found + ", newer than this library's " + VERSION);
      }
      for (int v = found + 1; v <= VERSION; v++) {
        for (String sql : migration(dialect, v)) {
          st.execute(sql);
        }
      }
      if (found < VERSION) {
        st.execute("DELETE FROM orchestra_saga_schema");
        st.execute("INSERT INTO orchestra_saga_schema (version) VALUES (" + VERSION + ")");
      }
      c.commit();
      return found;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }
}
