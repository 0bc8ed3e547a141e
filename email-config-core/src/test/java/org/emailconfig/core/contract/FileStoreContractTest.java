package org.emailconfig.core.contract;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

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

    /** A copy of the file, put back over it as an operator restoring a backup would. */
    @Override
    protected Optional<Runnable> backup(ConfigStore store) throws Exception {
        Path file = ((FileConfigStore) store).file();
        Path copy = Files.createTempFile(root, "backup", ".properties");
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
