package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.CustomConfiguration;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.EmailConfiguration;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.FieldDescriptor;
import org.emailconfig.api.FieldKind;
import org.emailconfig.api.Notification;
import org.emailconfig.api.Reason;
import org.emailconfig.api.Sender;
import org.emailconfig.api.spi.AuthenticationProvider;
import org.emailconfig.api.spi.BindingContext;
import org.emailconfig.api.spi.DeliveryContext;
import org.emailconfig.api.spi.MailDelivery;
import org.emailconfig.api.spi.StoredConfiguration;
import org.emailconfig.smtp.basic.PasswordSmtpProvider;
import org.emailconfig.testkit.SandboxMailServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Provider discovery: every problem is a clear error naming the provider or the type. */
class DiscoveryTest {

    @TempDir
    Path dir;

    /** A minimal third-party provider. */
    public static class PigeonProvider implements AuthenticationProvider {
        @Override
        public String type() {
            return "carrier-pigeon";
        }

        @Override
        public List<FieldDescriptor> fields() {
            return List.of(FieldDescriptor.builder("loft", FieldKind.TEXT, "Loft", "Schlag").required().build());
        }

        @Override
        public EmailConfiguration bind(ConfigurationDraft draft, BindingContext context) {
            return new CustomConfiguration(type(), Sender.of(EmailAddress.of("pigeon@sandbox.test")), draft.values(), Map.of());
        }

        @Override
        public ConfigurationDraft unbind(EmailConfiguration configuration) {
            return new ConfigurationDraft(type(), ((CustomConfiguration) configuration).settings(), Map.of());
        }

        @Override
        public MailDelivery open(EmailConfiguration configuration, DeliveryContext context) {
            throw new UnsupportedOperationException("pigeons do not fly in tests");
        }
    }

    /** Claims the same id as {@link PigeonProvider}. */
    public static class OtherPigeonProvider extends PigeonProvider {
    }

    /** Claims a reserved id. */
    public static class ImpostorProvider extends PigeonProvider {
        @Override
        public String type() {
            return "smtp-password";
        }
    }

    /** An id that breaks the rules. */
    public static class ShoutingProvider extends PigeonProvider {
        @Override
        public String type() {
            return "CARRIER PIGEON";
        }
    }

    /** Fails in its constructor. */
    public static class ThrowingProvider extends PigeonProvider {
        public ThrowingProvider() {
            throw new IllegalStateException("no seeds for the pigeons");
        }
    }

    /** Everything a provider needs but the name of its type. */
    public abstract static class UnnamedPigeons implements AuthenticationProvider {
        private final PigeonProvider pigeons = new PigeonProvider();

        @Override
        public List<FieldDescriptor> fields() {
            return pigeons.fields();
        }

        @Override
        public EmailConfiguration bind(ConfigurationDraft draft, BindingContext context) {
            return new CustomConfiguration(type(), Sender.of(EmailAddress.of("pigeon@sandbox.test")), draft.values(),
                    Map.of());
        }

        @Override
        public ConfigurationDraft unbind(EmailConfiguration configuration) {
            return new ConfigurationDraft(type(), ((CustomConfiguration) configuration).settings(), Map.of());
        }

        @Override
        public MailDelivery open(EmailConfiguration configuration, DeliveryContext context) {
            return pigeons.open(configuration, context);
        }
    }

    /** Written against 0.2: names its type with the method that was called {@code id()} then. */
    public static class OldPigeonProvider extends UnnamedPigeons {
        @Override
        @SuppressWarnings("removal")
        public String id() {
            return "old-pigeon";
        }
    }

    /** Names its type with neither method. */
    public static class NamelessProvider extends UnnamedPigeons {
    }

