package org.emailconfig.core;

import java.util.Optional;

import org.apiguardian.api.API;
import org.emailconfig.api.ConcurrentUpdateException;
import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.api.spi.StoredConfiguration;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the configuration in memory only: lost when the JVM stops. For tests and for hosts that
 * configure mail at start-up. Thread-safe.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class InMemoryConfigStore implements ConfigStore {

    private @Nullable StoredConfiguration current;

    /** Creates an empty store. */
    public InMemoryConfigStore() {
    }

    @Override
    public synchronized Optional<StoredConfiguration> load() {
        return Optional.ofNullable(current);
    }

    @Override
    public synchronized void save(StoredConfiguration configuration, long expectedRevision) {
        long actual = current == null ? 0 : current.revision();
        if (actual != expectedRevision) {
            throw new ConcurrentUpdateException(expectedRevision, actual);
        }
        current = configuration;
    }
}
