package org.emailconfig.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apiguardian.api.API;
import org.emailconfig.api.ConcurrentUpdateException;
import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.api.spi.StoredConfiguration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link ConfigStore} must keep, as tests a host runs against its own store. Extend
 * this class and supply a factory; every test then runs against a fresh, empty store:
 *
 * <pre>{@code
 * class HubConfigStoreTest extends ConfigStoreContract {
 *     @Override
 *     protected ConfigStore createStore() {
 *         return new HubConfigStore(testDataSource());   // empty for each test
 *     }
 *
 *     @Override
 *     protected ConfigStore reopen(ConfigStore store) {
 *         return new HubConfigStore(testDataSource());   // a second node over the same data
 *     }
 * }
 * }</pre>
 *
 * <p>Each test's display name states the rule it enforces. The library runs this contract against its
 * in-memory, file and JDBC (PostgreSQL and H2) stores first.
 */
@Timeout(120)
@API(status = API.Status.STABLE, since = "0.1")
public abstract class ConfigStoreContract {

    private static final Instant SAVED_AT = Instant.parse("2026-11-28T09:15:30.123Z");

    /**
     * A new store holding nothing. Called once or more per test; every call within one test may return
     * a store over separate data.
     *
     * @return an empty store
     * @throws Exception when it cannot be created (the test then fails)
     */
    protected abstract ConfigStore createStore() throws Exception;

    /**
     * A second instance over the same data as {@code store}, as another application node would build it.
     * The default returns {@code store} itself, which suits a store that lives in one JVM's memory.
     *
     * @param store a store from {@link #createStore()}
     * @return another instance over the same data, or the same instance
     * @throws Exception when it cannot be created
     */
    protected ConfigStore reopen(ConfigStore store) throws Exception {
        return store;
    }

    /**
     * Takes a backup of the store's data the way its operators do (a copy of the file, a database dump), and
     * returns what restores it. The restore test runs only where this is overridden; the default returns
     * empty, and that test is skipped saying why.
     *
     * <pre>{@code
     * @Override
     * protected Optional<Runnable> backup(ConfigStore store) {
     *     long kept = store.currentRevision();
     *     return Optional.of(() -> jdbc.update("DELETE FROM email_config WHERE revision > ?", kept));
     * }
     * }</pre>
     *
     * @param store a store from {@link #createStore()}
     * @return what puts the data back as it is now, or empty when this kit cannot restore the store
     * @throws Exception when the backup cannot be taken
     */
    protected Optional<Runnable> backup(ConfigStore store) throws Exception {
        return Optional.empty();
    }

    /**
     * How long a store that {@link ConfigStore#subscribe pushes} may take to report a save; default 5 s.
     *
     * @return a positive duration
     */
    protected Duration pushTimeout() {
        return Duration.ofSeconds(5);
    }

