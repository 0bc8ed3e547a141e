package org.emailconfig.core.internal;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.mail.internet.MimeMessage;

import org.emailconfig.api.Actor;
import org.emailconfig.api.AuditOutcome;
import org.emailconfig.api.ConcurrentUpdateException;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.DeliveryEvent;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.EmailConfiguration;
import org.emailconfig.api.spi.AuthenticationProvider;
import org.emailconfig.api.spi.DeliveryContext;
import org.emailconfig.api.spi.MailDelivery;
import org.emailconfig.api.spi.StoredConfiguration;
import org.emailconfig.core.internal.store.GuardedStore;
import org.emailconfig.core.internal.store.SecretSealer;
import org.emailconfig.core.internal.text.LogSafe;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two steps a save and first-time setup share once a draft is bound: the test email to the actor, and
 * storing the next revision with compare-and-set (secrets sealed), which then is in force on this node.
 */
final class SaveSteps {

    private static final Logger LOG = LoggerFactory.getLogger("org.emailconfig.core");

    private final GuardedStore store;
    private final SecretSealer sealer;
    private final MimeComposer composer;
    private final DeliveryContext deliveryContext;
    private final Clock clock;
    private final ConfigurationInForce inForce;
    private final AuditTrail audit;
    private final DeliveryEvidence evidence;

    SaveSteps(GuardedStore store, SecretSealer sealer, MimeComposer composer, DeliveryContext deliveryContext,
              Clock clock, ConfigurationInForce inForce, AuditTrail audit, DeliveryEvidence evidence) {
        this.store = store;
        this.sealer = sealer;
        this.composer = composer;
        this.deliveryContext = deliveryContext;
        this.clock = clock;
        this.inForce = inForce;
        this.audit = audit;
        this.evidence = evidence;
    }

    /**
     * Sends the test email to the actor; the failure, with every secret masked, or null when it went out.
     *
     * @param revision the revision of a stored configuration tested again; 0 for a draft
     */
    @Nullable DeliveryFailedException test(AuthenticationProvider provider, EmailConfiguration candidate, Actor actor,
                                           long revision) {
        MimeMessage message = composer.testEmail(candidate, actor);
        long started = System.nanoTime();
        DeliveryEvidence.Tracer traced = new DeliveryEvidence.Tracer(revision, candidate.type(),
                DeliveryEvidence.destinationOf(candidate), DeliveryEvidence.messageId(message), started,
                List.of(actor.email()));
        DeliveryFailedException failure;
        try (MailDelivery delivery = provider.open(candidate, deliveryContext)) {
            traced.saw(delivery);
            delivery.send(message);
            DeliveryEvidence.Trace trace = traced.trace(delivery);
            evidence.record(DeliveryEvent.Kind.TEST_EMAIL, DeliveryEvent.Outcome.SENT, trace, null, 1);
            LOG.info("Test email for type '{}' delivered to the server for {} in {} ms", candidate.type(),
                    LogSafe.text(actor.id()), trace.duration().toMillis());
            return null;
        } catch (DeliveryFailedException e) {
            failure = Deliveries.guarded(provider, candidate, e);
        } catch (RuntimeException e) {
            failure = Deliveries.unexpected(provider, candidate, e);
        }
        LOG.warn("Test email for type '{}' failed ({}): {}", candidate.type(), failure.reason(), failure.getMessage());
        evidence.record(DeliveryEvent.Kind.TEST_EMAIL, failure.possiblyDelivered()
                ? DeliveryEvent.Outcome.MAYBE_DELIVERED : DeliveryEvent.Outcome.FAILED, traced.trace(null), failure, 1);
        return failure;
    }

    /** Seals the secrets and stores the next revision, puts it in force and returns its number; audits a refusal. */
    long persist(Actor actor, AuthenticationProvider provider, EmailConfiguration candidate,
                         ConfigurationDraft canonical, long revision, Set<String> changed) {
        Map<String, String> sealed = new LinkedHashMap<>();
        canonical.secrets().forEach((field, secret) -> {
            if (!secret.isKeep()) {
                sealed.put(field, sealer.seal(provider.type(), field, secret, DraftBinder.guards(provider, field),
                        canonical.values()));
            }
        });
        StoredConfiguration next = new StoredConfiguration(provider.type(), revision + 1, canonical.values(), sealed,
                clock.instant().truncatedTo(ChronoUnit.MILLIS), actor.id());
        long saving = System.nanoTime();
        try {
            store.save(next, revision);
        } catch (ConcurrentUpdateException e) {
            audit.record(actor, AuditOutcome.REJECTED_CONFLICT, provider.type(), changed, e.actualRevision(), e.reason());
            followWinner();
            throw e;
        } catch (EmailConfigException e) {
            audit.record(actor, AuditOutcome.REJECTED_STORE_FAILURE, provider.type(), changed, revision, e.reason());
            throw e;
        }
        // The commit happened somewhere between the call and its return: a late acknowledgement never moves the
        // node back past a configuration it picked up after the call began.
        inForce.adopt(inForce.snapshot(next, provider, candidate, null, saving, System.nanoTime()));
        LOG.info("Email configuration saved by {}: type '{}', revision {}, changed {}", LogSafe.text(actor.id()),
                provider.type(),
                next.revision(), changed);
        return next.revision();
    }

    /** After a lost race, puts the revision that won in force, if it can be read yet. */
    void followWinner() {
        try {
            inForce.loadAndFollow();
        } catch (RuntimeException unreadable) {
            LOG.debug("The revision that won could not be loaded yet: {}", unreadable.getMessage());
        }
    }
}
