package org.emailconfig.core.crash;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A minimal connection pool for the crash and speed runs, as a host's pool would behave (a connection closed by the
 * application goes back, in auto-commit): measuring the outbox without paying a new PostgreSQL connection per
 * statement, which no host does. Like HikariCP, it hands out the connection returned last and checks an idle one
 * with a round trip only after half a second unused (HikariCP's {@code aliveBypassWindowMs}): a check on every
 * borrow would add a round trip to each statement the outbox makes and measure the pool, not the outbox.
 */
final class PooledDataSource implements DataSource {

    private final DataSource physical;
    private static final long ALIVE_BYPASS_NANOS = 500_000_000L;

    private final LinkedBlockingDeque<Idle> idle = new LinkedBlockingDeque<>();

    private record Idle(Connection connection, long since) {
    }

    PooledDataSource(DataSource physical) {
        this.physical = physical;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Idle i = idle.pollFirst();
        while (i != null && System.nanoTime() - i.since() > ALIVE_BYPASS_NANOS && !i.connection().isValid(1)) {
            i = idle.pollFirst();
        }
        Connection real = i != null ? i.connection() : physical.getConnection();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        if (!real.isClosed()) {
                            if (!real.getAutoCommit()) {
                                real.rollback();
                                real.setAutoCommit(true);
                            }
                            idle.offerFirst(new Idle(real, System.nanoTime()));
                        }
                        return null;
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
