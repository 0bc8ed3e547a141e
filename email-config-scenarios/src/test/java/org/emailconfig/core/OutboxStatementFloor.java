package org.emailconfig.core;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.IntFunction;
import javax.sql.DataSource;

import org.emailconfig.api.Notification;
import org.emailconfig.core.internal.OutboxRows;
import org.emailconfig.core.internal.OutboxRows.Accepted;
import org.emailconfig.core.internal.OutboxRows.Claimed;

/**
 * For {@code OutboxSpeedRun}: what the outbox's own statements cost the database per message, with nothing else
 * running (one thread, no mail server, no other node). Each stage runs on rows of its own and adds one statement to
 * the one before: claims in batches of 3, then the end-of-data mark of each message, then the records of sent rows
 * in batches of 3, the batches a busy node uses. The differences are each statement's share: the least any
 * delivery from the outbox costs the database, however the worker around it is built.
 */
public final class OutboxStatementFloor {

    private static final int BATCH = 3;

    private OutboxStatementFloor() {
    }

    /**
     * One stage's cost per message.
     *
     * @param databaseMillis the database's CPU time, ms
     * @param clientMillis   this JVM's CPU time (the driver, the pool, the outbox's code), ms
     * @param wallMillis     the time on the clock, ms
     */
    public record Cost(double databaseMillis, double clientMillis, double wallMillis) {

        /**
         * This stage's cost less an earlier one's.
         *
         * @param earlier the stage before
         * @return the share of the statement this stage adds
         */
        public Cost minus(Cost earlier) {
            return new Cost(databaseMillis - earlier.databaseMillis, clientMillis - earlier.clientMillis,
                    wallMillis - earlier.wallMillis);
        }

        @Override
        public String toString() {
            return String.format("%.3f / %.3f / %.3f", databaseMillis, clientMillis, wallMillis);
        }
    }

    /**
     * Runs the three stages.
     *
     * @param ds                the database
     * @param messages          rows per stage
     * @param message           the row written for number i
     * @param databaseCpuMillis the database's CPU time so far, ms
     * @param clientCpuMillis   this JVM's CPU time so far, ms
     * @return the cost per message of claim; claim and mark; claim, mark and record
     * @throws Exception when the database fails
     */
    public static List<Cost> measure(DataSource ds, int messages, IntFunction<Notification> message,
                                     DoubleSupplier databaseCpuMillis, DoubleSupplier clientCpuMillis)
            throws Exception {
        // A first pass, not counted, so that the JIT has compiled the driver and the outbox before the first stage
        // is measured, rather than charging the claim with the warm-up.
        stages(ds, "floor_warm_", Math.max(300, messages / 5), message, databaseCpuMillis, clientCpuMillis);
        return stages(ds, "floor_", messages, message, databaseCpuMillis, clientCpuMillis);
    }

    private static List<Cost> stages(DataSource ds, String tablePrefix, int messages, IntFunction<Notification> message,
                                     DoubleSupplier databaseCpuMillis, DoubleSupplier clientCpuMillis) throws Exception {
        List<Cost> costs = new ArrayList<>();
        for (int stage = 1; stage <= 3; stage++) {
            JdbcOutbox outbox = JdbcOutbox.builder(ds).table(tablePrefix + stage).createTableIfMissing(true)
                    .nodeName("floor").build();
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                for (int i = 0; i < messages; i++) {
                    outbox.enqueue(c, message.apply(i));
                }
                c.commit();
            }
            OutboxRows rows = outbox.rows();
            double cpu = databaseCpuMillis.getAsDouble();
            double client = clientCpuMillis.getAsDouble();
            long started = System.nanoTime();
            while (true) {
                long now = System.currentTimeMillis();
                List<Claimed> claimed = rows.claim("floor", BATCH, now, now + 120_000);
                if (claimed.isEmpty()) {
                    break;
                }
                if (stage >= 2) {
                    for (Claimed row : claimed) {
                        if (!rows.markEndOfData(row, now + 120_000, now)) {
                            throw new IllegalStateException("row " + row.id() + " could not be marked");
                        }
                    }
                }
                if (stage >= 3) {
                    rows.sent(claimed.stream().map(row -> new Accepted(row, 1, now)).toList());
                }
            }
            costs.add(new Cost((databaseCpuMillis.getAsDouble() - cpu) / messages,
                    (clientCpuMillis.getAsDouble() - client) / messages, (System.nanoTime() - started) / 1e6 / messages));
        }
        return costs;
    }
}
