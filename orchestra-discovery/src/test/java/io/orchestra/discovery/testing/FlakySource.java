package io.orchestra.discovery.testing;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.discovery.MeshSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/** A mesh source whose behaviour a test switches: answer, fail, throw, or never answer. */
public final class FlakySource implements MeshSource {
  public enum Mode { ANSWER, FAIL, THROW, HANG }

  public volatile Mode mode = Mode.ANSWER;
  public volatile List<ServiceInstance> instances = List.of();
  public final AtomicInteger calls = new AtomicInteger();

  @Override
  public CompletionStage<List<ServiceInstance>> instances(String serviceName) {
    calls.incrementAndGet();
    switch (mode) {
      case FAIL:
        return CompletableFuture.failedFuture(new IllegalStateException("control plane down"));
      case THROW:
        throw new IllegalStateException("bug in source");
      case HANG:
        return new CompletableFuture<>();
      default:
        return CompletableFuture.completedFuture(
            instances.stream().filter(i -> i.serviceName().equals(serviceName)).toList());
    }
  }
}
