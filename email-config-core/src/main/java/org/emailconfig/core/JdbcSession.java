package org.emailconfig.core;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

import org.emailconfig.api.EmailConfigException;
import org.jspecify.annotations.Nullable;

/**
 * The work around every statement of {@link JdbcConfigStore} and {@link JdbcOutbox}: a connection per call, the query timeout on every
 * statement, the table created once when asked, the database named in messages without credentials, and an
 * {@code SQLException} turned into a store failure. The store and the outbox keep only their protocols.
 */
final class JdbcSession {

    private final DataSource dataSource;
    private final String table;
    private final boolean createTable;
    private final JdbcSchema schema;
    private volatile Duration queryTimeout;
    private final boolean queryTimeoutExplicit;
    /** The database as messages name it: its URL without user, password or parameters once connected. */
    private volatile String database;
    private volatile boolean described;
    private volatile boolean tableChecked;

    JdbcSession(DataSource dataSource, String table, boolean createTable, @Nullable Duration queryTimeout,
                JdbcSchema schema) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.table = table;
        this.createTable = createTable;
        this.queryTimeout = queryTimeout == null ? JdbcConfigStore.DEFAULT_QUERY_TIMEOUT : queryTimeout;
        this.queryTimeoutExplicit = queryTimeout != null;
        this.database = "the database of " + dataSource.getClass().getName();
    }

    /** One unit of work on a connection. */
    @FunctionalInterface
    interface SqlWork<T extends @Nullable Object> {
        T run(Connection c) throws SQLException;
    }

    /** The engine passes its connect timeout when the host set no query timeout of its own. */
    void useEngineTimeout(Duration connectTimeout) {
        if (!queryTimeoutExplicit) {
            this.queryTimeout = connectTimeout;
        }
    }

    Duration queryTimeout() {
        return queryTimeout;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** The database as messages name it. */
    String database() {
        return database;
    }

    <T extends @Nullable Object> T call(String action, SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            describe(c);
            ensureTable(c);
            return work.run(c);
        } catch (SQLException e) {
            throw failure(action, e);
        }
    }

    /**
     * Creates the table now if asked to and not done yet, on a connection of its own: a host's transaction must not
     * carry DDL (PostgreSQL would roll it back with the host's work; other databases commit it on the spot).
     */
    void ensureTable(String action) {
        if (createTable && !tableChecked) {
            call(action, c -> Boolean.TRUE);
        }
    }

    PreparedStatement prepare(Connection c, String sql) throws SQLException {
        PreparedStatement st = c.prepareStatement(sql);
        try {
            st.setQueryTimeout((int) Math.max(1, queryTimeout.toSeconds()));
            return st;
        } catch (SQLException | RuntimeException e) {
            st.close();
            throw e;
        }
    }

    /**
     * A store failure that names the table, the database, the driver's exception class and its SQLState, but
     * never the driver's or the pool's message: a connection pool may quote its URL, password included.
     */
    EmailConfigException failure(String action, SQLException e) {
        return JdbcFailures.of(action, e, table, database, queryTimeout, schema);
    }

    static boolean isPostgres(Connection c) throws SQLException {
        return "PostgreSQL".equalsIgnoreCase(c.getMetaData().getDatabaseProductName());
    }

    static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; the original failure is what the caller needs.
        }
    }

    /** Remembers the database's URL without user, password or parameters, for messages. */
    private void describe(Connection c) throws SQLException {
        if (!described) {
            DatabaseMetaData md = c.getMetaData();
            String url = md.getURL() == null ? "" : md.getURL();
            int q = url.indexOf('?');
            url = (q >= 0 ? url.substring(0, q) : url).replaceAll("//[^/@]*@", "//");
            int semi = url.indexOf(';');
            url = semi >= 0 ? url.substring(0, semi) : url;
            database = md.getDatabaseProductName() + " database " + url;
            described = true;
        }
    }

    private void ensureTable(Connection c) throws SQLException {
        if (!createTable || tableChecked) {
            return;
        }
        schema.create(c, table, queryTimeout);
        tableChecked = true;
    }
}
