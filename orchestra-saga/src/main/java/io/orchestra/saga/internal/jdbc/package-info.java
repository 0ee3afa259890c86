/** The JDBC journal's writer, reader and schema. Not public API: may change without notice. */
package io.orchestra.saga.internal.jdbc;
