package org.emailconfig.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The evidence of one attempt to deliver a message: a notification or a test email, how it ended, how long it took,
 * with which configuration revision and through which server. A {@link DeliveryListener} receives one for every
 * attempt; the engine's health is built from the same events. It never holds a subject or a body, and holds the
 * recipients only when the host asked for them (they are personal data); its {@link #toString()} never names them.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.4")
public final class DeliveryEvent {

    /** What was delivered. */
    public enum Kind {
        /** A notification of the host (password reset and the like), sent directly or from the outbox. */
        NOTIFICATION,
        /** The test email to an administrator: on a save, or asked for. */
        TEST_EMAIL
    }

    /** How the attempt ended. */
    public enum Outcome {
        /** The server accepted the message. */
        SENT,
        /** A temporary failure; the message is tried again. */
        RETRIED,
        /** Refused for good, or temporary failures until the retries ran out: the message was not delivered. */
        FAILED,
        /** The end of the message went out and the reply was lost: the server may have it; it is not sent again. */
        MAYBE_DELIVERED
    }

    private final Kind kind;
    private final Outcome outcome;
    private final Instant at;
    private final Duration duration;
    private final long revision;
    private final String type;
    private final String transport;
    private final String serverAddress;
    private final int serverPort;
    private final @Nullable String serverReply;
    private final @Nullable String messageId;
    private final @Nullable DeliveryFailedException failure;
    private final int attempt;
    private final List<EmailAddress> recipients;
    private final @Nullable Instant certificateExpiry;

    private DeliveryEvent(Builder b) {
        this.kind = Objects.requireNonNull(b.kind, "kind");
        this.outcome = Objects.requireNonNull(b.outcome, "outcome");
        this.at = Objects.requireNonNull(b.at, "at");
        this.duration = Objects.requireNonNull(b.duration, "duration");
        this.revision = b.revision;
        this.type = Objects.requireNonNull(b.type, "type");
        this.transport = Objects.requireNonNull(b.transport, "transport");
        this.serverAddress = b.serverAddress;
        this.serverPort = b.serverPort;
        this.serverReply = b.serverReply;
        this.messageId = b.messageId;
        this.failure = b.failure;
        this.attempt = b.attempt;
        this.recipients = List.copyOf(b.recipients);
        this.certificateExpiry = b.certificateExpiry;
        if ((outcome == Outcome.SENT) != (failure == null)) {
            throw new IllegalArgumentException("a sent message has no failure, every other outcome has one");
        }
    }

    /**
     * Starts an event.
     *
     * @param kind    what was delivered
     * @param outcome how it ended
     * @return a builder
     */
    public static Builder builder(Kind kind, Outcome outcome) {
        return new Builder(kind, outcome);
    }

    /**
     * What was delivered.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * How the attempt ended.
     *
     * @return the outcome
     */
    public Outcome outcome() {
        return outcome;
    }

    /**
     * When the attempt ended.
     *
     * @return the instant
     */
    public Instant at() {
        return at;
    }

    /**
     * How long the attempt took, from taking a connection to the server's last reply (a connection kept open from
     * an earlier message costs nothing here).
     *
     * @return the duration
     */
    public Duration duration() {
        return duration;
    }

    /**
     * The revision of the configuration the message went out with; 0 for the test email of a draft not stored yet
     * (a save tests before it stores, unless the save asked to store first).
     *
     * @return the revision, 0 for a configuration not stored
     */
    public long revision() {
        return revision;
    }

    /**
     * The authentication type of that configuration.
     *
     * @return the type
     */
    public String type() {
        return type;
    }

    /**
     * How the message travelled: {@code smtp} for the engine's SMTP connections, {@code graph} for Microsoft Graph,
     * or what a third-party provider's delivery calls itself.
     *
     * @return the transport, lower case
     */
    public String transport() {
        return transport;
    }

    /**
     * The host name of the server the message went to.
     *
     * @return the host, empty when the delivery does not say
     */
    public String serverAddress() {
        return serverAddress;
    }

    /**
     * The port of the server the message went to.
     *
     * @return the port, 0 when the delivery does not say
     */
    public int serverPort() {
        return serverPort;
    }

    /**
     * The server's last reply: its acceptance ({@code 250 2.0.0 Ok: queued as ...}) or its refusal; secrets masked.
     *
     * @return the reply, empty when none came or the delivery does not say
     */
    public Optional<String> serverReply() {
        return Optional.ofNullable(serverReply);
    }

    /**
     * The Message-ID the message was composed with, to find it in the server's logs and the recipient's mailbox. A
     * delivery that does not send the message as composed keeps its own: Microsoft Graph's JSON form (used unless
     * copies are kept in Sent Items) sends under an id Graph assigns; find such a message by
     * {@link #serverReply()}'s request id instead.
     *
     * @return the Message-ID, empty when the message had none
     */
    public Optional<String> messageId() {
        return Optional.ofNullable(messageId);
    }

    /**
     * What went wrong: reason, step, whether temporary, hint and the server's words.
     *
     * @return the failure, empty when the message was sent
     */
    public Optional<DeliveryFailedException> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Which attempt of this message it was, counting from 1.
     *
     * @return 1 or more
     */
    public int attempt() {
        return attempt;
    }

    /**
     * The recipients of the attempt, only when the host asked for them.
     *
     * @return the recipients, empty unless asked for
     */
    public List<EmailAddress> recipients() {
        return recipients;
    }

    /**
     * When the certificate the server presented expires, as this attempt's TLS handshake showed it.
     *
     * @return the end of the leaf certificate's validity; empty without TLS or when the delivery does not say
     */
    public Optional<Instant> serverCertificateExpiry() {
        return Optional.ofNullable(certificateExpiry);
    }

    /** Names the outcome, kind, revision, server, reason and duration; never a recipient. */
    @Override
    public String toString() {
        return "DeliveryEvent[" + kind + " " + outcome + ", revision " + revision + ", " + transport + " "
                + serverAddress + ":" + serverPort
                + (failure == null ? "" : ", " + failure.reason() + failure.step().map(s -> " at " + s).orElse(""))
                + ", attempt " + attempt + ", " + duration.toMillis() + " ms]";
    }

    /** Builds a {@link DeliveryEvent}. */
    public static final class Builder {
        private final Kind kind;
        private final Outcome outcome;
        private Instant at = Instant.now();
        private Duration duration = Duration.ZERO;
        private long revision;
        private String type = "";
        private String transport = "other";
        private String serverAddress = "";
        private int serverPort;
        private @Nullable String serverReply;
        private @Nullable String messageId;
        private @Nullable DeliveryFailedException failure;
        private int attempt = 1;
        private List<EmailAddress> recipients = List.of();
        private @Nullable Instant certificateExpiry;

        private Builder(Kind kind, Outcome outcome) {
            this.kind = Objects.requireNonNull(kind, "kind");
            this.outcome = Objects.requireNonNull(outcome, "outcome");
        }

        /**
         * When the attempt ended.
         *
         * @param at the instant
         * @return this
         */
        public Builder at(Instant at) {
            this.at = Objects.requireNonNull(at, "at");
            return this;
        }

        /**
         * How long the attempt took.
         *
         * @param duration the duration, not negative
         * @return this
         */
        public Builder duration(Duration duration) {
            if (duration.isNegative()) {
                throw new IllegalArgumentException("duration must not be negative: " + duration);
            }
            this.duration = duration;
            return this;
        }

        /**
         * The configuration the message went out with.
         *
         * @param revision its revision, 0 when not stored
         * @param type     its authentication type
         * @return this
         */
        public Builder configuration(long revision, String type) {
            this.revision = revision;
            this.type = Objects.requireNonNull(type, "type");
            return this;
        }

        /**
         * Where the message went.
         *
         * @param transport {@code smtp}, {@code graph} or a provider's own word
         * @param address   the server's host name, empty when unknown
         * @param port      the server's port, 0 when unknown
         * @return this
         */
        public Builder server(String transport, String address, int port) {
            this.transport = Objects.requireNonNull(transport, "transport");
            this.serverAddress = Objects.requireNonNull(address, "address");
            this.serverPort = port;
            return this;
        }

        /**
         * The server's last reply.
         *
         * @param reply the reply with secrets masked, or null
         * @return this
         */
        public Builder serverReply(@Nullable String reply) {
            this.serverReply = reply;
            return this;
        }

        /**
         * The message's Message-ID.
         *
         * @param messageId the id, or null
         * @return this
         */
        public Builder messageId(@Nullable String messageId) {
            this.messageId = messageId;
            return this;
        }

        /**
         * What went wrong; required for every outcome but {@link Outcome#SENT}.
         *
         * @param failure the failure, or null when sent
         * @return this
         */
        public Builder failure(@Nullable DeliveryFailedException failure) {
            this.failure = failure;
            return this;
        }

        /**
         * Which attempt it was.
         *
         * @param attempt 1 or more
         * @return this
         */
        public Builder attempt(int attempt) {
            if (attempt < 1) {
                throw new IllegalArgumentException("attempt counts from 1: " + attempt);
            }
            this.attempt = attempt;
            return this;
        }

        /**
         * The recipients, only when the host asked for them.
         *
         * @param recipients the recipients
         * @return this
         */
        public Builder recipients(List<EmailAddress> recipients) {
            this.recipients = List.copyOf(recipients);
            return this;
        }

        /**
         * When the server's certificate expires.
         *
         * @param expiry the end of its validity, or null
         * @return this
         */
        public Builder serverCertificateExpiry(@Nullable Instant expiry) {
            this.certificateExpiry = expiry;
            return this;
        }

        /**
         * Builds the event.
         *
         * @return the event
         * @throws IllegalArgumentException when a sent message has a failure, or another outcome has none
         */
        public DeliveryEvent build() {
            return new DeliveryEvent(this);
        }
    }
}
