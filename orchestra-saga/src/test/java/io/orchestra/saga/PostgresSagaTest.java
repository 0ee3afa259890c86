package io.orchestra.saga;

import io.orchestra.saga.journal.JdbcSagaJournal;
import io.orchestra.saga.journal.SagaJournal;
import io.orchestra.saga.testing.Harness;
import io.orchestra.saga.testing.Pg;
import javax.sql.DataSource;

/** The saga semantics on the JDBC journal over a real PostgreSQL. */
class PostgresSagaTest extends SagaContract {
  static DataSource db;

  @Override
  SagaJournal openJournal() {
    if (db == null) {
      db = Pg.database("saga_contract");
    }
    Pg.truncate(db);
    return JdbcSagaJournal.builder(db).callbackExecutor(Harness.DIRECT).build();
  }
}
