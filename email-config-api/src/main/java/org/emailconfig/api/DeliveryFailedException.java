package org.emailconfig.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A message could not be handed to the mail server or service. The {@link #reason()} classifies the
 * failure (authentication, TLS, timeout, ...), the {@link #hint()} says what to change, and the rest
 * says what happened: the {@link #step()} that failed, whether it is {@link #temporary()} (a retry may
 * succeed) or permanent, the server's own words ({@link #serverReply()}), the recipients it refused,
 * how long the service asked to wait ({@link #retryAfter()}) and the request id to quote to the
 * service's support ({@link #requestId()}). Nothing in it is ever a secret.
 *
 * @serial exclude
 */
@API(status = API.Status.STABLE, since = "0.1")
public class DeliveryFailedException extends EmailConfigException {

    private static final long serialVersionUID = 1L;

    private final @Nullable String serverReply;
    private final @Nullable DeliveryStep step;
    private final boolean temporary;
    private final @Nullable Duration retryAfter;
    private final @Nullable String requestId;
    private final List<String> refusedRecipients;
    private final List<String> deliveredRecipients;
    private final boolean possiblyDelivered;
    private final int attempts;
    private final @Nullable String providerCode;

    /**
     * Creates a permanent failure at an unknown step; prefer {@link #builder(Reason, String)}.
     *
     * @param reason      the classification
     * @param message     what failed, naming host and port or endpoint; never a secret
     * @param hint        what to do, or null for the reason's default
     * @param serverReply the server's reply line (e.g. {@code 535 5.7.8 ...}), or null
     * @param cause       the underlying library exception, or null
     */
    public DeliveryFailedException(Reason reason, String message, @Nullable String hint, @Nullable String serverReply,
                                   @Nullable Throwable cause) {
        this(builder(reason, message).hint(hint).serverReply(serverReply).cause(cause));
    }

    private DeliveryFailedException(Builder b) {
        super(b.reason, b.message, b.hint, b.cause);
        this.serverReply = b.serverReply;
        this.step = b.step;
        this.temporary = b.temporary;
        this.retryAfter = b.retryAfter;
        this.requestId = b.requestId;
        this.refusedRecipients = List.copyOf(b.refusedRecipients);
        this.deliveredRecipients = List.copyOf(b.deliveredRecipients);
        this.possiblyDelivered = b.possiblyDelivered;
        this.attempts = b.attempts;
        this.providerCode = b.providerCode;
    }

    /**
     * A builder holding everything this failure says, to derive a changed copy (the same cause).
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = builder(reason(), String.valueOf(getMessage())).hint(specificHint().orElse(null)).serverReply(serverReply)
                .cause(getCause())
                .step(step).temporary(temporary).retryAfter(retryAfter).requestId(requestId)
                .refusedRecipients(refusedRecipients).deliveredRecipients(deliveredRecipients)
                .possiblyDelivered(possiblyDelivered).providerCode(providerCode);
        b.attempts = attempts;
        return b;
    }

    /**
     * Starts describing a failure.
     *
     * @param reason  the classification
     * @param message what failed, naming host and port or endpoint; never a secret
     * @return a builder; a failure is permanent unless {@link Builder#temporary(boolean)} says otherwise
     */
    public static Builder builder(Reason reason, String message) {
        return new Builder(reason, message);
    }

    /**
     * The server's reply, when the server said something.
     *
     * @return the reply line
     */
    public Optional<String> serverReply() {
        return Optional.ofNullable(serverReply);
    }

    /**
     * The step that failed.
     *
     * @return empty when the provider did not say
     */
    public Optional<DeliveryStep> step() {
        return Optional.ofNullable(step);
    }

    /**
     * Whether the same message may well go through a little later (a 4xx reply, a timeout, a lost
     * connection, a busy service); false for failures that need a change (a wrong password, a refused
     * recipient).
     *
     * @return true for a temporary failure
     */
    public boolean temporary() {
        return temporary;
    }

    /**
     * How long the server or service asked to wait before trying again (HTTP {@code Retry-After}).
     *
     * @return empty when it did not say
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * The id of the request as the service knows it (for Microsoft, the {@code client-request-id}), to
     * quote to its support.
     *
     * @return empty for SMTP and when unknown
     */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /**
     * How many times the message was tried before the engine gave up (temporary failures of a notification
     * are tried again within a deadline).
     *
     * @return at least 1
     */
    public int attempts() {
        return attempts;
    }

    /**
     * The provider's own code for this failure, stable and machine-readable, such as
     * {@code webhook.unauthorized}; set with {@link Reason#PROVIDER_FAILURE}.
     *
     * @return empty for the library's own failures
     */
    public Optional<String> providerCode() {
        return Optional.ofNullable(providerCode);
    }

    /**
     * The recipient addresses the server refused, each with its reply, when it refused some.
     *
     * @return for example {@code ["bob@example.com: 550 5.1.1 User unknown"]}; empty otherwise
     */
    public List<String> refusedRecipients() {
        return refusedRecipients;
    }

    /**
     * The recipients the server accepted the message for before the failure: they have it, and it is never
     * sent to them again. Not empty when some recipients were refused (see {@link #refusedRecipients()}) or
     * could not be reached in further transactions while others got the message.
     *
     * @return addresses as written in the message; empty when nobody got it
     */
    public List<String> deliveredRecipients() {
        return deliveredRecipients;
    }

    /**
     * Whether the message may have reached the server although this failure says otherwise: the whole
     * message went out (the end of the SMTP data, or the whole body of an HTTP request) and the answer never
     * came back. Such a message is never sent again by the library, so as not to send it twice; tell the
     * admin to check whether it arrived.
     *
     * @return true when the outcome is unknown; false when the message certainly was not accepted
     */
    public boolean possiblyDelivered() {
        return possiblyDelivered;
    }

    /** Describes a {@link DeliveryFailedException}; not thread-safe. */
    public static final class Builder {
        private final Reason reason;
        private final String message;
        private @Nullable LocalizedText hint;
        private @Nullable String serverReply;
        private @Nullable Throwable cause;
        private @Nullable DeliveryStep step;
        private boolean temporary;
        private @Nullable Duration retryAfter;
        private @Nullable String requestId;
        private List<String> refusedRecipients = List.of();
        private List<String> deliveredRecipients = List.of();
        private boolean possiblyDelivered;
        private int attempts = 1;
        private @Nullable String providerCode;

        private Builder(Reason reason, String message) {
            this.reason = Objects.requireNonNull(reason, "reason");
            this.message = Objects.requireNonNull(message, "message");
        }

        /**
         * What to do.
         *
         * @param hint null for the reason's default
         * @return this
         */
        public Builder hint(@Nullable String hint) {
            this.hint = hint == null ? null : LocalizedText.untranslated(hint);
            return this;
        }

        /**
         * What to do, in English and German.
         *
         * @param hint null for the reason's default
         * @return this
         */
        public Builder hint(@Nullable LocalizedText hint) {
            this.hint = hint;
            return this;
        }

        /**
         * The server's reply line, with any secret already masked.
         *
         * @param reply null when the server said nothing
         * @return this
         */
        public Builder serverReply(@Nullable String reply) {
            this.serverReply = reply;
            return this;
        }

        /**
         * The library exception behind it.
         *
         * @param cause or null
         * @return this
         */
        public Builder cause(@Nullable Throwable cause) {
            this.cause = cause;
            return this;
        }

        /**
         * The step that failed.
         *
         * @param step or null when unknown
         * @return this
         */
        public Builder step(@Nullable DeliveryStep step) {
            this.step = step;
            return this;
        }

        /**
         * Whether a retry may succeed without any change.
         *
         * @param temporary true for a temporary failure
         * @return this
         */
        public Builder temporary(boolean temporary) {
            this.temporary = temporary;
            return this;
        }

        /**
         * How long the service asked to wait.
         *
         * @param retryAfter or null
         * @return this
         */
        public Builder retryAfter(@Nullable Duration retryAfter) {
            this.retryAfter = retryAfter;
            return this;
        }

        /**
         * The service's request id.
         *
         * @param requestId or null
         * @return this
         */
        public Builder requestId(@Nullable String requestId) {
            this.requestId = requestId;
            return this;
        }

        /**
         * The refused recipients, each as "address: reply".
         *
         * @param recipients copied
         * @return this
         */
        public Builder refusedRecipients(List<String> recipients) {
            this.refusedRecipients = List.copyOf(recipients);
            return this;
        }

        /**
         * The recipients that got the message before the failure.
         *
         * @param recipients addresses, copied
         * @return this
         */
        public Builder deliveredRecipients(List<String> recipients) {
            this.deliveredRecipients = List.copyOf(recipients);
            return this;
        }

        /**
         * Says that the whole message went out and its answer was lost, so it may have been accepted; such a
         * failure is never retried, whatever {@link #temporary(boolean)} says.
         *
         * @param possiblyDelivered true when the outcome is unknown
         * @return this
         */
        public Builder possiblyDelivered(boolean possiblyDelivered) {
            this.possiblyDelivered = possiblyDelivered;
            return this;
        }

        /**
         * The provider's own code for this failure (with {@link Reason#PROVIDER_FAILURE}); pair it with a
         * {@link #hint(LocalizedText)} in the provider's words.
         *
         * @param code letters, digits, dots, hyphens and underscores, or null
         * @return this
         */
        public Builder providerCode(@Nullable String code) {
            if (code != null && !code.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("a provider code is 1 to 64 letters, digits, '.', '_' or '-'");
            }
            this.providerCode = code;
            return this;
        }

        /**
         * How many attempts were made.
         *
         * @param attempts at least 1
         * @return this
         */
        public Builder attempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1");
            }
            this.attempts = attempts;
            return this;
        }

        /**
         * Builds the exception.
         *
         * @return the exception, to throw
         */
        public DeliveryFailedException build() {
            return new DeliveryFailedException(this);
        }
    }
}
