package org.emailconfig.core.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.emailconfig.api.Actor;
import org.emailconfig.api.AuditOutcome;
import org.emailconfig.api.ConcurrentUpdateException;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.InvalidConfigurationException;
import org.emailconfig.api.Violation;
import org.emailconfig.api.spi.AuthenticationProvider;
import org.emailconfig.api.spi.StoredConfiguration;
import org.emailconfig.api.spi.UnreadableConfigurationException;
import org.emailconfig.core.InitialConfiguration;
import org.emailconfig.core.internal.store.GuardedStore;
import org.emailconfig.core.internal.text.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First-time setup by an installer ({@link InitialConfiguration}): applied only to an empty store, validated
 * like any save, tested first when a recipient is given, stored as revision 1 and audited with the installer
 * as the actor. Of several nodes starting at once, one stores it; the others see it stored.
 */
final class FirstTimeSetup {

    private static final Logger LOG = LoggerFactory.getLogger("org.emailconfig.core");

    private final GuardedStore store;
    private final ProviderRegistry providers;
    private final DraftBinder binder;
    private final SaveSteps steps;
    private final AuditTrail audit;

    FirstTimeSetup(GuardedStore store, ProviderRegistry providers, DraftBinder binder, SaveSteps steps,
                   AuditTrail audit) {
        this.store = store;
        this.providers = providers;
        this.binder = binder;
        this.steps = steps;
        this.audit = audit;
    }

    /**
     * Applies an installer's initial configuration when the store holds nothing: validated like any save,
     * tested first when a test recipient is given, stored as revision 1 and audited with the installer as the
     * actor. Leaves a stored (or damaged) configuration alone.
     *
     * @return true when it was stored by this call
     * @throws InvalidConfigurationException with every field problem; nothing stored
     * @throws DeliveryFailedException       when the test email failed; nothing stored
     */
    boolean apply(InitialConfiguration initial) {
        Optional<StoredConfiguration> stored;
        try {
            stored = store.load();
        } catch (UnreadableConfigurationException e) {
            LOG.warn("The initial email configuration was not applied: the stored one is damaged ({}); an "
                    + "administrator replaces it on the page", e.getMessage());
            return false;
        }
        if (stored.isPresent()) {
            LOG.info("The initial email configuration was not applied: the store already holds revision {}",
                    stored.get().revision());
            return false;
        }
        Actor installer = new Actor(initial.installer(), initial.testRecipient() != null
                ? initial.testRecipient() : EmailAddress.of("installer@localhost"), true, Locale.ENGLISH);
        List<String> initialWarnings = new ArrayList<>();
        ConfigurationDraft draft = initialDraft(initial, installer, initialWarnings);
        try {
            DraftBinder.Bound bound = binder.bind(installer, draft, Optional.empty(), 0);
            List<String> warnings = new ArrayList<>(initialWarnings);
            warnings.addAll(bound.warnings());
            if (initial.testRecipient() != null) {
                DeliveryFailedException failure = steps.test(bound.provider(), bound.candidate(), installer, 0);
                if (failure != null) {
                    audit.record(installer, AuditOutcome.REJECTED_TEST_FAILED, draft.type(), bound.changed(), 0,
                            failure.reason(), warnings);
                    throw failure;
                }
            }
            long saved = steps.persist(installer, bound.provider(), bound.candidate(), bound.canonical(), 0, bound.changed());
            audit.record(installer, AuditOutcome.SAVED, draft.type(), bound.changed(), saved, null, warnings);
        } catch (ConcurrentUpdateException e) {
            LOG.info("The initial email configuration was not applied: another node stored one first");
            return false;
        }
        LOG.info("The initial email configuration of type '{}' was stored for {}{}", draft.type(),
                LogSafe.text(initial.installer()), initial.testRecipient() != null
                        ? ", after a test email to " + initial.testRecipient() : ", without a test email");
        return true;
    }

    /** The installer's values as a draft: secret fields as secrets, an unknown name as a field error. */
    private ConfigurationDraft initialDraft(InitialConfiguration initial, Actor installer, List<String> initialWarnings) {
        ConfigurationDraft.Builder d = ConfigurationDraft.builder(initial.type());
        AuthenticationProvider provider = providers.find(initial.type()).orElse(null);
        if (provider == null) {
            return d.build(); // bind reports the unknown type, audited
        }
        Set<String> secretFields = new HashSet<>();
        Set<String> declared = new HashSet<>();
        provider.fields().forEach(f -> {
            declared.add(f.name());
            if (f.secret()) {
                secretFields.add(f.name());
            }
        });
        List<Violation> unknown = new ArrayList<>();
        initial.values().forEach((field, value) -> {
            if (!declared.contains(field)) {
                unknown.add(new Violation(field, "invalid", "'" + LogSafe.text(field) + "' is not a field of type '"
                        + provider.type() + "'; its fields are " + declared));
            } else if (secretFields.contains(field)) {
                d.secret(field, value);
                if (!initial.fromFiles().contains(field)) {
                    // Applied, but said: a secret in the environment can be read by any child process.
                    String warning = "The secret field '" + field + "' of the initial configuration came from the "
                            + "environment (" + InitialConfiguration.variableName(field) + "), where any child process "
                            + "can read it: mount it as a file and set " + InitialConfiguration.variableName(field)
                            + "_FILE instead.";
                    LOG.warn("{}", warning);
                    initialWarnings.add(warning);
                }
            } else {
                d.set(field, value.reveal());
            }
        });
        if (!unknown.isEmpty()) {
            InvalidConfigurationException e = new InvalidConfigurationException(unknown);
            audit.record(installer, AuditOutcome.REJECTED_INVALID, initial.type(), Set.of(), 0, e.reason());
            throw e;
        }
        return d.build();
    }
}
