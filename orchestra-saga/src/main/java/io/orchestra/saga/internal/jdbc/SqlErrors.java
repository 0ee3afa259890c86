package io.orchestra.saga.internal.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/** Which SQL failures are worth waiting out. Not public API. */
public final class SqlErrors {
  private SqlErrors() {}

  /**
   * Whether {@code e} is an outage or a conflict that a retry may get past: connection failures
   * (SQLSTATE class 08), the server shutting down (57P01..57P03), serialization failures and
   * deadlocks (40001, 40P01), lock timeouts (H2's HYT00), lack of resources (53), a prepared
   * statement whose result columns a schema migration changed (PostgreSQL's "cached plan must not
   * change result type": the statements are prepared afresh on a new connection), or any failure
   * after which the connection is no longer valid.
   */
  public static boolean isTransient(SQLException e, Connection c) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException s) {
        String state = s.getSQLState();
        if (state != null
            && (state.startsWith("08")
                || state.startsWith("53")
                || state.startsWith("57P")
                || state.equals("40001")
                || state.equals("40P01")
                || state.equals("HYT00")
                || state.equals("90067")
                || state.equals("90098")
                || isStalePlan(state, s.getMessage()))) {
          return true;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    try {
      return c == null || c.isClosed() || !c.isValid(2);
    } catch (SQLException ignored) {
      return true;
    }
  }

  /**
   * PostgreSQL refuses to run a statement prepared before a schema change that altered its result
   * columns (0A000, which also means "feature not supported", so the text is checked too; a
   * server with translated messages is not recognised and the write fails once, as before).
   */
  private static boolean isStalePlan(String state, String message) {
    return state.equals("0A000") && message != null && message.contains("cached plan must not change result type");
  }

  /** Whether {@code e} is a unique-key violation (SQLSTATE 23505). */
  public static boolean isDuplicateKey(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
