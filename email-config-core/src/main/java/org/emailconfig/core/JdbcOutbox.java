package org.emailconfig.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

import org.apiguardian.api.API;
import org.emailconfig.api.Notification;
import org.emailconfig.core.internal.OutboxRows;
import org.jspecify.annotations.Nullable;

/**
 * Notifications that survive crashes and restarts: written to a table in the host's own database, in the host's own
 * transaction when it has one, and delivered by whichever node of the application is alive. Turn it on with
 * {@link EmailConfig.Builder#outbox(JdbcOutbox)}; every node built with it runs a worker that claims due rows for a
 * lease, sends each once with the configuration in force, and records the outcome.
 *
 * <pre>{@code
 * JdbcOutbox outbox = JdbcOutbox.builder(dataSource).build();
 * EmailConfigurationService email = EmailConfig.builder().store(...).outbox(outbox).build();
 *
 * try (Connection c = dataSource.getConnection()) {          // the host's transaction
 *     c.setAutoCommit(false);
 *     saveResetToken(c, user, token);
 *     outbox.enqueue(c, Notification.of(user.email(), "Reset your password", link(token)));
 *     c.commit();                                            // the token and its mail, or neither
 * }
 * }</pre>
 *
 * <p>What it promises: a row written is delivered unless the server refuses it for good (then it is FAILED, with
 * reason, step and attempts); temporary failures (4xx, a busy or throttling service, a connection lost before the
 * end of the message, a token outage) come back with backoff and Retry-After until the retry window closes; a
 * message whose end went out and whose reply was lost is never sent again but marked "may have been delivered"
 * for the administrator; a node that dies mid-delivery hands its rows to the others when the lease runs out, and a
 * node that comes back after that can no longer end the message it had begun. Rows sent or discarded are deleted
 * after the retention; message bodies never go to logs.
 *
 * <p>The table: {@link #POSTGRESQL_DDL} and {@link #H2_DDL} (an H2 file database is the embedded choice for one
 * node). Node clocks should agree within a small part of the lease (NTP): a node with a clock far ahead could take
 * a row before its lease ran out, which costs a wasted claim, never a second message.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.3")
public final class JdbcOutbox {

    /** The shipped DDL for PostgreSQL (10 or newer), a class-path resource. */
    public static final String POSTGRESQL_DDL = "email-config/jdbc/outbox-postgresql.sql";
    /** The shipped DDL for H2 (2.x), a class-path resource. */
    public static final String H2_DDL = "email-config/jdbc/outbox-h2.sql";
    /** The table used unless {@link Builder#table(String)} names another. */
    public static final String DEFAULT_TABLE = "email_outbox";
    /** How long a node's claim on a row lasts unless the row moves on. */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(2);
    /** How often a node looks at the outbox when nothing wakes it. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    /** How long after it was written a temporarily failing notification is still tried. */
    public static final Duration DEFAULT_RETRY_WINDOW = Duration.ofHours(24);
    /** How long sent and discarded notifications are kept. */
    public static final Duration DEFAULT_KEEP_SENT = Duration.ofDays(7);
    /** Connections one sending mailbox may have open across all nodes: Exchange Online's SMTP limit. */
    public static final int DEFAULT_MAILBOX_CONNECTIONS = 3;
    /** Messages one sending mailbox may start per {@link #DEFAULT_BUDGET_WINDOW} across all nodes: Exchange Online's. */
    public static final int DEFAULT_MAILBOX_BUDGET = 30;
    /** The window of the message budget. */
    public static final Duration DEFAULT_BUDGET_WINDOW = Duration.ofMinutes(1);

    private final JdbcSession session;
    private final OutboxLimits limits;
    private final OutboxTable table;
    private final Clock clock;
    private final Duration lease;
    private final Duration pollInterval;
    private final Duration retryWindow;
    private final Duration keepSent;
    private final String node;
    private volatile @Nullable Runnable written;

    private JdbcOutbox(Builder b) {
        this.session = new JdbcSession(b.dataSource, b.table, b.createTable, b.queryTimeout, JdbcSchema.OUTBOX);
        this.clock = b.clock;
        this.node = b.node == null ? defaultNodeName() : b.node;
        this.limits = new OutboxLimits(session, b.table, b.clock, node, b.mailboxConnections, b.mailboxBudget,
                b.budgetWindow, b.lease);
        this.table = new OutboxTable(session, b.table, limits);
        this.lease = b.lease;
        this.pollInterval = b.pollInterval;
        this.retryWindow = b.retryWindow;
        this.keepSent = b.keepSent;
    }

    /**
     * Starts a builder.
     *
     * @param dataSource where the table lives; the outbox gets and closes a connection per call
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
     * @return the SQL text: the table and its index
     */
    public static String ddl(String resource, String table) {
        return JdbcSchema.OUTBOX.ddl(resource, table);
    }

    /**
     * Writes a notification in the host's transaction: it is delivered once that transaction commits, and never if
     * it rolls back. Neither commits nor closes the connection.
     *
     * @param transaction the host's connection, in the transaction the notification belongs to
     * @param notification what to send
     * @return the row's id
     * @throws SQLException as the host's own statements would, so the host's transaction handling sees it
     * @throws org.emailconfig.api.EmailConfigException with {@link org.emailconfig.api.Reason#STORE_FAILURE} when
     *         {@link Builder#createTableIfMissing} is on and the table could not be created
     */
    public long enqueue(Connection transaction, Notification notification) throws SQLException {
        Objects.requireNonNull(transaction, "transaction");
        Objects.requireNonNull(notification, "notification");
        session.ensureTable("create the table of");
        return table.insert(transaction, notification, clock.millis());
    }

    /**
     * Writes a notification in a transaction of its own, committed before this returns, and wakes this node's worker.
     *
     * @param notification what to send
     * @return the row's id
     * @throws org.emailconfig.api.EmailConfigException with {@link org.emailconfig.api.Reason#STORE_FAILURE} when
     *         the database could not take it, naming the table and the database; nothing was written
     */
    public long enqueue(Notification notification) {
        Objects.requireNonNull(notification, "notification");
        long id = session.call("write a notification to", c -> table.insert(c, notification, clock.millis()));
        Runnable wake = written;
        if (wake != null) {
            wake.run();
        }
        return id;
    }

    /** The rows, as this node's worker uses them. */
    OutboxRows rows() {
        return table;
    }

    /** For tests in this package: a row's state. */
    java.util.Optional<String> state(long id) {
        return table.state(id);
    }

    /** The provider's limits per mailbox, as the engine keeps them. */
    OutboxLimits limits() {
        return limits;
    }

    void onWritten(Runnable wake) {
        this.written = wake;
    }

    void useEngineTimeout(Duration connectTimeout) {
        session.useEngineTimeout(connectTimeout);
    }

    Duration lease() {
        return lease;
    }

    Duration pollInterval() {
        return pollInterval;
    }

    Duration retryWindow() {
        return retryWindow;
    }

    Duration keepSent() {
        return keepSent;
    }

    String node() {
        return node;
    }

    private static String defaultNodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        String name = host + "/" + ProcessHandle.current().pid();
        return name.length() > 200 ? name.substring(0, 200) : name;
    }

    /** Configures a {@link JdbcOutbox}; not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private String table = DEFAULT_TABLE;
        private boolean createTable;
        private @Nullable Duration queryTimeout;
        private Duration lease = DEFAULT_LEASE;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration retryWindow = DEFAULT_RETRY_WINDOW;
        private Duration keepSent = DEFAULT_KEEP_SENT;
        private int mailboxConnections = DEFAULT_MAILBOX_CONNECTIONS;
        private int mailboxBudget = DEFAULT_MAILBOX_BUDGET;
        private Duration budgetWindow = DEFAULT_BUDGET_WINDOW;
        private @Nullable String node;
        private Clock clock = Clock.systemUTC();

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * The table name; default {@value JdbcOutbox#DEFAULT_TABLE}. Checked to be a plain identifier, optionally
         * schema-qualified.
         *
         * @param table for example {@code hub.email_outbox}
         * @return this
         * @throws IllegalArgumentException when it is not a plain identifier
         */
        public Builder table(String table) {
            this.table = JdbcSchema.checkTable(table);
            return this;
        }

        /**
         * Whether to run the shipped DDL on first use; default false, since most hosts run their own migrations.
         * PostgreSQL and H2 only.
         *
         * @param create true to create the table and its index when missing
         * @return this
         */
        public Builder createTableIfMissing(boolean create) {
            this.createTable = create;
            return this;
        }

        /**
         * The timeout of every statement; default the engine's connect timeout. Whole seconds, at least one.
         *
         * @param timeout positive
         * @return this
         */
        public Builder queryTimeout(Duration timeout) {
            this.queryTimeout = positive(timeout, "queryTimeout");
            return this;
        }

        /**
         * How long a node's claim on a row lasts; default {@link #DEFAULT_LEASE}. Longer than a delivery can take
         * (the connect and read timeouts, a token request): a node that stops mid-delivery holds its rows this long.
         *
         * @param lease at least one second
         * @return this
         */
        public Builder lease(Duration lease) {
            this.lease = atLeastASecond(lease, "lease");
            return this;
        }

        /**
         * How often a node looks at the outbox when nothing wakes it; default {@link #DEFAULT_POLL_INTERVAL}. A
         * notification written with {@link #enqueue(Notification)} wakes its own node at once; one written in a
         * host transaction waits for the next look, as does any row for another node.
         *
         * @param interval positive
         * @return this
         */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = positive(interval, "pollInterval");
            return this;
        }

        /**
         * How long after it was written a temporarily failing notification is still tried; default
         * {@link #DEFAULT_RETRY_WINDOW}. Then it is FAILED, with its last reason.
         *
         * @param window positive
         * @return this
         */
        public Builder retryWindow(Duration window) {
            this.retryWindow = positive(window, "retryWindow");
            return this;
        }

        /**
         * How long sent and discarded notifications are kept before they are deleted; default
         * {@link #DEFAULT_KEEP_SENT}. Failed ones and those that may have been delivered stay until an
         * administrator resends or discards them.
         *
         * @param keep positive
         * @return this
         */
        public Builder keepSent(Duration keep) {
            this.keepSent = positive(keep, "keepSent");
            return this;
        }

        /**
         * How many connections one sending mailbox may have open at once, counted across all nodes (kept-open ones
         * included); default {@link #DEFAULT_MAILBOX_CONNECTIONS}, Exchange Online's limit. A node that would open
         * one more waits, its notification visible as pending. Applies to every notification of the service,
         * {@code send} and {@code sendAsync} too; the test email of a save does not count.
         *
         * @param connections at least 1, or 0 for no ceiling
         * @return this
         */
        public Builder mailboxConnections(int connections) {
            if (connections < 0) {
                throw new IllegalArgumentException("mailboxConnections must be 0 (no ceiling) or positive");
            }
            this.mailboxConnections = connections;
            return this;
        }

        /**
         * How many messages one sending mailbox may start in any window of a given length, counted across all nodes;
         * default {@link #DEFAULT_MAILBOX_BUDGET} per {@link #DEFAULT_BUDGET_WINDOW}, Exchange Online's limit. A burst
         * above it waits in the outbox, visible as pending, and goes out as the window allows; a direct {@code send}
         * waits within its retry deadline. A provider's "slow down" (a 432 reply, or a Retry-After) pauses the
         * mailbox for every node on top of it.
         *
         * @param messages at least 1, or 0 for no budget (a relay of your own)
         * @param per      the window, at least one second
         * @return this
         */
        public Builder mailboxBudget(int messages, Duration per) {
            if (messages < 0) {
                throw new IllegalArgumentException("the mailbox budget must be 0 (none) or positive");
            }
            this.budgetWindow = atLeastASecond(per, "per");
            this.mailboxBudget = messages;
            return this;
        }

        /**
         * This node's name in claims, for the administrator and the logs; default the host name and the process id.
         * Claims are told apart by number, so two nodes of one name never send a row twice.
         *
         * @param name at most 200 characters
         * @return this
         */
        public Builder nodeName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank() || name.length() > 200) {
                throw new IllegalArgumentException("nodeName must be 1 to 200 characters");
            }
            this.node = name;
            return this;
        }

        /**
         * The clock of the times in the table; default the system's, in UTC.
         *
         * @param clock the clock
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }

        private static Duration atLeastASecond(Duration d, String name) {
            if (positive(d, name).compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException(name + " must be at least one second");
            }
            return d;
        }

        /**
         * Builds the outbox. No connection is made until first use.
         *
         * @return the outbox
         */
        public JdbcOutbox build() {
            return new JdbcOutbox(this);
        }
    }
}
