package io.orchestra.examples.demo;

import io.orchestra.examples.demo.OrderScript.Expected;
import io.orchestra.examples.demo.OrderScript.Scripted;
import io.orchestra.saga.SagaResult;
import java.util.List;
import java.util.Map;

/**
 * Checks the services' own state against the sagas' outcomes: a completed order holds its
 * reservation, its charge and its shipment; a compensated one holds none of them (a refunded
 * charge counts as none). Also counts the charges applied against the orders that were charged,
 * which differ if an idempotency key was ever applied twice.
 */
final class LedgerCheck {
  private LedgerCheck() {}

  /**
   * The verdict.
   *
   * @param consistent orders whose services' state matches their saga's outcome
   * @param inconsistent orders where it does not
   * @param chargesApplied charges the payment service applied
   * @param ordersCharged orders whose charge step succeeded
   * @param replays duplicate requests the services answered from their idempotency ledgers
   */
  record Verdict(int consistent, int inconsistent, int chargesApplied, int ordersCharged, int replays) {
    boolean clean() {
      return inconsistent == 0 && chargesApplied == ordersCharged;
    }
  }

  static Verdict check(
      List<Scripted> orders,
      Map<String, SagaResult<Order>> results,
      InventoryService inventory,
      PaymentService payment,
      ShippingService shipping) {
    int consistent = 0;
    int charged = 0;
    for (Scripted s : orders) {
      String id = s.order().orderId();
      SagaResult<Order> r = results.get(id);
      Expected outcome = r == null ? null : SagaPhase.classify(r);
      boolean holds = inventory.holds(id);
      boolean paid = payment.charged(id);
      boolean shipped = shipping.shipped(id);
      boolean ok;
      if (outcome == Expected.COMPLETED) {
        ok = holds && paid && shipped;
        charged++;
      } else if (outcome == Expected.UNDELIVERABLE) {
        ok = !holds && !paid && payment.refunded(id) && !shipped;
        charged++;
      } else if (outcome == Expected.DECLINED) {
        ok = !holds && !paid && !payment.refunded(id) && !shipped;
      } else {
        ok = false;
      }
      if (ok) {
        consistent++;
      }
    }
    return new Verdict(consistent, orders.size() - consistent, payment.chargeEffects(), charged,
        inventory.replays() + payment.replays() + shipping.replays());
  }
}
