package org.emailconfig.core.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.EmailConfiguration;
import org.emailconfig.api.LocalizedText;
import org.emailconfig.api.Reason;
import org.emailconfig.api.Secret;
import org.emailconfig.api.spi.AuthenticationProvider;

/**
 * Shared handling of what providers throw: whatever a provider (ours or an integrator's) throws reaches the
 * caller, the log and the audit only after every secret of its configuration, and the forms a secret travels
 * in (base64, URL-encoded), are masked out of every text and cause, as the SMTP engine does for its own.
 */
final class Deliveries {

    private Deliveries() {
    }

    /**
     * Wraps a provider's unexpected exception. Its message is left out: a third-party provider might
     * have put a secret in it; the cause keeps it for debugging, with any secret masked.
     */
    static DeliveryFailedException unexpected(AuthenticationProvider provider, EmailConfiguration configuration,
                                              RuntimeException e) {
        return DeliveryFailedException.builder(Reason.SERVER_ERROR, "The authentication provider '" + provider.id()
                + "' (" + provider.getClass().getName() + ") failed unexpectedly with " + e.getClass().getName())
                .hint(CoreTexts.text("hint.providerBug"))
                .cause(SmtpFailures.withoutSecrets(e, secretsOf(provider, configuration))).build();
    }

    /**
     * A provider's failure with every secret of its configuration masked: the same exception when none of
     * its texts holds one, otherwise a copy whose message, hint, server reply, refused recipients and causes
     * are masked.
     */
    static DeliveryFailedException guarded(AuthenticationProvider provider, EmailConfiguration configuration,
                                           DeliveryFailedException e) {
        List<String> secrets = secretsOf(provider, configuration);
        if (secrets.isEmpty() || !holdsAny(e, secrets)) {
            return e;
        }
        DeliveryFailedException.Builder b = DeliveryFailedException.builder(e.reason(),
                        SmtpFailures.redact(String.valueOf(e.getMessage()), secrets))
                .serverReply(e.serverReply().map(r -> SmtpFailures.redact(r, secrets)).orElse(null))
                .cause(e.getCause() == null ? null : SmtpFailures.withoutSecrets(e.getCause(), secrets))
                .step(e.step().orElse(null)).temporary(e.temporary()).retryAfter(e.retryAfter().orElse(null))
                .requestId(e.requestId().map(r -> SmtpFailures.redact(r, secrets)).orElse(null))
                .refusedRecipients(e.refusedRecipients().stream().map(r -> SmtpFailures.redact(r, secrets)).toList())
                .deliveredRecipients(e.deliveredRecipients()).possiblyDelivered(e.possiblyDelivered())
                .attempts(Math.max(1, e.attempts()));
        e.specificHint().ifPresent(h -> b.hint(LocalizedText.of(SmtpFailures.redact(h.in(Locale.ENGLISH), secrets),
                SmtpFailures.redact(h.in(Locale.GERMAN), secrets))));
        if (e.providerCode().isPresent()) {
            b.providerCode(e.providerCode().get());
        }
        return b.build();
    }

    private static boolean holdsAny(DeliveryFailedException e, List<String> secrets) {
        List<String> texts = new ArrayList<>();
        texts.add(String.valueOf(e.getMessage()));
        e.serverReply().ifPresent(texts::add);
        e.requestId().ifPresent(texts::add);
        texts.addAll(e.refusedRecipients());
        e.specificHint().ifPresent(h -> {
            texts.add(h.in(Locale.ENGLISH));
            texts.add(h.in(Locale.GERMAN));
        });
        if (e.getCause() != null && SmtpFailures.withoutSecrets(e.getCause(), secrets) != e.getCause()) {
            return true;
        }
        return texts.stream().anyMatch(t -> !SmtpFailures.redact(t, secrets).equals(t));
    }

    /** The configuration's secrets and the forms they travel in; empty when the provider cannot say. */
    static List<String> secretsOf(AuthenticationProvider provider, EmailConfiguration configuration) {
        try {
            return secretsOf(provider.unbind(configuration));
        } catch (RuntimeException cannotSay) {
            // A provider whose unbind fails has its failure reported elsewhere; nothing to mask with here.
            return List.of();
        }
    }

    /** A draft's secrets and the forms they travel in, longest first. */
    static List<String> secretsOf(org.emailconfig.api.ConfigurationDraft draft) {
        Set<String> out = new LinkedHashSet<>();
        for (Secret s : draft.secrets().values()) {
            // A "keep" marker holds nothing; a very short secret cannot be masked without masking ordinary words.
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
        // Longest first, so a secret's encoding is masked before a shorter secret inside it.
        List<String> sorted = new ArrayList<>(out);
        sorted.sort((a, b) -> b.length() - a.length());
        return sorted;
    }
}
