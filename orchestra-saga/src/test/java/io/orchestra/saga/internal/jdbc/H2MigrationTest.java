package io.orchestra.saga.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.saga.SagaStatus;
import io.orchestra.saga.journal.EmbeddedSagaJournal;
import io.orchestra.saga.journal.JdbcSagaJournal;
import io.orchestra.saga.journal.SagaRecord;
import io.orchestra.saga.journal.SqlDialect;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schema version 1 to 2 on H2, whose migration 2 changes nothing but the recorded version. */
class H2MigrationTest {

  @Test
  @DisplayName("an embedded journal written at v1 opens at v2 with its running saga still found by recovery and listing")
  void fromVersion1(@TempDir Path dir) throws Exception {
    String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("saga").toString().replace('\\', '/');
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      Schema.migrate(c, SqlDialect.H2, 1);
      st.execute(
          "INSERT INTO orchestra_saga VALUES ('s-1', 'order', 1, 'order@1', 'RUNNING', 'a', 1, 500, 1, 100, 100)");
    }
    try (JdbcSagaJournal journal = EmbeddedSagaJournal.open(dir)) {
      assertThat(journal.find(Set.of(SagaStatus.RUNNING), 10)).extracting(SagaRecord::sagaId).containsExactly("s-1");
      assertThat(journal.claimExpired("b", Set.of("order@1"), 1000, 9000, 10, false))
          .extracting(SagaRecord::epoch)
          .containsExactly(2L);
    }
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*), MAX(version) FROM orchestra_saga_schema")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
      assertThat(rs.getInt(2)).isEqualTo(Schema.VERSION);
    }
  }
}
