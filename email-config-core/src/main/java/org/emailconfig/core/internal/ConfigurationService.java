package org.emailconfig.core.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import jakarta.mail.internet.MimeMessage;

import org.emailconfig.api.Actor;
import org.emailconfig.api.AuditEvent;
import org.emailconfig.api.AuditListener;
import org.emailconfig.api.AuditOutcome;
import org.emailconfig.api.AuthenticationType;
import org.emailconfig.api.ConcurrentUpdateException;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.ConfigurationView;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.EmailConfiguration;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.FieldDescriptor;
import org.emailconfig.api.InvalidConfigurationException;
import org.emailconfig.api.NotAllowedException;
import org.emailconfig.api.NotificationSender;
import org.emailconfig.api.Reason;
import org.emailconfig.api.SaveOptions;
import org.emailconfig.api.SaveResult;
import org.emailconfig.api.Secret;
import org.emailconfig.api.Violation;
import org.emailconfig.api.spi.AuthenticationProvider;
import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.api.spi.DeliveryContext;
import org.emailconfig.api.spi.MailDelivery;
import org.emailconfig.api.spi.StoredConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service behind {@link org.emailconfig.core.EmailConfig}: admin check, secret resolution,
 * validation, test-on-save, sealing, compare-and-set persistence, audit, and the in-memory snapshot
 * that the notification sender reads without touching the store.
 */
public final class ConfigurationService implements EmailConfigurationService {

    private static final Logger LOG = LoggerFactory.getLogger("org.emailconfig.core");
    private static final Logger AUDIT = LoggerFactory.getLogger("org.emailconfig.audit");

    private final ConfigStore store;
    private final ProviderRegistry providers;
    private final SecretSealer sealer;
    private final HibernateBindingContext binding;
    private final AngusSmtpConnector smtp;
    private final DeliveryContext deliveryContext;
    private final MimeComposer composer;
    private final Clock clock;
    private final List<AuditListener> listeners;
    private final Notifications notifications;

    /** The configuration in force as last loaded or saved by this instance; null until first needed. */
    private volatile Snapshot current;

    /** A bound configuration with the provider that handles it. */
    record Snapshot(StoredConfiguration stored, AuthenticationProvider provider, EmailConfiguration configuration) {
    }

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
     */
    public ConfigurationService(ConfigStore store, ProviderRegistry providers, SecretSealer sealer,
                                AngusSmtpConnector smtp, DeliveryContext deliveryContext, Clock clock,
                                String applicationName, List<AuditListener> listeners) {
        this.store = store;
        this.providers = providers;
        this.sealer = sealer;
        this.binding = new HibernateBindingContext();
        this.smtp = smtp;
        this.deliveryContext = deliveryContext;
        this.clock = clock;
        this.composer = new MimeComposer(clock, applicationName);
        this.listeners = List.copyOf(listeners);
        this.notifications = new Notifications(this);
    }

    /** Loads the stored configuration once at start-up, so the first notification does not pay for it. */
    public void warmUp() {
        try {
            store.load().ifPresent(s -> current = bindStored(s));
        } catch (EmailConfigException e) {
            LOG.warn("The stored email configuration cannot be used yet ({}): {}", e.reason(), e.getMessage());
        }
    }

    @Override
    public List<AuthenticationType> authenticationTypes(Locale locale) {
        return providers.all().stream()
                .map(p -> new AuthenticationType(p.id(), p.displayName(locale), p.fields()))
                .toList();
    }

    @Override
    public ConfigurationView read(Actor actor) {
        requireAdmin(actor, "view", null);
        List<AuthenticationType> types = authenticationTypes(actor.locale());
        return store.load()
                .map(s -> new ConfigurationView(s.type(), s.revision(), s.settings(), s.sealedSecrets().keySet(),
                        s.savedAt(), s.savedBy(), types))
                .orElseGet(() -> new ConfigurationView(null, 0, Map.of(), Set.of(), null, null, types));
    }

