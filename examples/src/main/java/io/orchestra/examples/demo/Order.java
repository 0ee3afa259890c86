package io.orchestra.examples.demo;

import java.util.Map;

/**
 * The data of one "place order" saga: what the customer ordered, how they pay, where it goes,
 * and what the payment and shipping services answered. Serialized to JSON after every step.
 *
 * @param orderId business id, also in every service's path
 * @param customer who ordered (the canary split's key)
 * @param sku what
 * @param quantity how many
 * @param amount total in cents
 * @param currency ISO code
 * @param card card number (test numbers only; the services' logs are masked by observability)
 * @param country ISO code of the delivery country
 * @param payment the payment service's answer, merged by the charge step
 * @param shipment the shipping service's answer, merged by the shipment step
 */
public record Order(
    String orderId,
    String customer,
    String sku,
    int quantity,
    long amount,
    String currency,
    String card,
    String country,
    Map<String, Object> payment,
    Map<String, Object> shipment) {}
