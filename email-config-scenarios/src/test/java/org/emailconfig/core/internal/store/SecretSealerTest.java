package org.emailconfig.core.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.Reason;
import org.emailconfig.api.Secret;
import org.emailconfig.core.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sealing, guard binding, key ids and rotation, and key files that survive crashes and races. */
class SecretSealerTest {

    static final List<String> GUARDS = List.of("host", "port", "username", "encryption");
    static final Map<String, String> SETTINGS = Map.of("host", "smtp.example.com", "port", "587",
            "username", "noreply@example.com", "encryption", "STARTTLS", "senderName", "Hub");

    @TempDir
    Path dir;

    private static byte[] key(int seed) {
        byte[] k = new byte[32];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (seed * 31 + i);
        }
        return k;
    }

    private static Map<String, String> with(String field, String value) {
        Map<String, String> m = new java.util.HashMap<>(SETTINGS);
        m.put(field, value);
        return m;
    }

    @Test
    void aValueSealedTwiceDiffersAndOpensWithTheSameKeyFile() {
        SecretSealer sealer = SecretSealer.fromKeyFile(dir.resolve("k"), () -> false);
        String a = sealer.seal("smtp-password", "password", Secret.of("pw"), GUARDS, SETTINGS);
        String b = sealer.seal("smtp-password", "password", Secret.of("pw"), GUARDS, SETTINGS);
        assertNotEquals(a, b);
        assertEquals(Secret.of("pw"), SecretSealer.fromKeyFile(dir.resolve("k"), () -> true)
                .unseal("smtp-password", "password", a, SETTINGS));
    }

    @Test
    void everyInMemoryAndKeyFileKeyIsFreshRandomNeverAFixedOne() throws Exception {
        // An in-memory service's key must be its own: not all zeros, not shared with another service.
        String sealed = SecretSealer.ephemeral().seal("smtp-password", "password", Secret.of("pw"), GUARDS, SETTINGS);
        for (SecretSealer other : List.of(SecretSealer.ephemeral(), SecretSealer.withKey(new byte[32]))) {
            assertEquals(Reason.STORE_FAILURE, assertThrows(EmailConfigException.class,
                    () -> other.unseal("smtp-password", "password", sealed, SETTINGS)).reason());
        }
        // Two key files created in two places hold different keys, and neither is all zeros.
        String a = SecretSealer.fromKeyFile(dir.resolve("a"), () -> false)
                .seal("smtp-password", "password", Secret.of("pw"), GUARDS, SETTINGS);
        SecretSealer b = SecretSealer.fromKeyFile(dir.resolve("b"), () -> false);
        assertThrows(EmailConfigException.class, () -> b.unseal("smtp-password", "password", a, SETTINGS));
        assertThrows(EmailConfigException.class,
                () -> SecretSealer.withKey(new byte[32]).unseal("smtp-password", "password", a, SETTINGS));
        assertNotEquals(java.nio.file.Files.readString(dir.resolve("a")), java.nio.file.Files.readString(dir.resolve("b")));
    }

    @Test
    void withoutGuardsTheSealStillBindsTheValueToItsTypeAndField() {
        SecretSealer sealer = SecretSealer.ephemeral();
        String sealed = sealer.seal("smtp-password", "password", Secret.of("pw"), List.of(), SETTINGS);
        assertEquals(Secret.of("pw"), sealer.unseal("smtp-password", "password", sealed, SETTINGS));
        assertThrows(EmailConfigException.class, () -> sealer.unseal("microsoft-oauth2", "password", sealed, SETTINGS));
        assertThrows(EmailConfigException.class, () -> sealer.unseal("smtp-password", "token", sealed, SETTINGS));
    }

    @Test
    void aSealedValueDoesNotOpenForAnotherTypeOrField() {
        SecretSealer sealer = SecretSealer.ephemeral();
        String sealed = sealer.seal("smtp-password", "password", Secret.of("pw"), GUARDS, SETTINGS);
        assertEquals(Reason.STORE_FAILURE, assertThrows(EmailConfigException.class,
                () -> sealer.unseal("microsoft-oauth2", "clientSecret", sealed, SETTINGS)).reason());
        assertThrows(EmailConfigException.class, () -> sealer.unseal("smtp-password", "other", sealed, SETTINGS));
    }

    @Test
    void aChangedGuardFieldMakesTheSecretUnusableAndIsNamedWithoutItsValue() {
        SecretSealer sealer = SecretSealer.withKey(key(1));
        String sealed = sealer.seal("smtp-password", "password", Secret.of("pw"), GUARDS, SETTINGS);
        for (String guard : GUARDS) {
            EmailConfigException e = assertThrows(EmailConfigException.class,
                    () -> sealer.unseal("smtp-password", "password", sealed, with(guard, "attacker-value")));
            assertEquals(Reason.STORE_FAILURE, e.reason());
            assertTrue(e.getMessage().contains("other values of " + guard + " than"), e.getMessage());
            assertFalse(e.getMessage().contains("attacker-value"), e.getMessage());
            assertTrue(e.hint().contains("enter the password"), e.hint());
        }
        // A field that guards nothing may change freely.
        assertEquals(Secret.of("pw"), sealer.unseal("smtp-password", "password", sealed, with("senderName", "New")));
        // Removing the guard list from the sealed text does not help: it is part of the associated data.
        String stripped = sealed.replaceFirst("^(v2:[^:]+:)[^:]*:", "$1:");
        assertThrows(EmailConfigException.class,
                () -> sealer.unseal("smtp-password", "password", stripped, with("port", "2525")));
        // A guard entry without a name is damage, not a guard that changed.
        String nameless = sealed.replaceFirst("^(v2:[^:]+:)[^=]*=", "$1=");
        assertTrue(assertThrows(EmailConfigException.class,
                () -> sealer.unseal("smtp-password", "password", nameless, SETTINGS)).getMessage()
                .contains("cannot be opened: it was sealed with another secret key or altered"));
    }

    @Test
    void anOldKeyStillOpensDuringRotationAndAKeyThatIsMissingIsNamed() {
        SecretSealer oldSealer = SecretSealer.withKey(key(1));
        String sealedOld = oldSealer.seal("t", "password", Secret.of("pw"), GUARDS, SETTINGS);
        SecretSealer rotating = SecretSealer.withKeys(key(2), List.of(key(1)));

        assertEquals(Secret.of("pw"), rotating.unseal("t", "password", sealedOld, SETTINGS));
        assertTrue(rotating.needsReseal(sealedOld));
        String sealedNew = rotating.seal("t", "password", Secret.of("pw"), GUARDS, SETTINGS);
        assertFalse(rotating.needsReseal(sealedNew));
        assertTrue(sealedNew.startsWith("v2:" + rotating.currentKeyId() + ":"), sealedNew);
        assertNotEquals(oldSealer.currentKeyId(), rotating.currentKeyId());

        EmailConfigException e = assertThrows(EmailConfigException.class,
                () -> SecretSealer.withKey(key(2)).unseal("t", "password", sealedOld, SETTINGS));
        assertTrue(e.getMessage().contains("key " + oldSealer.currentKeyId()), e.getMessage());
    }

    @Test
    void aValueSealedByVersionZeroPointOneOpensInEveryLaterVersion() {
        // Written by 0.1.0 with key(1): the key id, the guard MACs and the associated data are a stored format.
        String stored = "v2:812bfb7f:encryption=Xb0Gdq1nK20,host=Ch4IJcSBIxM,port=YcpZld2mxGc,"
                + "username=la1o7r15s4E:89JSKX2GWKRl5BvuTps7jtMLWwSeWVHmZPlicme3aOA0vfg=";
        SecretSealer sealer = SecretSealer.withKey(key(1));
        assertEquals("812bfb7f", sealer.currentKeyId());
        assertEquals(Secret.of("pw-2026"), sealer.unseal("smtp-password", "password", stored, SETTINGS));
        assertFalse(sealer.needsReseal(stored));
    }

    @Test
    void aValueSealedByAnEarlierVersionStillOpensAndIsMarkedForResealing() throws Exception {
        byte[] nonce = new byte[12];
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key(1), "AES"), new GCMParameterSpec(128, nonce));
        c.updateAAD("smtp-password/password".getBytes(StandardCharsets.UTF_8));
        byte[] ct = c.doFinal("legacy-pw".getBytes(StandardCharsets.UTF_8));
        byte[] all = new byte[nonce.length + ct.length];
        System.arraycopy(ct, 0, all, nonce.length, ct.length);
        String v1 = "v1:" + Base64.getEncoder().encodeToString(all);

        SecretSealer sealer = SecretSealer.withKeys(key(2), List.of(key(1)));
        assertEquals(Secret.of("legacy-pw"), sealer.unseal("smtp-password", "password", v1, SETTINGS));
        assertTrue(sealer.needsReseal(v1));
    }

    @Test
    void aKeyFileIsCreatedOwnerOnlyInAnOwnerOnlyDirectoryAndItsCreationIsLoggedOnce() throws Exception {
        LogCapture.install();
        int before = LogCapture.lines().size();
        Path file = dir.resolve("new/sub/email-config.key");
        SecretSealer.fromKeyFile(file, () -> false);
        SecretSealer.fromKeyFile(file, () -> true);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        List<String> created = LogCapture.lines().subList(before, LogCapture.lines().size()).stream()
                .filter(l -> l.contains("a new secret key in " + file)).toList();
        assertEquals(1, created.size(), created.toString());
        assertTrue(created.get(0).contains(" INFO "), created.get(0));
    }

    @Test
    void aFullDiskWhileCreatingTheKeyLeavesNoKeyFileAndTheNextStartCreatesAWholeOne() throws Exception {
        Path file = dir.resolve("email-config.key");
        EmailConfigException e = assertThrows(EmailConfigException.class, () -> SecretSealer.fromKeyFile(file,
                () -> false, (channel, content) -> {
                    channel.write(java.nio.ByteBuffer.wrap(content, 0, 5));
                    throw new IOException("No space left on device");
                }));
        assertEquals(Reason.STORE_FAILURE, e.reason());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("No space left"), e.getMessage());
        assertFalse(Files.exists(file), "no partial key file");
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.filter(p -> p.toString().endsWith(".tmp")).toList());
        }
        SecretSealer sealer = SecretSealer.fromKeyFile(file, () -> false);
        assertEquals(sealer.currentKeyId(), SecretSealer.fromKeyFile(file, () -> true).currentKeyId());
    }

    @Test
    void anEmptyKeyFileWithNothingSealedIsReplacedButWithSealedDataItIsAnErrorNamingTheFile() throws Exception {
        Path file = dir.resolve("email-config.key");
        Files.writeString(file, "");
        EmailConfigException e = assertThrows(EmailConfigException.class, () -> SecretSealer.fromKeyFile(file, () -> true));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("backup"), e.getMessage());
        assertEquals(0, Files.size(file), "left as it was");

        Files.writeString(file, "c2hvcnQ=\n");
        LogCapture.install();
        int before = LogCapture.lines().size();
        SecretSealer replaced = SecretSealer.fromKeyFile(file, () -> false);
        assertTrue(LogCapture.lines().subList(before, LogCapture.lines().size()).stream().anyMatch(l -> l.contains(
                "Replaced an empty or damaged key file with a new secret key in " + file)), LogCapture.lines().toString());
        assertEquals(replaced.currentKeyId(), SecretSealer.fromKeyFile(file, () -> true).currentKeyId());
    }

    @Test
    void stalePartialKeyFilesFromACrashAreRemoved() throws Exception {
        Path file = dir.resolve("email-config.key");
        Files.writeString(dir.resolve("email-config.key1234.tmp"), "half");
        SecretSealer.fromKeyFile(file, () -> false);
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.filter(p -> p.toString().endsWith(".tmp")).toList());
        }
    }

    @Test
    void servicesStartingAtOnceOnAFreshDirectoryAllGetTheSameWholeKey() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 40; round++) {
                Path file = dir.resolve("round" + round).resolve("email-config.key");
                CyclicBarrier start = new CyclicBarrier(8);
                List<Future<String>> ids = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    ids.add(pool.submit(() -> {
                        start.await();
                        return SecretSealer.fromKeyFile(file, () -> false).currentKeyId();
                    }));
                }
                Set<String> distinct = new HashSet<>();
                for (Future<String> f : ids) {
                    distinct.add(f.get());
                }
                assertEquals(1, distinct.size(), "round " + round + ": " + distinct);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theFirstLineOfAKeyFileSealsAndEveryLineOpens() throws Exception {
        Path file = dir.resolve("email-config.key");
        String oldLine = Base64.getEncoder().encodeToString(key(1));
        String newLine = Base64.getEncoder().encodeToString(key(2));
        Files.writeString(file, oldLine + "\n");
        String sealedOld = SecretSealer.fromKeyFile(file, () -> true).seal("t", "f", Secret.of("x"), GUARDS, SETTINGS);
        Files.writeString(file, "# rotated\n" + newLine + "\n" + oldLine + "\n");
        SecretSealer rotated = SecretSealer.fromKeyFile(file, () -> true);
        assertEquals(SecretSealer.withKey(key(2)).currentKeyId(), rotated.currentKeyId());
        assertEquals(Secret.of("x"), rotated.unseal("t", "f", sealedOld, SETTINGS));
    }

    @Test
    void aKeyFileOthersCanReadIsReported() throws Exception {
        Path file = dir.resolve("email-config.key");
        SecretSealer.fromKeyFile(file, () -> false);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> w = SecretSealer.fromKeyFile(file, () -> true).warnings();
        assertEquals(1, w.size());
        assertTrue(w.get(0).contains("chmod 600 " + file), w.get(0));
    }
}
