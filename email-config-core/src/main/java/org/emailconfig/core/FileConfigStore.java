package org.emailconfig.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import org.apiguardian.api.API;
import org.emailconfig.api.ConcurrentUpdateException;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.Reason;
import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.api.spi.StoredConfiguration;
import org.emailconfig.api.spi.UnreadableConfigurationException;
import org.emailconfig.core.internal.store.PrivateFiles;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default store: one properties file, {@value #FILE_NAME}, in a directory. A save writes
 * a temporary file, forces it to disk and atomically replaces the old file, so a crash mid-write
 * leaves either the old or the new configuration, never half of one. Compare-and-set on the revision
 * holds across threads and across processes sharing the directory (a file lock guards it).
 *
 * <p>The directory is created accessible by its owner only, the file readable by its owner only;
 * {@link #warnings()} reports an existing directory or file that others can read or write (another local
 * user could otherwise point the configuration at their own relay). Secrets arrive sealed by the engine;
 * this store never sees them in clear.
 *
 * <p>A damaged file (empty, truncated, not a configuration) makes {@link #load()} throw
 * {@link UnreadableConfigurationException}; a save the administrator explicitly confirmed then moves it
 * aside as {@code email-config.properties.damaged-<time>} and writes the new configuration. Temporary
 * files a crash left behind are removed under the lock, at the first use and after every save.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class FileConfigStore implements ConfigStore {

    /** Name of the configuration file inside the directory. */
    public static final String FILE_NAME = "email-config.properties";

    private static final String LOCK_NAME = "email-config.lock";
    private static final String SETTING = "setting.";
    private static final String SECRET = "secret.";

    private static final Logger LOG = LoggerFactory.getLogger("org.emailconfig.store.file");
    private static final String DAMAGED = ".damaged-";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path directory;
    private final Path file;
    private volatile boolean cleaned;

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
        if (!cleaned && Files.isDirectory(directory)) {
            try {
                locked(() -> null);
            } catch (IOException | UncheckedIOException e) {
                // A read-only directory can still be read; the next save cleans up or reports.
                LOG.debug("Could not look for leftover temporary files in {}", directory, e);
                cleaned = true;
            }
        }
        try {
            return read();
        } catch (IOException e) {
            throw failure("read", e);
        }
    }

    @Override
    public void save(StoredConfiguration configuration, long expectedRevision) {
        Objects.requireNonNull(configuration, "configuration");
        try {
            PrivateFiles.createPrivateDirectories(directory);
            locked(() -> {
                long actual;
                Path damaged = null;
                try {
                    actual = read().map(StoredConfiguration::revision).orElse(0L);
                } catch (UnreadableConfigurationException e) {
                    // Only a save that builds on at least the damaged revision replaces it (SPI contract).
                    if (expectedRevision < e.revision()) {
                        throw new ConcurrentUpdateException(expectedRevision, e.revision());
                    }
                    actual = expectedRevision;
                    damaged = directory.resolve(FILE_NAME + DAMAGED + STAMP.format(Instant.now()));
                }
                if (actual != expectedRevision) {
                    throw new ConcurrentUpdateException(expectedRevision, actual);
                }
                if (damaged != null) {
                    Files.move(file, damaged);
                    LOG.warn("The damaged email configuration file was kept as {}", damaged);
                }
                write(configuration);
                return null;
            });
        } catch (IOException | UncheckedIOException e) {
            throw failure("write", e);
        }
    }

    @FunctionalInterface
    private interface LockedWork {
        @Nullable Object run() throws IOException;
    }

    /**
     * Runs work under the JVM-wide monitor (threads of this process) and the file lock (processes). Any
     * temporary file found while holding the lock belongs to a writer that died: writers hold the lock
     * for as long as their temporary file exists.
     */
    private void locked(LockedWork work) throws IOException {
        synchronized (FileConfigStore.class) {
            try (FileChannel lockChannel = FileChannel.open(directory.resolve(LOCK_NAME),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = lockChannel.lock()) {
                // Our own temporary file is gone when work returns (write deletes it in any case).
                removeStaleTemporaryFiles();
                work.run();
            }
        }
    }

    private void removeStaleTemporaryFiles() throws IOException {
        PrivateFiles.removeTemporaryFiles(directory, FILE_NAME)
                .forEach(p -> LOG.info("Removed {}, a temporary file left by an interrupted save", p));
        cleaned = true;
    }

    /**
     * Reports a directory or file that users other than the owner can read or write: another local user
     * could read the sealed secrets or point the configuration at their own server.
     */
    @Override
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        // The key file is the sealer's to check: it knows which one is in use.
        for (Path p : List.of(directory, file)) {
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                List<String> open = new ArrayList<>();
                if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                    open.add("read");
                }
                if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                    open.add("written");
                }
                if (!open.isEmpty()) {
                    out.add(p + " can be " + String.join(" and ", open) + " by users other than its owner: "
                            + "run chmod " + (Files.isDirectory(p) ? "700 " : "600 ") + p);
                }
            } catch (NoSuchFileException | UnsupportedOperationException e) {
                // Not there (yet), or no POSIX permissions on this platform.
            } catch (IOException e) {
                out.add(p + " cannot be checked: " + e.getClass().getSimpleName());
            }
        }
        return out;
    }

    private Optional<StoredConfiguration> read() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            throw damaged(p, e);
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
        try {
            return Optional.of(new StoredConfiguration(required(p, "type"), Long.parseLong(required(p, "revision")),
                    settings, secrets, Instant.parse(required(p, "savedAt")), required(p, "savedBy")));
        } catch (RuntimeException e) {
            throw damaged(p, e);
        }
    }

    private UnreadableConfigurationException damaged(Properties p, RuntimeException e) {
        long revision;
        try {
            revision = Math.max(0, Long.parseLong(p.getProperty("revision", "0").trim()));
        } catch (NumberFormatException unknown) {
            revision = 0;
        }
        String why = e instanceof NumberFormatException ? "a value is not a number"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new UnreadableConfigurationException("The email configuration file " + file + " is damaged ("
                + why + ")" + (revision > 0 ? "; it claims revision " + revision : ""), revision, e);
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
            PrivateFiles.replaceAtomically(temp, file);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalStateException("no '" + key + "' entry");
        }
        return v;
    }

    private EmailConfigException failure(String what, Exception e) {
        return new EmailConfigException(Reason.STORE_FAILURE, "Could not " + what + " the email configuration file "
                + file + ": " + e, e);
    }
}
