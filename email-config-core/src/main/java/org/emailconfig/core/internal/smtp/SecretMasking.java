package org.emailconfig.core.internal.smtp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import org.emailconfig.api.spi.SmtpLogin;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a connection's secrets (the password or token, and the base64 forms AUTH sends them in) out of every
 * text and cause the SMTP engine gives away: a server that quotes what it got, in its 535 say, must not put a
 * secret in an exception or a log line. Unlike the SPI's {@code SecretMask} it masks a secret of any length: a
 * login's secret is known exactly, not guessed among ordinary words.
 */
final class SecretMasking {

    private SecretMasking() {
    }

    /** A login's secret and the base64 forms an SMTP client sends it in. */
    static List<String> secretsOf(SmtpLogin login) {
        List<String> secrets = new ArrayList<>();
        // The secret and the base64 forms the client sends it in: a server that quotes what it got (some
        // do, in their 535) must not put those in an exception either.
        if (login instanceof SmtpLogin.Password p) {
            String password = p.password().reveal();
            secrets.add(password);
            secrets.add(base64("\0" + p.username() + "\0" + password));
            secrets.add(base64(password));
        } else if (login instanceof SmtpLogin.XOAuth2 x) {
            String token = x.accessToken().reveal();
            secrets.add(token);
            secrets.add(base64("user=" + x.username() + "\u0001auth=Bearer " + token + "\u0001\u0001"));
        }
        return secrets;
    }

    private static String base64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The failure as the cause to keep: itself when no message in its chain holds a secret (hosts may look at
     * Angus's types), otherwise a copy of the chain with each message masked and each stack trace kept.
     */
    static Throwable withoutSecrets(Throwable t, List<String> secrets) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
            if (!redactText(String.valueOf(c.getMessage()), secrets).equals(String.valueOf(c.getMessage()))) {
                return masked(t, secrets, Collections.newSetFromMap(new IdentityHashMap<>()));
            }
        }
        return t;
    }

    /** The copy ends where the chain comes back to a failure it already holds (causes may form a loop). */
    private static Throwable masked(Throwable t, List<String> secrets, Set<Throwable> copied) {
        copied.add(t);
        Throwable cause = t.getCause();
        RedactedCause copy = new RedactedCause(t.getClass().getName(), redactText(String.valueOf(t.getMessage()), secrets),
                cause == null || copied.contains(cause) ? null : masked(cause, secrets, copied));
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    /** Stands in for a failure whose message held a secret; its text names the original type. */
    static final class RedactedCause extends Exception {
        private static final long serialVersionUID = 1L;
        private final String originalType;

        RedactedCause(String originalType, @Nullable String maskedMessage, @Nullable Throwable cause) {
            super(maskedMessage, cause, false, true);
            this.originalType = originalType;
        }

        @Override
        public String toString() {
            return originalType + " (secrets masked): " + getMessage();
        }
    }

    /** The text with every secret masked; null stays null. */
    static @Nullable String redact(@Nullable String text, List<String> secrets) {
        return text == null ? null : redactText(text, secrets);
    }

    /** The text with every secret masked. */
    static String redactText(String text, List<String> secrets) {
        String out = text;
        for (String s : secrets) {
            if (!s.isEmpty()) {
                out = out.replace(s, "******");
            }
        }
        return out;
    }
}
