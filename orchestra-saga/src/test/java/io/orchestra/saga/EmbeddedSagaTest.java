package io.orchestra.saga;

import io.orchestra.saga.journal.EmbeddedSagaJournal;
import io.orchestra.saga.journal.SagaJournal;
import io.orchestra.saga.testing.Harness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The saga semantics on the embedded H2 file journal. */
class EmbeddedSagaTest extends SagaContract {
  @TempDir Path dir;

  @Override
  SagaJournal openJournal() {
    try {
      Path d = Files.createTempDirectory(dir, "journal");
      return EmbeddedSagaJournal.open(d, b -> b.callbackExecutor(Harness.DIRECT));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
