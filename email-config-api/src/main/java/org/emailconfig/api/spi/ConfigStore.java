package org.emailconfig.api.spi;

import java.util.List;
import java.util.Optional;

import org.apiguardian.api.API;
import org.emailconfig.api.ConcurrentUpdateException;

/**
 * Where the host keeps the one configuration in force. The host passes exactly one store to the
 * service builder (or none, to get the embedded file store). Several application nodes may share one
 * store: the store, not any node's memory, decides which configuration is in force.
 *
 * <p>Secrets reach a store only sealed by the engine (AES-GCM), unless the host explicitly opted out.
 * A store must be thread-safe. The engine calls {@link #load()} at start-up, for the edit form, before
 * every save and test email, and whenever it learns of a newer revision; {@link #currentRevision()}
 * from one background thread at most every refresh interval (never on a notification's thread);
 * {@link #save} once per save, from the caller's thread, and once just before a save's test email. All three
 * may block on I/O.
 *
 * <p>Answers come from the data as it is now, never from a memory of an answer given before: after the data
 * is restored from a backup (an older file put back, rows deleted, a table recreated), {@link #load()} and
 * {@link #currentRevision()} report the restored revision, and a save continues from it. Every node then
 * follows the store back, so the next save is in force everywhere; an older answer that is merely late never
 * moves a node back. A store that is read from a lagging replica breaks this rule.
 *
 * <p>Only {@link #load()} and {@link #save} are required. A store that can answer "which revision is
 * newest" more cheaply than a full load overrides {@link #currentRevision()}; one that can push
 * changes (a database notification, a file watch) overrides {@link #subscribe}. A store that offers
 * neither is polled through {@link #load()}. {@code ConfigStoreContract} in the testkit checks every
 * rule stated here against a host's own store.
 *
 * <pre>{@code
 * public final class HubConfigStore implements ConfigStore {
 *     public Optional<StoredConfiguration> load() {
 *         return repository.newest().map(HubConfigStore::toStored);
 *     }
 *
 *     public void save(StoredConfiguration next, long expectedRevision) {
 *         // compare-and-set: insert next only if the newest stored revision is still expectedRevision
 *         if (!repository.insertIfNewestIs(toRow(next), expectedRevision)) {
 *             throw new ConcurrentUpdateException(expectedRevision, repository.newestRevision());
 *         }
 *     }
 * }
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface ConfigStore {

    /**
     * The configuration in force: the one with the highest revision.
     *
     * @return empty when nothing was ever saved
     * @throws org.emailconfig.api.EmailConfigException with
     *         {@link org.emailconfig.api.Reason#STORE_FAILURE} when the storage cannot be read (an
     *         {@link UnreadableConfigurationException} when it was read but its content is damaged)
     */
    Optional<StoredConfiguration> load();

    /**
     * Stores a configuration if, and only if, the revision in force is still {@code expectedRevision}
     * (0 meaning nothing stored), atomically: afterwards either the new configuration is in force
     * completely, or the old one still is. {@code configuration.revision()} is always
     * {@code expectedRevision + 1}. Among concurrent saves of one revision, from any number of threads
     * or nodes, exactly one succeeds.
     *
     * <p>When the stored configuration is damaged ({@link #load()} throws
     * {@link UnreadableConfigurationException}), a store may accept a save whose
     * {@code expectedRevision} is at least {@link UnreadableConfigurationException#revision()}; it must
     * keep the damaged data for inspection rather than delete it. The engine sends such a save only
     * when the administrator explicitly asked to replace the damaged configuration.
     *
     * @param configuration    the configuration to put in force
     * @param expectedRevision the revision the caller based it on
     * @throws ConcurrentUpdateException                  when another revision is in force; nothing changed
     * @throws org.emailconfig.api.EmailConfigException with
     *         {@link org.emailconfig.api.Reason#STORE_FAILURE} when writing failed; nothing changed
     */
    void save(StoredConfiguration configuration, long expectedRevision);

    /**
     * The revision {@link #load()} would return now, without reading the configuration itself. The
     * engine calls it from its refresh thread, at most every refresh interval, to learn whether another
     * node saved or the store was restored; it loads when the answer differs from what it holds (and every
     * twelfth check regardless, to notice a restored store saved again under the same number). It also calls it
     * before a save's test email, so that a save another node overtook sends nothing. The default loads.
     *
     * @return the newest revision, 0 when nothing was ever saved
     * @throws org.emailconfig.api.EmailConfigException with
     *         {@link org.emailconfig.api.Reason#STORE_FAILURE} when the storage cannot be read
     */
    default long currentRevision() {
        return load().map(StoredConfiguration::revision).orElse(0L);
    }

    /**
     * Asks to be told when a new revision is saved, by this node or any other. Called at most once per
     * engine, at start-up. The store calls {@link RevisionListener#revisionSaved(long)} from a thread of
     * its own, soon after each save commits; it may call it more than once for a revision, or for one
     * the engine already holds, and may miss calls during an outage (the engine keeps polling
     * {@link #currentRevision()} as a safety net). The listener never blocks.
     *
     * <p>The default cannot push: it returns empty, and the engine relies on polling alone.
     *
     * @param listener called with each newly saved revision; never null
     * @return a subscription the engine closes when it shuts down, or empty when the store cannot push
     */
    default Optional<Subscription> subscribe(RevisionListener listener) {
        return Optional.empty();
    }

    /**
     * Problems with the store's own safety that an administrator should see beside the form, such as a
     * configuration file that other local users can write. Called for the edit form; may block on I/O.
     *
     * @return warnings in English, empty when there are none; never null
     */
    default List<String> warnings() {
        return List.of();
    }

    /** Told by a store about newly saved revisions; see {@link ConfigStore#subscribe}. */
    @FunctionalInterface
    interface RevisionListener {

        /**
         * A revision was saved. Returns at once; the engine loads it on its own thread.
         *
         * @param revision the saved revision, at least 1
         */
        void revisionSaved(long revision);
    }

    /** An active {@link ConfigStore#subscribe subscription}; closing it stops the calls. */
    interface Subscription extends AutoCloseable {

        /** Stops calling the listener and frees what the subscription holds (a connection, a thread). */
        @Override
        void close();
    }
}
