package org.emailconfig.api.spi;

import java.util.List;
import java.util.Locale;

import org.apiguardian.api.API;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.DiagnosisReport;
import org.emailconfig.api.EmailConfiguration;
import org.emailconfig.api.FieldDescriptor;
import org.emailconfig.api.InvalidConfigurationException;

/**
 * An authentication type: its form fields, how a submitted form becomes a configuration, and how to
 * deliver mail with it.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} (declare them with
 * {@code provides org.emailconfig.api.spi.AuthenticationProvider with ...} and in
 * {@code META-INF/services/org.emailconfig.api.spi.AuthenticationProvider}) or passed to the service
 * builder. They must have a public no-argument constructor that does no I/O, and be stateless or
 * thread-safe: the engine calls every method from any thread, concurrently.
 *
 * <p>The engine does the generic work, so a provider does not: it checks the actor, resolves secrets
 * left blank ({@link org.emailconfig.api.Secret#keep()}) against the stored configuration and enforces
 * {@link FieldDescriptor#reenterWhenChanged()}, sends the test email, seals secrets for the store,
 * classifies SMTP failures, and reuses open deliveries.
 *
 * <pre>{@code
 * public final class ApiKeyProvider implements AuthenticationProvider {
 *     public String type() { return "smtp-apikey"; }
 *     public List<FieldDescriptor> fields() { return FIELDS; }
 *     public EmailConfiguration bind(ConfigurationDraft draft, BindingContext context) {
 *         DraftValues v = DraftValues.of(draft, FIELDS, context.locale());
 *         EmailAddress sender = v.address("senderAddress");
 *         Secret key = v.secret("apiKey");
 *         v.throwIfInvalid();
 *         return new CustomConfiguration(type(), Sender.of(sender), Map.of(), Map.of("apiKey", key));
 *     }
 *     public ConfigurationDraft unbind(EmailConfiguration c) { ... }
 *     public MailDelivery open(EmailConfiguration c, DeliveryContext context) {
 *         return context.smtp().connect(SmtpServer.of("smtp.sendgrid.net", 587, Encryption.STARTTLS),
 *                 new SmtpLogin.Password("apikey", ((CustomConfiguration) c).secrets().get("apiKey")));
 *     }
 * }
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface AuthenticationProvider {

    /**
     * The authentication type this provider implements: lowercase letters, digits and hyphens (see
     * {@link org.emailconfig.api.AuthenticationType#requireValid}). It is stored with every configuration as
     * {@link EmailConfiguration#type()}, so it must never change. Called once at start-up.
     *
     * <p>Implement this method. It is a default method only so that providers written against 0.2, which
     * implement {@link #id()}, keep working; it becomes abstract when {@code id()} is removed.
     *
     * @return never null
     * @since 0.3
     */
    default String type() {
        return id();
    }

    /**
     * The old name of {@link #type()}.
     *
     * @return never null
     * @throws UnsupportedOperationException always, unless a provider written against 0.2 implements it
     * @deprecated one word for one thing: a configuration's {@link EmailConfiguration#type()}, a draft's and a
     *             form's type are the same value, so the provider's method has the same name. Implement
     *             {@link #type()}; the engine never calls this method.
     */
    @Deprecated(since = "0.3", forRemoval = true)
    default String id() {
        throw new UnsupportedOperationException(getClass().getName() + " implements neither type() nor id()");
    }

    /**
     * The form fields in display order. Called whenever a form is drawn; must return the same fields
     * every time.
     *
     * @return never empty
     */
    List<FieldDescriptor> fields();

    /**
     * Turns a draft into a configuration, reporting every problem at once. Secrets in the draft are
     * already resolved: none is {@link org.emailconfig.api.Secret#keep()} unless nothing was stored,
     * in which case it counts as missing. Must not do I/O.
     *
     * @param draft   the submitted fields, type equal to {@link #type()}
     * @param context gives access to the engine's Jakarta Validation and the actor's locale, in which the
     *                violations' messages are worded
     * @return the configuration, whose {@link EmailConfiguration#type()} is {@link #type()}
     * @throws InvalidConfigurationException with one violation per problem, naming the field
     */
    EmailConfiguration bind(ConfigurationDraft draft, BindingContext context);

    /**
     * The inverse of {@link #bind}: the draft that binds back to an equal configuration, secrets
     * included (the engine masks or seals them). Used for the edit form, change detection and storage.
     *
     * @param configuration a configuration of this type
     * @return the draft, never null
     */
    ConfigurationDraft unbind(EmailConfiguration configuration);

    /**
     * Opens a delivery that sends messages with a configuration. May block on network I/O, bounded by
     * the context's timeouts. The engine keeps the delivery open and reuses it for later messages of
     * the same configuration revision, closing it when the configuration changes.
     *
     * @param configuration a configuration of this type
     * @param context       the engine's SMTP connector, clock and timeouts
     * @return an open delivery, never null
     * @throws DeliveryFailedException when the server or service cannot be reached or refuses the
     *                                 credentials, classified
     */
    MailDelivery open(EmailConfiguration configuration, DeliveryContext context);

    /**
     * Checks a configuration without sending a message, for an admin's "check connection": each step
     * with its outcome, what it found, and advice where the right setting can be found safely. SMTP-based
     * providers pass their server to {@link SmtpConnector#diagnose}; others add their own steps (a token
     * request, the permissions it carries). Must not send a message or change anything.
     *
     * @param configuration a configuration of this type
     * @param context       the engine's SMTP connector, clock and timeouts
     * @return the report; a failure is carried in it, not thrown
     * @implSpec opens a delivery with {@link #open} and closes it again, as one step {@code open}: FAILED with
     *           the failure when opening fails, otherwise SKIPPED, saying that opening proves nothing about the
     *           service ({@link DiagnosisReport#withoutCheck}); never PASSED. Override it to check for real.
     */
    default DiagnosisReport diagnose(EmailConfiguration configuration, DeliveryContext context) {
        return DiagnosisReport.withoutCheck(type(), () -> open(configuration, context));
    }

    /**
     * Words a failure of a delivery this provider opened in the terms of its service, before an admin or a host
     * sees it: the engine passes every such failure through here (a save's test email, a notification, the
     * connection check), so a provider that knows its service can name the fix where the engine's generic SMTP
     * reading cannot (Exchange Online's {@code 530 5.7.57} to an XOAUTH2 session is not "enter a username and
     * password"). Secrets are masked after this, as always.
     *
     * @param configuration the configuration of this type the delivery was opened with
     * @param failure       the failure as the engine read it
     * @return the failure to report: by default {@code failure} itself. Keep what is not about wording (the step,
     *         {@code temporary()}, {@code possiblyDelivered()}, the delivered and refused recipients):
     *         {@link DeliveryFailedException#toBuilder()} does. Must not throw; a provider that throws here has its
     *         failure reported unchanged.
     * @since 0.5
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.5")
    default DeliveryFailedException explain(EmailConfiguration configuration, DeliveryFailedException failure) {
        return failure;
    }

    /**
     * The type's name in a form's type selector.
     *
     * @param locale the reader's locale
     * @return the label; by default the type
     */
    default String displayName(Locale locale) {
        return type();
    }
}
