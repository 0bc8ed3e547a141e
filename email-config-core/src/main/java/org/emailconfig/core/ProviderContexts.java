package org.emailconfig.core;

import java.util.Locale;

import org.apiguardian.api.API;
import org.emailconfig.api.spi.BindingContext;
import org.emailconfig.api.spi.DeliveryContext;
import org.emailconfig.core.internal.smtp.AngusSmtpConnector;
import org.emailconfig.core.internal.HibernateBindingContext;

/**
 * The contexts the engine hands an {@link org.emailconfig.api.spi.AuthenticationProvider}, outside a
 * service: for testing a provider's {@code bind}, {@code open} and {@code diagnose} directly, with exactly
 * the engine's validation, SMTP connector, timeouts and trust. Get one from
 * {@link EmailConfig.Builder#providerContexts()}; close it to release the connector's thread.
 *
 * <pre>{@code
 * try (ProviderContexts contexts = EmailConfig.builder().trustStore(TestCertificates.trustStore()).providerContexts()) {
 *     EmailConfiguration c = provider.bind(draft, contexts.binding(Locale.GERMAN));
 *     try (MailDelivery d = provider.open(c, contexts.delivery())) { ... }
 * }
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ProviderContexts implements AutoCloseable {

    private final HibernateBindingContext binding = new HibernateBindingContext();
    private final AngusSmtpConnector smtp;
    private final DeliveryContext delivery;

    ProviderContexts(AngusSmtpConnector smtp, DeliveryContext delivery) {
        this.smtp = smtp;
        this.delivery = delivery;
    }

    /**
     * What {@code bind} receives for an administrator with this locale.
     *
     * @param locale the administrator's locale
     * @return the binding context
     */
    public BindingContext binding(Locale locale) {
        return binding.in(locale);
    }

    /**
     * What {@code open} and {@code diagnose} receive.
     *
     * @return the delivery context
     */
    public DeliveryContext delivery() {
        return delivery;
    }

    /** Releases the validator and the connector's write-timeout thread. Idempotent. */
    @Override
    public void close() {
        smtp.close();
        binding.close();
    }
}
