package org.emailconfig.core.testing;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.Reason;
import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.api.spi.StoredConfiguration;
import org.emailconfig.core.InMemoryConfigStore;

/**
 * A real in-memory store behind switches a test flips: fail every call (an outage), throw a raw
 * exception, hold the acknowledgement of the next save after it committed, push saves to subscribers.
 */
public final class ControllableStore implements ConfigStore {

    private volatile InMemoryConfigStore data;
    private final boolean pushes;
    private final List<RevisionListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Supplier<RuntimeException> failure;
    private volatile CountDownLatch holdAck;
    private final AtomicInteger revisionChecks = new AtomicInteger();

    public ControllableStore(InMemoryConfigStore data, boolean pushes) {
        this.data = data;
        this.pushes = pushes;
    }

    /** Swaps the data behind the store, as restoring a backup would. */
    public void replaceData(InMemoryConfigStore restored) {
        this.data = restored;
    }

    /** Every call fails with what the supplier gives, until {@link #recover()}. */
    public void fail(Supplier<RuntimeException> f) {
        this.failure = f;
    }

    public void failAsOutage() {
        fail(() -> new EmailConfigException(Reason.STORE_FAILURE, "database db.example:5432 unreachable"));
    }

    public void recover() {
        this.failure = null;
    }

    /** The next save commits, then waits until the returned latch is counted down before returning. */
    public CountDownLatch holdNextAcknowledgement() {
        CountDownLatch l = new CountDownLatch(1);
        holdAck = l;
        return l;
    }

    public int subscribers() {
        return listeners.size();
    }

    public int revisionChecks() {
        return revisionChecks.get();
    }

    /** Pushes a revision to subscribers, as a database notification would. */
    public void push(long revision) {
        listeners.forEach(l -> l.revisionSaved(revision));
    }

    private volatile CountDownLatch hang;

    /** Every call blocks until the returned latch is counted down (or the caller is interrupted). */
    public CountDownLatch hang() {
        CountDownLatch l = new CountDownLatch(1);
        hang = l;
        return l;
    }

    private void check() {
        CountDownLatch h = hang;
        if (h != null) {
            try {
                h.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while hanging");
            }
        }
        Supplier<RuntimeException> f = failure;
        if (f != null) {
            throw f.get();
        }
    }

    @Override
    public Optional<StoredConfiguration> load() {
        check();
        Optional<StoredConfiguration> loaded = data.load();
        Runnable r = afterNextLoad;
        if (r != null) {
            afterNextLoad = null;
            r.run();
        }
        return loaded;
    }

    private volatile Runnable afterNextLoad;

    /** Runs this (another node's save, say) right after the next load has read the data. */
    public void afterNextLoad(Runnable r) {
        this.afterNextLoad = r;
    }

    @Override
    public long currentRevision() {
        revisionChecks.incrementAndGet();
        check();
        return data.currentRevision();
    }

    /** The data behind the store, for a test that acts as another node. */
    public InMemoryConfigStore data() {
        return data;
    }

    @Override
    public void save(StoredConfiguration configuration, long expectedRevision) {
        check();
        data.save(configuration, expectedRevision);
        if (pushes) {
            push(configuration.revision());
        }
        CountDownLatch l = holdAck;
        if (l != null) {
            holdAck = null;
            try {
                l.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public Optional<Subscription> subscribe(RevisionListener listener) {
        check();
        if (!pushes) {
            return Optional.empty();
        }
        listeners.add(listener);
        return Optional.of(() -> listeners.remove(listener));
    }
}
