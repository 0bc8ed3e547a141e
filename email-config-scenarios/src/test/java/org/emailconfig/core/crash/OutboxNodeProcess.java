package org.emailconfig.core.crash;

import java.time.Duration;
import java.util.Properties;

import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.core.EmailConfig;
import org.emailconfig.core.JdbcConfigStore;
import org.emailconfig.core.JdbcOutbox;
import org.emailconfig.core.testing.UrlDataSource;

/**
 * One application node of {@link OutboxCrashRun}, in its own JVM: follows the configuration in PostgreSQL and runs the
 * outbox's worker until it is killed. Arguments: the JDBC URL, the outbox table, the node's name.
 */
public final class OutboxNodeProcess {

    /** The sealing key every node shares, as a cluster would from its key file. */
    static final byte[] KEY = "crash-test-key-32-bytes-long!!!!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private OutboxNodeProcess() {
    }

    static EmailConfigurationService node(String url, String table, String name) {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        javax.sql.DataSource ds = new PooledDataSource(new UrlDataSource(url, p));
        return EmailConfig.builder().store(JdbcConfigStore.builder(ds).table(table + "_config").createTableIfMissing(true)
                        .build()).secretKey(KEY).connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(2))
                .outbox(JdbcOutbox.builder(ds).table(table).createTableIfMissing(true).nodeName(name)
                        .lease(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(200)).mailboxConnections(0)
                        .mailboxBudget(0, Duration.ofMinutes(1)).build())
                .build();
    }

    public static void main(String[] args) throws Exception {
        try (EmailConfigurationService node = node(args[0], args[1], args[2])) {
            System.out.println("started " + args[2]);
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
