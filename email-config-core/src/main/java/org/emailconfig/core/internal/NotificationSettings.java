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
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public record NotificationSettings(Duration retryDeadline, @Nullable Executor executor, int queueCapacity,
                                   Duration drainTimeout, int connections, int maxMessagesPerConnection,
                                   Duration idleTimeout) {
}
