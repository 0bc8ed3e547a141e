package org.emailconfig.core.internal.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key file of {@link SecretSealer}: one base64 AES-256 key per line (the first seals, every one opens),
 * created with a new random key when missing, under a lock, written to a temporary file, forced to disk and
 * renamed into place, so a crash or a full disk never leaves a partial key and concurrent starts agree on one.
 */
final class KeyFile {

    private static final Logger LOG = LoggerFactory.getLogger("org.emailconfig.core");

    /** An AES-256 key. */
    static final int KEY_BYTES = 32;

    private KeyFile() {
    }

    /** The seam a test uses to simulate a full disk. */
    @FunctionalInterface
    interface KeyWriter {
        void write(FileChannel channel, byte[] content) throws IOException;
    }

    /**
     * The keys in the file, created with one new key when it is missing, or damaged while nothing is sealed.
     *
     * @param file             absolute path of the key file
     * @param sealedDataExists whether the store holds sealed values; asked only when the file is missing or damaged
     * @param writer           writes the new file's content
     * @return the keys, the sealing one first
     * @throws IOException when the file cannot be read or created, or is damaged while sealed values exist
     */
    static List<byte[]> readOrCreate(Path file, BooleanSupplier sealedDataExists, KeyWriter writer) throws IOException {
        List<byte[]> keys = readKeys(file);
        return keys.isEmpty() ? createUnderLock(file, sealedDataExists, writer) : keys;
    }

    /** The keys in the file, or empty when it is missing, empty or holds no valid key. */
    private static List<byte[]> readKeys(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<byte[]> keys = new ArrayList<>();
        for (String line : text.split("\n")) {
            String l = line.trim();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            byte[] k;
            try {
                k = Base64.getDecoder().decode(l);
            } catch (IllegalArgumentException e) {
                k = new byte[0];
            }
            if (k.length != KEY_BYTES) {
                if (keys.isEmpty()) {
                    // A damaged first key seals nothing; treat the file as damaged as a whole.
                    return List.of();
                }
                throw new IOException("line " + (keys.size() + 1) + " is not a base64 AES-256 key");
            }
            keys.add(k);
        }
        return keys;
    }

    private static List<byte[]> createUnderLock(Path file, BooleanSupplier sealedDataExists, KeyWriter writer)
            throws IOException {
        Path absolute = file.toAbsolutePath();
        Path directory = Objects.requireNonNull(absolute.getParent(), "a key file is never the file system root");
        PrivateFiles.createPrivateDirectories(directory);
        String name = String.valueOf(absolute.getFileName());
        // The class monitor orders threads of this JVM (a second FileLock from one JVM would throw);
        // the file lock orders processes.
        synchronized (KeyFile.class) {
            try (FileChannel lockChannel = FileChannel.open(directory.resolve(name + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = lockChannel.lock()) {
                PrivateFiles.removeTemporaryFiles(directory, name)
                        .forEach(p -> LOG.info("Removed {}, left by an interrupted key creation", p));
                List<byte[]> keys = readKeys(file);
                if (!keys.isEmpty()) {
                    return keys; // another process or thread created it meanwhile
                }
                boolean exists = Files.exists(file);
                if (exists && sealedDataExists.getAsBoolean()) {
                    throw new IOException("the key file is empty or damaged, but the stored configuration holds "
                            + "secrets sealed with a key. Restore the key file from a backup; or, to enter every "
                            + "secret again, delete the key file and the configuration's secrets");
                }
                byte[] key = randomKey();
                byte[] content = ("# email-config sealing keys: the first line seals, every line opens.\n"
                        + Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
                Path temp = PrivateFiles.createTempFile(directory, name);
                try {
                    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                        writer.write(out, content);
                        out.force(true);
                    }
                    PrivateFiles.replaceAtomically(temp, file);
                } finally {
                    Files.deleteIfExists(temp);
                }
                LOG.info("{} a new secret key in {} (key id {}); keep a backup of it: stored secrets cannot be "
                        + "opened without it", exists ? "Replaced an empty or damaged key file with" : "Created",
                        file, keyId(key));
                return List.of(key);
            }
        }
    }

    static void writeFully(FileChannel channel, byte[] content) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(content);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    static List<String> permissionWarnings(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)
                    || p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
                return List.of(file + " (the secret key) can be read or written by users other than its owner: "
                        + "run chmod 600 " + file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // No POSIX permissions here, or gone; nothing to report.
        }
        return List.of();
    }

    /** One strong generator for the JVM: seeding a new one per key costs entropy and time for nothing. */
    private static final SecureRandom RANDOM = new SecureRandom();

    static byte[] randomKey() {
        byte[] k = new byte[KEY_BYTES];
        RANDOM.nextBytes(k);
        return k;
    }

    static String keyId(byte[] key) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update("email-config key id\0".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(d.digest(key), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
