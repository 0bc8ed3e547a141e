package org.emailconfig.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.EmailConfiguration;
import org.emailconfig.api.LocalizedText;
import org.emailconfig.api.Reason;
import org.emailconfig.api.spi.AuthenticationProvider;
import org.emailconfig.api.spi.SecretMask;
import org.emailconfig.core.internal.text.CoreTexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared handling of what providers throw: whatever a provider (ours or an integrator's) throws reaches the
 * caller, the log and the audit only after every secret of its configuration, and the forms a secret travels
 * in (base64, URL-encoded), are masked out of every text and cause, as the SMTP engine does for its own.
 */
final class Deliveries {

    private static final Logger LOG = LoggerFactory.getLogger("org.emailconfig.core");

    private Deliveries() {
    }

    /**
     * Wraps a provider's unexpected exception. Its message is left out: a third-party provider might
     * have put a secret in it; the cause keeps it for debugging, with any secret masked.
     */
    static DeliveryFailedException unexpected(AuthenticationProvider provider, EmailConfiguration configuration,
                                              RuntimeException e) {
        return DeliveryFailedException.builder(Reason.SERVER_ERROR, "The authentication provider '" + provider.type()
                + "' (" + provider.getClass().getName() + ") failed unexpectedly with " + e.getClass().getName())
                .hint(CoreTexts.text("hint.providerBug"))
                .cause(maskOf(provider, configuration).mask(e)).build();
    }

    /**
     * A provider's failure in its own words ({@link AuthenticationProvider#explain}) with every secret of its
     * configuration masked: the same exception when none of its texts holds one, otherwise a copy whose message,
     * hint, server reply, refused recipients and causes are masked.
     */
    static DeliveryFailedException guarded(AuthenticationProvider provider, EmailConfiguration configuration,
                                           DeliveryFailedException failure) {
        DeliveryFailedException e = explained(provider, configuration, failure);
        SecretMask mask = maskOf(provider, configuration);
        if (!holdsAny(e, mask)) {
            return e;
        }
        DeliveryFailedException.Builder b = DeliveryFailedException.builder(e.reason(), mask.mask(e.getMessage()))
                .serverReply(e.serverReply().map(mask::mask).orElse(null))
                .cause(e.getCause() == null ? null : mask.mask(e.getCause()))
                .step(e.step().orElse(null)).temporary(e.temporary()).retryAfter(e.retryAfter().orElse(null))
                .requestId(e.requestId().map(mask::mask).orElse(null))
                .refusedRecipients(e.refusedRecipients().stream().map(mask::mask).toList())
                .deliveredRecipients(e.deliveredRecipients()).possiblyDelivered(e.possiblyDelivered())
                .attempts(Math.max(1, e.attempts()));
        e.specificHint().ifPresent(h -> b.hint(LocalizedText.of(mask.mask(h.in(Locale.ENGLISH)),
                mask.mask(h.in(Locale.GERMAN)))));
        if (e.providerCode().isPresent()) {
            b.providerCode(e.providerCode().get());
        }
        return b.build();
    }

    /** The provider's own words for a failure of its delivery; its failure to find words changes nothing. */
    private static DeliveryFailedException explained(AuthenticationProvider provider, EmailConfiguration configuration,
                                                     DeliveryFailedException failure) {
        try {
            DeliveryFailedException explained = provider.explain(configuration, failure);
            return explained == null ? failure : explained;
        } catch (RuntimeException e) {
            LOG.warn("Provider {} failed to explain a delivery failure ({}); reported as the engine read it",
                    provider.getClass().getName(), e.getClass().getName());
            return failure;
        }
    }

    private static boolean holdsAny(DeliveryFailedException e, SecretMask mask) {
        List<String> texts = new ArrayList<>();
        texts.add(String.valueOf(e.getMessage()));
        e.serverReply().ifPresent(texts::add);
        e.requestId().ifPresent(texts::add);
        texts.addAll(e.refusedRecipients());
        e.specificHint().ifPresent(h -> {
            texts.add(h.in(Locale.ENGLISH));
            texts.add(h.in(Locale.GERMAN));
        });
        if (e.getCause() != null && mask.mask(e.getCause()) != e.getCause()) {
            return true;
        }
        return texts.stream().anyMatch(mask::isIn);
    }

    /** The configuration's secrets and the forms they travel in; masks nothing when the provider cannot say. */
    static SecretMask maskOf(AuthenticationProvider provider, EmailConfiguration configuration) {
        try {
            return maskOf(provider.unbind(configuration));
        } catch (RuntimeException cannotSay) {
            // A provider whose unbind fails has its failure reported elsewhere; nothing to mask with here.
            return SecretMask.of(List.of());
        }
    }

    /** A draft's secrets and the forms they travel in (a secret under 4 characters is left: it would mask words). */
    static SecretMask maskOf(ConfigurationDraft draft) {
        return SecretMask.of(draft.secrets().values());
    }
}
