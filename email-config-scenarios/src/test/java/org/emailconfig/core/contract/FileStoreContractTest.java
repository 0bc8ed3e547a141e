package org.emailconfig.core.contract;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.core.FileConfigStore;
import org.emailconfig.core.testing.Backups;
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

    /** A copy of the file, put back over it as an operator restoring a backup would. */
    @Override
    protected Optional<Runnable> backup(ConfigStore store) throws Exception {
        return Optional.of(Backups.ofFile(((FileConfigStore) store).file(), root));
    }
}
