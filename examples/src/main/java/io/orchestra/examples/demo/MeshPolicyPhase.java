package io.orchestra.examples.demo;

import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.mesh.MeshRequest;
import io.orchestra.mesh.TrafficManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The mesh's policies at work: a caller the authorization policies refuse (with the reason and
 * the deciding policy), the same caller allowed where a policy lets it, and the 90/10 canary
 * split of payment, keyed by customer so a customer never flips between versions.
 */
final class MeshPolicyPhase {
  private static final int BATCH = 20;

  private final TrafficManager mesh;
  private final Console console;

  /**
   * What the mesh did.
   *
   * @param refusedStatus status of the refused call (403 expected)
   * @param refusedReason the rejection code
   * @param refusedPolicy the deciding policy
   * @param allowedStatus status of the same caller's allowed read (200 expected)
   * @param stable requests the split sent to the stable subset (v1)
   * @param canary requests it sent to the canary (v2)
   * @param sticky of the repeated customers, how many saw the same version again
   * @param repeated how many customers were asked twice
   */
  record Result(
      int refusedStatus, String refusedReason, String refusedPolicy, int allowedStatus, int stable, int canary, int sticky, int repeated) {

    double canaryShare() {
      return stable + canary == 0 ? 0 : (double) canary / (stable + canary);
    }
  }

  MeshPolicyPhase(TrafficManager mesh, Console console) {
    this.mesh = mesh;
    this.console = console;
  }

  Result run(int canaryRequests) {
    console.phase("mesh", "authorization, then payment's 90/10 canary split over %d customers", canaryRequests);
    Request charge = Request.builder("POST", "/payments").header("content-type", "application/json")
        .body("{\"order\":\"report-1\",\"amount\":1,\"card\":\"4242 4242 4242 4242\"}").build();
    Calls.Answer refused = Calls.await(mesh.route(MeshRequest.of(charge, MeshWiring.REPORTING), "payment"));
    String reason = refused.header("x-orchestra-rejection");
    String policy = refused.header("x-orchestra-policy");
    console.detail("reporting (ns analytics) POST payment /payments  -> %s %s, policy %s: %s", refused, reason, policy,
        Json.read(refused.body()).path("message").asText());
    Calls.Answer allowed = Calls.await(mesh.route(MeshRequest.of(Request.get("/stock/sku-1"), MeshWiring.REPORTING), "inventory"));
    console.detail("reporting (ns analytics) GET inventory /stock/sku-1 -> %s (allowed by analytics-reads-stock)", allowed);

    Map<String, String> versionByCustomer = new TreeMap<>();
    Map<String, Integer> byInstance = new TreeMap<>();
    int stable = 0;
    int canary = 0;
    List<Calls.Answer> answers = methods(0, canaryRequests);
    for (int i = 0; i < answers.size(); i++) {
      Calls.Answer r = answers.get(i);
      String version = r.header("x-version");
      versionByCustomer.put(customer(i), version);
      byInstance.merge(r.header("x-instance") + " " + version, 1, Integer::sum);
      if ("v1".equals(version)) {
        stable++;
      } else if ("v2".equals(version)) {
        canary++;
      }
    }
    int repeated = Math.min(50, canaryRequests);
    int sticky = 0;
    List<Calls.Answer> again = methods(0, repeated);
    for (int i = 0; i < again.size(); i++) {
      String version = again.get(i).header("x-version");
      if (version != null && version.equals(versionByCustomer.get(customer(i)))) {
        sticky++;
      }
    }
    Result result = new Result(refused.status(), reason, policy, allowed.status(), stable, canary, sticky, repeated);
    console.detail("%d requests: stable v1 %d (%.1f %%), canary v2 %d (%.1f %%); per replica %s", canaryRequests, stable,
        100.0 * stable / canaryRequests, canary, 100.0 * result.canaryShare(), byInstance);
    console.detail("%d/%d customers asked again landed on the same version (stable hash of x-customer-id)", sticky, repeated);
    return result;
  }

  /** GET /payments/methods for customers {@code from} .. {@code to - 1}, {@value #BATCH} at a time. */
  private List<Calls.Answer> methods(int from, int to) {
    List<Calls.Answer> out = new ArrayList<>();
    for (int start = from; start < to; start += BATCH) {
      List<CompletableFuture<Response>> batch = new ArrayList<>();
      for (int i = start; i < Math.min(to, start + BATCH); i++) {
        Request r = Request.builder("GET", "/payments/methods").header("x-customer-id", customer(i)).build();
        batch.add(mesh.route(r, "payment").toCompletableFuture());
      }
      batch.forEach(f -> out.add(Calls.await(f)));
    }
    return out;
  }

  private static String customer(int i) {
    return "customer-" + i;
  }
}
