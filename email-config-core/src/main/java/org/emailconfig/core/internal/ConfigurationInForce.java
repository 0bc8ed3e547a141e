package org.emailconfig.core.internal;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.EmailConfiguration;
import org.emailconfig.api.InvalidConfigurationException;
import org.emailconfig.api.Reason;
import org.emailconfig.api.spi.AuthenticationProvider;
import org.emailconfig.api.spi.DeliveryContext;
import org.emailconfig.api.spi.StoredConfiguration;
import org.emailconfig.core.internal.store.GuardedStore;
import org.emailconfig.core.internal.store.SecretSealer;
import org.emailconfig.core.internal.text.LogSafe;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration in force on this node: what notifications send with and what the store follower keeps
 * current. It only moves to a configuration that supersedes the one held ({@link Snapshot#supersededBy}),
 * whatever order saves, late acknowledgements, pushes and polls arrive in; the service puts what it saved in
 * force through {@link #adopt}. Thread-safe: the snapshot is one atomic reference, read without a lock.
 */
final class ConfigurationInForce {

    private static final Logger LOG = LoggerFactory.getLogger("org.emailconfig.core");

    private final GuardedStore store;
    private final ProviderRegistry providers;
    private final SecretSealer sealer;
    private final HibernateBindingContext binding;
    private final DeliveryContext deliveryContext;
    private final MimeComposer composer;

    /** The configuration in force on this node; null until one was loaded or saved. Only moves forward. */
    private final AtomicReference<Snapshot> current = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object firstLoad = new Object();
    private final AtomicLong serials = new AtomicLong();

    ConfigurationInForce(GuardedStore store, ProviderRegistry providers, SecretSealer sealer,
                         HibernateBindingContext binding, DeliveryContext deliveryContext, MimeComposer composer) {
        this.store = store;
        this.providers = providers;
        this.sealer = sealer;
        this.binding = binding;
        this.deliveryContext = deliveryContext;
        this.composer = composer;
    }

    /**
     * A stored revision with the provider that handles it and its bound configuration; or, when this node
     * cannot use that revision (its provider is missing, a secret cannot be opened), the reason why.
     *
     * @param serial   unique per snapshot of this service, increasing: what kept-open deliveries belong to (a
     *                 revision number can come back after the store was restored, with another configuration)
     * @param readFrom when the store read (or save) this snapshot comes from began, in {@link System#nanoTime()}
     * @param readTo   when it ended: from then on the store was known to hold at least this configuration
     */
    record Snapshot(StoredConfiguration stored, @Nullable AuthenticationProvider provider,
                    @Nullable EmailConfiguration configuration, @Nullable EmailConfigException unusable, long serial,
                    long readFrom, long readTo) {

        long revision() {
            return stored.revision();
        }

        /**
         * Whether a configuration the store answered with should replace this one: when it is newer, or when it
         * is another configuration, no newer, read after this one was confirmed. The latter means the store went
         * back or was replaced (restored from a backup, a table recreated): the store decides what is in force,
         * and a save on the restored line must be in force everywhere. An older answer that was merely late (a
         * save's acknowledgement, a slow poll that began before this one was confirmed) never moves a node back.
         */
        boolean supersededBy(StoredConfiguration offered, long offeredReadFrom) {
            if (offered.revision() > stored.revision()) {
                return true;
            }
            return !offered.equals(stored) && offeredReadFrom > readTo;
        }

        /** This snapshot if it can send; otherwise a fresh exception (so no two callers share one) saying why. */
        Usable requireUsable() {
            if (unusable != null) {
                throw new EmailConfigException(unusable.reason(), "The email configuration in force (revision "
                        + stored.revision() + ", saved by " + stored.savedBy() + " at " + stored.savedAt()
                        + ") cannot be used on this node: " + unusable.getMessage(),
                        unusable.specificHint().orElse(null), unusable);
            }
            // A snapshot is either usable (provider and configuration) or says why not (unusable).
            return new Usable(stored, Objects.requireNonNull(provider), Objects.requireNonNull(configuration), serial);
        }
    }

    /** A configuration in force that can send: what a notification or a test email goes out with. */
    record Usable(StoredConfiguration stored, AuthenticationProvider provider, EmailConfiguration configuration,
                  long serial) {
    }

    /** The snapshot held: a memory read that never asks the store; null before any. */
    @Nullable Snapshot held() {
        return current.get();
    }

    /** The revision in force on this node, 0 before any. */
    long revisionInForce() {
        Snapshot s = current.get();
        return s == null ? 0 : s.revision();
    }

    /**
     * Loads the store's newest configuration and puts it in force if it is newer than the one held.
     *
     * @return the snapshot in force afterwards, or null when nothing is stored
     * @throws EmailConfigException with {@link Reason#STORE_FAILURE} when the store cannot be read
     */
    @Nullable Snapshot followStore() {
        loadAndFollow();
        return current.get();
    }

    /** Loads the store and follows what it holds; returns what it holds. */
    Optional<StoredConfiguration> loadAndFollow() {
        long from = System.nanoTime();
        Optional<StoredConfiguration> stored = store.load();
        long to = System.nanoTime();
        stored.ifPresent(s -> follow(s, from, to));
        return stored;
    }

    Snapshot snapshot(StoredConfiguration stored, @Nullable AuthenticationProvider provider,
                      @Nullable EmailConfiguration c, @Nullable EmailConfigException unusable, long readFrom,
                      long readTo) {
        return new Snapshot(stored, provider, c, unusable, serials.incrementAndGet(), readFrom, readTo);
    }

    /** The snapshot in force's serial, 0 before any: kept-open deliveries of another serial are closed. */
    long serialInForce() {
        Snapshot s = current.get();
        return s == null ? 0 : s.serial();
    }

    /**
     * Puts what the store holds in force when it supersedes the configuration held (see
     * {@link Snapshot#supersededBy}).
     *
     * @param readFrom when the read began
     * @param readTo   when it ended
     */
    void follow(StoredConfiguration stored, long readFrom, long readTo) {
        Snapshot held = current.get();
        if (held != null && !held.supersededBy(stored, readFrom)) {
            return;
        }
        Snapshot next;
        try {
            next = bindStored(stored, readFrom, readTo);
        } catch (EmailConfigException e) {
            next = snapshot(stored, null, null, e, readFrom, readTo);
        }
        if (adopt(next) == next) {
            if (held != null && stored.revision() <= held.revision()) {
                LOG.warn("The email configuration store now holds revision {} (saved by {} at {}), not revision {} "
                        + "(saved by {} at {}) that was in force on this node: it was restored from a backup or "
                        + "replaced. Following the store; a save from now on is in force on every node.",
                        stored.revision(), LogSafe.text(stored.savedBy()), stored.savedAt(), held.revision(),
                        LogSafe.text(held.stored().savedBy()), held.stored().savedAt());
            }
            if (next.unusable() == null) {
                LOG.info("Now sending with email configuration revision {} (type '{}'), saved by {} at {}",
                        stored.revision(), stored.type(), stored.savedBy(), stored.savedAt());
            } else {
                // Its own hint says what to do: a missing key is given to this node, not fixed by saving from it.
                LOG.error("Email configuration revision {} saved by {} at {} is in force but cannot be used on this "
                        + "node; notifications fail here until it can: {} {}", stored.revision(),
                        stored.savedBy(), stored.savedAt(), next.unusable().getMessage(), next.unusable().hint());
            }
        }
    }

    /**
     * Puts a snapshot in force unless the same or a newer revision already is.
     *
     * @return the snapshot in force afterwards
     */
    Snapshot adopt(Snapshot next) {
        return current.accumulateAndGet(next, (held, offered) ->
                held == null || held.supersededBy(offered.stored(), offered.readFrom()) ? offered : held);
    }

    /**
     * The configuration in force: a memory read once one is held. Only a node that holds none yet (nothing
     * was stored, or the store was unreadable at start) asks the store, since it has nothing to fall back to.
     */
    Usable snapshot() {
        Snapshot s = current.get();
        if (s == null) {
            synchronized (firstLoad) {
                s = current.get();
                if (s == null) {
                    s = followStore();
                }
            }
            if (s == null) {
                throw notConfigured();
            }
        }
        return s.requireUsable();
    }

    DeliveryContext deliveryContext() {
        return deliveryContext;
    }

    MimeComposer composer() {
        return composer;
    }

    /** Every operation after the engine closed is a caller bug: the connections, threads and caches are gone. */
    void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the email configuration service is closed");
        }
    }

    static EmailConfigException notConfigured() {
        return new EmailConfigException(Reason.NOT_CONFIGURED, "No email configuration has been saved yet");
    }

    /**
     * Marks the engine closed.
     *
     * @return true for the first call only
     */
    boolean close() {
        return closed.compareAndSet(false, true);
    }

    Optional<ConfigurationDraft> previousDraft(StoredConfiguration s) {
        try {
            return Optional.of(storedDraft(s));
        } catch (EmailConfigException e) {
            // A secret sealed under another key cannot be kept; the admin must enter it again.
            LOG.warn("Stored secrets cannot be reused ({}); they must be entered again", e.getMessage());
            return Optional.empty();
        }
    }

    ConfigurationDraft storedDraft(StoredConfiguration s) {
        ConfigurationDraft.Builder d = ConfigurationDraft.builder(s.type());
        s.settings().forEach(d::set);
        s.sealedSecrets().forEach((field, sealed) -> d.secret(field, sealer.unseal(s.type(), field, sealed,
                s.settings())));
        return d.build();
    }

    private Snapshot bindStored(StoredConfiguration s, long readFrom, long readTo) {
        AuthenticationProvider provider = providers.require(s.type(), "The stored email configuration");
        try {
            return snapshot(s, provider, provider.bind(storedDraft(s), binding), null, readFrom, readTo);
        } catch (InvalidConfigurationException e) {
            throw new EmailConfigException(Reason.STORE_FAILURE, "The stored email configuration (revision "
                    + s.revision() + ") is not valid for provider '" + s.type() + "': " + e.violations()
                    + ". An administrator must save it again.", e);
        }
    }
}
