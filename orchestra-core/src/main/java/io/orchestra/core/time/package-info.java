/**
 * Time and chance as ports: {@link io.orchestra.core.time.Ticker} (monotonic), {@link
 * java.time.Clock} (wall), {@link io.orchestra.core.time.Scheduler} (delays) and {@link
 * io.orchestra.core.time.RandomSource}, with {@link io.orchestra.core.time.VirtualTime} for tests.
 */
package io.orchestra.core.time;
