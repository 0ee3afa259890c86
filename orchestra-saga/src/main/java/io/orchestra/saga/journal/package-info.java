/**
 * Where sagas are made durable: the {@link io.orchestra.saga.journal.SagaJournal} port, its events
 * and rows, and three implementations (in memory, JDBC on PostgreSQL, embedded H2).
 */
package io.orchestra.saga.journal;
