package io.orchestra.examples.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The batch of orders the saga phase places, each with the outcome it must have: every sixth
 * order pays with the always-declined test card (the payment step fails, the reservation is
 * released), every seventh of the others ships to a country no carrier serves (the shipping
 * step fails, the charge is refunded and the reservation released), the rest complete.
 */
final class OrderScript {
  private static final String GOOD_CARD = "4242 4242 4242 4242";
  private static final String[] SKUS = {"sku-1", "sku-2", "sku-3", "sku-4", "sku-5"};
  private static final String[] COUNTRIES = {"DE", "FR", "NL", "IT", "ES", "PL"};
  private static final String UNSERVED_COUNTRY = "IS";

  private OrderScript() {}

  /** How an order must end. */
  enum Expected {
    COMPLETED,
    DECLINED,
    UNDELIVERABLE
  }

  /** An order and how it must end. */
  record Scripted(Order order, Expected expected) {}

  static List<Scripted> orders(int count) {
    List<Scripted> out = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      boolean declined = i % 6 == 3;
      boolean undeliverable = !declined && i % 7 == 5;
      int quantity = 1 + i % 3;
      Order order =
          new Order(
              String.format("o-%04d", i),
              "customer-" + (i % 97),
              SKUS[i % SKUS.length],
              quantity,
              1_999L * quantity,
              "EUR",
              declined ? PaymentService.DECLINED_CARD : GOOD_CARD,
              undeliverable ? UNSERVED_COUNTRY : COUNTRIES[i % COUNTRIES.length],
              Map.of(),
              Map.of());
      out.add(new Scripted(order, declined ? Expected.DECLINED : undeliverable ? Expected.UNDELIVERABLE : Expected.COMPLETED));
    }
    return out;
  }

  /** Initial stock: enough of every SKU for the largest batch. */
  static Map<String, Integer> stock(int orders) {
    Map<String, Integer> stock = new java.util.HashMap<>();
    for (String sku : SKUS) {
      stock.put(sku, 3 * orders);
    }
    return stock;
  }
}
