package org.emailconfig.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.emailconfig.api.Actor;
import org.emailconfig.api.AuditOutcome;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.DiagnosisReport;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.LocalizedText;
import org.emailconfig.api.Reason;
import org.emailconfig.api.spi.DeliveryContext;
import org.emailconfig.api.spi.StoredConfiguration;
import org.emailconfig.api.spi.UnreadableConfigurationException;
import org.emailconfig.core.internal.store.GuardedStore;
import org.emailconfig.core.internal.text.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Check connection": a draft bound as a save would bind it, then its provider's diagnosis (connect, TLS,
 * login, and what a provider can see without sending), every failure guarded, Exchange Online's switch-off
 * advised. Sends nothing and stores nothing; audited.
 */
final class ConnectionCheck {

    private static final Logger LOG = LoggerFactory.getLogger("org.emailconfig.core");

    private final GuardedStore store;
    private final DraftBinder binder;
    private final DeliveryContext deliveryContext;
    private final AuditTrail audit;
    private final ExpiryWatch expiry;

    ConnectionCheck(GuardedStore store, DraftBinder binder, DeliveryContext deliveryContext, AuditTrail audit,
                    ExpiryWatch expiry) {
        this.expiry = expiry;
        this.store = store;
        this.binder = binder;
        this.deliveryContext = deliveryContext;
        this.audit = audit;
    }

    /**
     * Checks a draft against its server without sending, blank secrets taken from the stored configuration.
     *
     * @param actor the administrator, already checked
     * @param draft what the form holds
     * @return the steps, advice and failure, every secret masked; audited
     */
    DiagnosisReport check(Actor actor, ConfigurationDraft draft) {
        Optional<StoredConfiguration> stored;
        try {
            stored = store.load();
        } catch (UnreadableConfigurationException e) {
            // Nothing readable to take blank secrets from: they count as missing, as on a first save.
            stored = Optional.empty();
        }
        long revision = stored.map(StoredConfiguration::revision).orElse(0L);
        DraftBinder.Bound bound = binder.bind(actor, draft, stored, revision);
        long started = System.nanoTime();
        DiagnosisReport report;
        try {
            report = bound.provider().diagnose(bound.candidate(), deliveryContext);
            if (report.failure() != null) {
                report = new DiagnosisReport(report.steps(), report.advice(),
                        Deliveries.guarded(bound.provider(), bound.candidate(), report.failure()));
            }
        } catch (DeliveryFailedException e) {
            report = new DiagnosisReport(List.of(), List.of(), Deliveries.guarded(bound.provider(), bound.candidate(), e));
        } catch (RuntimeException e) {
            report = new DiagnosisReport(List.of(), List.of(),
                    Deliveries.unexpected(bound.provider(), bound.candidate(), e));
        }
        LocalizedText secretExpiry = expiry.credentialText(bound.candidate());
        if (secretExpiry != null) {
            List<LocalizedText> advice = new ArrayList<>(report.advice());
            advice.add(secretExpiry);
            report = new DiagnosisReport(report.steps(), advice, report.failure());
        }
        if (ExchangeOnline.basicAuth(bound.candidate())) {
            List<LocalizedText> advice = new ArrayList<>();
            advice.add(ExchangeOnline.switchOffWarning(bound.candidate()));
            advice.addAll(report.advice());
            report = new DiagnosisReport(report.steps(), advice, report.failure());
        }
        Reason failed = report.failureIfAny().map(EmailConfigException::reason)
                .orElse(report.ok() ? null : Reason.SERVER_ERROR);
        audit.record(actor, !report.ok() ? AuditOutcome.VERIFY_FAILED : report.conclusive() ? AuditOutcome.VERIFIED
                : AuditOutcome.VERIFY_INCONCLUSIVE, draft.type(), bound.changed(),
                revision, failed, bound.warnings());
        LOG.info("Connection check of type '{}' by {}: {} in {} ms", draft.type(), LogSafe.text(actor.id()),
                !report.ok() ? "failed (" + failed + ")" : report.conclusive() ? "passed" : "nothing to check",
                (System.nanoTime() - started) / 1_000_000);
        return report;
    }
}
