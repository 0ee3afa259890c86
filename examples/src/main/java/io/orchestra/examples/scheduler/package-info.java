/** Scheduling onto a cluster the application describes, with a score plugin and a what-if drain. */
package io.orchestra.examples.scheduler;