    /**
     * A configuration whose every value names its revision, so a mixed read shows.
     *
     * @param revision the revision
     * @param marker   a text put into every value
     * @return the configuration
     */
    protected static StoredConfiguration configuration(long revision, String marker) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            settings.put("field" + i, marker + "-" + revision + "-" + i);
        }
        return new StoredConfiguration("contract-type", revision, settings,
                Map.of("password", "v2:sealed-" + marker + "-" + revision), SAVED_AT.plusMillis(revision),
                "actor-" + marker);
    }

    private static ConcurrentUpdateException conflict(ConfigStore store, StoredConfiguration c, long expected) {
        return assertThrows(ConcurrentUpdateException.class, () -> store.save(c, expected),
                "a save expecting revision " + expected + " must be refused");
    }

    @Test
    @DisplayName("After a restore from a backup, every node reads the restored revision and a save continues from it")
    void restoredFromABackup() throws Exception {
        ConfigStore store = createStore();
        store.save(configuration(1, "first"), 0);
        store.save(configuration(2, "kept"), 1);
        Optional<Runnable> restore = backup(store);
        org.junit.jupiter.api.Assumptions.assumeTrue(restore.isPresent(),
                "no backup for this store in the kit: override backup(ConfigStore) to check restores");
        store.save(configuration(3, "lost"), 2);
        ConfigStore otherNode = reopen(store);
        assertEquals(3, otherNode.currentRevision());

        restore.get().run();

        // Nothing may be answered from a memory of the lost revision: the engine follows the store back.
        for (ConfigStore node : List.of(store, otherNode)) {
            assertEquals(2, node.currentRevision(), "the revision after the restore");
            assertEquals(Optional.of(configuration(2, "kept")), node.load());
        }
        conflict(store, configuration(4, "on-the-lost-line"), 3);
        otherNode.save(configuration(3, "after-restore"), 2);
        assertEquals(Optional.of(configuration(3, "after-restore")), store.load());
        assertEquals(3, store.currentRevision());
    }

    @Test
    @DisplayName("An empty store loads nothing and reports revision 0")
    void emptyStore() throws Exception {
        ConfigStore store = createStore();
        assertEquals(Optional.empty(), store.load());
        assertEquals(0, store.currentRevision());
        assertNotNull(store.warnings(), "warnings() must never return null");
    }

    @Test
    @DisplayName("The first save expects revision 0 and puts revision 1 in force exactly as given")
    void firstSave() throws Exception {
        ConfigStore store = createStore();
        StoredConfiguration first = configuration(1, "first");
        store.save(first, 0);
        assertEquals(Optional.of(first), store.load());
        assertEquals(1, store.currentRevision());
    }

    @Test
    @DisplayName("A save based on a stale revision is refused with the actual revision, and nothing changes")
    void staleRevision() throws Exception {
        ConfigStore store = createStore();
        store.save(configuration(1, "a"), 0);
        StoredConfiguration second = configuration(2, "b");
        store.save(second, 1);

        ConcurrentUpdateException e = conflict(store, configuration(2, "stale"), 1);
        assertEquals(1, e.expectedRevision());
        assertEquals(2, e.actualRevision());
        conflict(store, configuration(1, "again"), 0);
        assertEquals(Optional.of(second), store.load());
        assertEquals(2, store.currentRevision());
    }

    @Test
    @DisplayName("A save on an empty store expecting a revision other than 0 is refused")
    void saveOnEmptyStoreExpectingARevision() throws Exception {
        ConfigStore store = createStore();
        conflict(store, configuration(4, "phantom"), 3);
        assertEquals(Optional.empty(), store.load());
    }

    @Test
    @DisplayName("Among N threads saving the same revision, exactly one wins, and its configuration is in force")
    void exactlyOneWinner() throws Exception {
        ConfigStore store = createStore();
        ConfigStore other = reopen(store);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (long revision = 1; revision <= 5; revision++) {
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<StoredConfiguration>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    StoredConfiguration mine = configuration(revision, "thread" + t);
                    ConfigStore via = t % 2 == 0 ? store : other;
                    long expected = revision - 1;
                    results.add(pool.submit(() -> {
                        start.await();
                        via.save(mine, expected);
                        return mine;
                    }));
                }
                StoredConfiguration winner = null;
                int won = 0;
                for (Future<StoredConfiguration> f : results) {
                    try {
                        winner = f.get(60, TimeUnit.SECONDS);
                        won++;
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof ConcurrentUpdateException)) {
                            throw new AssertionError("a losing save must throw ConcurrentUpdateException", e.getCause());
                        }
                    }
                }
                assertEquals(1, won, "exactly one of " + threads + " saves of revision " + revision + " must win");
                Objects.requireNonNull(winner);
                assertEquals(Optional.of(winner), store.load());
                assertEquals(Optional.of(winner), other.load());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("A load while saves run returns one whole configuration, never parts of two, never going back")
    void noTornRead() throws Exception {
        ConfigStore store = createStore();
        ConfigStore reader = reopen(store);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<Throwable> problem = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Callable<Void> read = () -> {
                long last = 0;
                while (writing.get() && problem.get() == null) {
                    Optional<StoredConfiguration> loaded = reader.load();
                    if (loaded.isEmpty()) {
                        if (last > 0) {
                            problem.set(new AssertionError("loaded nothing after revision " + last));
                        }
                        continue;
                    }
                    StoredConfiguration c = loaded.get();
                    if (!c.equals(configuration(c.revision(), "w"))) {
                        problem.set(new AssertionError("torn read: " + c));
                    }
                    if (c.revision() < last) {
                        problem.set(new AssertionError("revision went back from " + last + " to " + c.revision()));
                    }
                    last = c.revision();
                }
                return null;
            };
            Future<?> r1 = pool.submit(read);
            Future<?> r2 = pool.submit(read);
            try {
                for (long revision = 1; revision <= 60 && problem.get() == null; revision++) {
                    store.save(configuration(revision, "w"), revision - 1);
                }
            } finally {
                writing.set(false);
            }
            r1.get(60, TimeUnit.SECONDS);
            r2.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        if (problem.get() != null) {
            fail(problem.get());
        }
    }

    @Test
    @DisplayName("Secrets, unicode, special characters and long values come back byte for byte")
    void exactRoundTrip() throws Exception {
        ConfigStore store = createStore();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("unicode", "Grüße, 東京, עברית, e\u0301, \uD83D\uDCE7 mail");
        settings.put("specials", " leading and trailing \t= : # ! \\ \\u0041 ' \" ; -- ");
        settings.put("lines", "first\nsecond\r\nthird");
        settings.put("empty", "");
        settings.put("long", "x".repeat(20_000) + "end");
        settings.put("dotted.name-with_chars", "value");
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("password", "v2:k1:" + "QUJD".repeat(200) + "==");
        secrets.put("clientSecret", "plain:p@ss w0rd=\u00e9\uD83D\uDD11");
        StoredConfiguration c = new StoredConfiguration("custom-type.v2", 1, settings, secrets,
                Instant.parse("2026-02-28T23:59:59.999Z"), "admin \u00fc\u00df@example.com");
        store.save(c, 0);
        StoredConfiguration back = store.load().orElseThrow();
        assertEquals(c, back);
        assertEquals(c, reopen(store).load().orElseThrow());
        back.settings().forEach((k, v) -> assertEquals(settings.get(k), v, "setting " + k));
        back.sealedSecrets().forEach((k, v) -> assertEquals(secrets.get(k), v, "secret " + k));
    }

    @Test
    @DisplayName("currentRevision() agrees with load() after every save, on every instance")
    void currentRevisionAgreesWithLoad() throws Exception {
        ConfigStore store = createStore();
        ConfigStore other = reopen(store);
        for (long revision = 1; revision <= 5; revision++) {
            (revision % 2 == 0 ? other : store).save(configuration(revision, "c"), revision - 1);
            assertEquals(revision, store.currentRevision());
            assertEquals(revision, other.currentRevision());
            assertEquals(revision, store.load().orElseThrow().revision());
            assertEquals(revision, other.load().orElseThrow().revision());
        }
    }

    @Test
    @DisplayName("Revisions never go backwards: a refused older save leaves the newest in force")
    void neverBackwards() throws Exception {
        ConfigStore store = createStore();
        for (long revision = 1; revision <= 3; revision++) {
            store.save(configuration(revision, "n"), revision - 1);
        }
        for (long older = 0; older < 3; older++) {
            conflict(store, configuration(older + 1, "old"), older);
            assertEquals(3, store.currentRevision());
        }
        assertEquals(Optional.of(configuration(3, "n")), store.load());
    }

    @Test
    @DisplayName("A store that pushes reports each save, from any instance, and stops after the subscription closes")
    void subscriptionContract() throws Exception {
        ConfigStore store = createStore();
        BlockingQueue<Long> seen = new LinkedBlockingQueue<>();
        Optional<ConfigStore.Subscription> subscription = store.subscribe(seen::add);
        assertNotNull(subscription, "subscribe() must return Optional.empty() rather than null");
        if (subscription.isEmpty()) {
            return; // A store that cannot push is polled; nothing more to check.
        }
        ConfigStore other = reopen(store);
        other.save(configuration(1, "p"), 0);
        awaitRevision(seen, 1);
        store.save(configuration(2, "p"), 1);
        awaitRevision(seen, 2);

        subscription.get().close();
        seen.clear();
        store.save(configuration(3, "p"), 2);
        Long late = seen.poll(Math.min(1000, pushTimeout().toMillis()), TimeUnit.MILLISECONDS);
        assertTrue(late == null, "called with revision " + late + " after the subscription was closed");
    }

    private void awaitRevision(BlockingQueue<Long> seen, long revision) throws InterruptedException {
        long deadline = System.nanoTime() + pushTimeout().toNanos();
        while (true) {
            Long r = seen.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new AssertionError("revision " + revision + " was not pushed within " + pushTimeout());
            }
            if (r == revision) {
                return;
            }
            assertTrue(r < revision + 1 && r > 0, "pushed a revision that was never saved: " + r);
        }
    }
}
