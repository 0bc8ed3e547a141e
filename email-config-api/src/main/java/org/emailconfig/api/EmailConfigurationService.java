package org.emailconfig.api;

import java.util.List;
import java.util.Locale;

import org.apiguardian.api.API;

/**
 * The host application's entry point to the email configuration feature. Obtain one from
 * {@code org.emailconfig.core.EmailConfig.builder()}, hold it for the application's lifetime, and
 * close it on shutdown. All methods are thread-safe.
 *
 * <p>Every method that reads, changes or tests the configuration takes the acting {@link Actor} and
 * refuses non-administrators with {@link NotAllowedException}, changing nothing.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface EmailConfigurationService extends AutoCloseable {

    /**
     * The installed authentication types and their fields, labelled in a locale.
     *
     * @param locale label language (English and German are built in)
     * @return built-in types first, then others by id
     */
    List<AuthenticationType> authenticationTypes(Locale locale);

    /**
     * The configuration in force for the edit form, secrets masked. Loads the store's newest revision and
     * switches this node to it, so the next notification uses what the admin sees.
     *
     * @param actor must be an administrator
     * @return the view; {@link ConfigurationView#configured()} is false before the first save, and
     *         {@link ConfigurationView#isDamaged()} true when the stored configuration cannot be read
     * @throws EmailConfigException with {@link Reason#STORE_FAILURE} when the store cannot be reached
     * @throws NotAllowedException for non-administrators
     */
    ConfigurationView read(Actor actor);

    /**
     * Validates a draft, sends a test email to the actor and stores the configuration, with the safe
     * defaults of {@link SaveOptions#defaults()}.
     *
     * @param actor must be an administrator; receives the test email
     * @param draft what the form submitted
     * @return the stored revision
     * @see #save(Actor, ConfigurationDraft, SaveOptions)
     */
    default SaveResult save(Actor actor, ConfigurationDraft draft) {
        return save(actor, draft, SaveOptions.defaults());
    }

    /**
     * Validates a draft, sends a test email to the actor's own address and stores the configuration as
     * the {@link TestPolicy} says. Blank secrets keep the stored ones, unless a field that the secret
     * protects changed (host, port, username ...): then the secret must be entered again.
     *
     * @param actor   must be an administrator; receives the test email
     * @param draft   what the form submitted
     * @param options test policy and expected revision
     * @return the stored revision and, where the policy stored anyway, the test failure
     * @throws NotAllowedException           for non-administrators; nothing changes
     * @throws InvalidConfigurationException with every field problem; nothing is sent or stored
     * @throws DeliveryFailedException       when the test failed under {@link TestPolicy#REQUIRE_SUCCESS};
     *                                       the previous configuration stays in force
     * @throws ConcurrentUpdateException     when another save landed first
     * @throws EmailConfigException          with {@link Reason#STORE_FAILURE} when the store failed
     */
    SaveResult save(Actor actor, ConfigurationDraft draft, SaveOptions options);

    /**
     * Checks a draft without sending or storing anything: validates it like {@link #save}, resolves blank
     * secrets under the same re-entry rules, then runs the connection steps (name resolution, TCP, TLS
     * with the certificate, greeting, EHLO, STARTTLS, AUTH; for Microsoft the token request and the
     * permissions it carries) and reports each with its outcome and duration. Where a setting is wrong and
     * the right one can be found safely, the report's advice says so. Audited as
     * {@link AuditOutcome#VERIFIED}, {@link AuditOutcome#VERIFY_FAILED}, or {@link AuditOutcome#VERIFY_INCONCLUSIVE}
     * when the type has no check of its own and nothing failed; field errors as
     * {@link AuditOutcome#REJECTED_INVALID}.
     *
     * @param actor must be an administrator; the report's texts exist in English and German
     * @param draft what the form holds
     * @return the report; a failed step is carried in it, not thrown
     * @throws NotAllowedException           for non-administrators
     * @throws InvalidConfigurationException with every field problem; nothing is checked
     * @throws EmailConfigException          with {@link Reason#STORE_FAILURE} when the stored secrets cannot
     *                                       be read
     */
    DiagnosisReport verify(Actor actor, ConfigurationDraft draft);

    /**
     * Sends a test email with the configuration in force to the actor's own address. Loads the store's
     * newest revision and switches this node to it first, so the test checks exactly what the node's
     * next notification uses.
     *
     * @param actor must be an administrator
     * @throws NotAllowedException     for non-administrators
     * @throws DeliveryFailedException when the test failed
     * @throws EmailConfigException    with {@link Reason#NOT_CONFIGURED} before the first save
     */
    void sendTestEmail(Actor actor);

    /**
     * Seals the stored secrets again with the service's current secret key, the last step of a key
     * rotation: give every node the new key as the first line of its key file with the old key on a later
     * line, call this once, then remove the old key. Stores a new revision with the same settings and
     * secrets (no test email: nothing an admin entered changed), audited as
     * {@link AuditOutcome#SECRETS_RESEALED}. Does nothing when every secret is already sealed with the
     * current key.
     *
     * @param actor must be an administrator
     * @return the revision in force afterwards
     * @throws NotAllowedException       for non-administrators
     * @throws ConcurrentUpdateException when another save landed meanwhile; call again
     * @throws EmailConfigException      with {@link Reason#NOT_CONFIGURED} before the first save, or
     *                                   {@link Reason#STORE_FAILURE} when the store failed or a secret
     *                                   cannot be opened
     */
    long resealSecrets(Actor actor);

    /**
     * The sender for the host's notifications; always uses the configuration in force on this node,
     * which follows the store's newest revision (see {@code EmailConfig.Builder#refreshInterval}) without
     * ever waiting for the store.
     *
     * @return the same instance on every call
     */
    NotificationSender notifications();

    /**
     * What the outbox holds, for an administrator: pending counts and the oldest pending age per revision, and the
     * notifications that failed for good or may have been delivered, with reason, step, hint (in the actor's
     * language) and attempts.
     *
     * @param actor an administrator
     * @return empty when the service runs without an outbox
     * @throws NotAllowedException   when the actor is not an administrator
     * @throws EmailConfigException  with {@link Reason#STORE_FAILURE} when the outbox's database cannot be read
     * @since 0.3
     */
    default java.util.Optional<OutboxStatus> outbox(Actor actor) {
        return java.util.Optional.empty();
    }

    /**
     * Sends a notification that failed for good or may have been delivered once more: it is due at once, and its
     * retry window starts again. Audited. Resending one that may have been delivered can give the recipient a
     * second copy; that is the administrator's call.
     *
     * @param actor an administrator
     * @param id    the notification's {@link OutboxStatus.Entry#id()}
     * @return false when it needs no decision any more (sent, discarded, resent by someone else, or deleted)
     * @throws NotAllowedException           when the actor is not an administrator
     * @throws UnsupportedOperationException when the service runs without an outbox
     * @since 0.3
     */
    default boolean resendNotification(Actor actor, long id) {
        throw new UnsupportedOperationException("this email configuration service runs without an outbox");
    }

    /**
     * Gives up on a notification that waits, failed for good or may have been delivered: it is never sent, and is
     * deleted with the sent ones after the retention. Audited.
     *
     * @param actor an administrator
     * @param id    the notification's id
     * @return false when it can no longer be discarded (being sent right now, sent, already discarded, or deleted)
     * @throws NotAllowedException           when the actor is not an administrator
     * @throws UnsupportedOperationException when the service runs without an outbox
     * @since 0.3
     */
    default boolean discardNotification(Actor actor, long id) {
        throw new UnsupportedOperationException("this email configuration service runs without an outbox");
    }

    /**
     * Whether email works on this node, from evidence: the configuration in force, the outcomes of real deliveries,
     * the outbox's oldest waiting notification, and Microsoft's switch-off of SMTP basic authentication. Opens no
     * connection and sends nothing, so it may be asked as often as a health endpoint likes; needs no actor, and holds
     * no secret, recipient or message.
     *
     * @return the health; never throws, also not after {@link #close()}
     * @throws UnsupportedOperationException from an implementation that keeps no evidence
     * @since 0.4
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.4")
    default EmailHealth health() {
        throw new UnsupportedOperationException("this email configuration service keeps no evidence of deliveries");
    }

    /**
     * Stops following the store, lets queued asynchronous notifications go out within the drain timeout,
     * and closes every connection. Idempotent. Afterwards every method of this service and of its
     * {@link #notifications()} throws {@link IllegalStateException}.
     */
    @Override
    void close();
}
