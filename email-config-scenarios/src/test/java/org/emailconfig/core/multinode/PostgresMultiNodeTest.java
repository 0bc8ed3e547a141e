package org.emailconfig.core.multinode;

import java.time.Duration;
import java.util.Optional;

import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.core.JdbcConfigStore;
import org.emailconfig.core.testing.Backups;
import org.emailconfig.core.testing.PostgresServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two nodes on one PostgreSQL table, each with its own store instance and LISTEN connection. */
class PostgresMultiNodeTest extends MultiNodeScenarios {

    @RegisterExtension
    static final PostgresServer POSTGRES = new PostgresServer();

    private String table;

    @BeforeEach
    void newTable() {
        table = PostgresServer.newTable();
    }

    @Override
    protected ConfigStore nodeStore() {
        return JdbcConfigStore.builder(POSTGRES.dataSource()).table(table).createTableIfMissing(true).build();
    }

    @Test
    void aNodeFollowsAnotherNodesSaveThroughNotifyEvenWithAnHourlyPoll() throws Exception {
        EmailConfigurationService a = node(NEVER);
        EmailConfigurationService b = node(NEVER);
        a.save(mail.admin(), draft("rev1"));
        awaitSending(b, "rev1", Duration.ofSeconds(5));
        a.save(mail.admin(), draft("rev2"));
        // B polls hourly: following at all within seconds is NOTIFY's doing (measured: about 20 ms).
        awaitSending(b, "rev2", Duration.ofSeconds(5));
    }

    /** A dump restored: the rows after the backup are gone. */
    @Override
    protected Optional<Runnable> backup() throws Exception {
        return Optional.of(Backups.ofTable(POSTGRES.dataSource(), table));
    }
}
