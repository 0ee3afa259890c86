package io.orchestra.saga;

/** A saga names a definition (name and version) that is not registered on this orchestrator. */
public class UnknownSagaDefinitionException extends SagaException {
  private static final long serialVersionUID = 1L;

  /** Definition {@code name} version {@code version} is not registered. */
  public UnknownSagaDefinitionException(String name, int version) {
    super("saga definition " + name + " version " + version + " is not registered on this orchestrator");
  }
}
