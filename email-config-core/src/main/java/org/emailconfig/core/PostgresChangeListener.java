package org.emailconfig.core;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.emailconfig.api.spi.ConfigStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one connection in {@code LISTEN} and turns notifications into listener calls. Reconnects with a
 * growing pause when the connection is lost, and reports the newest revision after each reconnect,
 * since notifications sent meanwhile are gone.
 */
final class PostgresChangeListener implements ConfigStore.Subscription, Runnable {
    /** The newest revision in the table, read on the listening connection. */
    @FunctionalInterface
    interface NewestRevision {
        long read(Connection c) throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger("org.emailconfig.store.jdbc");

    private final DataSource dataSource;
    private final String channel;
    private final Duration queryTimeout;
    private final Supplier<String> database;
    private final NewestRevision newest;
    private final ConfigStore.RevisionListener listener;
    private final Thread thread;
    private volatile boolean closed;
    private volatile @Nullable Connection connection;

    /**
     * A listener, not started yet.
     *
     * @param table    the table, naming the thread
     * @param channel  the channel a save notifies
     * @param database the database as messages name it
     */
    PostgresChangeListener(DataSource dataSource, String table, String channel, Duration queryTimeout,
                           Supplier<String> database, NewestRevision newest, ConfigStore.RevisionListener listener) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.queryTimeout = queryTimeout;
        this.database = database;
        this.newest = newest;
        this.listener = listener;
        this.thread = new Thread(this, "email-config-jdbc-listen-" + table);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        long pauseMs = 500;
        boolean wasDown = false;
        while (!closed) {
            try (Connection c = dataSource.getConnection()) {
                connection = c;
                c.setAutoCommit(true);
                try (Statement st = c.createStatement()) {
                    st.setQueryTimeout((int) Math.max(1, queryTimeout.toSeconds()));
                    st.execute("LISTEN " + channel);
                }
                Class<?> pgType = pgConnectionClass(c);
                Object pg = c.unwrap(pgType);
                Method poll = pgType.getMethod("getNotifications", int.class);
                Method parameter = Class.forName("org.postgresql.PGNotification", false, pgType.getClassLoader())
                        .getMethod("getParameter");
                if (wasDown) {
                    LOG.info("Listening for email configuration changes on {} again", database.get());
                    wasDown = false;
                }
                long newestNow = newest.read(c);
                if (newestNow > 0) {
                    listener.revisionSaved(newestNow);
                }
                pauseMs = 500;
                while (!closed) {
                    Object batch = invoke(pg, poll, 500);
                    int n = batch == null ? 0 : Array.getLength(batch);
                    for (int i = 0; i < n; i++) {
                        Object note = Array.get(batch, i);
                        String payload = String.valueOf(parameter.invoke(note));
                        try {
                            listener.revisionSaved(Long.parseLong(payload));
                        } catch (NumberFormatException ignored) {
                            // Not ours: someone else notified on the channel.
                        }
                    }
                }
            } catch (Exception e) {
                if (closed) {
                    return;
                }
                if (!wasDown) {
                    LOG.warn("Lost the connection listening for email configuration changes on {} ({}); "
                            + "polling covers the gap, reconnecting", database.get(), e.getClass().getSimpleName());
                    wasDown = true;
                }
                sleep(pauseMs);
                pauseMs = Math.min(pauseMs * 2, 30_000);
            } finally {
                connection = null;
            }
        }
    }

    private Object invoke(Object target, Method m, int timeoutMs) throws Exception {
        try {
            return m.invoke(target, timeoutMs);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    private Class<?> pgConnectionClass(Connection c) throws ClassNotFoundException {
        for (ClassLoader l : new ClassLoader[] {c.getClass().getClassLoader(),
                Thread.currentThread().getContextClassLoader(), dataSource.getClass().getClassLoader(),
                PostgresChangeListener.class.getClassLoader()}) {
            if (l == null) {
                continue;
            }
            try {
                return Class.forName("org.postgresql.PGConnection", false, l);
            } catch (ClassNotFoundException ignored) {
                // Try the next loader.
            }
        }
        throw new ClassNotFoundException("org.postgresql.PGConnection");
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Closing is all we wanted.
            }
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