    private ClassLoader servicesListing(String... classNames) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.write(services.resolve(AuthenticationProvider.class.getName()), List.of(classNames));
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    }

    private static EmailConfigurationService build(ClassLoader loader) {
        return EmailConfig.builder().inMemoryStore().classLoader(loader).build();
    }

    @Test
    void builtInProviderIsFoundOnTheClassPath() {
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore().build()) {
            assertEquals("smtp-password", s.authenticationTypes(java.util.Locale.ENGLISH).get(0).type());
        }
    }

    @Test
    void aThirdPartyProviderIsDiscoveredAfterTheBuiltInOnes() throws Exception {
        try (EmailConfigurationService s = build(servicesListing(PigeonProvider.class.getName()))) {
            assertEquals(List.of("smtp-password", "microsoft-oauth2", "carrier-pigeon"),
                    s.authenticationTypes(java.util.Locale.ENGLISH).stream().map(t -> t.type()).toList());
        }
    }

    @Test
    void aProviderWhoseConstructorThrowsIsNamed() throws Exception {
        ClassLoader loader = servicesListing(ThrowingProvider.class.getName());
        EmailConfigException e = assertThrows(EmailConfigException.class, () -> build(loader));
        assertEquals(Reason.PROVIDER_BROKEN, e.reason());
        assertTrue(e.getMessage().contains(ThrowingProvider.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("no seeds for the pigeons"), e.getMessage());
    }

    @Test
    void aListedClassThatDoesNotExistIsNamed() throws Exception {
        ClassLoader loader = servicesListing("com.example.MissingProvider");
        EmailConfigException e = assertThrows(EmailConfigException.class, () -> build(loader));
        assertEquals(Reason.PROVIDER_BROKEN, e.reason());
        assertTrue(e.getMessage().contains("com.example.MissingProvider"), e.getMessage());
    }

    @Test
    void twoProvidersWithOneIdFailNamingBothClasses() throws Exception {
        ClassLoader loader = servicesListing(PigeonProvider.class.getName(), OtherPigeonProvider.class.getName());
        EmailConfigException e = assertThrows(EmailConfigException.class, () -> build(loader));
        assertEquals(Reason.PROVIDER_DUPLICATE, e.reason());
        assertTrue(e.getMessage().contains(PigeonProvider.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(OtherPigeonProvider.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("'carrier-pigeon'"), e.getMessage());
    }

    @Test
    void explicitInstancesWithOneIdAlsoFail() {
        EmailConfigException e = assertThrows(EmailConfigException.class, () -> EmailConfig.builder().inMemoryStore()
                .discoverProviders(false).provider(new PigeonProvider()).provider(new OtherPigeonProvider()).build());
        assertEquals(Reason.PROVIDER_DUPLICATE, e.reason());
    }

    @Test
    void aReservedIdUsedByAnotherClassIsRefused() throws Exception {
        ClassLoader loader = servicesListing(ImpostorProvider.class.getName());
        EmailConfigException e = assertThrows(EmailConfigException.class, () -> build(loader));
        assertEquals(Reason.PROVIDER_BROKEN, e.reason());
        assertTrue(e.getMessage().contains(ImpostorProvider.class.getName()) && e.getMessage().contains("reserved"),
                e.getMessage());
    }

    @Test
    void aMalformedIdIsRefused() {
        EmailConfigException e = assertThrows(EmailConfigException.class, () -> EmailConfig.builder().inMemoryStore()
                .discoverProviders(false).provider(new ShoutingProvider()).build());
        assertEquals(Reason.PROVIDER_BROKEN, e.reason());
        assertTrue(e.getMessage().contains("'CARRIER PIGEON'"), e.getMessage());
    }

    @Test
    void withDiscoveryOffOnlyGivenInstancesExist() {
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore().discoverProviders(false)
                .provider(new PasswordSmtpProvider()).build()) {
            assertEquals(List.of("smtp-password"),
                    s.authenticationTypes(java.util.Locale.ENGLISH).stream().map(t -> t.type()).toList());
        }
    }

    @Test
    void aStoredTypeWithoutInstalledProviderGivesAnErrorNamingTheType() {
        InMemoryConfigStore store = new InMemoryConfigStore();
        store.save(new StoredConfiguration("carrier-pigeon", 1, Map.of("loft", "north"), Map.of(),
                Instant.parse("2026-11-27T10:00:00Z"), "admin"), 0);
        try (EmailConfigurationService s = EmailConfig.builder().store(store).storeSecretsUnsealed().build()) {
            EmailConfigException send = assertThrows(EmailConfigException.class, () -> s.notifications()
                    .send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link")));
            assertEquals(Reason.PROVIDER_MISSING, send.reason());
            assertTrue(send.getMessage().contains("'carrier-pigeon'"), send.getMessage());
            assertTrue(send.getMessage().contains("smtp-password, microsoft-oauth2"), "lists what is installed: " + send.getMessage());

            EmailConfigException test = assertThrows(EmailConfigException.class,
                    () -> s.sendTestEmail(new SandboxMailServer().admin()));
            assertEquals(Reason.PROVIDER_MISSING, test.reason());
            assertEquals("carrier-pigeon", s.read(new SandboxMailServer().admin()).type());
        }
    }

    @Test
    void aCustomStoreWithoutSealingKeyIsACallerError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EmailConfig.builder().store(new InMemoryConfigStore()).build());
        assertTrue(e.getMessage().contains("secretKey"), e.getMessage());
    }

    @Test
    void theBuilderReportsEveryContradictionAtOnce() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmailConfig.builder()
                .inMemoryStore().fileStore(dir).secretKey(new byte[16]).storeSecretsUnsealed().build());
        assertTrue(e.getMessage().contains("choose one store"), e.getMessage());
        assertTrue(e.getMessage().contains("choose one of secretKey"), e.getMessage());
        assertTrue(e.getMessage().contains("32 bytes"), e.getMessage());
    }

    @Test
    void aProviderWrittenAgainstTheOldNameOfTypeStillWorksAndOneWithNeitherIsNamed() throws Exception {
        try (EmailConfigurationService s = build(servicesListing(OldPigeonProvider.class.getName()))) {
            assertTrue(s.authenticationTypes(java.util.Locale.ENGLISH).stream().anyMatch(t -> t.type().equals("old-pigeon")));
        }
        ClassLoader loader = servicesListing(NamelessProvider.class.getName());
        EmailConfigException e = assertThrows(EmailConfigException.class, () -> build(loader));
        assertEquals(Reason.PROVIDER_BROKEN, e.reason());
        assertTrue(e.getMessage().contains(NamelessProvider.class.getName() + " failed to report its type"), e.getMessage());
        assertTrue(e.getMessage().contains("implements neither type() nor id()"), e.getMessage());
    }
}
