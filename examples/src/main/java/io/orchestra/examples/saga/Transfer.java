package io.orchestra.examples.saga;

/**
 * The data of one money transfer saga (written to the journal as JSON after every step).
 *
 * @param from account debited
 * @param to account credited
 * @param amount cents
 */
public record Transfer(String from, String to, long amount) {}
