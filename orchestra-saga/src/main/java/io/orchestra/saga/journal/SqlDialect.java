package io.orchestra.saga.journal;

/** The SQL databases {@link JdbcSagaJournal} speaks. */
public enum SqlDialect {
  /**
   * PostgreSQL 12 or later: the production journal for several nodes; claims use {@code FOR
   * UPDATE SKIP LOCKED}.
   */
  POSTGRESQL,
  /** H2 2.x in file mode: the embedded journal of a single node. */
  H2
}
