package org.emailconfig.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

import org.emailconfig.api.ConcurrentUpdateException;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.Reason;
import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.api.spi.StoredConfiguration;
import org.emailconfig.core.internal.PrivateFiles;

/**
 * The embedded default store: one properties file, {@value #FILE_NAME}, in a directory. A save writes
 * a temporary file, forces it to disk and atomically replaces the old file, so a crash mid-write
 * leaves either the old or the new configuration, never half of one. Compare-and-set on the revision
 * holds across threads and across processes sharing the directory (a file lock guards it).
 *
 * <p>The file is created readable by its owner only. Secrets arrive sealed by the engine; this store
 * never sees them in clear.
 */
public final class FileConfigStore implements ConfigStore {

    /** Name of the configuration file inside the directory. */
    public static final String FILE_NAME = "email-config.properties";

    private static final String LOCK_NAME = "email-config.lock";
    private static final String SETTING = "setting.";
    private static final String SECRET = "secret.";

    private final Path directory;
    private final Path file;

    /**
     * A store in a directory, created when missing.
     *
     * @param directory where the configuration file lives
     */
    public FileConfigStore(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
        this.file = this.directory.resolve(FILE_NAME);
    }

    /**
     * The configuration file.
     *
     * @return {@code directory/email-config.properties}
     */
    public Path file() {
        return file;
    }

    @Override
    public Optional<StoredConfiguration> load() {
        try {
            return read();
        } catch (IOException | RuntimeException e) {
            throw failure("read", e);
        }
    }

    @Override
    public void save(StoredConfiguration configuration, long expectedRevision) {
        Objects.requireNonNull(configuration, "configuration");
        // The JVM-wide monitor orders threads of this process; the file lock orders processes.
        synchronized (FileConfigStore.class) {
            try {
                Files.createDirectories(directory);
                try (FileChannel lockChannel = FileChannel.open(directory.resolve(LOCK_NAME),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    FileLock lock = lockChannel.lock();
                    try {
                        long actual = read().map(StoredConfiguration::revision).orElse(0L);
                        if (actual != expectedRevision) {
                            throw new ConcurrentUpdateException(expectedRevision, actual);
                        }
                        write(configuration);
                    } finally {
                        lock.release();
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                throw failure("write", e);
            }
        }
    }

    private Optional<StoredConfiguration> read() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Map<String, String> settings = new TreeMap<>();
        Map<String, String> secrets = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith(SETTING)) {
                settings.put(key.substring(SETTING.length()), p.getProperty(key));
            } else if (key.startsWith(SECRET)) {
                secrets.put(key.substring(SECRET.length()), p.getProperty(key));
            }
        }
        return Optional.of(new StoredConfiguration(required(p, "type"), Long.parseLong(required(p, "revision")),
                settings, secrets, Instant.parse(required(p, "savedAt")), required(p, "savedBy")));
    }

    private void write(StoredConfiguration c) throws IOException {
        Properties p = new Properties();
        p.setProperty("type", c.type());
        p.setProperty("revision", Long.toString(c.revision()));
        p.setProperty("savedAt", c.savedAt().toString());
        p.setProperty("savedBy", c.savedBy());
        c.settings().forEach((k, v) -> p.setProperty(SETTING + k, v));
        c.sealedSecrets().forEach((k, v) -> p.setProperty(SECRET + k, v));

        Path temp = PrivateFiles.createTempFile(directory, FILE_NAME);
        try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE);
                 FileChannel sync = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                p.store(out, "email-config: written by the library; secrets are sealed. Do not edit while running.");
                out.flush();
                sync.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            PrivateFiles.syncDirectory(directory);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalStateException("missing key '" + key + "'");
        }
        return v;
    }

    private EmailConfigException failure(String what, Exception e) {
        return new EmailConfigException(Reason.STORE_FAILURE, "Could not " + what + " the email configuration file "
                + file + ": " + e, null, e);
    }
}
