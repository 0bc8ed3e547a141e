package org.emailconfig.core;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import javax.sql.DataSource;

import org.apiguardian.api.API;
import org.emailconfig.api.ConcurrentUpdateException;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.api.spi.StoredConfiguration;
import org.emailconfig.api.spi.UnreadableConfigurationException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the configuration in the host's database, over a {@link DataSource} the host supplies, with
 * nothing beyond {@code java.sql}. Several application nodes share one table.
 *
 * <p>The table is append-only: every save inserts the next revision, and the row with the highest
 * revision is in force. The revision is the primary key, so of two nodes inserting the same revision at
 * once the database lets exactly one commit; the other gets {@link ConcurrentUpdateException}. Older rows
 * stay as history ({@link #history(int)}: who saved which revision, when), up to
 * {@link Builder#keepRevisions(int)}.
 *
 * <p>The table's DDL ships in this jar for PostgreSQL ({@value #POSTGRESQL_DDL}) and H2
 * ({@value #H2_DDL}); add it to your own migrations, or let the store run it with
 * {@link Builder#createTableIfMissing(boolean)}. Other databases need the same six columns: a
 * {@code BIGINT} primary key {@code revision}, {@code config_type} and {@code saved_by} as short text,
 * {@code settings} and {@code sealed_secrets} as unbounded text (MySQL {@code LONGTEXT}, Oracle
 * {@code CLOB}, SQL Server {@code NVARCHAR(MAX)}), {@code saved_at} as a timestamp with at least
 * millisecond precision.
 *
 * <p>On PostgreSQL a save also sends {@code NOTIFY}, and {@link #subscribe} keeps one connection of its
 * own in {@code LISTEN}, so other nodes follow within about a second; on other databases, or when the
 * listening connection is lost, the engine's polling of {@link #currentRevision()} (one primary-key
 * lookup) does. Every statement has a query timeout ({@link Builder#queryTimeout(Duration)}); the time to
 * get a connection is the pool's own setting.
 *
 * <pre>{@code
 * EmailConfigurationService email = EmailConfig.builder()
 *         .store(JdbcConfigStore.builder(dataSource).table("hub_email_config").build())
 *         .secretKeyFile(Path.of("/etc/hub/email-config.key"))   // the key never goes into the database
 *         .build();
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class JdbcConfigStore implements ConfigStore {

    /** Resource path of the PostgreSQL DDL in this jar. */
    public static final String POSTGRESQL_DDL = "email-config/jdbc/postgresql.sql";
    /** Resource path of the H2 DDL in this jar. */
    public static final String H2_DDL = "email-config/jdbc/h2.sql";
    /** The default table name. */
    public static final String DEFAULT_TABLE = "email_config";
    /** A statement's timeout until the engine passes its connect timeout ({@link #useEngineTimeout}). */
    static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger("org.emailconfig.store.jdbc");
    private static final String COLUMNS = "revision, config_type, settings, sealed_secrets, saved_at, saved_by";
    private static final String UNIQUE_VIOLATION = "23505";

    private final String table;
    private final boolean listen;
    private final int keepRevisions;
    private final JdbcSession session;

    private JdbcConfigStore(Builder b) {
        this.table = b.table;
        this.listen = b.listen;
        this.keepRevisions = b.keepRevisions;
        this.session = new JdbcSession(b.dataSource, b.table, b.createTable, b.queryTimeout, JdbcSchema.STORE);
    }

    /**
     * Starts a builder.
     *
     * @param dataSource where the table lives; the store gets and closes a connection per call (and keeps
     *                   one for {@code LISTEN} on PostgreSQL)
     * @return a builder
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /**
     * The DDL shipped for a database product, with the table name put in.
     *
     * @param resource {@link #POSTGRESQL_DDL} or {@link #H2_DDL}
     * @param table    a table name, as {@link Builder#table(String)} accepts
     * @return the SQL text
     */
    public static String ddl(String resource, String table) {
        return JdbcSchema.STORE.ddl(resource, table);
    }

    /** The engine passes its connect timeout when the host set no query timeout of its own. */
    void useEngineTimeout(Duration connectTimeout) {
        session.useEngineTimeout(connectTimeout);
    }

    @Override
    public Optional<StoredConfiguration> load() {
        return session.call("read", c -> {
            try (PreparedStatement st = session.prepare(c, "SELECT " + COLUMNS + " FROM " + table
                    + " WHERE revision = (SELECT MAX(revision) FROM " + table + ")")) {
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.<StoredConfiguration>empty();
                }
            }
        });
    }

    /**
     * One stored revision, for history views and restoring an earlier configuration.
     *
     * @param revision a revision
     * @return the configuration saved as that revision, or empty when it is not (or no longer) kept
     */
    public Optional<StoredConfiguration> load(long revision) {
        return session.call("read", c -> {
            try (PreparedStatement st = session.prepare(c, "SELECT " + COLUMNS + " FROM " + table + " WHERE revision = ?")) {
                st.setLong(1, revision);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.<StoredConfiguration>empty();
                }
            }
        });
    }

    /**
     * The newest revisions, newest first: who saved what, when. Secrets stay sealed.
     *
     * @param limit at most this many, positive
     * @return the revisions kept
     */
    public List<StoredConfiguration> history(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        return session.call("read the history of", c -> {
            try (PreparedStatement st = session.prepare(c, "SELECT " + COLUMNS + " FROM " + table + " ORDER BY revision DESC")) {
                st.setMaxRows(limit);
                List<StoredConfiguration> out = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public long currentRevision() {
        return session.call("check the revision of", this::maxRevision);
    }

    @Override
    public void save(StoredConfiguration configuration, long expectedRevision) {
        Objects.requireNonNull(configuration, "configuration");
        if (configuration.revision() != expectedRevision + 1) {
            throw new IllegalArgumentException("revision must be expectedRevision + 1");
        }
        session.call("save", c -> {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                long actual = maxRevision(c);
                if (actual != expectedRevision) {
                    c.rollback();
                    throw new ConcurrentUpdateException(expectedRevision, actual);
                }
                try (PreparedStatement st = session.prepare(c, "INSERT INTO " + table + " (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                    st.setLong(1, configuration.revision());
                    st.setString(2, configuration.type());
                    st.setString(3, JdbcCodec.encode(configuration.settings()));
                    st.setString(4, JdbcCodec.encode(configuration.sealedSecrets()));
                    st.setObject(5, OffsetDateTime.ofInstant(configuration.savedAt(), ZoneOffset.UTC));
                    st.setString(6, configuration.savedBy());
                    st.executeUpdate();
                }
                if (JdbcSession.isPostgres(c)) {
                    // Delivered to listeners only when the insert commits, so nobody hears of a lost save.
                    try (PreparedStatement st = session.prepare(c, "SELECT pg_notify(?, ?)")) {
                        st.setString(1, channel());
                        st.setString(2, Long.toString(configuration.revision()));
                        st.execute();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                JdbcSession.rollbackQuietly(c);
                if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    // Another node inserted this revision between our check and our insert.
                    throw new ConcurrentUpdateException(expectedRevision, expectedRevision + 1);
                }
                throw e;
            } catch (RuntimeException e) {
                JdbcSession.rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
            return configuration.revision();
        });
        if (keepRevisions > 0) {
            prune(configuration.revision());
        }
    }

    private void prune(long newest) {
        try {
            session.call("prune", c -> {
                try (PreparedStatement st = session.prepare(c, "DELETE FROM " + table + " WHERE revision <= ?")) {
                    st.setLong(1, newest - keepRevisions);
                    return st.executeUpdate();
                }
            });
        } catch (EmailConfigException e) {
            // The save itself committed; old rows are removed after a later save.
            LOG.warn("Could not remove old email configuration revisions: {}", e.getMessage());
        }
    }

    @Override
    public Optional<Subscription> subscribe(RevisionListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (!listen) {
            return Optional.empty();
        }
        boolean postgres = session.call("inspect", JdbcSession::isPostgres);
        if (!postgres) {
            return Optional.empty();
        }
        PostgresChangeListener l = new PostgresChangeListener(session.dataSource(), table, channel(),
                session.queryTimeout(), session::database, this::maxRevision, listener);
        l.start();
        return Optional.of(l);
    }

    private String channel() {
        return (table.replace('.', '_') + "_changed").toLowerCase(Locale.ROOT);
    }

    private long maxRevision(Connection c) throws SQLException {
        try (PreparedStatement st = session.prepare(c, "SELECT MAX(revision) FROM " + table);
             ResultSet rs = st.executeQuery()) {
            rs.next();
            long max = rs.getLong(1);
            return rs.wasNull() ? 0 : max;
        }
    }

    private StoredConfiguration row(ResultSet rs) throws SQLException {
        long revision = rs.getLong("revision");
        try {
            OffsetDateTime at = rs.getObject("saved_at", OffsetDateTime.class);
            return new StoredConfiguration(rs.getString("config_type"), revision, JdbcCodec.decode(rs.getString("settings")),
                    JdbcCodec.decode(rs.getString("sealed_secrets")), at.toInstant(), rs.getString("saved_by"));
        } catch (RuntimeException | IOException e) {
            throw new UnreadableConfigurationException("Revision " + revision + " in table " + table + " of "
                    + session.database() + " is damaged (" + e.getClass().getSimpleName() + ")", Math.max(0, revision), e);
        }
    }

    /** Configures a {@link JdbcConfigStore}; not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private String table = DEFAULT_TABLE;
        private boolean listen = true;
        private int keepRevisions;
        private boolean createTable;
        private @Nullable Duration queryTimeout;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * The table name; default {@value JdbcConfigStore#DEFAULT_TABLE}. Checked to be a plain identifier,
         * optionally schema-qualified, since it is the only part of the SQL that cannot be a parameter.
         *
         * @param table for example {@code hub.email_config}
         * @return this
         * @throws IllegalArgumentException when it is not a plain identifier
         */
        public Builder table(String table) {
            this.table = JdbcSchema.checkTable(table);
            return this;
        }

        /**
         * Whether to run the shipped DDL ({@code CREATE TABLE IF NOT EXISTS}) on first use; default false,
         * since most hosts run their own migrations. PostgreSQL and H2 only.
         *
         * @param create true to create the table when it is missing
         * @return this
         */
        public Builder createTableIfMissing(boolean create) {
            this.createTable = create;
            return this;
        }

        /**
         * How many revisions to keep; default 0, meaning all (a row per save, a few hundred bytes each).
         * After each save, rows older than the newest {@code n} are deleted.
         *
         * @param n 0 for all, else at least 1
         * @return this
         */
        public Builder keepRevisions(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("keepRevisions must be 0 (all) or positive");
            }
            this.keepRevisions = n;
            return this;
        }

        /**
         * The timeout of every statement; default the engine's connect timeout (10 s unless
         * {@link EmailConfig.Builder#connectTimeout(Duration)} says otherwise). Whole seconds, at least one.
         *
         * @param timeout positive
         * @return this
         */
        public Builder queryTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("queryTimeout must be positive");
            }
            this.queryTimeout = timeout;
            return this;
        }

        /**
         * Whether to use PostgreSQL's {@code LISTEN/NOTIFY} to learn of other nodes' saves at once; default
         * true. It holds one connection of the pool for as long as the service runs; switch it off behind a
         * pooler that cannot keep a session (PgBouncer in transaction mode), and polling alone follows.
         *
         * @param listen false to rely on polling
         * @return this
         */
        public Builder listen(boolean listen) {
            this.listen = listen;
            return this;
        }

        /**
         * Builds the store. No connection is made until first use.
         *
         * @return the store
         */
        public JdbcConfigStore build() {
            return new JdbcConfigStore(this);
        }
    }
}
