package io.orchestra.examples.demo;

/**
 * The business side of one demo service (inventory, payment, shipping): what it answers to a
 * request. Replicas of one service share one {@code ServiceLogic}, the way replicas of a real
 * service share its database, so a compensation may land on another replica than the step it
 * undoes. Implementations are thread-safe.
 */
interface ServiceLogic {

  /** The service name, as registered in discovery and routed to by the mesh. */
  String service();

  /** Answers one business request (everything but {@code /health}). */
  Reply handle(Call call);

  /**
   * One request as the service sees it.
   *
   * @param method HTTP method
   * @param path the path without the query
   * @param body the request body as text (empty when none)
   * @param idempotencyKey the {@code Idempotency-Key} header, or null (sagas always send one)
   */
  record Call(String method, String path, String body, String idempotencyKey) {

    /** The {@code index}-th path segment ({@code /payments/p-1/refund}: 0 = payments), or null. */
    String segment(int index) {
      String[] parts = path.substring(1).split("/");
      return index < parts.length ? parts[index] : null;
    }

    /** Whether this is {@code method} on a path with {@code segments} segments under {@code root}. */
    boolean is(String method, String root, int segments) {
      return this.method.equals(method)
          && root.equals(segment(0))
          && path.substring(1).split("/").length == segments;
    }
  }

  /**
   * An answer.
   *
   * @param status HTTP status
   * @param json the body, a JSON document
   * @param log a line for the service's log (shipped to the observability engine), or null
   */
  record Reply(int status, String json, String log) {

    static Reply of(int status, String json) {
      return new Reply(status, json, null);
    }
  }
}
