package io.orchestra.discovery.zookeeper;

/** ZooKeeper could not be read or written; the message says which operation and which id or service. */
public class RegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message and the underlying cause. */
  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
