package org.emailconfig.core.multinode;

import java.util.Optional;

import javax.sql.DataSource;

import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.core.JdbcConfigStore;
import org.emailconfig.core.testing.Backups;
import org.emailconfig.core.testing.PostgresServer;
import org.emailconfig.core.testing.UrlDataSource;
import org.junit.jupiter.api.BeforeEach;

/** Two nodes on one H2 database (in memory, one per test), each with its own store instance; H2 cannot push. */
class H2MultiNodeTest extends MultiNodeScenarios {

    private DataSource dataSource;

    @BeforeEach
    void newDatabase() {
        dataSource = new UrlDataSource("jdbc:h2:mem:" + PostgresServer.newTable() + ";DB_CLOSE_DELAY=-1",
                new java.util.Properties());
    }

    @Override
    protected ConfigStore nodeStore() {
        return JdbcConfigStore.builder(dataSource).createTableIfMissing(true).build();
    }

    /** A dump restored: the rows after the backup are gone. */
    @Override
    protected Optional<Runnable> backup() throws Exception {
        return Optional.of(Backups.ofTable(dataSource, JdbcConfigStore.DEFAULT_TABLE));
    }
}
