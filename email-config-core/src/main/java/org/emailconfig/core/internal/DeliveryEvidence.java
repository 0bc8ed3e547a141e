package org.emailconfig.core.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.emailconfig.api.DeliveryEvent;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.DeliveryListener;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfiguration;
import org.emailconfig.api.MicrosoftOAuthConfiguration;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.spi.MailDelivery;
import org.emailconfig.api.spi.MailDelivery.Destination;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evidence of every delivery attempt on this node: hands each {@link DeliveryEvent} to the host's listeners and
 * keeps, per configuration revision, the last success and the last failure and how many failures followed the last
 * success, which is what the health of email is read from. A listener that throws is logged and changes nothing.
 */
final class DeliveryEvidence {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryEvidence.class);
    /** Revisions remembered: the one in force and a few before it, for an admin comparing them. */
    private static final int REVISIONS_KEPT = 8;

    private final List<DeliveryListener> listeners;
    /** The engine's own watchers (the expiry warnings), told before the host's listeners. */
    private final List<java.util.function.Consumer<DeliveryEvent>> watchers =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final boolean withRecipients;
    private final Clock clock;
    private final Map<Long, OfRevision> byRevision = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, OfRevision> eldest) {
            return size() > REVISIONS_KEPT;
        }
    };

    /**
     * What one revision's deliveries showed on this node.
     *
     * @param lastSuccess         the last message the server accepted, or null
     * @param lastFailure         the last attempt that failed (retried, failed or maybe delivered), or null
     * @param consecutiveFailures failed attempts since the last success
     * @param failingSince        when the first of those failures happened, or null when none
     * @param upSince             when the first success after the last failure happened, or null
     */
    record OfRevision(@Nullable DeliveryEvent lastSuccess, @Nullable DeliveryEvent lastFailure, int consecutiveFailures,
                      @Nullable Instant failingSince, @Nullable Instant upSince) {
    }

    /**
     * Where a delivery was going, its reply and Message-ID, and how long the attempt took: what an event needs besides
     * its outcome.
     *
     * @param revision    the configuration revision
     * @param type        its authentication type
     * @param destination the transport and server
     * @param reply       the server's last reply on success, or null
     * @param messageId   the message's Message-ID, or null
     * @param duration    how long the attempt took
     * @param recipients  who it went to
     * @param certificateExpiry when the server's certificate expires, as the handshake showed it, or null
     */
    record Trace(long revision, String type, Destination destination, @Nullable String reply,
                 @Nullable String messageId, Duration duration, List<EmailAddress> recipients,
                 @Nullable Instant certificateExpiry) {
    }

    /** What an attempt's evidence needs, gathered as it goes: where it went is the delivery's word once open. */
    static final class Tracer {
        private final long revision;
        private final String type;
        private Destination destination;
        private final @Nullable String messageId;
        private final long started;
        private final List<EmailAddress> recipients;

        Tracer(long revision, String type, Destination destination, @Nullable String messageId,
               long started, List<EmailAddress> recipients) {
            this.revision = revision;
            this.type = type;
            this.destination = destination;
            this.messageId = messageId;
            this.started = started;
            this.recipients = recipients;
        }

        /** A third party's delivery that cannot say where it sends keeps what the configuration says. */
        void saw(MailDelivery d) {
            try {
                Destination own = d.destination();
                if (own != null && !own.equals(Destination.UNKNOWN)) {
                    destination = own;
                }
            } catch (RuntimeException e) {
                LOG.debug("A delivery could not say where it sends: {}", e.getClass().getName());
            }
        }

        /** The trace, with the reply of a delivery that just sent, or without one (null) after a failure. */
        Trace trace(@Nullable MailDelivery sent) {
            String reply = null;
            Instant expiry = null;
            if (sent != null) {
                try {
                    reply = sent.lastReply().orElse(null);
                    expiry = sent.serverCertificateExpiry().orElse(null);
                } catch (RuntimeException e) {
                    LOG.debug("A delivery could not give its reply: {}", e.getClass().getName());
                }
            }
            return new Trace(revision, type, destination, reply, messageId,
                    Duration.ofNanos(System.nanoTime() - started), recipients, expiry);
        }
    }

    DeliveryEvidence(List<DeliveryListener> listeners, boolean withRecipients, Clock clock) {
        this.listeners = List.copyOf(listeners);
        this.withRecipients = withRecipients;
        this.clock = clock;
    }

    /** No listener, nothing kept beyond this node's memory; for parts built without a service. */
    static DeliveryEvidence none(Clock clock) {
        return new DeliveryEvidence(List.of(), false, clock);
    }

    /**
     * Where a configuration sends before a delivery says so itself: the built-in types know their server.
     *
     * @param c the configuration
     * @return its destination, or {@link Destination#UNKNOWN} for a third party's type
     */
    static Destination destinationOf(EmailConfiguration c) {
        if (c instanceof PasswordSmtpConfiguration p) {
            return new Destination("smtp", p.server().host(), p.server().port());
        }
        if (c instanceof MicrosoftOAuthConfiguration m) {
            if (m.delivery() == MicrosoftOAuthConfiguration.Delivery.GRAPH) {
                java.net.URI graph = m.endpoints().graph();
                return new Destination("graph", String.valueOf(graph.getHost()), graph.getPort() > 0 ? graph.getPort()
                        : 443);
            }
            return new Destination("smtp", m.endpoints().smtp().host(), m.endpoints().smtp().port());
        }
        return Destination.UNKNOWN;
    }

    /** The message's Message-ID, or null when it has none or cannot say. */
    static @Nullable String messageId(MimeMessage message) {
        try {
            return message.getMessageID();
        } catch (MessagingException e) {
            return null;
        }
    }

    /**
     * Records one attempt and tells the listeners.
     *
     * @param kind    what was delivered
     * @param outcome how it ended
     * @param trace   where it went and how long it took
     * @param failure what went wrong, null when sent
     * @param attempt which attempt it was, from 1
     */
    void record(DeliveryEvent.Kind kind, DeliveryEvent.Outcome outcome, Trace trace,
                @Nullable DeliveryFailedException failure, int attempt) {
        DeliveryEvent event = DeliveryEvent.builder(kind, outcome).at(Instant.now(clock))
                .duration(trace.duration().isNegative() ? Duration.ZERO : trace.duration())
                .configuration(trace.revision(), trace.type())
                .server(trace.destination().transport(), trace.destination().address(), trace.destination().port())
                .serverReply(failure == null ? trace.reply() : failure.serverReply().orElse(null))
                .messageId(trace.messageId()).failure(failure).attempt(Math.max(1, attempt))
                .recipients(withRecipients ? trace.recipients() : List.of())
                .serverCertificateExpiry(trace.certificateExpiry()).build();
        if (trace.revision() > 0) {
            synchronized (byRevision) {
                OfRevision before = byRevision.getOrDefault(trace.revision(),
                        new OfRevision(null, null, 0, null, null));
                Instant up = before.consecutiveFailures() > 0 || before.upSince() == null ? event.at() : before.upSince();
                byRevision.put(trace.revision(), outcome == DeliveryEvent.Outcome.SENT
                        ? new OfRevision(event, before.lastFailure(), 0, null, up)
                        : new OfRevision(before.lastSuccess(), event, before.consecutiveFailures() + 1,
                                before.failingSince() != null ? before.failingSince() : event.at(), before.upSince()));
            }
        }
        for (java.util.function.Consumer<DeliveryEvent> watcher : watchers) {
            try {
                watcher.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("Watching a delivery failed; the delivery is not affected: {}", e.getClass().getName());
            }
        }
        for (DeliveryListener listener : listeners) {
            try {
                listener.onDelivery(event);
            } catch (RuntimeException e) {
                LOG.warn("A delivery listener ({}) failed; the delivery is not affected: {}",
                        listener.getClass().getName(), e.getClass().getName());
            }
        }
    }

    /**
     * Adds one of the engine's own watchers of every event.
     *
     * @param watcher told of each event on the sending thread; must not block
     */
    void watch(java.util.function.Consumer<DeliveryEvent> watcher) {
        watchers.add(watcher);
    }

    /**
     * What this node saw of one revision.
     *
     * @param revision the revision
     * @return its evidence, empty when nothing was delivered with it on this node
     */
    Optional<OfRevision> of(long revision) {
        synchronized (byRevision) {
            return Optional.ofNullable(byRevision.get(revision));
        }
    }
}
