package org.emailconfig.core.contract;

import java.nio.file.Files;
import java.nio.file.Path;

import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.core.FileConfigStore;
import org.emailconfig.testkit.ConfigStoreContract;
import org.junit.jupiter.api.io.TempDir;

/** The file store, each node with its own instance over one directory. */
class FileStoreContractTest extends ConfigStoreContract {

    @TempDir
    Path root;

    @Override
    protected ConfigStore createStore() throws Exception {
        return new FileConfigStore(Files.createTempDirectory(root, "store"));
    }

    @Override
    protected ConfigStore reopen(ConfigStore store) {
        return new FileConfigStore(((FileConfigStore) store).file().getParent());
    }
}
