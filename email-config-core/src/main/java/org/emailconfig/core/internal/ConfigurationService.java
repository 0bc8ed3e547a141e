package org.emailconfig.core.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;


import org.apiguardian.api.API;
import org.emailconfig.api.Actor;
import org.emailconfig.api.AuditListener;
import org.emailconfig.api.AuditOutcome;
import org.emailconfig.api.AuthenticationType;
import org.emailconfig.api.ConcurrentUpdateException;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.ConfigurationView;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.DiagnosisReport;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.EmailHealth;
import org.emailconfig.api.EmailConfiguration;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.NotAllowedException;
import org.emailconfig.api.NotificationSender;
import org.emailconfig.api.OutboxStatus;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.Reason;
import org.emailconfig.api.SaveOptions;
import org.emailconfig.api.SaveResult;
import org.emailconfig.api.TestPolicy;
import org.emailconfig.api.spi.AuthenticationProvider;
import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.api.spi.DeliveryContext;
import org.emailconfig.api.spi.StoredConfiguration;
import org.emailconfig.api.spi.UnreadableConfigurationException;
import org.emailconfig.core.InitialConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.emailconfig.core.internal.smtp.AngusSmtpConnector;
import org.emailconfig.core.internal.store.SecretSealer;
import org.emailconfig.core.internal.store.GuardedStore;
import org.emailconfig.core.internal.text.LogSafe;
import org.jspecify.annotations.Nullable;

