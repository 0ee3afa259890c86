package io.orchestra.saga.journal;

import io.orchestra.core.internal.Checks;
import io.orchestra.saga.SagaJournalException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The default journal: H2 in file mode inside one directory, no server to run. Sagas survive a
 * restart of the process (each commit is written to the file before its write completes). One
 * process at a time may open a directory; for several nodes use PostgreSQL. Needs {@code
 * com.h2database:h2} on the class path (a runtime dependency of orchestra-saga).
 */
public final class EmbeddedSagaJournal {
  private EmbeddedSagaJournal() {}

  /** Opens (creating if needed) the journal in {@code directory}. */
  public static JdbcSagaJournal open(Path directory) {
    return open(directory, b -> {});
  }

  /** Opens the journal in {@code directory}, letting {@code tuning} adjust the builder. */
  public static JdbcSagaJournal open(Path directory, Consumer<JdbcSagaJournal.Builder> tuning) {
    Checks.notNull("directory", directory);
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new SagaJournalException("cannot create saga journal directory " + directory, e);
    }
    // WRITE_DELAY=0: write each commit to the file at once rather than within 500 ms.
    String url =
        "jdbc:h2:file:" + directory.toAbsolutePath().resolve("saga").toString().replace('\\', '/')
            + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000";
    JdbcSagaJournal.Builder b =
        JdbcSagaJournal.builder(new UrlDataSource(url)).dialect(SqlDialect.H2);
    tuning.accept(b);
    return b.build();
  }

  /** A {@link DataSource} over {@link DriverManager}, enough for the journal's two connections. */
  static final class UrlDataSource implements DataSource {
    private final String url;

    UrlDataSource(String url) {
      this.url = url;
    }

    @Override
    public Connection getConnection() throws SQLException {
      return DriverManager.getConnection(url);
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return DriverManager.getConnection(url, user, password);
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }

    @Override
    public String toString() {
      return url;
    }
  }
}
