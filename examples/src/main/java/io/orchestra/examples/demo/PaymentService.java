package io.orchestra.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The payment service: {@code POST /payments} charges an order's card (answering 402 for the
 * test card that is always declined), {@code POST /payments/{order}/refund} refunds the order's charge (the saga's
 * compensation), {@code GET /payments/methods} is the read the canary split is shown with. Its
 * log lines carry the card number, which the observability engine masks before storing them.
 * Thread-safe: the state is guarded by this object's monitor.
 */
final class PaymentService implements ServiceLogic {
  /** A test card number every charge of which is declined. */
  static final String DECLINED_CARD = "4000 0000 0000 0002";

  private final Map<String, Long> charges = new HashMap<>();
  private final Set<String> refunded = new HashSet<>();
  private final IdempotencyLedger ledger = new IdempotencyLedger();
  private int chargeEffects;

  @Override
  public String service() {
    return "payment";
  }

  @Override
  public Reply handle(Call call) {
    if (call.is("GET", "payments", 2) && "methods".equals(call.segment(1))) {
      return Reply.of(200, "{\"methods\":[\"card\"]}");
    }
    if (call.is("POST", "payments", 1)) {
      return ledger.once(call, () -> charge(Json.read(call.body())));
    }
    if (call.is("POST", "payments", 3) && "refund".equals(call.segment(2))) {
      return ledger.once(call, () -> refund(call.segment(1)));
    }
    return Reply.of(404, "{\"error\":\"not_found\"}");
  }

  private synchronized Reply charge(JsonNode request) {
    String order = request.path("order").asText();
    String card = request.path("card").asText();
    long amount = request.path("amount").asLong();
    if (DECLINED_CARD.equals(card)) {
      return new Reply(402, Json.write(Map.of("error", "card_declined", "order", order)),
          "WARN card declined for order " + order + " card=" + card);
    }
    String id = "pay-" + order;
    charges.put(id, amount);
    chargeEffects++;
    return new Reply(201, Json.write(Map.of("id", id, "amount", amount, "status", "captured")),
        "INFO charged order " + order + " amount=" + amount + " card=" + card);
  }

  // By order, not by payment id: after an uncertain charge (a timeout) the saga has no id, but
  // must still be able to undo whatever may have happened; refunding nothing is fine.
  private synchronized Reply refund(String orderId) {
    String id = "pay-" + orderId;
    boolean done = charges.containsKey(id) && refunded.add(id);
    return new Reply(200, Json.write(Map.of("order", orderId, "status", done ? "refunded" : "nothing_to_refund")),
        done ? "INFO refunded " + id : null);
  }

  /** Whether {@code orderId} was charged and not refunded. */
  synchronized boolean charged(String orderId) {
    String id = "pay-" + orderId;
    return charges.containsKey(id) && !refunded.contains(id);
  }

  /** Whether {@code orderId} was charged and then refunded. */
  synchronized boolean refunded(String orderId) {
    return refunded.contains("pay-" + orderId);
  }

  /** How many charges were applied (one per charged order when every key is honoured). */
  synchronized int chargeEffects() {
    return chargeEffects;
  }

  /** Requests answered from the idempotency ledger. */
  int replays() {
    return ledger.replays();
  }
}
