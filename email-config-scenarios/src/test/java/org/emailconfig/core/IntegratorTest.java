package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.emailconfig.api.Actor;
import org.emailconfig.api.AuditOutcome;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.CustomConfiguration;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.EmailConfiguration;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.FieldDescriptor;
import org.emailconfig.api.FieldKind;
import org.emailconfig.api.InvalidConfigurationException;
import org.emailconfig.api.LocalizedText;
import org.emailconfig.api.Reason;
import org.emailconfig.api.Secret;
import org.emailconfig.api.Sender;
import org.emailconfig.api.Violation;
import org.emailconfig.api.spi.AuthenticationProvider;
import org.emailconfig.api.spi.BindingContext;
import org.emailconfig.api.spi.DeliveryContext;
import org.emailconfig.api.spi.MailDelivery;
import org.emailconfig.core.testing.RecordingAudit;
import org.junit.jupiter.api.Test;

/** What a third-party provider gets from the engine without writing it itself. */
class IntegratorTest {

    static final Actor ADMIN = Actor.admin("admin-1", "admin@sandbox.test");
    static final Actor GERMAN_ADMIN = ADMIN.withLocale(Locale.GERMAN);

    /** A delivery over a stateless API: always open, nothing to close, so only sending is left to write. */
    interface SendOnly extends MailDelivery {
        @Override
        default boolean isOpen() {
            return true;
        }

        @Override
        default void close() {
        }
    }

    /**
     * A webhook provider that trusts its descriptors: its bind checks nothing and parses the port with
     * Integer.parseInt, and every message is refused with the provider's own code and words.
     */
    public static class TrustingWebhookProvider implements AuthenticationProvider {
        static final List<FieldDescriptor> FIELDS = List.of(
                FieldDescriptor.builder("sender", FieldKind.EMAIL, "Sender").label("de", "Absender").required().build(),
                FieldDescriptor.builder("host", FieldKind.HOST, "Webhook host").label("de", "Webhook-Host")
                        .label("fr", "H\u00f4te du webhook").required().build(),
                FieldDescriptor.builder("port", FieldKind.PORT, "Port").label("de", "Port").required().build(),
                FieldDescriptor.builder("mode", FieldKind.CHOICE, "Mode").label("de", "Modus")
                        .allowedValues(List.of("JSON", "FORM")).defaultValue("JSON").build(),
                FieldDescriptor.builder("signed", FieldKind.BOOLEAN, "Signed").label("de", "Signiert")
                        .defaultValue("true").build(),
                FieldDescriptor.builder("apiKey", FieldKind.SECRET, "API key").label("de", "API-Schl\u00fcssel")
                        .required().reenterWhenChanged("host").build());

        @Override
        public String type() {
            return "webhook";
        }

        @Override
        public List<FieldDescriptor> fields() {
            return FIELDS;
        }

        @Override
        public EmailConfiguration bind(ConfigurationDraft draft, BindingContext context) {
            Map<String, String> settings = new HashMap<>(draft.values());
            settings.put("port", Integer.toString(Integer.parseInt(draft.value("port").orElseThrow())));
            return new CustomConfiguration(type(), Sender.of(EmailAddress.of(draft.value("sender").orElseThrow()), null),
                    settings, Map.of("apiKey", draft.secret("apiKey")));
        }

        @Override
        public ConfigurationDraft unbind(EmailConfiguration configuration) {
            CustomConfiguration c = (CustomConfiguration) configuration;
            ConfigurationDraft.Builder d = ConfigurationDraft.builder(type());
            c.settings().forEach(d::set);
            c.secrets().forEach(d::secret);
            return d.build();
        }

        @Override
        public MailDelivery open(EmailConfiguration configuration, DeliveryContext context) {
            return (SendOnly) message -> {
                throw DeliveryFailedException.builder(Reason.PROVIDER_FAILURE, "The webhook answered HTTP 401")
                        .providerCode("webhook.unauthorized")
                        .hint(LocalizedText.of("The webhook refused the API key: create a new key in the "
                                + "webhook's settings.", "Der Webhook hat den API-Schl\u00fcssel abgelehnt: "
                                + "Erstellen Sie in den Webhook-Einstellungen einen neuen."))
                        .build();
            };
        }
    }

    /** A provider whose bind fails the way a bug would. */
    public static class CrashingProvider extends TrustingWebhookProvider {
        @Override
        public String type() {
            return "crashing";
        }

        @Override
        public EmailConfiguration bind(ConfigurationDraft draft, BindingContext context) {
            throw new IllegalStateException("bug with the key " + draft.secret("apiKey").reveal());
        }
    }

