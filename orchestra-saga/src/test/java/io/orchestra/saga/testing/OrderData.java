package io.orchestra.saga.testing;

import java.util.ArrayList;
import java.util.List;

/** Saga data for tests: an order whose steps append their names. */
public record OrderData(String orderId, long amount, List<String> visited) {

  public OrderData {
    visited = List.copyOf(visited);
  }

  public static OrderData of(String id, long amount) {
    return new OrderData(id, amount, List.of());
  }

  public OrderData visit(String step) {
    List<String> v = new ArrayList<>(visited);
    v.add(step);
    return new OrderData(orderId, amount, v);
  }
}