    @Override
    public SaveResult save(Actor actor, ConfigurationDraft draft, SaveOptions options) {
        Objects.requireNonNull(draft, "draft");
        Objects.requireNonNull(options, "options");
        requireAdmin(actor, "change", draft.type());

        Optional<StoredConfiguration> stored = store.load();
        long revision = stored.map(StoredConfiguration::revision).orElse(0L);
        if (options.expectedRevision() != SaveOptions.ANY_REVISION && options.expectedRevision() != revision) {
            audit(actor, AuditOutcome.REJECTED_CONFLICT, draft.type(), Set.of(), revision, Reason.CONCURRENT_UPDATE);
            throw new ConcurrentUpdateException(options.expectedRevision(), revision);
        }

        AuthenticationProvider provider = providers.find(draft.type()).orElse(null);
        if (provider == null) {
            InvalidConfigurationException e = new InvalidConfigurationException(List.of(new Violation("type",
                    "unknown_type", "'" + draft.type() + "' is not an installed authentication type; choose one of "
                    + providers.all().stream().map(AuthenticationProvider::id).toList())));
            audit(actor, AuditOutcome.REJECTED_INVALID, draft.type(), Set.of(), revision, e.reason());
            throw e;
        }
        ConfigurationDraft previous = stored.filter(s -> s.type().equals(draft.type()))
                .flatMap(this::previousDraft).orElse(null);

        List<Violation> violations = new ArrayList<>();
        ConfigurationDraft resolved = resolveSecrets(provider, draft, previous, violations);
        EmailConfiguration candidate = null;
        try {
            candidate = provider.bind(resolved, binding);
        } catch (InvalidConfigurationException e) {
            violations.addAll(e.violations());
        }
        if (!violations.isEmpty()) {
            List<String> order = provider.fields().stream().map(FieldDescriptor::name).toList();
            violations.sort(Comparator.comparingInt(v -> order.indexOf(v.field())));
            InvalidConfigurationException e = new InvalidConfigurationException(violations);
            audit(actor, AuditOutcome.REJECTED_INVALID, draft.type(), Set.of(), revision, e.reason());
            throw e;
        }
        ConfigurationDraft canonical = provider.unbind(candidate);
        boolean typeChanged = stored.isPresent() && !stored.get().type().equals(draft.type());
        Set<String> changed = changedFields(provider, previous, canonical, typeChanged);

        switch (options.testPolicy()) {
            case REQUIRE_SUCCESS -> {
                DeliveryFailedException failure = test(provider, candidate, actor);
                if (failure != null) {
                    audit(actor, AuditOutcome.REJECTED_TEST_FAILED, draft.type(), changed, revision, failure.reason());
                    throw failure;
                }
                long saved = persist(actor, provider, candidate, canonical, revision, changed);
                audit(actor, AuditOutcome.SAVED, draft.type(), changed, saved, null);
                return new SaveResult(saved, null);
            }
            case SAVE_ANYWAY -> {
                DeliveryFailedException failure = test(provider, candidate, actor);
                long saved = persist(actor, provider, candidate, canonical, revision, changed);
                auditSaved(actor, draft.type(), changed, saved, failure);
                return new SaveResult(saved, failure);
            }
            case SAVE_THEN_TEST -> {
                long saved = persist(actor, provider, candidate, canonical, revision, changed);
                DeliveryFailedException failure = test(provider, candidate, actor);
                auditSaved(actor, draft.type(), changed, saved, failure);
                return new SaveResult(saved, failure);
            }
            default -> throw new IllegalStateException("unknown test policy " + options.testPolicy());
        }
    }

    @Override
    public void sendTestEmail(Actor actor) {
        requireAdmin(actor, "test", null);
        Snapshot s = store.load().map(this::bindStored).orElseThrow(ConfigurationService::notConfigured);
        DeliveryFailedException failure = test(s.provider(), s.configuration(), actor);
        if (failure != null) {
            audit(actor, AuditOutcome.TEST_FAILED, s.stored().type(), Set.of(), s.stored().revision(), failure.reason());
            throw failure;
        }
        audit(actor, AuditOutcome.TEST_DELIVERED, s.stored().type(), Set.of(), s.stored().revision(), null);
    }

    @Override
    public NotificationSender notifications() {
        return notifications;
    }

    @Override
    public void close() {
        notifications.close();
        smtp.close();
        binding.close();
    }

