package org.emailconfig.core.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.mail.internet.MimeMessage;

import org.emailconfig.api.DeliveryEvent;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.DeliveryStep;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.Notification;
import org.emailconfig.api.NotificationSender;
import org.emailconfig.api.Reason;
import org.emailconfig.api.spi.MailDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.emailconfig.core.internal.smtp.EndOfData;
import org.emailconfig.core.internal.smtp.SendDeadline;
import org.jspecify.annotations.Nullable;

/**
 * Sends notifications over a bounded pool of kept-open deliveries of the configuration in force
 * ({@link DeliveryPool}); each thread composes and serialises its message on its own, so threads share no
 * lock but the pool's short one. When the revision in force changes, deliveries of the old one finish their
 * message and close; when the server has dropped a kept-open connection (or said it takes no more messages
 * on it), a new one is opened and the message tried again at once. Other temporary failures (4xx, 421,
 * 429/503 with Retry-After, a connection lost before the end of the message, a timeout) are tried again with
 * exponential backoff and jitter, honouring Retry-After, until the retry deadline; permanent failures, and a
 * message the server may already have accepted, are never tried again.
 */
final class Notifications implements NotificationSender, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("org.emailconfig.core");
    private static final long FIRST_BACKOFF_MS = 250;
    private static final long MAX_BACKOFF_MS = 8_000;
    /** The least time a retry must have left before the deadline to be worth starting (a quarter of a short one). */
    static final long MIN_ATTEMPT_MS = 500;

    private final ConfigurationInForce inForce;
    private final Duration retryDeadline;
    private final Executor executor;
    /** The engine's own executor, which {@link #close()} drains and stops; null when the host gave one. */
    private final @Nullable ThreadPoolExecutor own;
    private final Duration drainTimeout;
    private final DeliveryEvidence evidence;
    private final DeliveryPool pool;
    /** The provider's limits per mailbox across the nodes; none without an outbox. */
    private final MailboxGate gate;
    /** How long a mailbox pauses when the provider said to slow down without saying for how long. */
    private static final Duration DEFAULT_PAUSE = Duration.ofSeconds(60);

    Notifications(ConfigurationInForce inForce, NotificationSettings settings, DeliveryEvidence evidence) {
        this.inForce = inForce;
        this.evidence = evidence;
        this.retryDeadline = settings.retryDeadline();
        this.drainTimeout = settings.drainTimeout();
        this.gate = settings.outbox() == null ? MailboxGate.NONE : settings.outbox().gate();
        this.pool = new DeliveryPool(settings.connections(), settings.maxMessagesPerConnection(),
                settings.idleTimeout(), inForce::serialInForce);
        if (settings.executor() != null) {
            this.own = null;
            this.executor = settings.executor();
        } else {
            // As many threads as connections: more would only wait for one. A full queue rejects at once.
            AtomicInteger n = new AtomicInteger();
            this.own = new ThreadPoolExecutor(settings.connections(), settings.connections(), 0, TimeUnit.MILLISECONDS,
                    new ArrayBlockingQueue<>(settings.queueCapacity()), r -> {
                        Thread t = new Thread(r, "email-config-notify-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    }, (r, pool) -> {
                        throw new RejectedExecutionException(pool.isShutdown()
                                ? "The email configuration service is closed: the notification was not queued"
                                : "The queue of notifications waiting to be sent is full (" + settings.queueCapacity()
                                        + "): the notification was not queued. The mail server may be slow or down.");
                    });
            this.executor = own;
        }
    }

    @Override
    public CompletableFuture<Void> sendAsync(Notification notification) {
        Objects.requireNonNull(notification, "notification");
        try {
            inForce.requireOpen();
        } catch (IllegalStateException closed) {
            // As an executor says it: nothing was queued (the host's executor may still be running).
            throw new RejectedExecutionException("The email configuration service is closed: the notification was "
                    + "not queued");
        }
        Queued task = new Queued(notification, new CompletableFuture<>());
        executor.execute(task);
        return task.result;
    }

    /** A queued notification with its future, so one dropped at close can still be told so. */
    private final class Queued implements Runnable {
        final Notification notification;
        final CompletableFuture<Void> result;

        Queued(Notification notification, CompletableFuture<Void> result) {
            this.notification = notification;
            this.result = result;
        }

        @Override
        public void run() {
            try {
                deliver(notification);
                result.complete(null);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }
    }

    @Override
    public void send(Notification notification) {
        Objects.requireNonNull(notification, "notification");
        inForce.requireOpen();
        deliver(notification);
    }

    /** Sends with retries; also runs the queued asynchronous notifications while {@code close()} drains them. */
    private void deliver(Notification notification) {
        long deadline = System.nanoTime() + retryDeadline.toNanos();
        // The first attempt has its whole timeouts, as a single send would; a retry never waits past the deadline.
        SendDeadline.Scope bound = SendDeadline.NONE;
        Notification pending = notification;
        List<String> delivered = new ArrayList<>();
        // Every attempt sends the same message: the Message-ID of the first goes with each retry.
        String messageId = null;
        try {
            int attempts = 0;
            while (true) {
                attempts++;
                if (attempts == 2) {
                    bound = SendDeadline.start(deadline);
                }
                Attempt attempt = attempt(pending, inForce.snapshot(), messageId);
                DeliveryEvidence.Trace trace = attempt.trace();
                if (trace != null) {
                    messageId = trace.messageId();
                }
                DeliveryFailedException e = attempt.failure();
                if (e == null) {
                    evidence(attempt, DeliveryEvent.Outcome.SENT, null, attempts);
                    return;
                }
                if (!e.deliveredRecipients().isEmpty()) {
                    // Those have it: whatever follows goes to the others only, and the caller learns who got it.
                    delivered.addAll(e.deliveredRecipients());
                    pending = without(pending, e.deliveredRecipients());
                    if (pending == null) {
                        evidence(attempt, DeliveryEvent.Outcome.SENT, null, attempts);
                        return;
                    }
                }
                if (!delivered.isEmpty()) {
                    e = e.toBuilder().deliveredRecipients(delivered).build();
                }
                if (!e.temporary() || e.possiblyDelivered()) {
                    e = e.toBuilder().attempts(attempts).build();
                    evidence(attempt, e.possiblyDelivered() ? DeliveryEvent.Outcome.MAYBE_DELIVERED
                            : DeliveryEvent.Outcome.FAILED, e, attempts);
                    throw e;
                }
                long waitMs = backoff(attempts, e.retryAfter().orElse(Duration.ZERO));
                // A retry gets the time left before the deadline as its timeouts; one that would start with less
                // than MIN_ATTEMPT_MS could only time out, hiding the server's real answer behind READ_TIMEOUT.
                long minAttemptMs = Math.min(MIN_ATTEMPT_MS, retryDeadline.toMillis() / 4);
                if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs + minAttemptMs) > deadline) {
                    e = e.toBuilder().attempts(attempts).build();
                    evidence(attempt, DeliveryEvent.Outcome.FAILED, e, attempts);
                    throw e;
                }
                evidence(attempt, DeliveryEvent.Outcome.RETRIED, e, attempts);
                LOG.info("Notification attempt {} failed temporarily ({}); trying again in {} ms", attempts, e.reason(),
                        waitMs);
                try {
                    Thread.sleep(waitMs);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e.toBuilder().attempts(attempts).build();
                }
            }
        } finally {
            bound.close();
        }
    }

    /** How many notification connections are sending right now. */
    int connectionsInUse() {
        return pool.inUse();
    }

    /** Hands an attempt that reached for a server to the evidence; one held back before that is no attempt. */
    void evidence(Attempt attempt, DeliveryEvent.Outcome outcome, @Nullable DeliveryFailedException failure, int number) {
        DeliveryEvidence.Trace trace = attempt.trace();
        if (trace != null) {
            evidence.record(DeliveryEvent.Kind.NOTIFICATION, outcome, trace, failure, number);
        }
    }

    /** The notification for the recipients who do not have it yet, or null when everyone has it. */
    static @Nullable Notification without(Notification n, List<String> got) {
        java.util.Set<String> gotLower = new java.util.HashSet<>();
        got.forEach(a -> gotLower.add(a.toLowerCase(java.util.Locale.ROOT)));
        List<org.emailconfig.api.EmailAddress> rest = n.to().stream()
                .filter(a -> !gotLower.contains(a.value().toLowerCase(java.util.Locale.ROOT))).toList();
        return rest.isEmpty() ? null : new Notification(rest, n.subject(), n.text(), n.html());
    }

    /** Exponential backoff with jitter (half to all of the step), never shorter than what the server asked. */
    static long backoff(int attempts, Duration retryAfter) {
        long step = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(attempts - 1, 10));
        long jittered = step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
        return Math.max(jittered, retryAfter.toMillis());
    }

    /**
     * How one attempt of the outbox ended: the revision it used, the failure unless the server accepted it, and
     * whether it was held back before reaching the server (the mailbox's limits), so it is no attempt at all.
     */
    record Attempt(long revision, @Nullable DeliveryFailedException failure, boolean heldBack,
                   DeliveryEvidence.@Nullable Trace trace) {
        /** An attempt that reached no server: nothing for the evidence. */
        Attempt(long revision, @Nullable DeliveryFailedException failure, boolean heldBack) {
            this(revision, failure, heldBack, null);
        }
    }

    /**
     * One attempt for the outbox, which keeps the schedule of retries itself: no backoff here. The point of no
     * return ({@link EndOfData}) is marked by the SMTP engine right before the end of the message; a delivery that
     * cannot say when that is (Graph, a third party's) is marked before it starts.
     *
     * @param notification what to send
     * @param messageIdLocalPart the left part of its Message-ID, the same on every attempt by any node, so a message
     *                           sent again (an administrator's resend of one that may have been delivered) can be
     *                           recognised as the same by the recipient's mail system
     * @return the outcome
     * @throws EmailConfigException when no configuration can be used (none saved yet, or unusable on this node)
     */
    Attempt attemptOnce(Notification notification, String messageIdLocalPart) {
        ConfigurationInForce.Usable s = inForce.snapshot();
        String address = s.configuration().sender().address().value();
        return attempt(notification, s, "<" + messageIdLocalPart + "@" + address.substring(address.lastIndexOf('@') + 1)
                + ">");
    }

    /**
     * One attempt with a configuration (a new revision between attempts is used), including the immediate
     * reconnect when a kept-open connection turned out to be stale.
     *
     * @param messageId the Message-ID of the message's first attempt, which a retry keeps; null for a first attempt
     * @return how it ended
     */
    private Attempt attempt(Notification notification, ConfigurationInForce.Usable s, @Nullable String messageId) {
        long revision = s.stored().revision();
        long started = System.nanoTime();
        // Composed and serialised by the calling thread, before it takes a connection.
        MimeMessage message = inForce.composer().notification(s.configuration(), notification);
        if (messageId != null) {
            try {
                // Set after saveChanges, which made a new one: the retry of a message is the same message.
                message.setHeader("Message-ID", messageId);
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        String mailbox = s.configuration().sender().address().value().toLowerCase(Locale.ROOT);
        DeliveryEvidence.Tracer traced = new DeliveryEvidence.Tracer(revision, s.stored().type(),
                DeliveryEvidence.destinationOf(s.configuration()), DeliveryEvidence.messageId(message), started,
                notification.to());
        while (true) {
            DeliveryPool.Lease lease;
            try {
                lease = pool.acquire(s.serial(), () -> openWithinLimits(s, mailbox));
            } catch (HeldBack e) {
                return new Attempt(revision, e.failure, true);
            } catch (DeliveryFailedException e) {
                return new Attempt(revision, Deliveries.guarded(s.provider(), s.configuration(), e), false,
                        traced.trace(null));
            }
            MailDelivery d = lease.pooled().delivery;
            traced.saw(d);
            long wait = budget(mailbox);
            if (wait > 0) {
                pool.release(lease, true);
                return new Attempt(revision, overBudget(mailbox, wait), true);
            }
            try {
                if (!EndOfData.markedBy(d instanceof GatedDelivery g ? g.inner : d)) {
                    EndOfData.reached();
                }
                d.send(message);
                DeliveryEvidence.Trace trace = traced.trace(d);
                pool.release(lease, true);
                return new Attempt(revision, null, false, trace);
            } catch (DeliveryFailedException e) {
                // Asked before releasing: releasing a failed delivery closes it, so afterwards every failure
                // would look like a connection the server had dropped.
                boolean dropped = !d.isOpen();
                pool.release(lease, false);
                // A kept-open connection that went stale is reopened at once; a fresh one that fails, or a
                // refusal on a live one, goes through the backoff instead (a timeout must not double the
                // caller's wait right away, and a busy server must not get the message again at once).
                if (lease.reused() && dropped && e.temporary()) {
                    LOG.debug("Kept-open connection lost ({}); reconnecting", e.reason());
                    continue;
                }
                if (slowDown(e)) {
                    // The provider asked this mailbox to slow down: every node pauses it, not just this one.
                    pauseEverywhere(mailbox, e.retryAfter().orElse(DEFAULT_PAUSE));
                }
                return new Attempt(revision, Deliveries.guarded(s.provider(), s.configuration(), e), false,
                        traced.trace(null));
            } catch (IOException unmarked) {
                // The outbox could not record the point of no return: nothing went out, and it knows why.
                pool.release(lease, true);
                return new Attempt(revision, DeliveryFailedException.builder(Reason.STORE_FAILURE, "Not sent: "
                        + unmarked.getMessage()).step(DeliveryStep.DATA).temporary(true).build(), true);
            } catch (RuntimeException e) {
                pool.release(lease, false);
                throw Deliveries.unexpected(s.provider(), s.configuration(), e);
            }
        }
    }

    /**
     * The wait the mailbox's budget asks for. The limits live in the outbox's database: when it does not answer, a
     * message goes out rather than fail (the provider's own limits still answer it), and the outage is logged.
     */
    private long budget(String mailbox) {
        try {
            return gate.reserveMessage(mailbox);
        } catch (RuntimeException e) {
            LOG.warn("The mailbox limits could not be read; sending without them: {}", e.getMessage());
            return 0;
        }
    }

    private void pauseEverywhere(String mailbox, Duration pause) {
        try {
            gate.pause(mailbox, pause);
        } catch (RuntimeException e) {
            LOG.warn("The pause the mail provider asked for could not be shared with the other nodes: {}",
                    e.getMessage());
        }
    }

    /** A provider's "slow down": 432 (Exchange Online's concurrency and rate limits) or any Retry-After. */
    private static boolean slowDown(DeliveryFailedException e) {
        return e.temporary() && (e.retryAfter().isPresent()
                || e.serverReply().map(r -> r.startsWith("432")).orElse(false));
    }

    private static DeliveryFailedException overBudget(String mailbox, long waitMillis) {
        return DeliveryFailedException.builder(Reason.SERVER_TEMPORARY_FAILURE, "Not sent yet: mailbox " + mailbox
                + " has used its budget of messages for now, or its provider asked it to pause (across all nodes)")
                .temporary(true).retryAfter(Duration.ofMillis(waitMillis)).build();
    }

    /** Opens a delivery when the mailbox has a free connection slot across the nodes; the slot goes with it. */
    private MailDelivery openWithinLimits(ConfigurationInForce.Usable s, String mailbox) {
        if (gate == MailboxGate.NONE) {
            return open(s);
        }
        boolean slot;
        try {
            slot = gate.openConnection(mailbox);
        } catch (RuntimeException e) {
            LOG.warn("The mailbox's connection slots could not be read; opening without one: {}", e.getMessage());
            return open(s);
        }
        if (!slot) {
            throw new HeldBack(DeliveryFailedException.builder(Reason.SERVER_TEMPORARY_FAILURE, "Not sent yet: every "
                    + "connection mailbox " + mailbox + " may have open is in use (across all nodes)").temporary(true)
                    .retryAfter(Duration.ZERO).build());
        }
        try {
            return new GatedDelivery(open(s), gate, mailbox);
        } catch (RuntimeException e) {
            gate.connectionClosed(mailbox);
            throw e;
        }
    }

    /** A connection the mailbox's limits did not let open: nothing reached the server. */
    private static final class HeldBack extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient DeliveryFailedException failure;

        HeldBack(DeliveryFailedException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }

    /** A delivery that gives its connection slot back when it closes. */
    static final class GatedDelivery implements MailDelivery {
        final MailDelivery inner;
        private final MailboxGate gate;
        private final String mailbox;
        private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

        GatedDelivery(MailDelivery inner, MailboxGate gate, String mailbox) {
            this.inner = inner;
            this.gate = gate;
            this.mailbox = mailbox;
        }

        @Override
        public void send(MimeMessage message) {
            inner.send(message);
        }

        @Override
        public boolean isOpen() {
            return inner.isOpen();
        }

        @Override
        public Destination destination() {
            return inner.destination();
        }

        @Override
        public java.util.Optional<String> lastReply() {
            return inner.lastReply();
        }

        @Override
        public java.util.Optional<java.time.Instant> serverCertificateExpiry() {
            return inner.serverCertificateExpiry();
        }

        @Override
        public void close() {
            try {
                inner.close();
            } finally {
                if (closed.compareAndSet(false, true)) {
                    gate.connectionClosed(mailbox);
                }
            }
        }
    }

    private MailDelivery open(ConfigurationInForce.Usable s) {
        try {
            return s.provider().open(s.configuration(), inForce.deliveryContext());
        } catch (DeliveryFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw Deliveries.unexpected(s.provider(), s.configuration(), e);
        }
    }

    /** Stops taking notifications, lets the queued ones go out within the drain timeout, then closes. */
    @Override
    public void close() {
        if (own != null) {
            own.shutdown();
            try {
                if (!own.awaitTermination(drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    List<Runnable> dropped = own.shutdownNow();
                    for (Runnable r : dropped) {
                        ((Queued) r).result.completeExceptionally(new RejectedExecutionException(
                                "not sent: the email configuration service was closed before its turn"));
                    }
                    LOG.warn("{} queued notification(s) were not sent within {} ms of closing", dropped.size(),
                            drainTimeout.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                own.shutdownNow();
            }
        }
        pool.close();
    }
}
