package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import jakarta.mail.internet.InternetAddress;

import org.emailconfig.api.ConcurrentUpdateException;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Notification;
import org.emailconfig.api.Reason;
import org.emailconfig.api.spi.StoredConfiguration;
import org.emailconfig.core.testing.LogCapture;
import org.emailconfig.testkit.SandboxMailServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The embedded file store, on real files. */
class FileConfigStoreTest {

    static final String NOREPLY = "noreply@sandbox.test";
    static final String PASSWORD = "pw-that-must-never-touch-disk-4711";

    @RegisterExtension
    final SandboxMailServer mail = new SandboxMailServer().withMailbox(NOREPLY, PASSWORD);

    @TempDir
    Path dir;

    private static StoredConfiguration config(long revision, String marker) {
        return new StoredConfiguration("smtp-password", revision, Map.of("host", marker),
                Map.of("password", "v1:sealed"), Instant.parse("2026-11-27T10:00:00Z"), "admin");
    }

    @Test
    void aSavedConfigurationSurvivesANewServiceInstanceAndStillSends() throws Exception {
        try (EmailConfigurationService first = EmailConfig.builder().fileStore(dir).build()) {
            first.save(mail.admin(), mail.passwordDraft(NOREPLY));
        }
        try (EmailConfigurationService second = EmailConfig.builder().fileStore(dir).build()) {
            assertEquals(1, second.read(mail.admin()).revision());
            second.notifications().send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link"));
        }
        assertEquals(NOREPLY, ((InternetAddress) mail.messagesTo("user@sandbox.test").get(0).getFrom()[0]).getAddress());
    }

