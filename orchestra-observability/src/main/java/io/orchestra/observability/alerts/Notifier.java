package io.orchestra.observability.alerts;

import java.util.concurrent.CompletionStage;

/**
 * The port through which alert notifications leave the engine (webhook, chat, e-mail, a log).
 * Register implementations on the engine builder under a channel name. Implementations must be
 * thread-safe, must not block for long, and should complete the stage exceptionally rather than
 * throw; the engine counts failures.
 */
@FunctionalInterface
public interface Notifier {

  /** Delivers {@code notification}. */
  CompletionStage<Void> send(AlertNotification notification);
}
