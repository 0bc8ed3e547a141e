package com.example.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.validation.constraints.NotBlank;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.CustomConfiguration;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.EmailConfiguration;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.FieldDescriptor;
import org.emailconfig.api.FieldKind;
import org.emailconfig.api.InvalidConfigurationException;
import org.emailconfig.api.Reason;
import org.emailconfig.api.Secret;
import org.emailconfig.api.Sender;
import org.emailconfig.api.spi.AuthenticationProvider;
import org.emailconfig.api.spi.BindingContext;
import org.emailconfig.api.spi.DeliveryContext;
import org.emailconfig.api.spi.MailDelivery;
import org.emailconfig.core.EmailConfig;
import org.emailconfig.providerkit.ProviderContract;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * A provider that validates a form object with {@code context.validate(form)} from a package its module does not
 * open to Hibernate Validator (this test runs as module com.example.hub, which opens nothing): the engine names
 * the cause and both ways out instead of "failed unexpectedly", and the contract kit, run on the module path,
 * fails it with the same words before a host ever saves.
 */
class ClosedFormProviderTest {

    /** The form the provider validates; its package is not opened to org.hibernate.validator. */
    record Form(@NotBlank String senderAddress) {
    }

    static final class ClosedFormProvider implements AuthenticationProvider {
        static final List<FieldDescriptor> FIELDS = List.of(FieldDescriptor.builder("senderAddress", FieldKind.EMAIL,
                "Sender address", "Absenderadresse").required().build(), FieldDescriptor.builder("apiKey",
                FieldKind.SECRET, "API key", "API-Schl\u00fcssel").required().build());

        @Override
        public String type() {
            return "closed-form";
        }

        @Override
        public String displayName(Locale locale) {
            return "Closed form";
        }

        @Override
        public List<FieldDescriptor> fields() {
            return FIELDS;
        }

        @Override
        public EmailConfiguration bind(ConfigurationDraft draft, BindingContext context) {
            String sender = draft.value("senderAddress").orElse(null);
            List<org.emailconfig.api.Violation> problems = context.validate(new Form(sender));
            if (!problems.isEmpty()) {
                throw new InvalidConfigurationException(problems);
            }
            return new CustomConfiguration(type(), Sender.of(EmailAddress.of(sender), null), Map.of(),
                    Map.of("apiKey", draft.secret("apiKey")));
        }

        @Override
        public ConfigurationDraft unbind(EmailConfiguration configuration) {
            CustomConfiguration c = (CustomConfiguration) configuration;
            return ConfigurationDraft.builder(type()).set("senderAddress", c.sender().address().value())
                    .secret("apiKey", c.secrets().get("apiKey")).build();
        }

        @Override
        public MailDelivery open(EmailConfiguration configuration, DeliveryContext context) {
            throw new UnsupportedOperationException("never reached: bind fails first");
        }
    }

    static final ConfigurationDraft DRAFT = ConfigurationDraft.builder("closed-form")
            .set("senderAddress", "noreply@example.com").secret("apiKey", Secret.of("closed-key-0123")).build();

    @Test
    void theEngineNamesTheMissingOpensLineAndDraftValues() {
        assertFalse(ClosedFormProviderTest.class.getModule().getDescriptor().isOpen());
        try (EmailConfigurationService service = EmailConfig.builder().inMemoryStore().discoverProviders(false)
                .provider(new ClosedFormProvider()).build()) {
            EmailConfigException e = assertThrows(EmailConfigException.class,
                    () -> service.save(org.emailconfig.api.Actor.admin("admin", "admin@example.com"), DRAFT));
            assertEquals(Reason.PROVIDER_BROKEN, e.reason());
            assertTrue(e.getMessage().contains("opens com.example.hub to org.hibernate.validator;"), e.getMessage());
            assertTrue(e.getMessage().contains("module com.example.hub"), e.getMessage());
            assertTrue(e.getMessage().contains("DraftValues"), e.getMessage());
            assertFalse(e.getMessage().contains("closed-key-0123"));
            assertFalse(service.read(org.emailconfig.api.Actor.admin("admin", "admin@example.com")).configured());
        }
    }

    @Test
    void theContractKitOnTheModulePathCatchesItWithTheSameWords() {
        ProviderContract contract = new ProviderContract() {
            @Override
            protected AuthenticationProvider provider() {
                return new ClosedFormProvider();
            }

            @Override
            protected ConfigurationDraft validDraft(ScriptedSmtpServer server) {
                return DRAFT;
            }
        };
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> run(contract));
        assertTrue(e.getMessage().contains("opens com.example.hub to org.hibernate.validator;"), e.getMessage());
    }

    /** The kit's check with its lifecycle, as JUnit would run it. */
    private static void run(ProviderContract contract) throws Exception {
        Class<?> kit = ProviderContract.class;
        var start = kit.getDeclaredMethod("startServerAndContexts");
        var check = kit.getDeclaredMethod("formsAreReadableOnTheModulePath");
        var stop = kit.getDeclaredMethod("stopServerAndContexts");
        for (var m : List.of(start, check, stop)) {
            m.setAccessible(true);
        }
        start.invoke(contract);
        try {
            check.invoke(contract);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        } finally {
            stop.invoke(contract);
        }
    }
}
