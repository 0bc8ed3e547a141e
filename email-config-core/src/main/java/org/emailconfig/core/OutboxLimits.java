package org.emailconfig.core;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.emailconfig.core.internal.MailboxGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mail provider's limits per mailbox in the outbox's database, so every node keeps them together: connection
 * slots held under a lease (a node that dies frees its slots when the lease runs out), a log of when recent messages
 * started (a sliding window, so no window of that length ever holds more than the budget), and a pause per mailbox.
 * The budget is checked and counted in one transaction that locks the mailbox's row.
 */
final class OutboxLimits implements MailboxGate {

    private static final Logger LOG = LoggerFactory.getLogger("org.emailconfig.outbox");
    private static final String UNIQUE_VIOLATION = "23505";
    /**
     * A message counts for a second longer than the window: the provider counts it when it arrives, a little after
     * it was counted here, so no window the provider looks at ever holds more than the budget.
     */
    private static final long REACH_MILLIS = 1_000;

    private final JdbcSession session;
    private final String mailboxes;
    private final String slots;
    private final String sends;
    private final Clock clock;
    private final int connections;
    private final int budget;
    private final long windowMillis;
    private final long leaseMillis;
    /** This service's name for its slots: unique, so a restarted node never mistakes another's slot for its own. */
    private final String holder;
    /** The slots this node holds, per mailbox, so it can renew and give them back. */
    private final Map<String, List<Integer>> held = new ConcurrentHashMap<>();
    /**
     * Mailboxes whose rows exist: each is inserted once, not before every connection and message. A table emptied
     * by hand under a running node is not supported.
     */
    private final java.util.Set<String> slotsKnown = ConcurrentHashMap.newKeySet();
    private final java.util.Set<String> mailboxesKnown = ConcurrentHashMap.newKeySet();
    /** Without a budget: each mailbox's pause as last read, and when it was read. */
    private final Map<String, long[]> pauses = new ConcurrentHashMap<>();

    OutboxLimits(JdbcSession session, String table, Clock clock, String node, int connections, int budget,
                 Duration window, Duration lease) {
        this.session = session;
        this.mailboxes = table + "_mailboxes";
        this.slots = table + "_slots";
        this.sends = table + "_sends";
        this.clock = clock;
        this.connections = connections;
        this.budget = budget;
        this.windowMillis = window.toMillis();
        this.leaseMillis = lease.toMillis();
        String name = node + "#" + UUID.randomUUID().toString().substring(0, 8);
        this.holder = name.length() > 300 ? name.substring(0, 300) : name;
    }

