package org.emailconfig.core.multinode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.core.FileConfigStore;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes on one directory, each with its own {@link FileConfigStore}. */
class FileStoreMultiNodeTest extends MultiNodeScenarios {

    @TempDir
    Path dir;

    @Override
    protected ConfigStore nodeStore() {
        return new FileConfigStore(dir);
    }

    @Override
    protected Optional<Runnable> backup() throws Exception {
        Path file = dir.resolve(FileConfigStore.FILE_NAME);
        Path copy = Files.createTempFile(dir, "backup", ".bak");
        Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
        return Optional.of(() -> {
            try {
                Files.copy(copy, file, StandardCopyOption.REPLACE_EXISTING);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
