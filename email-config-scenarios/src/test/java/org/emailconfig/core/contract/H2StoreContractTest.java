package org.emailconfig.core.contract;

import java.util.Optional;

import javax.sql.DataSource;

import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.core.JdbcConfigStore;
import org.emailconfig.core.testing.Backups;
import org.emailconfig.core.testing.PostgresServer;
import org.emailconfig.core.testing.UrlDataSource;
import org.emailconfig.testkit.ConfigStoreContract;

/** The JDBC store on H2 (in memory, one database per test), every node with its own store instance. */
class H2StoreContractTest extends ConfigStoreContract {

    private DataSource dataSource;

    @Override
    protected ConfigStore createStore() {
        dataSource = new UrlDataSource("jdbc:h2:mem:" + PostgresServer.newTable() + ";DB_CLOSE_DELAY=-1",
                new java.util.Properties());
        return reopen(null);
    }

    @Override
    protected ConfigStore reopen(ConfigStore store) {
        return JdbcConfigStore.builder(dataSource).createTableIfMissing(true).build();
    }

    /** A dump restored: the rows after the backup are gone. */
    @Override
    protected Optional<Runnable> backup(ConfigStore store) throws Exception {
        return Optional.of(Backups.ofTable(dataSource, JdbcConfigStore.DEFAULT_TABLE));
    }
}