/**
 * The service behind {@link org.emailconfig.core.EmailConfig}: admin check, secret resolution,
 * validation, test-on-save, sealing, compare-and-set persistence and audit. The configuration in force, which
 * notifications read without touching the store, is {@link ConfigurationInForce}'s.
 *
 * <p>{@link #read}, {@link #sendTestEmail} and a save
 * first load the store's newest revision and switch to it, so what the admin sees and tests is what the
 * next notification uses; between them, {@link StoreFollower} keeps the node on the newest revision.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ConfigurationService implements EmailConfigurationService {

    private static final Logger LOG = LoggerFactory.getLogger("org.emailconfig.core");

    private final GuardedStore store;
    private final ProviderRegistry providers;
    private final SecretSealer sealer;
    private final HibernateBindingContext binding;
    private final AngusSmtpConnector smtp;
    private final AuditTrail audit;
    private final DraftBinder binder;
    private final SaveSteps steps;
    private final FirstTimeSetup firstTimeSetup;
    private final Resealing resealing;
    private final ConnectionCheck connectionCheck;
    private final Notifications notifications;
    /** This node's worker of the host's outbox; null without one. */
    private final @Nullable OutboxWorker outboxWorker;
    private final @Nullable OutboxAdmin outboxAdmin;
    private final Duration drainTimeout;
    private final HealthReport health;
    /** How long the outbox's oldest notification may wait before health says DEGRADED. */
    private static final Duration OUTBOX_BACKLOG = Duration.ofMinutes(15);
    private final ExpiryWatch expiry;
    private final DeliveryEvidence evidence;
    private final StoreFollower follower;
    private final ConfigurationInForce inForce;

    /**
     * Wires the service; {@link org.emailconfig.core.EmailConfig.Builder} is the public way in.
     *
     * @param store           the store
     * @param providers       the providers
     * @param sealer          seals secrets for the store
     * @param smtp            the SMTP engine
     * @param deliveryContext what providers get when opening a delivery
     * @param clock           time source
     * @param applicationName named in test emails
     * @param listeners       audit listeners
     * @param refreshInterval how often the store is asked whether another node saved
     * @param allowPasswordsOverUnencryptedConnections whether a password may go over an unencrypted connection to a
     *                        non-loopback host
     * @param notificationSettings retries and the asynchronous executor of notifications
     * @param storeTimeout    how long a call to the store may take; null or zero for no bound (the library's own
     *                        stores bound themselves)
     * @param evidence        receives every delivery attempt's outcome
     * @param expiryWarnings  how long before an expiry to warn, each once
     */
    public ConfigurationService(ConfigStore store, ProviderRegistry providers, SecretSealer sealer,
                                AngusSmtpConnector smtp, DeliveryContext deliveryContext, Clock clock,
                                String applicationName, List<AuditListener> listeners, Duration refreshInterval,
                                boolean allowPasswordsOverUnencryptedConnections, NotificationSettings notificationSettings,
                                @Nullable Duration storeTimeout, DeliveryEvidence evidence,
                                List<Duration> expiryWarnings) {
        this.store = new GuardedStore(store, storeTimeout);
        this.providers = providers;
        this.sealer = sealer;
        this.binding = new HibernateBindingContext();
        this.smtp = smtp;
        MimeComposer composer = new MimeComposer(clock, applicationName);
        this.audit = new AuditTrail(clock, listeners);
        this.inForce = new ConfigurationInForce(this.store, providers, sealer, binding, deliveryContext, composer);
        this.binder = new DraftBinder(providers, binding, inForce, audit, allowPasswordsOverUnencryptedConnections);
        this.steps = new SaveSteps(this.store, sealer, composer, deliveryContext, clock, inForce, audit, evidence);
        this.firstTimeSetup = new FirstTimeSetup(this.store, providers, binder, steps, audit);
        this.resealing = new Resealing(this.store, providers, sealer, clock, inForce, audit);
        ExpiryWatch expiry = new ExpiryWatch(expiryWarnings, audit, clock);
        this.expiry = expiry;
        this.connectionCheck = new ConnectionCheck(this.store, binder, deliveryContext, audit, expiry);
        this.notifications = new Notifications(inForce, notificationSettings, evidence);
        this.drainTimeout = notificationSettings.drainTimeout();
        NotificationSettings.Outbox outbox = notificationSettings.outbox();
        if (outbox == null) {
            this.outboxWorker = null;
            this.outboxAdmin = null;
        } else {
            OutboxWorker worker = new OutboxWorker(outbox.rows(), outbox.gate(), notifications, clock, new OutboxWorker.Settings(
                    outbox.node(), notificationSettings.connections(), outbox.lease(), outbox.pollInterval(),
                    outbox.retryWindow(), outbox.keepSent()));
            outbox.onWritten().accept(worker::wakeUp);
            this.outboxWorker = worker;
            this.outboxAdmin = new OutboxAdmin(outbox.rows(), clock, audit);
        }
        this.follower = new StoreFollower(inForce, this.store, refreshInterval);
        evidence.watch(expiry::seen);
        // Every delivery looks at the secret's date too, so the warning comes even where nobody reads health.
        evidence.watch(e -> {
            ConfigurationInForce.Snapshot held = inForce.held();
            if (held != null) {
                expiry.credential(held.configuration(), held.revision());
            }
        });
        this.evidence = evidence;
        this.health = new HealthReport(inForce, evidence, expiry, outboxAdmin, OUTBOX_BACKLOG, clock,
                notifications::connectionsInUse);
    }

    /**
     * Loads the stored configuration once at start-up, so the first notification does not pay for it,
     * and starts following the store.
     */
    public void start() {
        warnings().forEach(w -> LOG.warn("Email configuration storage: {}", w));
        try {
            inForce.followStore();
        } catch (EmailConfigException e) {
            LOG.warn("The stored email configuration cannot be used yet ({}): {}", e.reason(), e.getMessage());
        }
        follower.start();
        if (outboxWorker != null) {
            outboxWorker.start();
        }
    }

    @Override
    public List<AuthenticationType> authenticationTypes(Locale locale) {
        inForce.requireOpen();
        return providers.all().stream()
                .map(p -> new AuthenticationType(p.type(), p.displayName(locale), p.fields()))
                .toList();
    }

    @Override
    public ConfigurationView read(Actor actor) {
        try {
            return readFor(actor);
        } catch (EmailConfigException e) {
            throw speaking(e, actor);
        }
    }

    private ConfigurationView readFor(Actor actor) {
        requireAdmin(actor, "view", null);
        List<AuthenticationType> types = authenticationTypes(actor.locale());
        List<String> warnings = warnings();
        Optional<StoredConfiguration> stored;
        try {
            stored = inForce.loadAndFollow();
        } catch (UnreadableConfigurationException e) {
            return new ConfigurationView(null, damagedBase(e), Map.of(), Set.of(), null, null, types,
                    e.getMessage(), warnings);
        }
        return stored
                .map(s -> new ConfigurationView(s.type(), s.revision(), s.settings(), s.sealedSecrets().keySet(),
                        s.savedAt(), s.savedBy(), types, null, warnings, about(s, actor.locale())))
                .orElseGet(() -> new ConfigurationView(null, 0, Map.of(), Set.of(), null, null, types, null, warnings));
    }

    /** What the administrator should know about a stored configuration: what will end, and when. */
    private List<String> about(StoredConfiguration s, Locale locale) {
        List<String> about = new ArrayList<>();
        if (ExchangeOnline.basicAuth(s.type(), s.settings())) {
            about.add(ExchangeOnline.switchOffWarning(s.settings().getOrDefault(PasswordSmtpConfiguration.HOST, ""))
                    .in(locale));
        }
        EmailHealth.Concern certificate = expiry.concern(evidence.of(s.revision())
                .map(DeliveryEvidence.OfRevision::lastSuccess).orElse(null));
        if (certificate != null) {
            about.add(certificate.text().in(locale));
        }
        ConfigurationInForce.Snapshot held = inForce.held();
        EmailHealth.Concern secret = held == null || held.revision() != s.revision() ? null
                : expiry.credential(held.configuration(), held.revision());
        if (secret != null) {
            about.add(secret.text().in(locale));
        }
        return about;
    }

    private List<String> warnings() {
        List<String> all = new ArrayList<>(store.warnings());
        all.addAll(sealer.warnings());
        return all;
    }

    /** The revision a replacement of damaged data builds on: never below what this node already used. */
    private long damagedBase(UnreadableConfigurationException e) {
        return Math.max(e.revision(), inForce.revisionInForce());
    }

    @Override
    public SaveResult save(Actor actor, ConfigurationDraft draft, SaveOptions options) {
        try {
            return saveFor(actor, draft, options);
        } catch (EmailConfigException e) {
            throw speaking(e, actor);
        }
    }

    private SaveResult saveFor(Actor actor, ConfigurationDraft draft, SaveOptions options) {
        Objects.requireNonNull(draft, "draft");
        Objects.requireNonNull(options, "options");
        requireAdmin(actor, "change", draft.type());

        Optional<StoredConfiguration> stored;
        long revision;
        boolean replacingDamaged = false;
        try {
            stored = inForce.loadAndFollow();
            revision = stored.map(StoredConfiguration::revision).orElse(0L);
        } catch (UnreadableConfigurationException e) {
            if (!options.mayReplaceDamaged()) {
                audit.record(actor, AuditOutcome.REJECTED_STORE_FAILURE, draft.type(), Set.of(), inForce.revisionInForce(), e.reason());
                throw e;
            }
            LOG.warn("Replacing the damaged email configuration as {} asked: {}", LogSafe.text(actor.id()),
                    e.getMessage());
            stored = Optional.empty();
            revision = damagedBase(e);
            replacingDamaged = true;
        } catch (EmailConfigException e) {
            audit.record(actor, AuditOutcome.REJECTED_STORE_FAILURE, draft.type(), Set.of(), inForce.revisionInForce(), e.reason());
            throw e;
        }
        if (options.expectedRevision() != SaveOptions.ANY_REVISION && options.expectedRevision() != revision) {
            audit.record(actor, AuditOutcome.REJECTED_CONFLICT, draft.type(), Set.of(), revision, Reason.CONCURRENT_UPDATE);
            throw new ConcurrentUpdateException(options.expectedRevision(), revision);
        }

        DraftBinder.Bound bound = binder.bind(actor, draft, stored, revision);
        AuthenticationProvider provider = bound.provider();
        EmailConfiguration candidate = bound.candidate();
        ConfigurationDraft canonical = bound.canonical();
        Set<String> changed = bound.changed();
        List<String> warnings = bound.warnings();

        if (options.testPolicy() != TestPolicy.SAVE_THEN_TEST && !replacingDamaged) {
            // Another node may have saved while the form was bound: a save that would lose at commit sends no
            // test email first. (The commit checks again: a save during the test still loses there.)
            stillCurrent(actor, draft.type(), revision);
        }
        switch (options.testPolicy()) {
            case REQUIRE_SUCCESS -> {
                DeliveryFailedException failure = steps.test(provider, candidate, actor, 0);
                if (failure != null) {
                    audit.record(actor, AuditOutcome.REJECTED_TEST_FAILED, draft.type(), changed, revision, failure.reason());
                    throw failure;
                }
                long saved = steps.persist(actor, provider, candidate, canonical, revision, changed);
                audit.record(actor, replacingDamaged ? AuditOutcome.SAVED_REPLACING_DAMAGED : AuditOutcome.SAVED,
                        draft.type(), changed, saved, null, warnings);
                return new SaveResult(saved, null, warnings);
            }
            case SAVE_ANYWAY -> {
                DeliveryFailedException failure = steps.test(provider, candidate, actor, 0);
                long saved = steps.persist(actor, provider, candidate, canonical, revision, changed);
                audit.saved(actor, draft.type(), changed, saved, failure, replacingDamaged, warnings);
                return new SaveResult(saved, failure, warnings);
            }
            case SAVE_THEN_TEST -> {
                long saved = steps.persist(actor, provider, candidate, canonical, revision, changed);
                DeliveryFailedException failure = steps.test(provider, candidate, actor, saved);
                audit.saved(actor, draft.type(), changed, saved, failure, replacingDamaged, warnings);
                return new SaveResult(saved, failure, warnings);
            }
            default -> throw new IllegalStateException("unknown test policy " + options.testPolicy());
        }
    }

    /** After losing to another save, this node knows a newer one exists: in force at once, not at the next poll. */
    private void stillCurrent(Actor actor, String type, long revision) {
        long now;
        try {
            now = store.currentRevision();
        } catch (EmailConfigException e) {
            audit.record(actor, AuditOutcome.REJECTED_STORE_FAILURE, type, Set.of(), revision, e.reason());
            throw e;
        }
        if (now != revision) {
            audit.record(actor, AuditOutcome.REJECTED_CONFLICT, type, Set.of(), revision, Reason.CONCURRENT_UPDATE);
            steps.followWinner();
            throw new ConcurrentUpdateException(revision, now);
        }
    }

    /**
     * Applies an installer's initial configuration when the store holds nothing (see {@link FirstTimeSetup}).
     *
     * @param initial the installer's configuration
     * @return true when it was stored by this call
     */
    public boolean bootstrap(InitialConfiguration initial) {
        inForce.requireOpen();
        return firstTimeSetup.apply(initial);
    }

    @Override
    public DiagnosisReport verify(Actor actor, ConfigurationDraft draft) {
        try {
            return verifyFor(actor, draft);
        } catch (EmailConfigException e) {
            throw speaking(e, actor);
        }
    }

    private DiagnosisReport verifyFor(Actor actor, ConfigurationDraft draft) {
        Objects.requireNonNull(draft, "draft");
        requireAdmin(actor, "check", draft.type());
        return connectionCheck.check(actor, draft);
    }

    @Override
    public void sendTestEmail(Actor actor) {
        try {
            sendTestEmailFor(actor);
        } catch (EmailConfigException e) {
            throw speaking(e, actor);
        }
    }

    /** An exception thrown for an actor speaks the actor's language in {@code hint()}. */
    private static EmailConfigException speaking(EmailConfigException e, Actor actor) {
        return actor == null ? e : e.speaking(actor.locale());
    }

    private void sendTestEmailFor(Actor actor) {
        requireAdmin(actor, "test", null);
        ConfigurationInForce.Usable s;
        try {
            // The newest revision first, then test exactly what the next notification will use.
            ConfigurationInForce.Snapshot newest = inForce.followStore();
            if (newest == null) {
                throw ConfigurationInForce.notConfigured();
            }
            s = newest.requireUsable();
        } catch (EmailConfigException e) {
            audit.record(actor, AuditOutcome.TEST_FAILED, null, Set.of(), inForce.revisionInForce(), e.reason());
            throw e;
        }
        DeliveryFailedException failure = steps.test(s.provider(), s.configuration(), actor, s.stored().revision());
        if (failure != null) {
            audit.record(actor, AuditOutcome.TEST_FAILED, s.stored().type(), Set.of(), s.stored().revision(), failure.reason());
            throw failure;
        }
        audit.record(actor, AuditOutcome.TEST_DELIVERED, s.stored().type(), Set.of(), s.stored().revision(), null);
    }

    @Override
    public long resealSecrets(Actor actor) {
        try {
            return resealSecretsFor(actor);
        } catch (EmailConfigException e) {
            throw speaking(e, actor);
        }
    }

    private long resealSecretsFor(Actor actor) {
        requireAdmin(actor, "reseal the secrets of", null);
        return resealing.reseal(actor);
    }

    /** The configuration in force, as notifications read it (the snapshot benchmark measures this read). */
    ConfigurationInForce.Usable snapshot() {
        return inForce.snapshot();
    }

    @Override
    public NotificationSender notifications() {
        return notifications;
    }

    @Override
    public EmailHealth health() {
        return health.health();
    }

    @Override
    public Optional<OutboxStatus> outbox(Actor actor) {
        requireAdmin(actor, "see the outbox of", null);
        return outboxAdmin == null ? Optional.empty() : Optional.of(outboxAdmin.status(actor.locale()));
    }

    @Override
    public boolean resendNotification(Actor actor, long id) {
        requireAdmin(actor, "resend a notification of", null);
        return requireOutbox().resend(actor, id, inForce.revisionInForce());
    }

    @Override
    public boolean discardNotification(Actor actor, long id) {
        requireAdmin(actor, "discard a notification of", null);
        return requireOutbox().discard(actor, id, inForce.revisionInForce());
    }

    private OutboxAdmin requireOutbox() {
        if (outboxAdmin == null) {
            throw new UnsupportedOperationException("this email configuration service runs without an outbox "
                    + "(EmailConfig.Builder.outbox)");
        }
        return outboxAdmin;
    }

    @Override
    public void close() {
        if (!inForce.close()) {
            return;
        }
        follower.close();
        if (outboxWorker != null) {
            outboxWorker.close(drainTimeout);
        }
        notifications.close();
        smtp.close();
        binding.close();
        store.close();
    }

    private void requireAdmin(Actor actor, String action, @Nullable String type) {
        inForce.requireOpen();
        Objects.requireNonNull(actor, "actor");
        if (!actor.administrator()) {
            audit.record(actor, AuditOutcome.REFUSED_NOT_ALLOWED, type, Set.of(), inForce.revisionInForce(), Reason.NOT_ALLOWED);
            throw new NotAllowedException("User '" + LogSafe.text(actor.id()) + "' is not an administrator and may not " + action
                    + " the email configuration");
        }
    }
}
