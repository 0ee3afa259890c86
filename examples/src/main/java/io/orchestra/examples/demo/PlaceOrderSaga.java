package io.orchestra.examples.demo;

import io.orchestra.saga.SagaDefinition;
import io.orchestra.saga.ServiceCall;

/**
 * The "place order" saga: reserve stock, charge the payment, create the shipment. Every step is
 * an HTTP call through the mesh (the orchestrator's {@code ServiceClient}) and has a
 * compensation; when a step fails, the steps before it are undone newest first.
 */
final class PlaceOrderSaga {
  static final String RESERVE = "reserve-stock";
  static final String CHARGE = "charge-payment";
  static final String SHIP = "create-shipment";

  private PlaceOrderSaga() {}

  static SagaDefinition<Order> definition() {
    return SagaDefinition.builder("place-order", Order.class)
        .version(1)
        .step(RESERVE, s -> s
            .call(ServiceCall.post("inventory", "/reservations/${orderId}").bodyFromData().build())
            .compensationCall(ServiceCall.delete("inventory", "/reservations/${orderId}").build()))
        .step(CHARGE, s -> s
            .call(ServiceCall.post("payment", "/payments")
                .header("x-customer-id", "${customer}")
                .body("{\"order\": ${orderId}, \"amount\": ${amount}, \"currency\": ${currency}, \"card\": ${card}}")
                .mergeResponseAt("payment")
                .build())
            .compensationCall(ServiceCall.post("payment", "/payments/${orderId}/refund").build()))
        .step(SHIP, s -> s
            .call(ServiceCall.post("shipping", "/shipments").bodyFromData().mergeResponseAt("shipment").build())
            .compensationCall(ServiceCall.delete("shipping", "/shipments/${orderId}").build()))
        .build();
  }
}
