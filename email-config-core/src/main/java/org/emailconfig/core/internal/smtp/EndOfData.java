package org.emailconfig.core.internal.smtp;

import java.io.IOException;
import java.util.function.Supplier;

import org.apiguardian.api.API;
import org.emailconfig.api.spi.MailDelivery;
import org.jspecify.annotations.Nullable;

/**
 * The point of no return of one message: the moment before the end of the message goes out, after which the server
 * may have it even if its reply never arrives. A caller that must record that moment first (the outbox) runs the
 * send inside {@link #marking}; the SMTP engine calls {@link #reached()} right before it writes the end of the
 * message, and a mark that fails stops the message there, unsent. Per thread: a send runs on the caller's thread.
 */
@API(status = API.Status.INTERNAL, since = "0.3")
public final class EndOfData {

    /** Records the moment; throws when the message must not be ended. */
    @FunctionalInterface
    public interface Mark {
        /**
         * Records that the end of the message goes out now.
         *
         * @throws IOException when it must not: the message then stops unsent
         */
        void reached() throws IOException;
    }

    private static final ThreadLocal<@Nullable Mark> MARK = new ThreadLocal<>();

    private EndOfData() {
    }

    /**
     * Runs a send with a mark for its point of no return on this thread.
     *
     * @param mark records the moment; answers the same when reached again
     * @param send the send
     * @param <T>  its outcome
     * @return what the send returned
     */
    public static <T> T marking(Mark mark, Supplier<T> send) {
        MARK.set(mark);
        try {
            return send.get();
        } finally {
            MARK.remove();
        }
    }

    /**
     * Whether a delivery reaches the point of no return itself: the engine's SMTP deliveries do, right before the end
     * of the message. For any other, the caller marks it before the send starts.
     *
     * @param delivery an open delivery
     * @return true for the engine's SMTP deliveries
     */
    public static boolean markedBy(MailDelivery delivery) {
        return delivery instanceof SmtpMailDelivery;
    }

    /**
     * The end of the message goes out now: runs this thread's mark. A send that reconnects reaches it again, so a
     * mark answers the same every time (once refused, always refused).
     *
     * @throws IOException when the mark says the message must not be ended
     */
    public static void reached() throws IOException {
        Mark mark = MARK.get();
        if (mark != null) {
            mark.reached();
        }
    }
}
