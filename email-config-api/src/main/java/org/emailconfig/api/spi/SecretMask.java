package org.emailconfig.api.spi;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apiguardian.api.API;
import org.emailconfig.api.Secret;
import org.jspecify.annotations.Nullable;

/**
 * Masks a configuration's secrets in texts and exception chains, in every form they travel in: as entered,
 * URL-encoded (a form post), base64 with and without padding and base64url (an SMTP AUTH line, a basic or
 * bearer header). For a provider whose client library quotes a request or an answer in its exceptions: keep such
 * an exception as the cause of a {@link org.emailconfig.api.DeliveryFailedException} only through
 * {@link #mask(Throwable)}.
 *
 * <pre>{@code
 * SecretMask mask = SecretMask.of(List.of(configuration.apiKey()));
 * throw DeliveryFailedException.builder(Reason.AUTH_REJECTED, mask.mask(clientError.getMessage()))
 *         .cause(mask.mask(clientError)).build();
 * }</pre>
 *
 * <p>A secret shorter than 4 characters is left alone (masking it would mask ordinary words), as is
 * {@link Secret#keep()}. The engine masks whatever a provider throws the same way before anyone sees it; this
 * is for a provider's own use and tests. Immutable and thread-safe.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.3")
public final class SecretMask {

    private static final String MASK = "******";
    private static final int DEEPEST_CAUSE = 20;

    /** The forms, longest first, so an encoding is masked before a shorter secret inside it. */
    private final List<String> forms;

    private SecretMask(List<String> forms) {
        this.forms = forms;
    }

    /**
     * A mask for some secrets.
     *
     * @param secrets the secrets, such as every {@code SECRET} field of a draft
     * @return the mask; it masks nothing when no secret is 4 characters or longer
     */
    public static SecretMask of(Collection<Secret> secrets) {
        Set<String> out = new LinkedHashSet<>();
        for (Secret s : secrets) {
            if (s.isKeep() || s.reveal().length() < 4) {
                continue;
            }
            String text = s.reveal();
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            out.add(text);
            out.add(Base64.getEncoder().encodeToString(bytes));
            out.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
            out.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
            out.add(URLEncoder.encode(text, StandardCharsets.UTF_8));
        }
        List<String> sorted = new ArrayList<>(out);
        sorted.sort((a, b) -> b.length() - a.length());
        return new SecretMask(List.copyOf(sorted));
    }

    /**
     * The text with every form of every secret replaced by {@code ******}.
     *
     * @param text any text, or null
     * @return the masked text; {@code "null"} for null, as {@link String#valueOf(Object)} gives
     */
    public String mask(@Nullable String text) {
        String out = String.valueOf(text);
        for (String form : forms) {
            out = out.replace(form, MASK);
        }
        return out;
    }

    /**
     * Whether a text holds a secret in one of its forms.
     *
     * @param text any text, or null
     * @return true when {@link #mask(String)} would change it
     */
    public boolean isIn(@Nullable String text) {
        String t = String.valueOf(text);
        return forms.stream().anyMatch(t::contains);
    }

    /**
     * The exception to keep as a cause: itself when no message in its chain (causes and suppressed) holds a
     * secret, so callers may still look at its type; otherwise a copy of the chain whose messages are masked,
     * whose stack traces are kept, and whose {@code toString} names each original type.
     *
     * @param failure an exception from a client library
     * @return the exception or its masked copy
     */
    public Throwable mask(Throwable failure) {
        return holdsSecret(failure, 0) ? copy(failure, 0) : failure;
    }

    private boolean holdsSecret(@Nullable Throwable t, int depth) {
        if (t == null || depth > DEEPEST_CAUSE) {
            return false;
        }
        if (isIn(t.getMessage()) || isIn(t.toString())) {
            return true;
        }
        for (Throwable s : t.getSuppressed()) {
            if (holdsSecret(s, depth + 1)) {
                return true;
            }
        }
        return t.getCause() != t && holdsSecret(t.getCause(), depth + 1);
    }

    private Throwable copy(Throwable t, int depth) {
        Throwable cause = t.getCause();
        Masked copy = new Masked(t.getClass().getName(), mask(t.getMessage()),
                cause == null || cause == t || depth >= DEEPEST_CAUSE ? null : copy(cause, depth + 1));
        copy.setStackTrace(t.getStackTrace());
        for (Throwable s : t.getSuppressed()) {
            if (depth < DEEPEST_CAUSE) {
                copy.addSuppressed(copy(s, depth + 1));
            }
        }
        return copy;
    }

    /** Stands in for an exception whose message held a secret; its text names the original type. */
    private static final class Masked extends Exception {
        private static final long serialVersionUID = 1L;
        private final String originalType;

        Masked(String originalType, String maskedMessage, @Nullable Throwable cause) {
            super(maskedMessage, cause, true, true);
            this.originalType = originalType;
        }

        @Override
        public String toString() {
            return originalType + " (secrets masked): " + getMessage();
        }
    }

    @Override
    public String toString() {
        return "SecretMask[" + forms.size() + " forms]";
    }
}
