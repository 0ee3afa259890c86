/**
 * Implementation of the scheduler: the node table, compiled requests, filters, scores, the
 * placement protocol. Not API: may change without notice.
 */
package io.orchestra.scheduler.internal;
