package org.emailconfig.core.internal;

import java.util.List;
import java.util.Optional;

import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.Reason;
import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.api.spi.StoredConfiguration;

/**
 * The host's store as the engine calls it: whatever a store throws reaches the engine as an
 * {@link EmailConfigException} ({@link Reason#STORE_FAILURE} unless the store classified it itself),
 * naming the store and keeping the original as the cause. Its message is left out, since a host's store
 * may put a connection string in it; the cause keeps it for the log.
 */
final class GuardedStore {

    private final ConfigStore store;

    GuardedStore(ConfigStore store) {
        this.store = store;
    }

    Optional<StoredConfiguration> load() {
        try {
            Optional<StoredConfiguration> loaded = store.load();
            if (loaded == null) {
                throw new IllegalStateException("load() returned null instead of Optional.empty()");
            }
            return loaded;
        } catch (EmailConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unclassified("load", e);
        }
    }

    long currentRevision() {
        try {
            return store.currentRevision();
        } catch (EmailConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unclassified("check the revision of", e);
        }
    }

    void save(StoredConfiguration configuration, long expectedRevision) {
        try {
            store.save(configuration, expectedRevision);
        } catch (EmailConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unclassified("save", e);
        }
    }

    Optional<ConfigStore.Subscription> subscribe(ConfigStore.RevisionListener listener) {
        try {
            Optional<ConfigStore.Subscription> s = store.subscribe(listener);
            return s == null ? Optional.empty() : s;
        } catch (RuntimeException e) {
            throw unclassified("subscribe to", e);
        }
    }

    List<String> warnings() {
        try {
            List<String> w = store.warnings();
            return w == null ? List.of() : w;
        } catch (RuntimeException e) {
            return List.of("The store could not check its own safety: " + e.getClass().getName());
        }
    }

    private EmailConfigException unclassified(String action, RuntimeException e) {
        return new EmailConfigException(Reason.STORE_FAILURE, "The configuration store " + store.getClass().getName()
                + " failed to " + action + " the email configuration with " + e.getClass().getName(), null, e);
    }
}
