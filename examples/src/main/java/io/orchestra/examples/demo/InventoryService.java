package io.orchestra.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * The inventory service: stock per SKU and reservations per order. {@code POST
 * /reservations/{order}} reserves the order's quantity, {@code DELETE /reservations/{order}}
 * releases it (the saga's compensation; releasing nothing is fine), {@code GET /stock/{sku}}
 * reads. Thread-safe: the state is guarded by this object's monitor.
 */
final class InventoryService implements ServiceLogic {
  private final Map<String, Integer> available = new HashMap<>();
  private final Map<String, Integer> reserved = new HashMap<>();
  private final Map<String, String> reservedSku = new HashMap<>();
  private final IdempotencyLedger ledger = new IdempotencyLedger();

  InventoryService(Map<String, Integer> stock) {
    available.putAll(stock);
  }

  @Override
  public String service() {
    return "inventory";
  }

  @Override
  public Reply handle(Call call) {
    if (call.is("GET", "stock", 2)) {
      return stock(call.segment(1));
    }
    if (call.is("POST", "reservations", 2)) {
      return ledger.once(call, () -> reserve(call.segment(1), Json.read(call.body())));
    }
    if (call.is("DELETE", "reservations", 2)) {
      return ledger.once(call, () -> release(call.segment(1)));
    }
    return Reply.of(404, "{\"error\":\"not_found\"}");
  }

  private synchronized Reply stock(String sku) {
    return Reply.of(200, Json.write(Map.of("sku", sku, "available", available.getOrDefault(sku, 0))));
  }

  private synchronized Reply reserve(String orderId, JsonNode order) {
    String sku = order.path("sku").asText();
    int quantity = order.path("quantity").asInt(1);
    int left = available.getOrDefault(sku, 0);
    if (left < quantity) {
      return new Reply(409, Json.write(Map.of("error", "out_of_stock", "sku", sku)), "WARN out of stock: " + sku);
    }
    available.put(sku, left - quantity);
    reserved.put(orderId, quantity);
    reservedSku.put(orderId, sku);
    return Reply.of(201, Json.write(Map.of("reservation", orderId, "sku", sku, "quantity", quantity)));
  }

  private synchronized Reply release(String orderId) {
    Integer quantity = reserved.remove(orderId);
    if (quantity != null) {
      available.merge(reservedSku.remove(orderId), quantity, Integer::sum);
    }
    return Reply.of(200, Json.write(Map.of("reservation", orderId, "released", quantity != null)));
  }

  /** Whether {@code orderId} holds a reservation now. */
  synchronized boolean holds(String orderId) {
    return reserved.containsKey(orderId);
  }

  /** Requests answered from the idempotency ledger. */
  int replays() {
    return ledger.replays();
  }
}