    /** The configuration in force: a memory read once loaded. */
    Snapshot snapshot() {
        Snapshot s = current;
        if (s == null) {
            synchronized (this) {
                s = current;
                if (s == null) {
                    s = store.load().map(this::bindStored).orElseThrow(ConfigurationService::notConfigured);
                    current = s;
                }
            }
        }
        return s;
    }

    DeliveryContext deliveryContext() {
        return deliveryContext;
    }

    MimeComposer composer() {
        return composer;
    }

    private static EmailConfigException notConfigured() {
        return new EmailConfigException(Reason.NOT_CONFIGURED, "No email configuration has been saved yet");
    }

    private void requireAdmin(Actor actor, String action, String type) {
        Objects.requireNonNull(actor, "actor");
        if (!actor.administrator()) {
            audit(actor, AuditOutcome.REFUSED_NOT_ALLOWED, type, Set.of(), currentRevisionForAudit(), Reason.NOT_ALLOWED);
            throw new NotAllowedException("User '" + actor.id() + "' is not an administrator and may not " + action
                    + " the email configuration");
        }
    }

    private long currentRevisionForAudit() {
        Snapshot s = current;
        return s == null ? 0 : s.stored().revision();
    }

    /**
     * Replaces secrets left blank with the stored ones, unless a field the secret protects changed; then
     * the secret must be entered again. Secrets of fields hidden by their switch are dropped.
     */
    private ConfigurationDraft resolveSecrets(AuthenticationProvider provider, ConfigurationDraft draft,
                                              ConfigurationDraft previous, List<Violation> violations) {
        ConfigurationDraft.Builder out = draft.toBuilder();
        for (FieldDescriptor field : provider.fields()) {
            if (!field.secret()) {
                continue;
            }
            if (!shown(field, draft, provider)) {
                out.secret(field.name(), Secret.keep());
                continue;
            }
            Secret submitted = draft.secret(field.name());
            if (!submitted.isKeep() || previous == null || previous.secret(field.name()).isKeep()) {
                continue;
            }
            List<String> changedGuards = field.reenterWhenChanged().stream()
                    .filter(g -> !Objects.equals(valueOrDefault(provider, draft, g), valueOrDefault(provider, previous, g)))
                    .toList();
            if (!changedGuards.isEmpty()) {
                violations.add(new Violation(field.name(), "reenter_secret", "enter the " + field.label(Locale.ENGLISH)
                        .toLowerCase(Locale.ROOT) + " again: " + String.join(", ", changedGuards)
                        + " changed, and the stored one is never sent to a different server or account"));
            }
            // Bind with the stored value even then, so the provider reports its other problems and not this one twice.
            out.secret(field.name(), previous.secret(field.name()));
        }
        return out.build();
    }

    private static boolean shown(FieldDescriptor field, ConfigurationDraft draft, AuthenticationProvider provider) {
        return field.shownWhenField()
                .map(sw -> "true".equalsIgnoreCase(valueOrDefault(provider, draft, sw)))
                .orElse(true);
    }

    private static String valueOrDefault(AuthenticationProvider provider, ConfigurationDraft draft, String field) {
        return draft.text(field).orElseGet(() -> provider.fields().stream().filter(f -> f.name().equals(field))
                .findFirst().map(FieldDescriptor::defaultValue).orElse(null));
    }

    /** Field names whose value differs from the configuration in force; without one, every field set. */
    private Set<String> changedFields(AuthenticationProvider provider, ConfigurationDraft previous,
                                      ConfigurationDraft next, boolean typeChanged) {
        ConfigurationDraft before = previous != null ? previous : ConfigurationDraft.builder(next.type()).build();
        Set<String> changed = new LinkedHashSet<>();
        if (typeChanged) {
            changed.add("type");
        }
        for (FieldDescriptor f : provider.fields()) {
            boolean differs = f.secret()
                    ? !before.secret(f.name()).equals(next.secret(f.name()))
                    : !before.value(f.name()).equals(next.value(f.name()));
            if (differs) {
                changed.add(f.name());
            }
        }
        return changed;
    }

