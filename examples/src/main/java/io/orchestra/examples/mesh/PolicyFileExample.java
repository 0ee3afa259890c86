package io.orchestra.examples.mesh;

import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.examples.LoopbackService;
import io.orchestra.examples.LoopbackService.Answer;
import io.orchestra.mesh.PeerContext;
import io.orchestra.mesh.TrafficManager;
import io.orchestra.mesh.policy.MeshPolicies;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Routing with a policy file: {@code src/main/resources/mesh/catalog-policies.yaml} says who may
 * call the catalog service, that beta testers always get v2, and that everyone else is split
 * 80/20 between v1 and v2 by a stable hash of their user id. Two real catalog servers (v1 and
 * v2) answer; the storefront routes through a {@link TrafficManager} built from that file.
 */
public final class PolicyFileExample {
  private PolicyFileExample() {}

  /**
   * What the storefront saw.
   *
   * @param v1 of the users' requests, answered by v1
   * @param v2 answered by v2
   * @param betaOnV2 of the beta testers' requests, answered by v2
   * @param beta beta testers' requests sent
   * @param deniedStatus status of the request to an admin path
   * @param deniedPolicy the policy that denied it
   */
  public record Result(int v1, int v2, int betaOnV2, int beta, int deniedStatus, String deniedPolicy) {}

  public static Result run(int users) throws IOException {
    try (LoopbackService v1 = LoopbackService.start("catalog-v1", (m, p) -> new Answer(200, "[\"lamp\",\"desk\"]"));
        LoopbackService v2 = LoopbackService.start("catalog-v2", (m, p) -> new Answer(200, "[\"lamp\",\"desk\",\"chair\"]"))) {
      InstanceSource instances = InstanceSource.of(List.of(
          ServiceInstance.builder("catalog-1", "catalog").address("127.0.0.1", v1.port()).label("version", "v1").build(),
          ServiceInstance.builder("catalog-2", "catalog").address("127.0.0.1", v2.port()).label("version", "v2").build()));
      TrafficManager mesh =
          TrafficManager.builder()
              .instanceSource(instances) // or discovery.asInstanceSource()
              .localPeer(PeerContext.local("storefront", "spiffe://example.org/ns/shop/sa/storefront", "shop"))
              .policies(MeshPolicies.fromYaml(resource("mesh/catalog-policies.yaml")))
              .build();

      int onV1 = 0;
      int onV2 = 0;
      for (int i = 0; i < users; i++) {
        Request r = Request.builder("GET", "/products").header("x-user-id", "user-" + i).build();
        String version = servedBy(mesh.route(r, "catalog").toCompletableFuture().join());
        onV1 += "catalog-v1".equals(version) ? 1 : 0;
        onV2 += "catalog-v2".equals(version) ? 1 : 0;
      }
      int beta = 20;
      int betaOnV2 = 0;
      for (int i = 0; i < beta; i++) {
        Request r = Request.builder("GET", "/products").header("x-user-id", "tester-" + i).header("x-beta", "true").build();
        betaOnV2 += "catalog-v2".equals(servedBy(mesh.route(r, "catalog").toCompletableFuture().join())) ? 1 : 0;
      }
      Response denied = mesh.route(Request.builder("POST", "/admin/reindex").build(), "catalog").toCompletableFuture().join();
      return new Result(onV1, onV2, betaOnV2, beta, denied.status(), denied.headers().get("x-orchestra-policy"));
    }
  }

  private static String servedBy(Response r) {
    return r.headers().get("x-served-by");
  }

  /** Reads a policy file from the class path (use {@code MeshPolicies.fromFile(path)} for a file). */
  static String resource(String name) throws IOException {
    try (InputStream in = PolicyFileExample.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  public static void main(String[] args) throws IOException {
    Result r = run(1_000);
    System.out.printf("users: v1 %d, v2 %d; beta testers on v2: %d/%d; POST /admin/reindex -> %d (policy %s)%n",
        r.v1(), r.v2(), r.betaOnV2(), r.beta(), r.deniedStatus(), r.deniedPolicy());
  }
}
