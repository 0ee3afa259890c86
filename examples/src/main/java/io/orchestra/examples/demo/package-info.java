/**
 * The end-to-end demo behind {@link io.orchestra.examples.Demo}: HTTP services on loopback
 * (inventory, payment with a canary, shipping), the scheduler placing their replicas through a
 * {@code ContainerRuntime} that starts them, discovery with active health checks, the mesh in
 * front of every call, the "place order" saga on the embedded journal, and the observability
 * engine as everyone's telemetry sink. {@link io.orchestra.examples.demo.DemoRun} runs the phases
 * in order; each phase is one class.
 */
package io.orchestra.examples.demo;
