package org.emailconfig.api;

import java.util.Optional;

/**
 * A message could not be handed to the mail server or service. The {@link #reason()} classifies the
 * failure (authentication, TLS, timeout, ...), the {@link #hint()} says what to change, and
 * {@link #serverReply()} holds the server's own words when there were any.
 */
public class DeliveryFailedException extends EmailConfigException {

    private static final long serialVersionUID = 1L;

    private final String serverReply;

    /**
     * Creates the exception.
     *
     * @param reason      the classification
     * @param message     what failed, naming host and port or endpoint; never a secret
     * @param hint        what to do, or null for the reason's default
     * @param serverReply the server's reply line (e.g. {@code 535 5.7.8 ...}), or null
     * @param cause       the underlying library exception, or null
     */
    public DeliveryFailedException(Reason reason, String message, String hint, String serverReply, Throwable cause) {
        super(reason, message, hint, cause);
        this.serverReply = serverReply;
    }

    /**
     * The server's reply, when the server said something.
     *
     * @return the reply line
     */
    public Optional<String> serverReply() {
        return Optional.ofNullable(serverReply);
    }
}
