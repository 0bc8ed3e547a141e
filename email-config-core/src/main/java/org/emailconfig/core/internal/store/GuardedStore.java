package org.emailconfig.core.internal.store;

import org.apiguardian.api.API;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.Reason;
import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.api.spi.StoredConfiguration;
import org.jspecify.annotations.Nullable;

/**
 * The host's store as the engine calls it: whatever a store throws reaches the engine as an
 * {@link EmailConfigException} ({@link Reason#STORE_FAILURE} unless the store classified it itself),
 * naming the store and keeping the original as the cause. Its message is left out, since a host's store
 * may put a connection string in it; the cause keeps it for the log.
 */
@API(status = API.Status.INTERNAL, since = "0.3")
public final class GuardedStore {

    private final ConfigStore store;
    /** How long a call may take; null for no bound (the library's own stores bound themselves). */
    private final @Nullable Duration timeout;
    /** Runs the host store's calls when they are bounded; daemon threads, created as needed. */
    private final @Nullable ExecutorService calls;

    /**
     * Guards a host's store.
     *
     * @param store   the host's store
     * @param timeout how long one call may take; null or zero for no bound
     */
    public GuardedStore(ConfigStore store, @Nullable Duration timeout) {
        this.store = store;
        this.timeout = timeout == null || timeout.isZero() ? null : timeout;
        this.calls = this.timeout == null ? null : Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "email-config-store-call");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs a call of the host's store, bounded by the timeout: a store that hangs (a database that does not
     * answer, a lock held elsewhere) fails the admin's request after the timeout instead of holding it. The call
     * itself is interrupted; a save that did not answer may still complete, and the message says so.
     */
    private <T> T bounded(String action, Callable<T> call) {
        if (calls == null) {
            try {
                return call.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        Future<T> f = calls.submit(call);
        try {
            return f.get(java.util.Objects.requireNonNull(timeout).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new EmailConfigException(Reason.STORE_FAILURE, "The configuration store " + store.getClass().getName()
                    + " did not answer within " + timeout.toMillis() + " ms when asked to " + action
                    + " the email configuration" + (action.equals("save") ? "; the save may still complete" : ""),
                    action.equals("save") ? "Reload the form to see whether the save went through; if the store keeps "
                            + "failing to answer, check what it depends on (its database, its network)."
                            : "Check what the store depends on (its database, its network); notifications keep using "
                            + "the configuration in force.", null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new EmailConfigException(Reason.STORE_FAILURE, "Interrupted while waiting for the configuration "
                    + "store to " + action + " the email configuration", e);
        }
    }

    /**
     * The store's {@link ConfigStore#load()}.
     *
     * @return what it loaded
     */
    public Optional<StoredConfiguration> load() {
        try {
            Optional<StoredConfiguration> loaded = bounded("load", store::load);
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

    /**
     * The store's {@link ConfigStore#currentRevision()}.
     *
     * @return the revision
     */
    public long currentRevision() {
        try {
            return bounded("check the revision of", store::currentRevision);
        } catch (EmailConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unclassified("check the revision of", e);
        }
    }

    /**
     * The store's {@link ConfigStore#save}.
     *
     * @param configuration    what to store
     * @param expectedRevision the revision it replaces
     */
    public void save(StoredConfiguration configuration, long expectedRevision) {
        try {
            bounded("save", () -> {
                store.save(configuration, expectedRevision);
                return null;
            });
        } catch (EmailConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unclassified("save", e);
        }
    }

    /**
     * The store's {@link ConfigStore#subscribe}.
     *
     * @param listener told of new revisions
     * @return the subscription, empty when the store cannot tell
     */
    public Optional<ConfigStore.Subscription> subscribe(ConfigStore.RevisionListener listener) {
        try {
            Optional<ConfigStore.Subscription> s = bounded("subscribe to", () -> store.subscribe(listener));
            return s == null ? Optional.empty() : s;
        } catch (RuntimeException e) {
            throw unclassified("subscribe to", e);
        }
    }

    /**
     * The store's {@link ConfigStore#warnings()}; a store that cannot say gives one warning saying so.
     *
     * @return the warnings
     */
    public List<String> warnings() {
        try {
            List<String> w = store.warnings();
            return w == null ? List.of() : w;
        } catch (RuntimeException e) {
            return List.of("The store could not check its own safety: " + e.getClass().getName());
        }
    }

    /** Stops the threads that run bounded calls. */
    public void close() {
        if (calls != null) {
            calls.shutdownNow();
        }
    }

    private EmailConfigException unclassified(String action, RuntimeException e) {
        return new EmailConfigException(Reason.STORE_FAILURE, "The configuration store " + store.getClass().getName()
                + " failed to " + action + " the email configuration with " + e.getClass().getName(), e);
    }
}