    @Override
    public boolean openConnection(String mailbox) {
        if (connections == 0) {
            return true;
        }
        long now = clock.millis();
        return session.call("take a connection slot in", c -> {
            ensureSlots(c, mailbox);
            try (PreparedStatement st = session.prepare(c, "UPDATE " + slots + " SET holder = ?, held_until = ? "
                    + "WHERE mailbox = ? AND slot = ? AND (holder IS NULL OR held_until < ?)")) {
                for (int slot = 1; slot <= connections; slot++) {
                    st.setString(1, holder);
                    st.setLong(2, now + leaseMillis);
                    st.setString(3, mailbox);
                    st.setInt(4, slot);
                    st.setLong(5, now);
                    if (st.executeUpdate() == 1) {
                        held.computeIfAbsent(mailbox, m -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(slot);
                        return true;
                    }
                }
            }
            return false;
        });
    }

    private void ensureSlots(Connection c, String mailbox) throws SQLException {
        if (slotsKnown.contains(mailbox)) {
            return;
        }
        for (int slot = 1; slot <= connections; slot++) {
            try (PreparedStatement st = session.prepare(c, "INSERT INTO " + slots + " (mailbox, slot) SELECT ?, ? "
                    + "WHERE NOT EXISTS (SELECT 1 FROM " + slots + " WHERE mailbox = ? AND slot = ?)")) {
                st.setString(1, mailbox);
                st.setInt(2, slot);
                st.setString(3, mailbox);
                st.setInt(4, slot);
                st.executeUpdate();
            } catch (SQLException e) {
                // Another node inserted it meanwhile: the row is there, which is all that counts.
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
        slotsKnown.add(mailbox);
    }

    @Override
    public void connectionClosed(String mailbox) {
        List<Integer> mine = held.get(mailbox);
        if (connections == 0 || mine == null || mine.isEmpty()) {
            return;
        }
        Integer slot = mine.remove(0);
        try {
            session.call("give back a connection slot in", c -> {
                try (PreparedStatement st = session.prepare(c, "UPDATE " + slots + " SET holder = NULL, held_until = NULL "
                        + "WHERE mailbox = ? AND slot = ? AND holder = ?")) {
                    st.setString(1, mailbox);
                    st.setInt(2, slot);
                    st.setString(3, holder);
                    return st.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            // The slot's lease runs out on its own.
            LOG.warn("A connection slot of the outbox could not be given back: {}", e.getMessage());
        }
    }

    @Override
    public long reserveMessage(String mailbox) {
        long now = clock.millis();
        if (budget == 0) {
            return pausedFor(mailbox, now);
        }
        return session.call("count a message against the budget in", c -> {
            ensureMailbox(c, mailbox);
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                long wait = reserve(c, mailbox, now);
                c.commit();
                return wait;
            } catch (SQLException | RuntimeException e) {
                JdbcSession.rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        });
    }

    /**
     * Without a budget only a pause holds a message back; it is read at most once a second per mailbox, so a message
     * costs no transaction of its own (a pause reaches every node within a second).
     */
    private long pausedFor(String mailbox, long now) {
        long[] known = pauses.get(mailbox);
        if (known == null || now - known[1] >= 1_000) {
            long until = session.call("read the pause of a mailbox in", c -> {
                try (PreparedStatement st = session.prepare(c, "SELECT paused_until FROM " + mailboxes
                        + " WHERE mailbox = ?")) {
                    st.setString(1, mailbox);
                    try (ResultSet rs = st.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : 0L;
                    }
                }
            });
            known = new long[] {until, now};
            pauses.put(mailbox, known);
        }
        return Math.max(0, known[0] - now);
    }

    private long reserve(Connection c, String mailbox, long now) throws SQLException {
        long pausedUntil;
        try (PreparedStatement st = session.prepare(c, "SELECT paused_until FROM " + mailboxes
                + " WHERE mailbox = ? FOR UPDATE")) {
            st.setString(1, mailbox);
            try (ResultSet rs = st.executeQuery()) {
                pausedUntil = rs.next() ? rs.getLong(1) : 0;
            }
        }
        if (pausedUntil > now) {
            return pausedUntil - now;
        }
        if (budget == 0) {
            return 0;
        }
        try (PreparedStatement st = session.prepare(c, "SELECT COUNT(*), MIN(sent_at) FROM " + sends
                + " WHERE mailbox = ? AND sent_at > ?")) {
            st.setString(1, mailbox);
            st.setLong(2, now - windowMillis - REACH_MILLIS);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                if (rs.getInt(1) >= budget) {
                    // The window has room again once its oldest message leaves it.
                    return Math.max(1, rs.getLong(2) + windowMillis + REACH_MILLIS - now + 1);
                }
            }
        }
        try (PreparedStatement st = session.prepare(c, "INSERT INTO " + sends + " (mailbox, sent_at) VALUES (?, ?)")) {
            st.setString(1, mailbox);
            st.setLong(2, now);
            st.executeUpdate();
        }
        return 0;
    }

    private void ensureMailbox(Connection c, String mailbox) throws SQLException {
        if (mailboxesKnown.contains(mailbox)) {
            return;
        }
        try (PreparedStatement st = session.prepare(c, "INSERT INTO " + mailboxes + " (mailbox, paused_until) "
                + "SELECT ?, 0 WHERE NOT EXISTS (SELECT 1 FROM " + mailboxes + " WHERE mailbox = ?)")) {
            st.setString(1, mailbox);
            st.setString(2, mailbox);
            st.executeUpdate();
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
        }
        mailboxesKnown.add(mailbox);
    }

    @Override
    public void pause(String mailbox, Duration pause) {
        long untilMillis = clock.millis() + pause.toMillis();
        pauses.remove(mailbox);
        session.call("pause a mailbox in", c -> {
            ensureMailbox(c, mailbox);
            try (PreparedStatement st = session.prepare(c, "UPDATE " + mailboxes + " SET paused_until = ? "
                    + "WHERE mailbox = ? AND paused_until < ?")) {
                st.setLong(1, untilMillis);
                st.setString(2, mailbox);
                st.setLong(3, untilMillis);
                return st.executeUpdate();
            }
        });
    }

    @Override
    public void renew() {
        long now = clock.millis();
        List<Map.Entry<String, List<Integer>>> mine = new ArrayList<>(held.entrySet());
        if (mine.stream().allMatch(e -> e.getValue().isEmpty())) {
            return;
        }
        session.call("keep the connection slots in", c -> {
            try (PreparedStatement st = session.prepare(c, "UPDATE " + slots + " SET held_until = ? "
                    + "WHERE mailbox = ? AND slot = ? AND holder = ?")) {
                for (Map.Entry<String, List<Integer>> e : mine) {
                    for (Integer slot : e.getValue()) {
                        st.setLong(1, now + leaseMillis);
                        st.setString(2, e.getKey());
                        st.setInt(3, slot);
                        st.setString(4, holder);
                        st.executeUpdate();
                    }
                }
            }
            return Boolean.TRUE;
        });
    }

    /** Deletes the log of messages that left every window. */
    int prune() {
        long before = clock.millis() - Math.max(windowMillis, 1) * 2;
        return session.call("forget old messages in", c -> {
            try (PreparedStatement st = session.prepare(c, "DELETE FROM " + sends + " WHERE sent_at < ?")) {
                st.setLong(1, before);
                return st.executeUpdate();
            }
        });
    }
}