    private DeliveryFailedException test(AuthenticationProvider provider, EmailConfiguration candidate, Actor actor) {
        MimeMessage message = composer.testEmail(candidate, actor);
        long started = System.nanoTime();
        try (MailDelivery delivery = provider.open(candidate, deliveryContext)) {
            delivery.send(message);
            LOG.info("Test email for type '{}' delivered to the server for {} in {} ms", candidate.type(), actor.id(),
                    (System.nanoTime() - started) / 1_000_000);
            return null;
        } catch (DeliveryFailedException e) {
            LOG.warn("Test email for type '{}' failed ({}): {}", candidate.type(), e.reason(), e.getMessage());
            return e;
        } catch (RuntimeException e) {
            DeliveryFailedException wrapped = Deliveries.unexpected(provider, e);
            LOG.warn("Test email for type '{}' failed ({}): {}", candidate.type(), wrapped.reason(), wrapped.getMessage());
            return wrapped;
        }
    }

    private long persist(Actor actor, AuthenticationProvider provider, EmailConfiguration candidate,
                         ConfigurationDraft canonical, long revision, Set<String> changed) {
        Map<String, String> sealed = new LinkedHashMap<>();
        canonical.secrets().forEach((field, secret) -> {
            if (!secret.isKeep()) {
                sealed.put(field, sealer.seal(provider.id(), field, secret));
            }
        });
        StoredConfiguration next = new StoredConfiguration(provider.id(), revision + 1, canonical.values(), sealed,
                clock.instant(), actor.id());
        try {
            store.save(next, revision);
        } catch (ConcurrentUpdateException e) {
            audit(actor, AuditOutcome.REJECTED_CONFLICT, provider.id(), changed, e.actualRevision(), e.reason());
            throw e;
        } catch (EmailConfigException e) {
            audit(actor, AuditOutcome.REJECTED_STORE_FAILURE, provider.id(), changed, revision, e.reason());
            throw e;
        }
        current = new Snapshot(next, provider, candidate);
        LOG.info("Email configuration saved by {}: type '{}', revision {}, changed {}", actor.id(), provider.id(),
                next.revision(), changed);
        return next.revision();
    }

    private void auditSaved(Actor actor, String type, Set<String> changed, long revision,
                            DeliveryFailedException failure) {
        audit(actor, failure == null ? AuditOutcome.SAVED : AuditOutcome.SAVED_DESPITE_FAILED_TEST, type, changed,
                revision, failure == null ? null : failure.reason());
    }

    private Optional<ConfigurationDraft> previousDraft(StoredConfiguration s) {
        try {
            return Optional.of(storedDraft(s));
        } catch (EmailConfigException e) {
            // A secret sealed under another key cannot be kept; the admin must enter it again.
            LOG.warn("Stored secrets cannot be reused ({}); they must be entered again", e.getMessage());
            return Optional.empty();
        }
    }

    private ConfigurationDraft storedDraft(StoredConfiguration s) {
        ConfigurationDraft.Builder d = ConfigurationDraft.builder(s.type());
        s.settings().forEach(d::set);
        s.sealedSecrets().forEach((field, sealed) -> d.secret(field, sealer.unseal(s.type(), field, sealed)));
        return d.build();
    }

    private Snapshot bindStored(StoredConfiguration s) {
        AuthenticationProvider provider = providers.require(s.type(), "The stored email configuration");
        try {
            return new Snapshot(s, provider, provider.bind(storedDraft(s), binding));
        } catch (InvalidConfigurationException e) {
            throw new EmailConfigException(Reason.STORE_FAILURE, "The stored email configuration (revision "
                    + s.revision() + ") is not valid for provider '" + s.type() + "': " + e.violations()
                    + ". An administrator must save it again.", null, e);
        }
    }

    private void audit(Actor actor, AuditOutcome outcome, String type, Set<String> changed, long revision,
                       Reason reason) {
        AuditEvent event = new AuditEvent(clock.instant(), actor.id(), outcome, type, changed, revision, reason);
        AUDIT.info("{} by {}: type={}, changed={}, revision={}, reason={}", outcome, actor.id(), type, changed,
                revision, reason);
        for (AuditListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.error("Audit listener {} failed", l.getClass().getName(), e);
            }
        }
    }
}
