package org.emailconfig.core.internal.smtp;

import org.apiguardian.api.API;
/**
 * The moment by which the notification being sent on this thread must have succeeded or failed, so that the
 * last attempt before the retry deadline waits only for the time that is left instead of a whole timeout.
 * Set by the retry loop around its attempts; unset (no deadline) everywhere else, for example for the test
 * email of a save.
 */
@API(status = API.Status.INTERNAL, since = "0.3")
public final class SendDeadline {

    private static final ThreadLocal<long[]> CURRENT = new ThreadLocal<>();

    private SendDeadline() {
    }

    /** Ends a deadline. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** No deadline: attempts keep their whole timeouts. */
    public static final Scope NONE = () -> { };

    /**
     * Starts a deadline on this thread; the returned scope ends it.
     *
     * @param deadlineNanos a {@link System#nanoTime()} value
     * @return the scope that ends it
     */
    public static Scope start(long deadlineNanos) {
        long[] previous = CURRENT.get();
        CURRENT.set(new long[] {deadlineNanos});
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /**
     * A timeout shortened to the time left before this thread's deadline, at least one millisecond (zero
     * would mean "wait forever" to a socket).
     *
     * @param timeoutMs the configured timeout in milliseconds, positive
     */
    static int cap(int timeoutMs) {
        long[] d = CURRENT.get();
        if (d == null) {
            return timeoutMs;
        }
        long leftMs = (d[0] - System.nanoTime()) / 1_000_000;
        return (int) Math.max(1, Math.min(timeoutMs, leftMs));
    }
}
