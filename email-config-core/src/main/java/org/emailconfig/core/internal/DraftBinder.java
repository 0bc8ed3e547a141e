package org.emailconfig.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.emailconfig.api.Actor;
import org.emailconfig.api.AuditOutcome;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.EmailConfiguration;
import org.emailconfig.api.Encryption;
import org.emailconfig.api.FieldDescriptor;
import org.emailconfig.api.InvalidConfigurationException;
import org.emailconfig.api.LocalizedText;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.Reason;
import org.emailconfig.api.Secret;
import org.emailconfig.api.SmtpAuthentication;
import org.emailconfig.api.Violation;
import org.emailconfig.api.spi.AuthenticationProvider;
import org.emailconfig.api.spi.DraftValues;
import org.emailconfig.api.spi.StoredConfiguration;
import org.emailconfig.core.internal.smtp.AngusSmtpConnector;
import org.emailconfig.core.internal.text.CoreTexts;
import org.emailconfig.core.internal.text.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Turns an administrator's draft into a configuration: finds the type's provider, puts stored secrets in place of
 * blank ones (unless a field that guards them changed), applies the descriptors' rules and the provider's own,
 * refuses a password over an unencrypted connection unless allowed, and warns of Exchange Online's switch-off.
 * Every refusal is audited; nothing is stored or sent here.
 */
final class DraftBinder {

    private static final Logger LOG = LoggerFactory.getLogger("org.emailconfig.core");

    private final ProviderRegistry providers;
    private final HibernateBindingContext binding;
    private final ConfigurationInForce inForce;
    private final AuditTrail audit;
    private final boolean allowPasswordsOverUnencryptedConnections;

    DraftBinder(ProviderRegistry providers, HibernateBindingContext binding, ConfigurationInForce inForce,
                AuditTrail audit, boolean allowPasswordsOverUnencryptedConnections) {
        this.providers = providers;
        this.binding = binding;
        this.inForce = inForce;
        this.audit = audit;
        this.allowPasswordsOverUnencryptedConnections = allowPasswordsOverUnencryptedConnections;
    }

    /** A draft bound by its provider: what save and verify work with. */
    record Bound(AuthenticationProvider provider, EmailConfiguration candidate, ConfigurationDraft canonical,
                         Set<String> changed, List<String> warnings) {
    }

    /**
     * Finds the provider, resolves blank secrets against the stored configuration and binds the draft,
     * with field errors in the actor's language; on any field problem audits and throws.
     */
    Bound bind(Actor actor, ConfigurationDraft draft, Optional<StoredConfiguration> stored, long revision) {
        Locale locale = actor.locale();
        AuthenticationProvider provider = providers.find(draft.type()).orElse(null);
        if (provider == null) {
            InvalidConfigurationException e = new InvalidConfigurationException(List.of(new Violation("type",
                    "unknown_type", CoreTexts.text("violation.unknownType", LogSafe.present(draft.type()),
                            providers.all().stream().map(AuthenticationProvider::type).toList()).in(locale))));
            audit.record(actor, AuditOutcome.REJECTED_INVALID, draft.type(), Set.of(), revision, e.reason());
            throw e;
        }
        ConfigurationDraft previous = stored.filter(s -> s.type().equals(draft.type()))
                .flatMap(inForce::previousDraft).orElse(null);

        List<Violation> violations = new ArrayList<>();
        ConfigurationDraft resolved = resolveSecrets(provider, draft, previous, violations, locale);
        // The rules the descriptors declare hold whatever the provider checks itself; where both find a problem
        // with a field, the provider's words (more specific) win.
        List<Violation> rules = DraftValues.check(resolved, provider.fields(), locale);
        EmailConfiguration candidate = null;
        List<Violation> own = List.of();
        try {
            candidate = provider.bind(resolved, binding.in(locale));
        } catch (InvalidConfigurationException e) {
            own = e.violations();
        } catch (RuntimeException e) {
            if (rules.isEmpty()) {
                throw providerFailed(actor, provider, draft, revision, e);
            }
            // A provider that trusts its descriptors may trip over a value they forbid: the rules say why.
        }
        if (candidate != null && !provider.type().equals(candidate.type())) {
            // A configuration of another type would be handed to the wrong provider on every send.
            throw providerFailed(actor, provider, draft, revision, new IllegalStateException(
                    "bind returned a configuration of another type"));
        }
        violations.addAll(own);
        Set<String> named = new HashSet<>();
        violations.forEach(v -> named.add(v.field()));
        rules.stream().filter(v -> !named.contains(v.field())).forEach(violations::add);
        List<String> warnings = new ArrayList<>();
        if (candidate != null) {
            unencryptedPassword(candidate, violations, warnings, locale);
            if (ExchangeOnline.basicAuth(candidate)) {
                LocalizedText switchOff = ExchangeOnline.switchOffWarning(candidate);
                LOG.warn("{}", switchOff.in(Locale.ENGLISH));
                warnings.add(switchOff.in(locale));
            }
        }
        if (!violations.isEmpty()) {
            List<String> order = provider.fields().stream().map(FieldDescriptor::name).toList();
            violations.sort(Comparator.comparingInt(v -> order.indexOf(v.field())));
            InvalidConfigurationException e = new InvalidConfigurationException(violations);
            audit.record(actor, AuditOutcome.REJECTED_INVALID, draft.type(), Set.of(), revision, e.reason());
            throw e;
        }
        ConfigurationDraft canonical;
        try {
            // No violation: bind returned a configuration.
            canonical = provider.unbind(Objects.requireNonNull(candidate));
        } catch (RuntimeException e) {
            throw providerFailed(actor, provider, draft, revision, e);
        }
        boolean typeChanged = stored.isPresent() && !stored.get().type().equals(draft.type());
        return new Bound(provider, candidate, canonical, changedFields(provider, previous, canonical, typeChanged),
                warnings);
    }