    /** The webhook's configuration as its own record: open reads typed components. */
    public record WebhookConfiguration(Sender sender, String host, int port, Secret apiKey)
            implements org.emailconfig.api.ProviderConfiguration {
        @Override
        public String type() {
            return "typed-webhook";
        }
    }

    /** A provider with a typed configuration that delivers by recording what it was given. */
    public static class TypedWebhookProvider extends TrustingWebhookProvider {
        static final List<WebhookConfiguration> OPENED = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public String type() {
            return "typed-webhook";
        }

        @Override
        public EmailConfiguration bind(ConfigurationDraft draft, BindingContext context) {
            org.emailconfig.api.spi.DraftValues v = org.emailconfig.api.spi.DraftValues.of(draft, fields(),
                    context.locale());
            EmailAddress sender = v.address("sender");
            String host = v.host("host");
            Integer port = v.port("port");
            Secret key = v.secret("apiKey");
            v.throwIfInvalid();
            return new WebhookConfiguration(Sender.of(sender, null), host, port, key);
        }

        @Override
        public ConfigurationDraft unbind(EmailConfiguration configuration) {
            WebhookConfiguration c = (WebhookConfiguration) configuration;
            return ConfigurationDraft.builder(type()).set("sender", c.sender().address().value()).set("host", c.host())
                    .set("port", Integer.toString(c.port())).secret("apiKey", c.apiKey()).build();
        }

        @Override
        public MailDelivery open(EmailConfiguration configuration, DeliveryContext context) {
            OPENED.add((WebhookConfiguration) configuration);
            return (SendOnly) message -> {
                // Accepted: this provider only records what it was opened with.
            };
        }
    }

    /** A careless provider: puts its API key (plain, base64, URL-encoded) into whatever it throws. */
    public static class LeakyWebhookProvider extends TrustingWebhookProvider {
        static final String KEY = "Leaky/Key+0815=";
        static volatile String mode = "delivery";

        @Override
        public String type() {
            return "leaky-webhook";
        }

        @Override
        public EmailConfiguration bind(ConfigurationDraft draft, BindingContext context) {
            if (mode.equals("bind")) {
                throw new IllegalArgumentException("cannot read key " + draft.secret("apiKey").reveal());
            }
            return super.bind(draft, context);
        }

        @Override
        public MailDelivery open(EmailConfiguration configuration, DeliveryContext context) {
            String key = ((CustomConfiguration) configuration).secrets().get("apiKey").reveal();
            String b64 = java.util.Base64.getEncoder().encodeToString(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String url = java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8);
            if (mode.equals("raw")) {
                throw new IllegalStateException("POST https://hooks.example.com/?key=" + url + " failed",
                        new java.io.IOException("Authorization: Basic " + b64));
            }
            throw DeliveryFailedException.builder(Reason.PROVIDER_FAILURE, "The webhook refused key " + key)
                    .hint(LocalizedText.of("Check key " + key, "Pr\u00fcfen Sie " + key)).serverReply("401 key=" + url)
                    .cause(new java.io.IOException("Authorization: Bearer " + b64)).providerCode("webhook.refused")
                    .build();
        }
    }

