package org.emailconfig.core.internal;

import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.Reason;
import org.emailconfig.api.spi.AuthenticationProvider;

/** Shared handling of provider failures that are not already classified. */
final class Deliveries {

    private Deliveries() {
    }

    /**
     * Wraps a provider's unexpected exception. Its message is left out: a third-party provider might
     * have put a secret in it; the cause keeps it for debugging.
     */
    static DeliveryFailedException unexpected(AuthenticationProvider provider, RuntimeException e) {
        return DeliveryFailedException.builder(Reason.SERVER_ERROR, "The authentication provider '" + provider.id()
                + "' (" + provider.getClass().getName() + ") failed unexpectedly with " + e.getClass().getName())
                .hint(CoreTexts.text("hint.providerBug")).cause(e).build();
    }
}
