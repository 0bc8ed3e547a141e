package org.emailconfig.core.contract;

import java.util.Optional;

import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.core.JdbcConfigStore;
import org.emailconfig.core.testing.Backups;
import org.emailconfig.core.testing.PostgresServer;
import org.emailconfig.testkit.ConfigStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC store on a real PostgreSQL: every node with its own store instance on one table, with LISTEN/NOTIFY. */
class PostgresStoreContractTest extends ConfigStoreContract {

    @RegisterExtension
    static final PostgresServer POSTGRES = new PostgresServer();

    private String table;

    @Override
    protected ConfigStore createStore() {
        table = PostgresServer.newTable();
        return open();
    }

    @Override
    protected ConfigStore reopen(ConfigStore store) {
        return open();
    }

    private ConfigStore open() {
        return JdbcConfigStore.builder(POSTGRES.dataSource()).table(table).createTableIfMissing(true).build();
    }

    /** A dump restored: the rows after the backup are gone. */
    @Override
    protected Optional<Runnable> backup(ConfigStore store) throws Exception {
        return Optional.of(Backups.ofTable(POSTGRES.dataSource(), table));
    }
}
