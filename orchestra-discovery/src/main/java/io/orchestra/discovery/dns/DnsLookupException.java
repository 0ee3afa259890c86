package io.orchestra.discovery.dns;

/** A DNS lookup failed for another reason than a missing name (server unreachable, refused, timed out). */
public class DnsLookupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message naming the service, and the JNDI cause. */
  public DnsLookupException(String message, Throwable cause) {
    super(message, cause);
  }
}