    @Test
    void whateverAProviderThrowsReachesTheCallerTheLogAndTheAuditWithItsSecretsMasked() {
        RecordingAudit audit = new RecordingAudit();
        String key = LeakyWebhookProvider.KEY;
        byte[] bytes = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<String> forms = List.of(key, java.util.Base64.getEncoder().encodeToString(bytes),
                java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8));
        org.emailconfig.core.testing.LogCapture.install();
        int linesBefore = org.emailconfig.core.testing.LogCapture.lines().size();
        List<String> seen = new java.util.ArrayList<>();
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore().auditListener(audit)
                .provider(new LeakyWebhookProvider()).discoverProviders(false).build()) {
            for (String mode : List.of("delivery", "raw", "bind")) {
                LeakyWebhookProvider.mode = mode;
                ConfigurationDraft draft = good("leaky-webhook").secret("apiKey", Secret.of(key)).build();
                EmailConfigException e = assertThrows(EmailConfigException.class, () -> s.save(ADMIN, draft));
                java.io.StringWriter trace = new java.io.StringWriter();
                e.printStackTrace(new java.io.PrintWriter(trace));
                seen.add(trace.toString());
                seen.add(e.hint(Locale.ENGLISH));
                seen.add(e.hint(Locale.GERMAN));
                if (e instanceof DeliveryFailedException d) {
                    d.serverReply().ifPresent(seen::add);
                    if (mode.equals("delivery")) {
                        assertEquals("webhook.refused", d.providerCode().orElseThrow(), "the provider's code is kept");
                    }
                }
                try {
                    seen.add(String.valueOf(s.verify(ADMIN, draft)));
                } catch (EmailConfigException checkFailed) {
                    java.io.StringWriter checkTrace = new java.io.StringWriter();
                    checkFailed.printStackTrace(new java.io.PrintWriter(checkTrace));
                    seen.add(checkTrace.toString());
                }
                LeakyWebhookProvider.mode = "delivery";
            }
        } finally {
            LeakyWebhookProvider.mode = "delivery";
        }
        audit.events().forEach(ev -> seen.add(ev.toString()));
        List<String> lines = org.emailconfig.core.testing.LogCapture.lines();
        seen.addAll(lines.subList(linesBefore, lines.size()));
        for (String text : seen) {
            for (String form : forms) {
                assertFalse(text.contains(form), "a provider's secret in: " + text.replace(form, "<SECRET>"));
            }
        }
    }

    @Test
    void aProviderCarriesItsOwnTypedConfigurationFromBindToOpen() {
        TypedWebhookProvider.OPENED.clear();
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore()
                .provider(new TypedWebhookProvider()).discoverProviders(false).build()) {
            s.save(ADMIN, good("typed-webhook").build());
            s.notifications().send(org.emailconfig.api.Notification.of(EmailAddress.of("u@sandbox.test"), "s", "b"));
            assertEquals(new WebhookConfiguration(Sender.of(EmailAddress.of("noreply@sandbox.test"), null),
                    "hooks.example.com", 8443, Secret.of("key-123")), TypedWebhookProvider.OPENED.get(0));
            assertEquals(TypedWebhookProvider.OPENED.get(0), TypedWebhookProvider.OPENED.get(1));
            assertFalse(TypedWebhookProvider.OPENED.get(0).toString().contains("key-123"));
        }
    }

    private static ConfigurationDraft.Builder good(String type) {
        return ConfigurationDraft.builder(type).set("sender", "noreply@sandbox.test").set("host", "hooks.example.com")
                .set("port", "8443").secret("apiKey", Secret.of("key-123"));
    }

    @Test
    void aProviderThatChecksNothingStillGetsEveryFieldErrorItsDescriptorsImply() {
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore()
                .provider(new TrustingWebhookProvider()).discoverProviders(false).build()) {
            ConfigurationDraft bad = ConfigurationDraft.builder("webhook").set("sender", "not an address")
                    .set("host", "hooks example.com").set("port", "abc").set("mode", "Z").set("signed", "maybe").build();
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> s.save(ADMIN, bad));

            Map<String, String> codes = new HashMap<>();
            e.violations().forEach(v -> codes.put(v.field(), v.code()));
            assertEquals(Map.of("sender", "invalid", "host", "invalid", "port", "invalid", "mode", "invalid",
                    "signed", "invalid", "apiKey", "required"), codes);
            assertEquals("enter a value for \u201cAPI key\u201d", e.violationsOf("apiKey").get(0).message());

            InvalidConfigurationException range = assertThrows(InvalidConfigurationException.class,
                    () -> s.save(GERMAN_ADMIN, good("webhook").set("port", "70000").build()));
            assertEquals(List.of(new Violation("port", "out_of_range",
                    "Ein Port ist eine Zahl von 1 bis 65535 (meist 587 f\u00fcr STARTTLS, 465 f\u00fcr SSL/TLS)")),
                    range.violations());
            assertFalse(s.read(ADMIN).configured());
        }
    }

    @Test
    void aProviderWithoutACheckOfItsOwnIsNeverReportedAsPassedOrAuditedVerified() {
        RecordingAudit audit = new RecordingAudit();
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore().auditListener(audit)
                .provider(new TrustingWebhookProvider()).discoverProviders(false).build()) {
            // Its delivery opens without a word (every message is refused later, HTTP 401): opening proves nothing.
            org.emailconfig.api.DiagnosisReport r = s.verify(ADMIN, good("webhook").build());
            assertEquals(1, r.steps().size());
            org.emailconfig.api.DiagnosisReport.Step step = r.steps().get(0);
            assertEquals(org.emailconfig.api.DiagnosisReport.Outcome.SKIPPED, step.outcome());
            assertTrue(step.summary().in(Locale.ENGLISH).contains("no connection check of its own"),
                    step.summary().in(Locale.ENGLISH));
            assertTrue(step.summary().in(Locale.GERMAN).contains("keine eigene Verbindungspr\u00fcfung"));
            assertFalse(r.conclusive());
            assertEquals(AuditOutcome.VERIFY_INCONCLUSIVE, audit.last().outcome());
        }
    }

    /** A provider that words its delivery's failures in its own terms, quoting its key, or fails doing so. */
    public static class ExplainingWebhookProvider extends TrustingWebhookProvider {
        static volatile boolean slips;

        @Override
        public String type() {
            return "explaining-webhook";
        }

        @Override
        public DeliveryFailedException explain(EmailConfiguration configuration, DeliveryFailedException failure) {
            if (slips) {
                throw new IllegalStateException("no words");
            }
            String key = ((CustomConfiguration) configuration).secrets().get("apiKey").reveal();
            return failure.toBuilder().hint(LocalizedText.of("Rotate key " + key + " in the webhook console.",
                    "Erneuern Sie den Schl\u00fcssel " + key + " in der Webhook-Konsole.")).build();
        }
    }

    @Test
    void aProviderWordsItsDeliverysFailuresItselfWithSecretsStillMaskedAndASlipThereChangesNothing() {
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore()
                .provider(new ExplainingWebhookProvider()).discoverProviders(false).build()) {
            ExplainingWebhookProvider.slips = false;
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class,
                    () -> s.save(ADMIN, good("explaining-webhook").build()));
            assertTrue(e.hint(Locale.ENGLISH).startsWith("Rotate key "), e.hint(Locale.ENGLISH));
            assertFalse(e.hint(Locale.ENGLISH).contains("key-123"), "masked after the provider's words");
            assertTrue(e.hint(Locale.GERMAN).startsWith("Erneuern Sie"), e.hint(Locale.GERMAN));
            assertEquals("webhook.unauthorized", e.providerCode().orElseThrow(), "what is not wording stays");

            ExplainingWebhookProvider.slips = true;
            DeliveryFailedException unchanged = assertThrows(DeliveryFailedException.class,
                    () -> s.save(ADMIN, good("explaining-webhook").build()));
            assertTrue(unchanged.hint(Locale.ENGLISH).startsWith("The webhook refused the API key"),
                    unchanged.hint(Locale.ENGLISH));
        } finally {
            ExplainingWebhookProvider.slips = false;
        }
    }

    @Test
    void aProvidersOwnFailureCodeAndGermanHintReachTheCaller() {
        RecordingAudit audit = new RecordingAudit();
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore().auditListener(audit)
                .provider(new TrustingWebhookProvider()).discoverProviders(false).build()) {
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class,
                    () -> s.save(GERMAN_ADMIN, good("webhook").build()));
            assertEquals(Reason.PROVIDER_FAILURE, e.reason());
            assertEquals("webhook.unauthorized", e.providerCode().orElseThrow());
            assertEquals("Der Webhook hat den API-Schl\u00fcssel abgelehnt: Erstellen Sie in den Webhook-Einstellungen "
                    + "einen neuen.", e.hint(GERMAN_ADMIN.locale()));
            // Thrown for a German admin, so hint() speaks German; hint(Locale) answers in any language.
            assertEquals(e.hint(GERMAN_ADMIN.locale()), e.hint());
            assertTrue(e.hint(Locale.ENGLISH).startsWith("The webhook refused the API key"));
            assertEquals(AuditOutcome.REJECTED_TEST_FAILED, audit.last().outcome());
        }
    }

    @Test
    void aRawExceptionFromBindIsNamedAuditedAndNeverShowsItsMessage() {
        RecordingAudit audit = new RecordingAudit();
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore().auditListener(audit)
                .provider(new CrashingProvider()).discoverProviders(false).build()) {
            EmailConfigException e = assertThrows(EmailConfigException.class, () -> s.save(ADMIN, good("crashing").build()));
            assertEquals(Reason.PROVIDER_BROKEN, e.reason());
            assertTrue(e.getMessage().contains("'crashing'") && e.getMessage().contains("IllegalStateException"),
                    e.getMessage());
            assertFalse(e.getMessage().contains("key-123"));
            assertEquals(AuditOutcome.REJECTED_PROVIDER_FAILURE, audit.last().outcome());
        }
    }

    @Test
    void aBlankSecretIsNeverFilledFromAStoredConfigurationOfAnotherType() {
        // Both types call their secret "apiKey"; the one stored belongs to "webhook" and must never reach
        // "typed-webhook" because the admin left the field blank when switching.
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore().provider(new TrustingWebhookProvider())
                .provider(new TypedWebhookProvider()).discoverProviders(false).build()) {
            s.save(ADMIN, good("webhook").build(), org.emailconfig.api.SaveOptions.defaults()
                    .withTestPolicy(org.emailconfig.api.TestPolicy.SAVE_ANYWAY));
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> s.save(ADMIN,
                    good("typed-webhook").secret("apiKey", Secret.keep()).build()));
            assertEquals("required", e.violationsOf("apiKey").get(0).code(), e.violations().toString());
            assertEquals("webhook", s.read(ADMIN).type());
        }
    }

    @Test
    void aReenteredSecretIsNamedByItsLabelAsWrittenAndLabelsMayComeInAnyLanguage() {
        assertEquals("H\u00f4te du webhook", TrustingWebhookProvider.FIELDS.get(1).label(Locale.FRENCH));
        assertEquals("Webhook host", TrustingWebhookProvider.FIELDS.get(1).label(Locale.ITALIAN));
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore()
                .provider(new TrustingWebhookProvider()).discoverProviders(false).build()) {
            s.save(ADMIN, good("webhook").build(), org.emailconfig.api.SaveOptions.defaults()
                    .withTestPolicy(org.emailconfig.api.TestPolicy.SAVE_ANYWAY));
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> s.save(ADMIN,
                    good("webhook").set("host", "other.example.com").secret("apiKey", Secret.keep()).build()));
            assertTrue(e.violationsOf("apiKey").get(0).message().startsWith("enter \u201cAPI key\u201d again: host changed"),
                    e.violations().toString());
        }
    }

    @Test
    void afterCloseEveryOperationSaysTheServiceIsClosedAndCloseStaysIdempotent() {
        EmailConfigurationService s = EmailConfig.builder().inMemoryStore().build();
        s.close();
        s.close();
        for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                () -> s.read(ADMIN), () -> s.save(ADMIN, good("webhook").build()), () -> s.sendTestEmail(ADMIN),
                () -> s.verify(ADMIN, good("webhook").build()), () -> s.authenticationTypes(Locale.ENGLISH),
                () -> s.notifications().send(org.emailconfig.api.Notification.of(EmailAddress.of("u@sandbox.test"),
                        "s", "b")))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertEquals("the email configuration service is closed", e.getMessage());
        }
        // As its Javadoc says, like an executor that was shut down: nothing was queued.
        java.util.concurrent.RejectedExecutionException rejected = assertThrows(
                java.util.concurrent.RejectedExecutionException.class, () -> s.notifications().sendAsync(
                        org.emailconfig.api.Notification.of(EmailAddress.of("u@sandbox.test"), "s", "b")));
        assertTrue(rejected.getMessage().contains("closed"), rejected.getMessage());
    }

    /** A third-party SMTP provider that asks the engine's connector for a login without encryption. */
    public static class CleartextSmtpProvider extends TrustingWebhookProvider {
        @Override
        public String type() {
            return "cleartext-smtp";
        }

        @Override
        public MailDelivery open(EmailConfiguration configuration, DeliveryContext context) {
            CustomConfiguration c = (CustomConfiguration) configuration;
            return context.smtp().connect(org.emailconfig.api.SmtpServer.of(c.settings().get("host"),
                    Integer.parseInt(c.settings().get("port")), org.emailconfig.api.Encryption.NONE),
                    new org.emailconfig.api.spi.SmtpLogin.Password("apikey", c.secrets().get("apiKey")));
        }
    }

    @Test
    void theConnectorNeverSendsAThirdPartyProvidersCredentialsUnencryptedToAnotherHost() {
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore()
                .provider(new CleartextSmtpProvider()).discoverProviders(false).build()) {
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class,
                    () -> s.save(GERMAN_ADMIN, good("cleartext-smtp").set("host", "relay.example.invalid").build()));
            assertEquals(Reason.ENCRYPTION_REQUIRED, e.reason());
            assertEquals(org.emailconfig.api.DeliveryStep.CONNECT, e.step().orElseThrow());
            assertTrue(e.hint(Locale.GERMAN).startsWith("Zugangsdaten werden nie unverschl\u00fcsselt"), e.hint());
        }
    }

    @Test
    void fieldErrorsSurviveJavaSerialisation() throws Exception {
        InvalidConfigurationException e = new InvalidConfigurationException(List.of(new Violation("port", "invalid", "x")));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(e);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(e.violations(), ((InvalidConfigurationException) in.readObject()).violations());
        }
    }
}
