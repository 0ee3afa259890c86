package io.orchestra.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The shipping service: {@code POST /shipments} books a shipment for an order (422 for a country
 * it does not serve), {@code DELETE /shipments/{order}} cancels one. Thread-safe: the state is
 * guarded by this object's monitor.
 */
final class ShippingService implements ServiceLogic {
  /** Countries the carrier delivers to; any other gets 422. */
  static final Set<String> SERVED = Set.of("DE", "FR", "NL", "IT", "ES", "PL");

  private final Map<String, String> shipments = new HashMap<>();
  private final IdempotencyLedger ledger = new IdempotencyLedger();

  @Override
  public String service() {
    return "shipping";
  }

  @Override
  public Reply handle(Call call) {
    if (call.is("POST", "shipments", 1)) {
      return ledger.once(call, () -> book(Json.read(call.body())));
    }
    if (call.is("DELETE", "shipments", 2)) {
      return ledger.once(call, () -> cancel(call.segment(1)));
    }
    return Reply.of(404, "{\"error\":\"not_found\"}");
  }

  private synchronized Reply book(JsonNode order) {
    String orderId = order.path("orderId").asText();
    String country = order.path("country").asText();
    if (!SERVED.contains(country)) {
      return new Reply(422, Json.write(Map.of("error", "undeliverable", "country", country)),
          "WARN no carrier delivers order " + orderId + " to " + country);
    }
    String id = "shp-" + orderId;
    shipments.put(orderId, id);
    return Reply.of(201, Json.write(Map.of("id", id, "carrier", "loopback-express")));
  }

  private synchronized Reply cancel(String orderId) {
    boolean cancelled = shipments.remove(orderId) != null;
    return Reply.of(200, Json.write(Map.of("order", orderId, "cancelled", cancelled)));
  }

  /** Whether {@code orderId} has a booked shipment. */
  synchronized boolean shipped(String orderId) {
    return shipments.containsKey(orderId);
  }

  /** Requests answered from the idempotency ledger. */
  int replays() {
    return ledger.replays();
  }
}
