package org.emailconfig.core.internal;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.emailconfig.api.Actor;
import org.emailconfig.api.AuditOutcome;
import org.emailconfig.api.ConcurrentUpdateException;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.spi.AuthenticationProvider;
import org.emailconfig.api.spi.StoredConfiguration;
import org.emailconfig.core.internal.store.GuardedStore;
import org.emailconfig.core.internal.store.SecretSealer;
import org.emailconfig.core.internal.text.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a key rotation: the stored secrets sealed again with the current key, stored as the next revision with
 * compare-and-set, so the old key can be retired. Audited like a save.
 */
final class Resealing {

    private static final Logger LOG = LoggerFactory.getLogger("org.emailconfig.core");

    private final GuardedStore store;
    private final ProviderRegistry providers;
    private final SecretSealer sealer;
    private final Clock clock;
    private final ConfigurationInForce inForce;
    private final AuditTrail audit;

    Resealing(GuardedStore store, ProviderRegistry providers, SecretSealer sealer, Clock clock,
              ConfigurationInForce inForce, AuditTrail audit) {
        this.store = store;
        this.providers = providers;
        this.sealer = sealer;
        this.clock = clock;
        this.inForce = inForce;
        this.audit = audit;
    }

    /**
     * Seals the stored secrets again with the current key, as a new revision, when any was sealed with an older
     * key or format; the revision stays when none was.
     *
     * @param actor the administrator, already checked
     * @return the revision in force afterwards
     */
    long reseal(Actor actor) {
        StoredConfiguration s;
        try {
            s = store.load().orElseThrow(ConfigurationInForce::notConfigured);
        } catch (EmailConfigException e) {
            audit.record(actor, AuditOutcome.REJECTED_STORE_FAILURE, null, Set.of(), inForce.revisionInForce(), e.reason());
            throw e;
        }
        if (s.sealedSecrets().values().stream().noneMatch(sealer::needsReseal)) {
            return s.revision();
        }
        StoredConfiguration next;
        long saving;
        try {
            AuthenticationProvider provider = providers.require(s.type(), "The stored email configuration");
            Map<String, String> resealed = new LinkedHashMap<>();
            s.sealedSecrets().forEach((field, sealed) -> resealed.put(field, sealer.seal(s.type(), field,
                    sealer.unseal(s.type(), field, sealed, s.settings()), DraftBinder.guards(provider, field), s.settings())));
            next = new StoredConfiguration(s.type(), s.revision() + 1, s.settings(), resealed,
                    clock.instant().truncatedTo(ChronoUnit.MILLIS), actor.id());
            saving = System.nanoTime();
            store.save(next, s.revision());
        } catch (ConcurrentUpdateException e) {
            audit.record(actor, AuditOutcome.REJECTED_CONFLICT, s.type(), Set.of(), e.actualRevision(), e.reason());
            throw e;
        } catch (EmailConfigException e) {
            audit.record(actor, AuditOutcome.REJECTED_STORE_FAILURE, s.type(), Set.of(), s.revision(), e.reason());
            throw e;
        }
        inForce.follow(next, saving, System.nanoTime());
        LOG.info("Stored secrets of revision {} sealed again with key {} as revision {} by {}", s.revision(),
                sealer.currentKeyId(), next.revision(), LogSafe.text(actor.id()));
        audit.record(actor, AuditOutcome.SECRETS_RESEALED, s.type(), Set.of(), next.revision(), null);
        return next.revision();
    }
}