    /**
     * A provider's unexpected exception while reading a draft, audited and named; its message is left out (a
     * third-party provider might have put a secret in it), the cause keeps it for debugging.
     */
    private EmailConfigException providerFailed(Actor actor, AuthenticationProvider provider, ConfigurationDraft draft,
                                                long revision, RuntimeException e) {
        EmailConfigException wrapped = new EmailConfigException(Reason.PROVIDER_BROKEN, "The authentication provider '"
                + provider.type() + "' (" + provider.getClass().getName() + ") failed unexpectedly with "
                + e.getClass().getName() + " while reading the form; nothing was checked or stored"
                + HibernateBindingContext.FormNotOpen.in(e).map(f -> ". " + f.getMessage()).orElse(""),
                CoreTexts.text("hint.providerBug"), Deliveries.maskOf(draft).mask(e));
        audit.record(actor, AuditOutcome.REJECTED_PROVIDER_FAILURE, draft.type(), Set.of(), revision, wrapped.reason());
        LOG.warn("{}", wrapped.getMessage());
        return wrapped;
    }

    /**
     * Replaces secrets left blank with the stored ones, unless a field the secret protects changed; then
     * the secret must be entered again. Secrets of fields hidden by their switch are dropped.
     */
    private ConfigurationDraft resolveSecrets(AuthenticationProvider provider, ConfigurationDraft draft,
                                              @Nullable ConfigurationDraft previous, List<Violation> violations,
                                              Locale locale) {
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
                LocalizedText label = LocalizedText.of(field.label(Locale.ENGLISH), field.label(Locale.GERMAN));
                violations.add(new Violation(field.name(), "reenter_secret", CoreTexts.text("violation.reenter", label,
                        String.join(", ", changedGuards)).in(locale)));
            }
            // Bind with the stored value even then, so the provider reports its other problems and not this one twice.
            out.secret(field.name(), previous.secret(field.name()));
        }
        return out.build();
    }

    private static boolean shown(FieldDescriptor field, ConfigurationDraft draft, AuthenticationProvider provider) {
        return field.shownFor(field.shownWhenField().map(sw -> valueOrDefault(provider, draft, sw)).orElse(null));
    }

    private static String valueOrDefault(AuthenticationProvider provider, ConfigurationDraft draft, String field) {
        return draft.text(field).orElseGet(() -> provider.fields().stream().filter(f -> f.name().equals(field))
                .findFirst().map(FieldDescriptor::defaultValue).orElse(null));
    }

    /** Field names whose value differs from the configuration in force; without one, every field set. */
    private Set<String> changedFields(AuthenticationProvider provider, @Nullable ConfigurationDraft previous,
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

    /**
     * A password over an unencrypted connection is refused on the encryption field, unless it never leaves
     * this machine (a literal loopback address) or the application explicitly allows it (a relay on its own
     * network); then it is stored with a warning that the result, the log and the audit carry.
     */
    private void unencryptedPassword(EmailConfiguration candidate, List<Violation> violations, List<String> warnings,
                                   Locale locale) {
        if (!(candidate instanceof PasswordSmtpConfiguration p) || p.server().encryption() != Encryption.NONE
                || !(p.authentication() instanceof SmtpAuthentication.Login) || AngusSmtpConnector.loopback(p.server().host())) {
            return;
        }
        if (!allowPasswordsOverUnencryptedConnections) {
            violations.add(new Violation(PasswordSmtpConfiguration.ENCRYPTION, "unencrypted_password",
                    CoreTexts.text("violation.unencrypted", p.server().host()).in(locale)));
            return;
        }
        String warning = "The password is sent unencrypted to " + p.server().host() + ":" + p.server().port()
                + ", as this application allows for a relay on its own network.";
        LOG.warn("{}", warning);
        warnings.add(warning);
    }

    /** The fields whose change must make a stored secret unusable: the ones that make the admin re-enter it. */
    static List<String> guards(AuthenticationProvider provider, String field) {
        return provider.fields().stream().filter(f -> f.name().equals(field)).findFirst()
                .map(FieldDescriptor::reenterWhenChanged).orElse(List.of());
    }
}
