package org.emailconfig.core.multinode;

import java.util.Optional;

import javax.sql.DataSource;

import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.core.JdbcConfigStore;
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

    /** The rows after the backup deleted, as restoring a dump taken then leaves the table. */
    @Override
    protected Optional<Runnable> backup() throws Exception {
        long kept;
        try (java.sql.Connection c = dataSource.getConnection();
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT MAX(revision) FROM "
                     + JdbcConfigStore.DEFAULT_TABLE)) {
            rs.next();
            kept = rs.getLong(1);
        }
        return Optional.of(() -> {
            try (java.sql.Connection c = dataSource.getConnection();
                 java.sql.PreparedStatement st = c.prepareStatement("DELETE FROM " + JdbcConfigStore.DEFAULT_TABLE
                         + " WHERE revision > ?")) {
                st.setLong(1, kept);
                st.executeUpdate();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
