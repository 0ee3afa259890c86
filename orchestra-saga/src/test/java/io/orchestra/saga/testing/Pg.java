package io.orchestra.saga.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * One real PostgreSQL (zonky embedded binaries) for the whole test JVM, started on first use and
 * stopped at exit. Each test class takes its own database.
 */
public final class Pg {
  private static EmbeddedPostgres pg;

  private Pg() {}

  public static synchronized EmbeddedPostgres instance() {
    if (pg == null) {
      try {
        pg = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EmbeddedPostgres started = pg;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (IOException ignored) {
          // exiting anyway
        }
      }));
    }
    return pg;
  }

  /** A database of its own, created if needed. */
  public static DataSource database(String name) {
    EmbeddedPostgres p = instance();
    try (Connection c = p.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
        if (!rs.next()) {
          st.execute("CREATE DATABASE " + name);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return p.getDatabase("postgres", name);
  }

  /** Empties the journal tables (if they exist). */
  public static void truncate(DataSource ds) {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute(
          "DO $$ BEGIN IF to_regclass('orchestra_saga') IS NOT NULL THEN"
              + " TRUNCATE orchestra_saga, orchestra_saga_event, orchestra_saga_snapshot; END IF; END $$");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
