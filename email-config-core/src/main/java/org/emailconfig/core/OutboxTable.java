package org.emailconfig.core;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.Notification;
import org.emailconfig.core.internal.OutboxRows;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of {@link JdbcOutbox}'s rows. Claims are a compare-and-set on the row's claim number, so they are safe on
 * any database and between nodes; on PostgreSQL one statement claims with {@code FOR UPDATE SKIP LOCKED}, so nodes
 * never wait for each other's rows. Every change to a claimed row names its claim.
 */
final class OutboxTable implements OutboxRows {

    private static final String PAYLOAD = "id, claim, attempts, created_at, recipients, subject, text_body, html_body";
    /** A stored message is never longer than this in {@code detail}: it is for the admin, not a log. */
    private static final int DETAIL_MAX = 2_000;

    private final JdbcSession session;
    private final String table;
    private final OutboxLimits limits;

    OutboxTable(JdbcSession session, String table, OutboxLimits limits) {
        this.session = session;
        this.table = table;
        this.limits = limits;
    }

    long insert(Connection c, Notification n, long now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO " + table + " (state, recipients, subject, "
                + "text_body, html_body, created_at, due_at, updated_at, attempts, claim) "
                + "VALUES ('PENDING', ?, ?, ?, ?, ?, ?, ?, 0, 0)", new String[] {"id"})) {
            st.setQueryTimeout((int) Math.max(1, session.queryTimeout().toSeconds()));
            st.setString(1, n.to().stream().map(EmailAddress::value).collect(Collectors.joining("\n")));
            st.setString(2, n.subject());
            st.setString(3, n.text());
            if (n.html() == null) {
                st.setNull(4, Types.VARCHAR);
            } else {
                st.setString(4, n.html());
            }
            st.setLong(5, now);
            st.setLong(6, now);
            st.setLong(7, now);
            st.executeUpdate();
            try (ResultSet keys = st.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("the database returned no id for the new outbox row");
                }
                return keys.getLong(1);
            }
        }
    }

    @Override
    public List<Claimed> claim(String node, int max, long now, long leaseUntil) {
        return session.call("claim notifications from", c -> JdbcSession.isPostgres(c)
                ? claimSkippingLocked(c, node, max, now, leaseUntil) : claimBySwapping(c, node, max, now, leaseUntil));
    }

    private List<Claimed> claimSkippingLocked(Connection c, String node, int max, long now, long leaseUntil)
            throws SQLException {
        try (PreparedStatement st = session.prepare(c, "UPDATE " + table + " SET state = 'SENDING', claim = claim + 1, "
                + "attempts = attempts + 1, lease_owner = ?, lease_until = ?, updated_at = ? WHERE id IN (SELECT id FROM "
                + table + " WHERE state = 'PENDING' AND due_at <= ? ORDER BY due_at, id LIMIT ? FOR UPDATE SKIP LOCKED) "
                + "RETURNING " + PAYLOAD)) {
            st.setString(1, node);
            st.setLong(2, leaseUntil);
            st.setLong(3, now);
            st.setLong(4, now);
            st.setInt(5, max);
            List<Claimed> claimed = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    claimed.add(claimed(rs, 0));
                }
            }
            return claimed;
        }
    }

    private List<Claimed> claimBySwapping(Connection c, String node, int max, long now, long leaseUntil)
            throws SQLException {
        List<Claimed> candidates = new ArrayList<>();
        try (PreparedStatement st = session.prepare(c, "SELECT " + PAYLOAD + " FROM " + table
                + " WHERE state = 'PENDING' AND due_at <= ? ORDER BY due_at, id LIMIT ?")) {
            st.setLong(1, now);
            st.setInt(2, max);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    candidates.add(claimed(rs, 1));
                }
            }
        }
        List<Claimed> claimed = new ArrayList<>();
        try (PreparedStatement st = session.prepare(c, "UPDATE " + table + " SET state = 'SENDING', claim = ?, "
                + "attempts = ?, lease_owner = ?, lease_until = ?, updated_at = ? "
                + "WHERE id = ? AND claim = ? AND state = 'PENDING'")) {
            for (Claimed candidate : candidates) {
                st.setLong(1, candidate.claim());
                st.setInt(2, candidate.attempts());
                st.setString(3, node);
                st.setLong(4, leaseUntil);
                st.setLong(5, now);
                st.setLong(6, candidate.id());
                st.setLong(7, candidate.claim() - 1);
                if (st.executeUpdate() == 1) {
                    claimed.add(candidate);
                }
            }
        }
        return claimed;
    }

    /** A row as claimed: {@code ahead} is what this claim adds to the stored claim and attempts (0 when stored). */
    private static Claimed claimed(ResultSet rs, int ahead) throws SQLException {
        List<EmailAddress> to = Arrays.stream(rs.getString("recipients").split("\n")).map(EmailAddress::of).toList();
        Notification n = new Notification(to, rs.getString("subject"), rs.getString("text_body"),
                rs.getString("html_body"));
        return new Claimed(rs.getLong("id"), rs.getLong("claim") + ahead, n, rs.getInt("attempts") + ahead,
                rs.getLong("created_at"));
    }

    @Override
    public boolean markEndOfData(Claimed row, long leaseUntil, long now) {
        return session.call("record the end of a message in", c -> {
            try (PreparedStatement st = session.prepare(c, "UPDATE " + table + " SET state = 'END_OF_DATA', "
                    + "lease_until = ?, updated_at = ? WHERE id = ? AND claim = ? AND state = 'SENDING'")) {
                st.setLong(1, leaseUntil);
                st.setLong(2, now);
                st.setLong(3, row.id());
                st.setLong(4, row.claim());
                return st.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void sent(List<Accepted> accepted) {
        if (accepted.isEmpty()) {
            return;
        }
        // A row the sweep already called "may have been delivered" was: the server's acceptance settles it.
        // The node stays named: the administrator sees who sent it.
        session.call("record sent notifications in", c -> {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement st = session.prepare(c, "UPDATE " + table + " SET state = 'SENT', "
                    + "lease_until = NULL, revision = ?, reason = NULL, step = NULL, detail = NULL, updated_at = ? "
                    + "WHERE id = ? AND claim = ? AND state IN ('SENDING', 'END_OF_DATA', 'MAYBE_DELIVERED')")) {
                for (Accepted a : accepted) {
                    st.setLong(1, a.revision());
                    st.setLong(2, a.at());
                    st.setLong(3, a.row().id());
                    st.setLong(4, a.row().claim());
                    st.addBatch();
                }
                st.executeBatch();
                c.commit();
                return accepted.size();
            } catch (SQLException | RuntimeException e) {
                JdbcSession.rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        });
    }

    @Override
    public void retry(Claimed row, long revision, DeliveryFailedException failure, Notification remaining, long dueAt,
                      long now) {
        conclude("reschedule a notification in", row, State.PENDING, dueAt, revision, failure, remaining, now);
    }

    @Override
    public void holdBack(Claimed row, long dueAt, long now) {
        session.call("reschedule a notification in", c -> {
            try (PreparedStatement st = session.prepare(c, "UPDATE " + table + " SET state = 'PENDING', lease_owner = NULL, "
                    + "lease_until = NULL, due_at = ?, attempts = attempts - 1, updated_at = ? "
                    + "WHERE id = ? AND claim = ? AND state = 'SENDING'")) {
                st.setLong(1, dueAt);
                st.setLong(2, now);
                st.setLong(3, row.id());
                st.setLong(4, row.claim());
                return st.executeUpdate();
            }
        });
    }

    @Override
    public void finish(Claimed row, State state, long revision, DeliveryFailedException failure, Notification remaining,
                       long now) {
        conclude("record a notification's outcome in", row, state, null, revision, failure, remaining, now);
    }

    /**
     * Ends a claim with what its attempt left: the state, when it is due again (null: unchanged), the revision, the
     * failure's reason, step and message (for the admin; never a body), and the recipients still waiting.
     */
    private void conclude(String action, Claimed row, State state, @Nullable Long dueAt, long revision,
                          DeliveryFailedException failure, Notification remaining, long now) {
        session.call(action, c -> {
            try (PreparedStatement st = session.prepare(c, "UPDATE " + table + " SET state = ?, due_at = COALESCE(?, "
                    + "due_at), lease_owner = NULL, lease_until = NULL, revision = ?, reason = ?, step = ?, detail = ?, "
                    + "recipients = ?, updated_at = ? WHERE id = ? AND claim = ? AND state IN ('SENDING', 'END_OF_DATA')")) {
                st.setString(1, state.name());
                if (dueAt == null) {
                    st.setNull(2, Types.BIGINT);
                } else {
                    st.setLong(2, dueAt);
                }
                st.setLong(3, revision);
                st.setString(4, failure.reason().name());
                st.setString(5, failure.step().map(Enum::name).orElse(null));
                String detail = failure.getMessage() == null ? "" : failure.getMessage();
                st.setString(6, detail.length() > DETAIL_MAX ? detail.substring(0, DETAIL_MAX) : detail);
                st.setString(7, remaining.to().stream().map(EmailAddress::value).collect(Collectors.joining("\n")));
                st.setLong(8, now);
                st.setLong(9, row.id());
                st.setLong(10, row.claim());
                return st.executeUpdate();
            }
        });
    }

    @Override
    public int expireLeases(long now) {
        return session.call("take back expired claims in", c -> {
            int changed;
            try (PreparedStatement st = session.prepare(c, "UPDATE " + table + " SET state = 'PENDING', lease_owner = NULL, "
                    + "lease_until = NULL, due_at = ?, updated_at = ? WHERE state = 'SENDING' AND lease_until < ?")) {
                st.setLong(1, now);
                st.setLong(2, now);
                st.setLong(3, now);
                changed = st.executeUpdate();
            }
            try (PreparedStatement st = session.prepare(c, "UPDATE " + table + " SET state = 'MAYBE_DELIVERED', "
                    + "lease_owner = NULL, lease_until = NULL, reason = 'CONNECTION_LOST', step = 'DATA', detail = ?, "
                    + "updated_at = ? WHERE state = 'END_OF_DATA' AND lease_until < ?")) {
                st.setString(1, "The node sending it stopped after the end of the message went out and before the "
                        + "server's reply was recorded");
                st.setLong(2, now);
                st.setLong(3, now);
                changed += st.executeUpdate();
            }
            return changed;
        });
    }

    @Override
    public int prune(long before) {
        limits.prune();
        return session.call("delete old notifications from", c -> {
            try (PreparedStatement st = session.prepare(c, "DELETE FROM " + table
                    + " WHERE state IN ('SENT', 'DISCARDED') AND updated_at < ?")) {
                st.setLong(1, before);
                return st.executeUpdate();
            }
        });
    }

    @Override
    public List<Count> counts() {
        return session.call("read", c -> {
            List<Count> counts = new ArrayList<>();
            try (PreparedStatement st = session.prepare(c, "SELECT COALESCE(revision, 0), state, COUNT(*), MIN(created_at) "
                    + "FROM " + table + " WHERE state NOT IN ('SENT', 'DISCARDED') GROUP BY COALESCE(revision, 0), state");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    counts.add(new Count(rs.getLong(1), State.valueOf(rs.getString(2)), rs.getInt(3), rs.getLong(4)));
                }
            }
            return counts;
        });
    }

    @Override
    public List<Decision> decisions(int limit) {
        return session.call("read", c -> {
            List<Decision> rows = new ArrayList<>();
            try (PreparedStatement st = session.prepare(c, "SELECT id, state, recipients, subject, created_at, updated_at, "
                    + "attempts, revision, reason, step, detail FROM " + table
                    + " WHERE state IN ('FAILED', 'MAYBE_DELIVERED') ORDER BY updated_at DESC, id DESC LIMIT ?")) {
                st.setInt(1, limit);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        String reason = rs.getString("reason");
                        String detail = rs.getString("detail");
                        rows.add(new Decision(rs.getLong("id"), State.valueOf(rs.getString("state")),
                                List.of(rs.getString("recipients").split("\n")), rs.getString("subject"),
                                rs.getLong("created_at"), rs.getLong("updated_at"), rs.getInt("attempts"),
                                rs.getLong("revision"), reason == null ? "SERVER_ERROR" : reason, rs.getString("step"),
                                detail == null ? "" : detail));
                    }
                }
            }
            return rows;
        });
    }

    @Override
    public boolean resend(long id, long now) {
        return session.call("resend a notification from", c -> {
            try (PreparedStatement st = session.prepare(c, "UPDATE " + table + " SET state = 'PENDING', due_at = ?, "
                    + "created_at = ?, updated_at = ? WHERE id = ? AND state IN ('FAILED', 'MAYBE_DELIVERED')")) {
                st.setLong(1, now);
                st.setLong(2, now);
                st.setLong(3, now);
                st.setLong(4, id);
                return st.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean discard(long id, long now) {
        return session.call("discard a notification from", c -> {
            try (PreparedStatement st = session.prepare(c, "UPDATE " + table + " SET state = 'DISCARDED', updated_at = ? "
                    + "WHERE id = ? AND state IN ('PENDING', 'FAILED', 'MAYBE_DELIVERED')")) {
                st.setLong(1, now);
                st.setLong(2, id);
                return st.executeUpdate() == 1;
            }
        });
    }

    /** For tests and the admin's view: the state of one row, empty when there is none. */
    Optional<String> state(long id) {
        return session.call("read", c -> {
            try (PreparedStatement st = session.prepare(c, "SELECT state FROM " + table + " WHERE id = ?")) {
                st.setLong(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }
}
