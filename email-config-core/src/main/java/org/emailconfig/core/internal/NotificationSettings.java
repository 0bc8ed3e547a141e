package org.emailconfig.core.internal;

import java.time.Duration;
import java.util.concurrent.Executor;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * How notifications are sent: see {@link org.emailconfig.core.EmailConfig.Builder} for each option's
 * meaning and default.
 *
 * @param retryDeadline  how long temporary failures are tried again; zero for never
 * @param executor       the host's executor for {@code sendAsync}, or null for the engine's own
 * @param queueCapacity  how many asynchronous notifications the engine's own executor holds waiting
 * @param drainTimeout   how long {@code close()} waits for queued notifications
 * @param connections    how many kept-open deliveries may exist at once
 * @param maxMessagesPerConnection messages per delivery before a fresh one is opened; 0 for no limit
 * @param idleTimeout    how long an unused delivery stays open
 * @param outbox         the outbox this node's worker delivers from, or null when the host has none
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public record NotificationSettings(Duration retryDeadline, @Nullable Executor executor, int queueCapacity,
                                   Duration drainTimeout, int connections, int maxMessagesPerConnection,
                                   Duration idleTimeout, @Nullable Outbox outbox) {

    /**
     * An outbox as the engine runs it.
     *
     * @param rows         its rows
     * @param onWritten    receives what wakes this node's worker when the outbox itself wrote a row
     * @param node         this node's name in claims
     * @param lease        how long a claim lasts
     * @param pollInterval how often to look when nothing wakes the worker
     * @param retryWindow  how long a temporarily failing row is tried
     * @param keepSent     how long sent and discarded rows stay
     * @param gate         the provider's limits per mailbox, kept for all nodes together
     */
    @API(status = API.Status.INTERNAL, since = "0.3")
    public record Outbox(OutboxRows rows, java.util.function.Consumer<Runnable> onWritten, String node, Duration lease,
                         Duration pollInterval, Duration retryWindow, Duration keepSent, MailboxGate gate) {
    }
}
