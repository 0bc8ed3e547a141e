package org.emailconfig.core.contract;

import java.util.Optional;

import javax.sql.DataSource;

import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.core.JdbcConfigStore;
import org.emailconfig.core.testing.PostgresServer;
import org.emailconfig.testkit.ConfigStoreContract;
import org.emailconfig.core.testing.UrlDataSource;

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

    /** The rows after the backup deleted, as restoring a dump taken then leaves the table. */
    @Override
    protected Optional<Runnable> backup(ConfigStore store) {
        long kept = store.currentRevision();
        return Optional.of(() -> {
            try (java.sql.Connection c = dataSource.getConnection();
                 java.sql.PreparedStatement st = c.prepareStatement("DELETE FROM " + JdbcConfigStore.DEFAULT_TABLE + " WHERE revision > ?")) {
                st.setLong(1, kept);
                st.executeUpdate();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
