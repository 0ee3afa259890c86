package io.orchestra.examples.saga;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The business side of the saga example: accounts with balances, some frozen. Every change
 * takes the saga's idempotency key and is applied once per key, so a retried or recovered step
 * never moves money twice. Thread-safe.
 */
public final class Bank {
  private final Map<String, Long> balances = new HashMap<>();
  private final Set<String> frozen = new HashSet<>();
  private final Set<String> applied = new HashSet<>();

  /** Opens {@code account} with {@code balance} cents. */
  public synchronized Bank open(String account, long balance) {
    balances.put(account, balance);
    return this;
  }

  /** Freezes {@code account}: deposits to it are refused. */
  public synchronized Bank freeze(String account) {
    frozen.add(account);
    return this;
  }

  /** Takes {@code amount} from {@code account}, once per {@code key}. */
  public synchronized void withdraw(String account, long amount, String key) {
    if (!applied.add(key)) {
      return;
    }
    long balance = balances.getOrDefault(account, 0L);
    if (balance < amount) {
      applied.remove(key);
      throw new InsufficientFundsException(account + " has " + balance + ", needs " + amount);
    }
    balances.put(account, balance - amount);
  }

  /** Puts {@code amount} on {@code account}, once per {@code key}. */
  public synchronized void deposit(String account, long amount, String key) {
    if (frozen.contains(account)) {
      throw new AccountFrozenException(account + " is frozen");
    }
    if (applied.add(key)) {
      balances.merge(account, amount, Long::sum);
    }
  }

  /** The balance of {@code account} in cents. */
  public synchronized long balance(String account) {
    return balances.getOrDefault(account, 0L);
  }

  /** A withdrawal larger than the balance. */
  public static final class InsufficientFundsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InsufficientFundsException(String message) {
      super(message);
    }
  }

  /** A deposit to a frozen account. */
  public static final class AccountFrozenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AccountFrozenException(String message) {
      super(message);
    }
  }
}
