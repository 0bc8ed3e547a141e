package org.emailconfig.core.multinode;

import java.nio.file.Path;
import java.util.Optional;

import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.core.FileConfigStore;
import org.emailconfig.core.testing.Backups;
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
        return Optional.of(Backups.ofFile(dir.resolve(FileConfigStore.FILE_NAME), dir));
    }
}
