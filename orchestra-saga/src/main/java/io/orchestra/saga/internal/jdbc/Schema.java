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
  public static final int VERSION = 2;

  private static final long ADVISORY_LOCK = 0x5A6A_0001L;

  /**
   * The {@code fillfactor} of {@code orchestra_saga} from version 2 on PostgreSQL: inserts leave
   * half of each page free for new versions of its rows, so that a step's row update stays on its
   * page (a heap-only tuple, which writes no index) even when a group commit updates every row of
   * the page at once. docs/saga.md has the measurements behind the value.
   */
  static final int SAGA_FILLFACTOR = 50;

  /** Migration {@code v} (1-based) for {@code dialect}. */
  static List<String> migration(SqlDialect dialect, int v) {
    return switch (v) {
      case 1 -> version1(dialect);
      case 2 -> version2(dialect);
      default -> throw new IllegalArgumentException("no migration " + v);
    };
  }

  private static List<String> version1(SqlDialect dialect) {
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

  /**
   * Version 2, PostgreSQL only: the columns a step's fenced update changes on every step
   * ({@code last_seq}, {@code updated_at}) are in no index, so that update can be HOT; the status
   * listing keeps an index on {@code status} alone and sorts what it finds. The id and key
   * columns compare in byte order ({@code COLLATE "C"}), whatever the database's locale. H2 has
   * no HOT updates and compares strings by code unit already; its schema stays as it is.
   */
  private static List<String> version2(SqlDialect dialect) {
    if (dialect != SqlDialect.POSTGRESQL) {
      return List.of();
    }
    return List.of(
        "ALTER TABLE orchestra_saga"
            + " ALTER COLUMN saga_id TYPE VARCHAR(128) COLLATE \"C\","
            + " ALTER COLUMN definition_name TYPE VARCHAR(200) COLLATE \"C\","
            + " ALTER COLUMN definition_key TYPE VARCHAR(220) COLLATE \"C\","
            + " ALTER COLUMN owner_node TYPE VARCHAR(200) COLLATE \"C\","
            + " SET (fillfactor = " + SAGA_FILLFACTOR + ")",
        "DROP INDEX orchestra_saga_status",
        "CREATE INDEX orchestra_saga_status ON orchestra_saga (status)",
        "ALTER TABLE orchestra_saga_event ALTER COLUMN saga_id TYPE VARCHAR(128) COLLATE \"C\"",
        "ALTER TABLE orchestra_saga_snapshot ALTER COLUMN saga_id TYPE VARCHAR(128) COLLATE \"C\"");
  }

  /** Brings the schema to {@link #VERSION}; returns the version found before. */
  public static int migrate(Connection c, SqlDialect dialect) throws SQLException {
    return migrate(c, dialect, VERSION);
  }

  /**
   * Brings the schema to {@code target} (at most {@link #VERSION}; tests build older schemas with
   * it); returns the version found before.
   */
  static int migrate(Connection c, SqlDialect dialect, int target) throws SQLException {
    if (target < 1 || target > VERSION) {
      throw new IllegalArgumentException("no schema version " + target + " (1 to " + VERSION + ")");
    }
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
      if (found > target) {
        throw new SQLException(
            "the saga journal schema is at version " + found + ", newer than this library's " + target);
      }
      for (int v = found + 1; v <= target; v++) {
        for (String sql : migration(dialect, v)) {
          st.execute(sql);
        }
      }
      if (found < target) {
        st.execute("DELETE FROM orchestra_saga_schema");
        st.execute("INSERT INTO orchestra_saga_schema (version) VALUES (" + target + ")");
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
