package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.SchedulingResult;
import java.util.concurrent.CompletableFuture;

/**
 * A placement decision (made synchronously) and the stage of its final outcome (completed when
 * the runtime answers).
 *
 * @param decision where it went, or why nowhere
 * @param stage the scheduling result
 */
public record Launch(Decision decision, CompletableFuture<SchedulingResult> stage) {}
