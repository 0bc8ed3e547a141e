package org.emailconfig.providerkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.apiguardian.api.API;
import org.emailconfig.api.Actor;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.EmailConfiguration;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.FieldDescriptor;
import org.emailconfig.api.FieldKind;
import org.emailconfig.api.InvalidConfigurationException;
import org.emailconfig.api.AuthenticationType;
import org.emailconfig.api.Reason;
import org.emailconfig.api.Secret;
import org.emailconfig.api.spi.AuthenticationProvider;
import org.emailconfig.api.spi.MailDelivery;
import org.emailconfig.core.EmailConfig;
import org.emailconfig.core.ProviderContexts;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * The contract every {@link AuthenticationProvider} keeps, as JUnit 5 tests a provider author inherits. The
 * provider runs with the engine's own binding and delivery contexts ({@link ProviderContexts}); an SMTP-based
 * provider is pointed at a {@link ScriptedSmtpServer} started for each test (plain SMTP on 127.0.0.1, offering
 * AUTH PLAIN, LOGIN and XOAUTH2 and accepting any credentials).
 *
 * <pre>{@code
 * class ApiKeyProviderContractTest extends ProviderContract {
 *
 *     @Override
 *     protected AuthenticationProvider provider() {
 *         return new ApiKeyProvider();
 *     }
 *
 *     @Override
 *     protected ConfigurationDraft validDraft(ScriptedSmtpServer server) {
 *         return ConfigurationDraft.builder("smtp-apikey")
 *                 .set("senderAddress", "noreply@example.com")
 *                 .set("host", "127.0.0.1").set("port", Integer.toString(server.port()))
 *                 .secret("apiKey", Secret.of("SG.test-key"))
 *                 .build();
 *     }
 * }
 * }</pre>
 *
 * <p>Run it the way the provider ships: a provider that is a JPMS module runs the kit on the module path (as
 * Maven Surefire does for a module with a {@code module-info.java}), so a form object the validator may not read
 * fails here, naming the {@code opens} line to add, and not at a host's first save.
 *
 * <p>Each test's display name states the rule it checks. A provider that does not deliver over the
 * engine's SMTP connector (an HTTP API) overrides {@link #deliversOverSmtp()}; the SMTP-only checks are then
 * skipped, and {@link #validDraft} points at the provider's own fake service.
 */
@Timeout(60)
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public abstract class ProviderContract {

    /** The administrator every check acts as. */
    protected static final Actor ADMIN = Actor.admin("contract-admin", "admin@contract.test");

    private ScriptedSmtpServer server;
    private ProviderContexts contexts;

    /**
     * The provider under test: a new instance, as {@link java.util.ServiceLoader} would create it.
     *
     * @return the provider
     */
    protected abstract AuthenticationProvider provider();

    /**
     * A draft that binds without a problem and delivers: for an SMTP-based provider, to the given server
     * (host {@code 127.0.0.1}, its port, no encryption; any credentials are accepted).
     *
     * @param server the scripted server started for this test
     * @return the draft, every secret entered
     */
    protected abstract ConfigurationDraft validDraft(ScriptedSmtpServer server);

    /**
     * Whether {@code open} talks SMTP through the engine's connector to the draft's server.
     *
     * @return true by default
     */
    protected boolean deliversOverSmtp() {
        return true;
    }

    /**
     * For a provider that does not deliver over SMTP: the {@linkplain #validDraft valid draft} pointed at a web
     * service that refuses everything ({@link FailingEndpoint#http()} or {@link FailingEndpoint#https()}), so the
     * kit can check that the provider's failures are classified and never show a secret, even when the service
     * quotes the credentials back. Return null (the default) when the delivery cannot be pointed at a URL; that
     * check is then skipped, saying so.
     *
     * @param endpoint the refusing service, started for the check
     * @return the draft, every secret entered, or null
     */
    protected @Nullable ConfigurationDraft draftPointedAt(FailingEndpoint endpoint) {
        return null;
    }

    /**
     * The engine the provider runs in; override to add a trust store or timeouts.
     *
     * @return a builder, without a store chosen
     */
    protected EmailConfig.Builder engine() {
        return EmailConfig.builder();
    }

    @BeforeEach
    void startServerAndContexts() {
        server = ScriptedSmtpServer.plain().start();
        contexts = engine().providerContexts();
    }

    @AfterEach
    void stopServerAndContexts() {
        contexts.close();
        server.close();
    }

    /**
     * The scripted server of the running test.
     *
     * @return the server
     */
    protected final ScriptedSmtpServer server() {
        return server;
    }

    /**
     * The engine's contexts of the running test.
     *
     * @return the contexts
     */
    protected final ProviderContexts contexts() {
        return contexts;
    }

    private EmailConfiguration bindValid(Locale locale) {
        return provider().bind(validDraft(server), contexts.binding(locale));
    }

    @Test
    @DisplayName("the type is well formed, not a built-in's unless the provider is built in, and the same on every call")
    void idIsStableAndWellFormed() {
        AuthenticationProvider p = provider();
        String id = p.type();
        assertTrue(AuthenticationType.isValid(id), "'" + id + "' is not a valid authentication type");
        assertEquals(id, p.type());
        assertEquals(id, provider().type());
        assertEquals(id, validDraft(server).type(), "the valid draft is of this provider's type");
    }

    @Test
    @DisplayName("the fields are the same on every call, with unique names, and the switch a field names exists")
    void fieldsAreStable() {
        AuthenticationProvider p = provider();
        List<FieldDescriptor> fields = p.fields();
        assertFalse(fields.isEmpty());
        assertEquals(fields, p.fields());
        Set<String> names = fields.stream().map(FieldDescriptor::name).collect(Collectors.toSet());
        assertEquals(fields.size(), names.size(), "field names repeat");
        for (FieldDescriptor f : fields) {
            f.shownWhenField().ifPresent(sw -> {
                FieldDescriptor control = fields.stream().filter(o -> o.name().equals(sw)).findFirst().orElse(null);
                if (f.shownWhenValues().isEmpty()) {
                    assertTrue(control != null && control.kind() == FieldKind.BOOLEAN,
                            f.name() + " is shown by '" + sw + "', which is not a declared switch");
                } else if (control == null || control.kind() != FieldKind.CHOICE) {
                    fail(f.name() + " is shown for values of '" + sw + "', which is not a declared choice");
                } else {
                    assertTrue(control.allowedValues().containsAll(f.shownWhenValues()), f.name() + " is shown for "
                            + f.shownWhenValues() + ", not all of them values of '" + sw + "' " + control.allowedValues());
                }
            });
            for (String guard : f.reenterWhenChanged()) {
                assertTrue(names.contains(guard), f.name() + " names an undeclared field " + guard);
            }
        }
    }

    @Test
    @DisplayName("every field, choice value shown by name and the type itself have an English and a German label,"
            + " and help text, where given, is in both too")
    void labelsInEnglishAndGerman() {
        AuthenticationProvider p = provider();
        for (FieldDescriptor f : p.fields()) {
            for (String language : List.of("en", "de")) {
                String label = f.labels().get(language);
                assertTrue(label != null && !label.isBlank(), f.name() + " has no label in '" + language + "'");
                if (!f.descriptions().isEmpty()) {
                    String help = f.descriptions().get(language);
                    assertTrue(help != null && !help.isBlank(), f.name() + " has help text, but none in '" + language
                            + "'");
                }
                f.valueLabels().forEach((value, labels) -> assertTrue(labels.containsKey(language),
                        f.name() + " names its value " + value + " but not in '" + language + "'"));
            }
        }
        assertFalse(p.displayName(Locale.ENGLISH).isBlank());
        assertFalse(p.displayName(Locale.GERMAN).isBlank());
    }

    @Test
    @DisplayName("bind works where the provider ships: on the module path the validator can read its form objects")
    void formsAreReadableOnTheModulePath() {
        for (Locale locale : List.of(Locale.ENGLISH, Locale.GERMAN)) {
            try {
                bindValid(locale);
            } catch (RuntimeException e) {
                for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
                    if (c instanceof java.lang.reflect.InaccessibleObjectException) {
                        // The engine's message names the form, the module, the opens line and DraftValues.
                        fail(String.valueOf(e.getMessage()));
                    }
                }
                throw e;
            }
        }
    }

    @Test
    @DisplayName("bind, unbind and bind again give an equal configuration")
    void bindUnbindRoundTrip() {
        AuthenticationProvider p = provider();
        EmailConfiguration first = bindValid(Locale.ENGLISH);
        assertNotNull(first);
        assertEquals(p.type(), first.type());
        ConfigurationDraft unbound = p.unbind(first);
        assertEquals(p.type(), unbound.type());
        assertEquals(first, p.bind(unbound, contexts.binding(Locale.ENGLISH)));
    }

    @Test
    @DisplayName("secrets live in SECRET fields only and never among the plain values")
    void secretsNeverAmongPlainValues() {
        AuthenticationProvider p = provider();
        Set<String> secretFields = p.fields().stream().filter(FieldDescriptor::secret).map(FieldDescriptor::name)
                .collect(Collectors.toSet());
        ConfigurationDraft unbound = p.unbind(bindValid(Locale.ENGLISH));
        for (String field : unbound.secrets().keySet()) {
            assertTrue(secretFields.contains(field), field + " holds a secret but is not a SECRET field");
        }
        for (String field : unbound.values().keySet()) {
            assertFalse(secretFields.contains(field), "the secret field " + field + " is among the plain values");
        }
        for (Secret s : validDraft(server).secrets().values()) {
            if (!s.isKeep()) {
                assertFalse(unbound.values().containsValue(s.reveal()), "a secret's value is among the plain values");
            }
        }
    }

    @Test
    @DisplayName("the bound configuration's toString shows no secret (keep secrets as Secret, not String)")
    void configurationToStringShowsNoSecret() {
        EmailConfiguration c = bindValid(Locale.ENGLISH);
        String shown = String.valueOf(c);
        for (Secret s : validDraft(server).secrets().values()) {
            if (!s.isKeep() && !s.reveal().isEmpty()) {
                assertFalse(shown.contains(s.reveal()), "the configuration's toString shows a secret: hold it as a "
                        + "Secret (its toString masks it), not as a String");
            }
        }
    }

    @Test
    @DisplayName("a configuration with a secret never takes an http:// endpoint on another host")
    void noSecretOverPlainHttp() {
        ConfigurationDraft valid = validDraft(server);
        Assumptions.assumeTrue(valid.secrets().values().stream().anyMatch(s -> !s.isKeep()),
                "the valid draft holds no secret");
        for (var e : valid.values().entrySet()) {
            String v = e.getValue();
            if (v == null || !(v.startsWith("https://") || v.startsWith("http://"))) {
                continue;
            }
            // The same endpoint, in clear, on a host that is not this machine: the secret would cross the network.
            String plain = "http://hooks.example.com" + v.replaceFirst("^https?://[^/]*", "");
            ConfigurationDraft.Builder b = valid.toBuilder().set(e.getKey(), plain);
            try {
                provider().bind(b.build(), contexts.binding(Locale.ENGLISH));
                fail("'" + e.getKey() + "' took " + plain + ": the secret would travel unencrypted; refuse http:// "
                        + "on anything but a loopback address");
            } catch (InvalidConfigurationException refused) {
                assertTrue(refused.violations().stream().anyMatch(x -> x.field().equals(e.getKey())),
                        "refused, but not on '" + e.getKey() + "': " + refused.violations());
            }
        }
    }

    @Test
    @DisplayName("every violation names a declared field, and bad input gives violations, not other exceptions")
    void violationsNameDeclaredFields() {
        AuthenticationProvider p = provider();
        Set<String> names = p.fields().stream().map(FieldDescriptor::name).collect(Collectors.toSet());
        ConfigurationDraft.Builder garbled = ConfigurationDraft.builder(p.type());
        for (FieldDescriptor f : p.fields()) {
            if (f.secret()) {
                garbled.secret(f.name(), Secret.of("line\nbreak"));
            } else {
                garbled.set(f.name(), "not\nvalid \u0000");
            }
        }
        for (ConfigurationDraft bad : List.of(ConfigurationDraft.builder(p.type()).build(), garbled.build())) {
            try {
                p.bind(bad, contexts.binding(Locale.GERMAN));
            } catch (InvalidConfigurationException e) {
                for (var v : e.violations()) {
                    assertTrue(names.contains(v.field()), "a violation names '" + v.field() + "', not a declared field");
                    assertFalse(v.message().isBlank());
                }
                continue;
            } catch (RuntimeException e) {
                // The engine enforces what the descriptors declare first; a provider may still not crash.
                fail("bind threw " + e.getClass().getName() + " instead of InvalidConfigurationException");
            }
            // A provider may accept an empty draft only when none of its fields is required.
            assertTrue(p.fields().stream().noneMatch(FieldDescriptor::required),
                    "a draft without its required fields was accepted");
        }
    }

    @Test
    @DisplayName("bind does no I/O: no socket or file is read or written while it runs")
    void bindDoesNoIo() throws IOException {
        bindValid(Locale.ENGLISH);
        bindValid(Locale.GERMAN); // classes and bundles are loaded now; what follows is bind's own work
        Path dump = Files.createTempFile("provider-bind", ".jfr");
        long thread = Thread.currentThread().getId();
        try (Recording r = new Recording()) {
            for (String event : List.of("jdk.SocketRead", "jdk.SocketWrite", "jdk.FileRead", "jdk.FileWrite")) {
                r.enable(event).withThreshold(Duration.ZERO).withStackTrace();
            }
            r.start();
            bindValid(Locale.ENGLISH);
            r.stop();
            r.dump(dump);
            List<String> io = new java.util.ArrayList<>();
            for (RecordedEvent e : RecordingFile.readAllEvents(dump)) {
                if (e.getThread() != null && e.getThread().getJavaThreadId() == thread) {
                    io.add(e.getEventType().getName());
                }
            }
            assertEquals(List.of(), io, "I/O during bind");
        } finally {
            Files.deleteIfExists(dump);
        }
    }

    @Test
    @DisplayName("a save through the engine sends the test email with the provider's delivery")
    void saveDeliversThroughTheEngine() {
        try (EmailConfigurationService service = engine().inMemoryStore().provider(provider())
                .discoverProviders(false).build()) {
            assertEquals(1, service.save(ADMIN, validDraft(server)).revision());
            if (deliversOverSmtp()) {
                assertEquals(1, server.messages().size(), "the test email at the scripted server");
            }
        }
    }

    @Test
    @DisplayName("a refused connection is classified, with a hint, and names no secret")
    void failuresAreClassifiedWithoutSecrets() {
        Assumptions.assumeTrue(deliversOverSmtp(), "the provider does not deliver over SMTP");
        server.reply(ScriptedSmtpServer.Stage.GREETING, "554 5.7.1 Service unavailable; client host blocked");
        AuthenticationProvider p = provider();
        EmailConfiguration c = bindValid(Locale.ENGLISH);
        DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> {
            try (MailDelivery d = p.open(c, contexts.delivery())) {
                d.isOpen();
            }
        });
        // Classified: a reason that says what happened, not the catch-all, and the step it happened at.
        assertNotEquals(Reason.SERVER_ERROR, e.reason(), "an unclassified failure: " + e.getMessage());
        assertTrue(e.step().isPresent(), "no step named: " + e.getMessage());
        assertFalse(e.hint().isBlank());
        assertFalse(e.hint(Locale.GERMAN).isBlank());
        assertNoSecretIn(e, validDraft(server));
    }

    @Test
    @DisplayName("a delivery that is not SMTP: a web service that refuses is a classified failure that names no secret,"
            + " even when the service quotes the credentials back")
    void failuresOfAWebServiceAreClassifiedWithoutSecrets() {
        Assumptions.assumeFalse(deliversOverSmtp(), "an SMTP delivery is checked by the scripted server's refusal");
        try (FailingEndpoint endpoint = FailingEndpoint.start()) {
            ConfigurationDraft pointed = draftPointedAt(endpoint);
            Assumptions.assumeTrue(pointed != null, "skipped: override draftPointedAt(FailingEndpoint) so the kit can "
                    + "check how this provider's failures read");
            ConfigurationDraft draft = java.util.Objects.requireNonNull(pointed);
            for (int status : new int[] {401, 503}) {
                endpoint.answer(status);
                int before = endpoint.requests();
                DeliveryFailedException e = failureOf(provider().bind(draft, contexts.binding(Locale.ENGLISH)));
                assertTrue(endpoint.requests() > before, "the provider never asked " + endpoint.http() + " or "
                        + endpoint.https() + ": draftPointedAt must point its delivery there");
                assertTrue(e.reason() != Reason.SERVER_ERROR || e.providerCode().isPresent(), "HTTP " + status
                        + " read as the catch-all " + Reason.SERVER_ERROR + " without a provider code");
                assertEquals(status >= 500, e.temporary(), "HTTP " + status + (status >= 500
                        ? " is an outage: mark it temporary so it is retried" : " will not pass by itself: not temporary"));
                assertFalse(e.hint().isBlank());
                assertFalse(e.hint(Locale.GERMAN).isBlank());
                assertNoSecretIn(e, draft);
            }
        }
    }

    /** The failure of opening and sending one message, which must be a {@link DeliveryFailedException}. */
    private DeliveryFailedException failureOf(EmailConfiguration c) {
        AuthenticationProvider p = provider();
        try (MailDelivery d = p.open(c, contexts.delivery())) {
            MimeMessage probe = new MimeMessage(Session.getInstance(new Properties()));
            probe.setFrom(new InternetAddress(c.sender().address().value()));
            probe.setRecipients(Message.RecipientType.TO, ADMIN.email().value());
            probe.setSubject("contract check");
            probe.setText("A message the refusing service must not take.");
            probe.saveChanges();
            d.send(probe);
        } catch (DeliveryFailedException e) {
            return e;
        } catch (MessagingException e) {
            throw new IllegalStateException("the kit could not compose its message", e);
        } catch (RuntimeException e) {
            // Only the class: the message may hold the very secret this check keeps out of sight.
            fail("a refusal gave " + e.getClass().getName() + ", not a DeliveryFailedException with a reason and hint");
        }
        return fail("the delivery succeeded against a service that refuses everything");
    }

    /** No secret of the draft, plain or in the forms HTTP and SMTP carry it (URL, base64), anywhere in the failure. */
    private static void assertNoSecretIn(DeliveryFailedException e, ConfigurationDraft draft) {
        StringBuilder everything = new StringBuilder(e.getMessage()).append(e.hint()).append(e.hint(Locale.GERMAN))
                .append(e.serverReply().orElse(""));
        for (Throwable t = e; t != null; t = t.getCause()) {
            everything.append(' ').append(t);
            for (Throwable s : t.getSuppressed()) {
                everything.append(' ').append(s);
            }
        }
        for (Secret secret : draft.secrets().values()) {
            if (secret.isKeep() || secret.reveal().length() < 4) {
                continue;
            }
            String plain = secret.reveal();
            byte[] bytes = plain.getBytes(StandardCharsets.UTF_8);
            for (String form : List.of(plain, URLEncoder.encode(plain, StandardCharsets.UTF_8),
                    Base64.getEncoder().encodeToString(bytes), Base64.getUrlEncoder().withoutPadding().encodeToString(bytes))) {
                assertFalse(everything.indexOf(form) >= 0, "the failure (message, hint, reply or a cause) shows a secret");
            }
        }
    }
}