    @Test
    void noFileInTheStoreDirectoryHoldsTheSecretInClearAndTheFilesAreOwnerOnly() throws Exception {
        try (EmailConfigurationService s = EmailConfig.builder().fileStore(dir).build()) {
            s.save(mail.admin(), mail.passwordDraft(NOREPLY));
        }
        String base64 = Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.toList();
        }
        assertTrue(files.contains(dir.resolve(FileConfigStore.FILE_NAME)));
        assertTrue(files.contains(dir.resolve(EmailConfig.DEFAULT_KEY_FILE_NAME)));
        for (Path f : files) {
            String content = Files.readString(f, StandardCharsets.ISO_8859_1);
            assertFalse(content.contains(PASSWORD), f + " holds the password in clear");
            assertFalse(content.contains(base64), f + " holds the password in base64");
        }
        String stored = Files.readString(dir.resolve(FileConfigStore.FILE_NAME));
        assertTrue(stored.contains("secret.password=v2\\:"), stored);
        Set<PosixFilePermission> ownerOnly = Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertEquals(ownerOnly, Files.getPosixFilePermissions(dir.resolve(FileConfigStore.FILE_NAME)));
        assertEquals(ownerOnly, Files.getPosixFilePermissions(dir.resolve(EmailConfig.DEFAULT_KEY_FILE_NAME)));
    }

    @Test
    void aSecretSealedUnderAnotherKeyIsReportedAndMustBeEnteredAgain() {
        try (EmailConfigurationService s = EmailConfig.builder().fileStore(dir).build()) {
            s.save(mail.admin(), mail.passwordDraft(NOREPLY));
        }
        try (EmailConfigurationService s = EmailConfig.builder().fileStore(dir).secretKey(new byte[32]).build()) {
            EmailConfigException e = assertThrows(EmailConfigException.class, () -> s.notifications()
                    .send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link")));
            assertEquals(Reason.STORE_FAILURE, e.reason());
            assertTrue(e.getMessage().contains("which this service does not have"), e.getMessage());
            // Saving from this node during a rotation would strand the nodes that moved on: the advice is the key.
            assertTrue(e.hint().startsWith("Give this node the key the other nodes use"), e.hint());
            assertTrue(e.hint().contains("Do not save from this node"), e.hint());
        }
    }

    @Test
    void aStaleRevisionIsRejectedAndTheFileKeepsTheWinner() {
        FileConfigStore store = new FileConfigStore(dir);
        store.save(config(1, "first"), 0);
        store.save(config(2, "second"), 1);

        ConcurrentUpdateException e = assertThrows(ConcurrentUpdateException.class,
                () -> store.save(config(2, "stale"), 1));

        assertEquals(2, e.actualRevision());
        assertEquals("second", store.load().orElseThrow().settings().get("host"));
        assertEquals(config(2, "second"), store.load().orElseThrow());
    }

    @Test
    void aReaderNeverSeesAHalfWrittenFileWhileSavesReplaceIt() throws Exception {
        // Another node (or the poller) reads without the lock; every file it sees must be a whole revision.
        FileConfigStore writer = new FileConfigStore(dir);
        FileConfigStore reader = new FileConfigStore(dir);
        writer.save(padded(1), 0);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<String> problems = pool.submit(() -> {
                while (!done.get()) {
                    StoredConfiguration c;
                    try {
                        c = reader.load().orElse(null);
                    } catch (RuntimeException e) {
                        return "a read failed: " + e;
                    }
                    reads.incrementAndGet();
                    if (c == null || !c.equals(padded(c.revision()))) {
                        return "a partial or mixed file was read: " + c;
                    }
                }
                return null;
            });
            for (long revision = 2; revision <= 150; revision++) {
                writer.save(padded(revision), revision - 1);
            }
            done.set(true);
            assertEquals(null, problems.get(30, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(reads.get() > 50, "the reader must have overlapped the writes: " + reads.get());
        } finally {
            pool.shutdownNow();
        }
    }

    /** A revision whose size varies, so that a torn write shows as a mismatch or a missing entry. */
    private static StoredConfiguration padded(long revision) {
        return new StoredConfiguration("smtp-password", revision, Map.of("host", "smtp" + revision + ".example.com",
                "padding", "p".repeat((int) (revision * 997 % 20_000)), "tail", Long.toString(revision)),
                Map.of(), java.time.Instant.ofEpochMilli(1_700_000_000_000L + revision), "admin-" + revision);
    }

    @Test
    void twoThreadsSavingAtOnceExactlyOneWinsInEveryRound() throws Exception {
        FileConfigStore store = new FileConfigStore(dir);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 25; round++) {
                long expected = round;
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Boolean>> results = new ArrayList<>();
                for (String who : List.of("a", "b")) {
                    results.add(pool.submit(() -> {
                        start.await();
                        try {
                            new FileConfigStore(dir).save(config(expected + 1, who + expected), expected);
                            return true;
                        } catch (ConcurrentUpdateException lost) {
                            return false;
                        }
                    }));
                }
                int winners = 0;
                for (Future<Boolean> f : results) {
                    winners += f.get() ? 1 : 0;
                }
                assertEquals(1, winners, "round " + round);
                StoredConfiguration now = store.load().orElseThrow();
                assertEquals(expected + 1, now.revision());
                assertTrue(Set.of("a" + expected, "b" + expected).contains(now.settings().get("host")));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLeftoverTemporaryFileFromACrashDoesNotDisturbLoading() throws Exception {
        FileConfigStore store = new FileConfigStore(dir);
        store.save(config(1, "good"), 0);
        Files.writeString(dir.resolve(FileConfigStore.FILE_NAME + "12345.tmp"), "type=half-writ");

        assertEquals("good", new FileConfigStore(dir).load().orElseThrow().settings().get("host"));
        assertFalse(Files.exists(dir.resolve(FileConfigStore.FILE_NAME + "12345.tmp")),
                "a new store's first load clears what a crashed writer left");
        Files.writeString(dir.resolve(FileConfigStore.FILE_NAME + "67890.tmp"), "type=half-writ");
        Files.writeString(dir.resolve("notes.tmp"), "the host's own");
        Files.writeString(dir.resolve(FileConfigStore.FILE_NAME + ".bak"), "the host's own");
        LogCapture.install();
        int before = LogCapture.lines().size();
        store.save(config(2, "next"), 1);
        assertEquals(2, store.load().orElseThrow().revision());
        assertFalse(Files.exists(dir.resolve(FileConfigStore.FILE_NAME + "67890.tmp")), "and so does every save");
        assertTrue(Files.exists(dir.resolve("notes.tmp")) && Files.exists(dir.resolve(FileConfigStore.FILE_NAME + ".bak")),
                "files that are not its own temporary files stay");
        assertTrue(LogCapture.lines().subList(before, LogCapture.lines().size()).stream().anyMatch(l -> l.contains(
                "Removed " + dir.resolve(FileConfigStore.FILE_NAME + "67890.tmp") + ", a temporary file left by an "
                        + "interrupted save")), LogCapture.lines().toString());
    }

    @Test
    void aStoreWhoseDirectoryDoesNotExistYetCreatesItOwnerOnlyOnTheFirstSave() throws Exception {
        Path nested = dir.resolve("not/yet/there");
        FileConfigStore store = new FileConfigStore(nested);
        assertTrue(store.load().isEmpty());
        store.save(config(1, "first"), 0);
        assertEquals("first", store.load().orElseThrow().settings().get("host"));
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"),
                Files.getPosixFilePermissions(nested));
        assertEquals(List.of(), store.warnings());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "type=smtp-password\\nrevision=7\\nsavedBy=admin     | 7 | no 'savedAt' entry",
        "type=smtp-password\\nrevision= 3 \\nsavedBy=admin   | 3 | a value is not a number",
        "type=smtp-password\\nrevision=abc\\nsavedBy=admin   | 0 | a value is not a number",
        "type=smtp-password\\nrevision=-5\\nsavedBy=admin    | 0 | no 'savedAt' entry",
        "type=smtp-password\\nrevision=0\\nsavedBy=admin     | 0 | no 'savedAt' entry",
        "savedBy=admin                                      | 0 | no 'type' entry",
        "type=x\\nrevision=2\\nsavedAt=yesterday\\nsavedBy=a | 2 | yesterday",
    })
    void aDamagedFileSaysWhatIsWrongAndWhichRevisionItClaims(String content, long revision, String why) throws Exception {
        Files.writeString(dir.resolve(FileConfigStore.FILE_NAME), content.replace("\\n", "\n"));
        org.emailconfig.api.spi.UnreadableConfigurationException e = assertThrows(
                org.emailconfig.api.spi.UnreadableConfigurationException.class, () -> new FileConfigStore(dir).load());
        assertEquals(revision, e.revision(), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertEquals(revision > 0, e.getMessage().contains("; it claims revision " + revision), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve(FileConfigStore.FILE_NAME).toString()), e.getMessage());
    }

    @Test
    void aCorruptFileIsAStoreFailureNamingTheFile() throws Exception {
        Files.writeString(dir.resolve(FileConfigStore.FILE_NAME), "revision=abc\n");
        EmailConfigException e = assertThrows(EmailConfigException.class, () -> new FileConfigStore(dir).load());
        assertEquals(Reason.STORE_FAILURE, e.reason());
        assertTrue(e.getMessage().contains(FileConfigStore.FILE_NAME));
    }
}
