package org.emailconfig.api.spi;

import java.util.Optional;

import org.emailconfig.api.ConcurrentUpdateException;

/**
 * Where the host keeps the one configuration in force. The host passes exactly one store to the
 * service builder (or none, to get the embedded file store).
 *
 * <p>Secrets reach a store only sealed by the engine (AES-GCM), unless the host explicitly opted out.
 * A store must be thread-safe; the engine calls {@link #load()} at start-up, for the edit form,
 * before every save and for a test email (never per notification: the configuration in force is
 * held in memory), and {@link #save} once per save, from the caller's thread. Both may block on I/O.
 */
public interface ConfigStore {

    /**
     * The configuration in force.
     *
     * @return empty when nothing was ever saved
     * @throws org.emailconfig.api.EmailConfigException with
     *         {@link org.emailconfig.api.Reason#STORE_FAILURE} when the storage cannot be read
     */
    Optional<StoredConfiguration> load();

    /**
     * Stores a configuration if, and only if, the revision in force is still {@code expectedRevision}
     * (0 meaning nothing stored), atomically: afterwards either the new configuration is in force
     * completely, or the old one still is. {@code configuration.revision()} is always
     * {@code expectedRevision + 1}.
     *
     * @param configuration    the configuration to put in force
     * @param expectedRevision the revision the caller based it on
     * @throws ConcurrentUpdateException                  when another revision is in force; nothing changed
     * @throws org.emailconfig.api.EmailConfigException with
     *         {@link org.emailconfig.api.Reason#STORE_FAILURE} when writing failed; nothing changed
     */
    void save(StoredConfiguration configuration, long expectedRevision);
}
