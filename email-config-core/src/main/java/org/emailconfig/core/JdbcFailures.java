package org.emailconfig.core;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;

import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.Reason;

/** What {@link JdbcConfigStore} and {@link JdbcOutbox} say when the database fails: where, never what the driver quoted. */
final class JdbcFailures {

    private JdbcFailures() {
    }

    /** SQLStates of a statement that gave up waiting: its own query timeout or a lock timeout (PostgreSQL, H2). */
    private static final Set<String> WAITED_TOO_LONG = Set.of("57014", "55P03", "HYT00", "HYT01",
            "50200");

    /**
     * A store failure that names the table, the database, the driver's exception class and its SQLState, but
     * never the driver's or the pool's message: a connection pool may quote its URL, password included.
     *
     * @param action       what the store was doing, as "Could not ACTION the email configuration" reads
     * @param e            the driver's exception
     * @param table        the table
     * @param database     the database as messages name it
     * @param queryTimeout the statements' timeout
     * @param schema       whose table it is
     * @return the failure to throw
     */
    static EmailConfigException of(String action, SQLException e, String table, String database,
                                   Duration queryTimeout, JdbcSchema schema) {
        String state = e.getSQLState();
        boolean waited = state != null && WAITED_TOO_LONG.contains(state);
        String what = waited ? "timed out after " + queryTimeout.toSeconds() + " s waiting for a lock on table " + table
                + " of " + database + " (another node is saving, or a long transaction holds the table)"
                : "failed on table " + table + " of " + database;
        String hint = waited ? "Try again in a moment; if it repeats, look for a transaction that keeps table " + table
                + " locked. " + schema.consequence
                : "Check that " + database + " is running and reachable from this application, and that table "
                        + table + " exists (see " + schema.postgresqlDdl() + "). " + schema.consequence;
        return new EmailConfigException(Reason.STORE_FAILURE, "Could not " + action + " " + schema.subject + ": "
                + what + " (" + e.getClass().getName() + ", SQLState " + state + ")", hint, withoutMessage(e));
    }

    /** The driver's exception as a cause without its message (nor its causes' messages), its stack trace kept. */
    private static SQLException withoutMessage(SQLException e) {
        SQLException bare = new SQLException(e.getClass().getName() + " (message left out: it may quote the "
                + "connection's URL or password)", e.getSQLState(), e.getErrorCode());
        bare.setStackTrace(e.getStackTrace());
        return bare;
    }
}
