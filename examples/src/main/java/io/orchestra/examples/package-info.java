/**
 * Runnable programs on real HTTP services on loopback: {@link io.orchestra.examples.Demo}, the
 * README's end-to-end demo, and one small example per module in the sub-packages, each run and
 * checked by the test suite. {@link io.orchestra.examples.LoopbackService} stands in for one of
 * your services in the small examples.
 */
package io.orchestra.examples;
