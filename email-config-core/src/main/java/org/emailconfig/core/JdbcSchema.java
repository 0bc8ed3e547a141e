package org.emailconfig.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The tables of {@link JdbcConfigStore} and {@link JdbcOutbox}: the DDL shipped for PostgreSQL and H2, creating a
 * table when it is missing (safe when several nodes start at once), and the rule for a table name.
 */
final class JdbcSchema {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

    /** The configuration store's table. */
    static final JdbcSchema STORE = new JdbcSchema(JdbcConfigStore.DEFAULT_TABLE, JdbcConfigStore.POSTGRESQL_DDL,
            JdbcConfigStore.H2_DDL, JdbcConfigStore.class.getSimpleName(), "the email configuration",
            "Nothing was changed; notifications keep using the configuration in force.");
    /** The outbox's table. */
    static final JdbcSchema OUTBOX = new JdbcSchema(JdbcOutbox.DEFAULT_TABLE, JdbcOutbox.POSTGRESQL_DDL,
            JdbcOutbox.H2_DDL, JdbcOutbox.class.getSimpleName(), "the notification outbox",
            "Notifications already in the outbox stay there and go out when the database answers again.");

    private final String defaultTable;
    private final String postgresql;
    private final String h2;
    private final String owner;
    /** What the table holds, as "Could not save ..." reads. */
    final String subject;
    /** What a failure leaves as it was, for the hint. */
    final String consequence;

    private JdbcSchema(String defaultTable, String postgresql, String h2, String owner, String subject,
                       String consequence) {
        this.subject = subject;
        this.consequence = consequence;
        this.defaultTable = defaultTable;
        this.postgresql = postgresql;
        this.h2 = h2;
        this.owner = owner;
    }

    /** The DDL shipped for PostgreSQL, as hints name it. */
    String postgresqlDdl() {
        return postgresql;
    }

    /**
     * The DDL resource with the table name put in; see {@link JdbcConfigStore#ddl}. Tables named after the table
     * ({@code email_outbox_slots}) follow it; an index is named after the table without its schema, as PostgreSQL
     * wants.
     */
    String ddl(String resource, String table) {
        String name = checkTable(table);
        String simple = name.substring(name.indexOf('.') + 1);
        try (InputStream in = JdbcConfigStore.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no DDL resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replaceAll("\\b" + defaultTable + "_(\\w+) ON ", "{index}_$1 ON ")
                    // The table and the tables named after it (the outbox's limits).
                    .replaceAll("\\b" + defaultTable + "(?=\\b|_)", name)
                    .replace("{index}", simple);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    /** Creates the table with the shipped DDL unless it exists; another node creating it meanwhile is fine. */
    void create(Connection c, String table, Duration queryTimeout) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName();
        String resource = "PostgreSQL".equalsIgnoreCase(product) ? postgresql : "H2".equalsIgnoreCase(product) ? h2 : null;
        if (resource == null) {
            throw new SQLException("createTableIfMissing supports PostgreSQL and H2, not " + product
                    + "; create table " + table + " yourself (see the " + owner + " Javadoc)");
        }
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout((int) Math.max(1, queryTimeout.toSeconds()));
            String sql = ddl(resource, table).lines().filter(l -> !l.startsWith("--"))
                    .reduce("", (a, b) -> a + b + "\n");
            for (String statement : sql.split(";")) {
                if (!statement.isBlank()) {
                    st.execute(statement);
                }
            }
        } catch (SQLException e) {
            // PostgreSQL's IF NOT EXISTS is not atomic: a node that loses the race to create the table gets
            // one of several errors (23505, 42P07, 42710), and the table is there. Whatever the error, the
            // table existing now is what counts.
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            if (!exists(c, table, queryTimeout)) {
                throw e;
            }
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    /** Whether the table can be queried. */
    static boolean exists(Connection c, String table, Duration queryTimeout) {
        try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM " + table + " WHERE 1 = 0")) {
            st.setQueryTimeout((int) Math.max(1, queryTimeout.toSeconds()));
            st.executeQuery().close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** The table name, if it is a plain SQL identifier with an optional schema; otherwise refused, saying so. */
    static String checkTable(String table) {
        Objects.requireNonNull(table, "table");
        if (!IDENTIFIER.matcher(table).matches()) {
            throw new IllegalArgumentException("table name '" + table + "' is not a plain SQL identifier: use "
                    + "letters, digits and underscores, optionally one schema prefix (schema.table)");
        }
        return table;
    }
}
