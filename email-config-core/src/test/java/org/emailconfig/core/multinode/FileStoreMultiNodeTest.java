package org.emailconfig.core.multinode;

import java.nio.file.Path;

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
}
