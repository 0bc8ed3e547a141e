package org.emailconfig.core;

import static org.emailconfig.api.MicrosoftOAuthConfiguration.CLIENT_CERTIFICATE;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.CLIENT_CERTIFICATE_EXPIRES;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.CLIENT_CERTIFICATE_PASSWORD;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.CLIENT_CERTIFICATE_SUBJECT;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.CLIENT_CERTIFICATE_THUMBPRINT;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.CREDENTIAL;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.DELIVERY;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.FEDERATED_TOKEN_PATH;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.SMTP_ENCRYPTION;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.SMTP_HOST;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.SMTP_PORT;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.TENANT_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.ConfigurationView;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.EmailHealth;

import org.emailconfig.api.InvalidConfigurationException;
import org.emailconfig.api.MicrosoftOAuthConfiguration.CredentialKind;
import org.emailconfig.api.Notification;
import org.emailconfig.api.Reason;
import org.emailconfig.api.Secret;
import org.emailconfig.api.Violation;
import org.emailconfig.core.testing.MutableClock;
import org.emailconfig.msoauth.MicrosoftOAuthProvider;
import org.emailconfig.testkit.FakeMicrosoftPlatform;
import org.emailconfig.testkit.SandboxMailServer;
import org.emailconfig.testkit.TestCertificates;
import org.emailconfig.testkit.TestCertificates.ApplicationCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Microsoft 365 without a client secret: a certificate (PEM or .pfx) and a federated token (a file or the host's
 * source), saved against the testkit's fake identity platform, which checks every client assertion as Entra does.
 */
class MicrosoftCredentialsTest {

    static final String TENANT = MicrosoftOAuthTest.TENANT;
    static final String CLIENT = MicrosoftOAuthTest.CLIENT;
    static final String SENDER = MicrosoftOAuthTest.SENDER;
    static final String ISSUER = "https://oidc.prod-aks.azure.com/0d6c2b8e/";
    static final String SUBJECT = "system:serviceaccount:shop:notifications";

    @RegisterExtension
    final FakeMicrosoftPlatform microsoft = new FakeMicrosoftPlatform();

    @RegisterExtension
    final SandboxMailServer mail = new SandboxMailServer().withMailbox(SENDER, MicrosoftOAuthTest.SMTP_TOKEN);

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock();
    EmailConfigurationService service;

    @BeforeEach
    void setUp() {
        service = builder().build();
    }

    private EmailConfig.Builder builder() {
        return EmailConfig.builder().inMemoryStore().trustStore(TestCertificates.trustStore()).clock(clock)
                .readTimeout(Duration.ofSeconds(2)).connectTimeout(Duration.ofSeconds(2));
    }

    @AfterEach
    void tearDown() {
        service.close();
    }

    private ConfigurationDraft certificate(String material) {
        return microsoft.graphDraftWithCertificate(TENANT, CLIENT, material, SENDER);
    }

    private ConfigurationDraft federated(String file) {
        return microsoft.graphDraftWithCertificate(TENANT, CLIENT, "unused", SENDER).toBuilder()
                .set(CREDENTIAL, CredentialKind.FEDERATED_TOKEN.name()).set(FEDERATED_TOKEN_PATH, file)
                .secret(CLIENT_CERTIFICATE, Secret.keep()).build();
    }

    private Path tokenFile(String token) throws Exception {
        Path file = dir.resolve("azure-identity-token");
        Files.writeString(file, token);
        return file;
    }

    @Test
    void aCertificateInPemSignsInSendsTheTestEmailAndTheViewShowsItsThumbprintNeverItsKey() {
        microsoft.registerApplication(TENANT, CLIENT, ApplicationCertificate.VALID.certificate());
        String pem = ApplicationCertificate.VALID.pem();

        service.save(mail.admin(), certificate(pem));
        service.notifications().send(Notification.of(EmailAddress.of("jane@contoso.test"), "Reset", "Link"));

        assertEquals(2, microsoft.awaitMessages(2).size());
        assertEquals(1, microsoft.tokenRequests(), "one token for the test email and the notification");
        ConfigurationView view = service.read(mail.admin());
        String thumbprint = view.values().get(CLIENT_CERTIFICATE_THUMBPRINT);
        assertEquals(List.of("certificate " + thumbprint), microsoft.credentialsUsed());
        assertEquals(40, thumbprint.length(), "SHA-1 in hex, as the app registration lists it");
        assertEquals("CN=email-config testkit application", view.values().get(CLIENT_CERTIFICATE_SUBJECT));
        assertEquals(ApplicationCertificate.VALID.certificate().getNotAfter().toInstant().toString(),
                view.values().get(CLIENT_CERTIFICATE_EXPIRES));
        assertEquals(CredentialKind.CERTIFICATE.name(), view.values().get(CREDENTIAL));
        assertTrue(view.storedSecrets().contains(CLIENT_CERTIFICATE));
        String shown = view.values().toString() + view.warnings();
        assertFalse(shown.contains("PRIVATE KEY"), shown);
        assertFalse(shown.contains(pem.split("\n")[1]), "no line of the key");
    }

    @Test
    void theKeyIsSealedAtRestAndNoTextOfTheConfigurationQuotesIt() throws Exception {
        microsoft.registerApplication(TENANT, CLIENT, ApplicationCertificate.VALID.certificate());
        String pem = ApplicationCertificate.VALID.pem();
        String keyLine = pem.split("\n")[1];
        Path store = dir.resolve("store");
        try (EmailConfigurationService filed = EmailConfig.builder().fileStore(store)
                .trustStore(TestCertificates.trustStore()).build()) {
            filed.save(mail.admin(), certificate(pem));
        }
        try (java.util.stream.Stream<Path> files = Files.walk(store)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertFalse(text.contains("PRIVATE KEY") || text.contains(keyLine), f + " holds the key in clear");
            }
        }
        var configuration = new org.emailconfig.api.MicrosoftOAuthConfiguration(
                org.emailconfig.api.Sender.of(EmailAddress.of(SENDER), null), TENANT, CLIENT,
                new org.emailconfig.api.MicrosoftOAuthConfiguration.ClientCertificate(Secret.of(pem), java.util.Optional.empty()),
                org.emailconfig.api.MicrosoftOAuthConfiguration.Delivery.GRAPH,
                org.emailconfig.api.MicrosoftOAuthConfiguration.Cloud.WORLDWIDE,
                org.emailconfig.api.MicrosoftOAuthConfiguration.Endpoints.of(
                        org.emailconfig.api.MicrosoftOAuthConfiguration.Cloud.WORLDWIDE), false, java.util.Optional.empty());
        String text = configuration.toString();
        assertFalse(text.contains("PRIVATE KEY") || text.contains(keyLine), text);
        assertTrue(text.contains("thumbprint="), text);
        assertNull(configuration.clientSecret(), "no client secret with a certificate");
    }

    @Test
    void aPfxFileWithItsPasswordSignsInForSmtpXoauth2() throws Exception {
        microsoft.registerApplication(TENANT, CLIENT, "unused-secret", false, true, MicrosoftOAuthTest.SMTP_TOKEN)
                .registerApplication(TENANT, CLIENT, ApplicationCertificate.VALID.certificate());
        ConfigurationDraft draft = certificate(ApplicationCertificate.VALID.pkcs12Base64()).toBuilder()
                .secret(CLIENT_CERTIFICATE_PASSWORD, Secret.of(TestCertificates.PKCS12_PASSWORD))
                .set(DELIVERY, "SMTP_XOAUTH2").set(SMTP_HOST, SandboxMailServer.HOST)
                .set(SMTP_PORT, Integer.toString(mail.smtpsPort())).set(SMTP_ENCRYPTION, "SSL_TLS").build();

        service.save(mail.admin(), draft);

        assertEquals(1, mail.awaitMessages(1).size());
        assertTrue(microsoft.credentialsUsed().get(0).startsWith("certificate "));
        assertEquals(0, microsoft.sentMessages().size(), "nothing through Graph");
    }

    @Test
    void aCertificateTheAppDoesNotHoldIsRefusedWithItsOwnReasonAndChangesNothing() {
        microsoft.registerApplication(TENANT, CLIENT, ApplicationCertificate.VALID.certificate());

        DeliveryFailedException e = assertThrows(DeliveryFailedException.class,
                () -> service.save(mail.admin(), certificate(ApplicationCertificate.OTHER.pem())));

        assertEquals(Reason.OAUTH_CLIENT_ASSERTION_REJECTED, e.reason());
        assertEquals("AADSTS700027", e.serverReply().orElseThrow());
        assertTrue(e.hint().contains("Upload certificate"), e.hint());
        assertTrue(e.hint(Locale.GERMAN).contains("Zertifikat hochladen"), e.hint(Locale.GERMAN));
        assertNull(service.read(mail.admin()).type(), "nothing stored");
    }

    @Test
    void anExpiredCertificateIsRefusedWithItsOwnReason() {
        microsoft.registerApplication(TENANT, CLIENT, ApplicationCertificate.EXPIRED.certificate());

        DeliveryFailedException e = assertThrows(DeliveryFailedException.class,
                () -> service.save(mail.admin(), certificate(ApplicationCertificate.EXPIRED.pem())));

        assertEquals(Reason.OAUTH_CLIENT_CERTIFICATE_EXPIRED, e.reason());
        assertEquals("AADSTS1000502", e.serverReply().orElseThrow());
        assertTrue(e.hint().contains("openssl req -x509"), e.hint());
    }

    @Test
    void aCertificateThatExpiresWithinThirtyDaysMakesHealthDegradedAndNamesItsThumbprint() {
        microsoft.registerApplication(TENANT, CLIENT, ApplicationCertificate.VALID.certificate());
        service.save(mail.admin(), certificate(ApplicationCertificate.VALID.pem()));
        String thumbprint = service.read(mail.admin()).values().get(CLIENT_CERTIFICATE_THUMBPRINT);
        Instant notAfter = ApplicationCertificate.VALID.certificate().getNotAfter().toInstant();
        assertEquals(EmailHealth.Status.UP, service.health().status());

        clock.advance(Duration.between(clock.instant(), notAfter.minus(Duration.ofDays(10))));

        EmailHealth health = service.health();
        assertEquals(EmailHealth.Status.DEGRADED, health.status());
        assertEquals(notAfter, health.credentialExpiry());
        EmailHealth.Concern concern = health.concerns().stream()
                .filter(c -> c.code() == EmailHealth.Code.CREDENTIAL_EXPIRING).findFirst().orElseThrow();
        assertTrue(concern.text().in(Locale.ENGLISH).contains(thumbprint), concern.text().in(Locale.ENGLISH));
    }

    @Test
    void aPastedCertificateThatCannotBeUsedIsAViolationOfItsFieldThatNeverQuotesIt() {
        String pem = ApplicationCertificate.VALID.pem();
        String keyOnly = pem.substring(0, pem.indexOf("-----BEGIN CERTIFICATE-----"));
        String certificateOnly = pem.substring(pem.indexOf("-----BEGIN CERTIFICATE-----"));
        String keyOfAnother = ApplicationCertificate.OTHER.pem();
        String mismatched = keyOfAnother.substring(0, keyOfAnother.indexOf("-----BEGIN CERTIFICATE-----"))
                + certificateOnly;
        for (String[] c : new String[][] {{keyOnly, "certificate is missing"}, {certificateOnly, "key is missing"},
                {mismatched, "does not belong"}, {"not a certificate at all", "neither PEM"},
                {ApplicationCertificate.VALID.pkcs12Base64(), "password is wrong"}}) {
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                    () -> service.save(mail.admin(), certificate(c[0])));
            Violation v = e.violations().get(0);
            assertEquals(CLIENT_CERTIFICATE, v.field());
            assertTrue(v.message().contains(c[1]), v.message());
            assertFalse(e.getMessage().contains("MII"), "never a part of the material: " + e.getMessage());
        }
        // The same in German, on a pasted password field that dropped the line breaks.
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> service.save(mail.admin().withLocale(Locale.GERMAN), certificate(keyOnly.replace("\n", ""))));
        assertTrue(e.violations().get(0).message().contains("Zertifikat fehlt"), e.violations().get(0).message());
        assertNull(service.read(mail.admin()).type(), "nothing stored");
        assertEquals(0, microsoft.tokenRequests());
    }

    @Test
    void aStoredCertificateMustBePastedAgainWhenTheTenantChanges() {
        String other = "11112222-3333-4444-5555-666677778888";
        microsoft.registerApplication(TENANT, CLIENT, ApplicationCertificate.VALID.certificate())
                .registerApplication(other, CLIENT, ApplicationCertificate.VALID.certificate());
        service.save(mail.admin(), certificate(ApplicationCertificate.VALID.pem()));

        ConfigurationDraft moved = certificate("unused").toBuilder().set(TENANT_ID, other)
                .secret(CLIENT_CERTIFICATE, Secret.keep()).build();
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> service.save(mail.admin(), moved));

        assertEquals(CLIENT_CERTIFICATE, e.violations().get(0).field());
        assertEquals(1, microsoft.tokenRequests(), "the stored key signed nothing for the other tenant");
        // Kept as it is, the stored certificate stays in use.
        service.save(mail.admin(), certificate("unused").toBuilder().secret(CLIENT_CERTIFICATE, Secret.keep()).build());
    }

    @Test
    void aFederatedTokenFileIsReadAgainForEveryTokenRequest() throws Exception {
        microsoft.registerFederatedCredential(TENANT, CLIENT, ISSUER, SUBJECT);
        Path file = tokenFile(FakeMicrosoftPlatform.federatedToken(ISSUER, SUBJECT, Duration.ofHours(24)));

        service.save(mail.admin(), federated(file.toString()));
        assertEquals(List.of("federated " + SUBJECT), microsoft.credentialsUsed());
        assertFalse(service.read(mail.admin()).storedSecrets().contains(CLIENT_CERTIFICATE), "no secret kept");

        // The platform renews the file; a token for a subject the app does not trust proves it was read again.
        Files.writeString(file, FakeMicrosoftPlatform.federatedToken(ISSUER, "system:serviceaccount:shop:other",
                Duration.ofHours(24)));
        clock.advance(Duration.ofMinutes(56));
        DeliveryFailedException e = assertThrows(DeliveryFailedException.class,
                () -> service.notifications().send(Notification.of(EmailAddress.of("a@contoso.test"), "A", "B")));

        assertEquals(Reason.OAUTH_FEDERATED_CREDENTIAL_MISMATCH, e.reason());
        assertTrue(e.hint().contains("api://AzureADTokenExchange"), e.hint());
        assertEquals(2, microsoft.tokenRequests());
    }

    @Test
    void aFederatedTokenSignsInForSmtpXoauth2Too() throws Exception {
        microsoft.registerApplication(TENANT, CLIENT, "unused-secret", false, true, MicrosoftOAuthTest.SMTP_TOKEN)
                .registerFederatedCredential(TENANT, CLIENT, ISSUER, SUBJECT);
        Path file = tokenFile(FakeMicrosoftPlatform.federatedToken(ISSUER, SUBJECT, Duration.ofHours(24)));

        service.save(mail.admin(), federated(file.toString()).toBuilder().set(DELIVERY, "SMTP_XOAUTH2")
                .set(SMTP_HOST, SandboxMailServer.HOST).set(SMTP_PORT, Integer.toString(mail.smtpsPort()))
                .set(SMTP_ENCRYPTION, "SSL_TLS").build());

        assertEquals(1, mail.awaitMessages(1).size());
        assertEquals(List.of("federated " + SUBJECT), microsoft.credentialsUsed());
        assertTrue(microsoft.tokenRequestLog().get(0).scope().contains("https://outlook.office365.com/.default"));
    }

    @Test
    void anExpiredOrMissingFederatedTokenIsSaidPlainly() throws Exception {
        microsoft.registerFederatedCredential(TENANT, CLIENT, ISSUER, SUBJECT);
        Path expired = tokenFile(FakeMicrosoftPlatform.federatedToken(ISSUER, SUBJECT, Duration.ofHours(-2)));

        DeliveryFailedException stale = assertThrows(DeliveryFailedException.class,
                () -> service.save(mail.admin(), federated(expired.toString())));
        assertEquals(Reason.OAUTH_CLIENT_ASSERTION_EXPIRED, stale.reason());

        String missing = dir.resolve("no-such-token").toString();
        DeliveryFailedException unreadable = assertThrows(DeliveryFailedException.class,
                () -> service.save(mail.admin(), federated(missing)));
        assertEquals(Reason.OAUTH_CREDENTIAL_UNREADABLE, unreadable.reason());
        assertTrue(unreadable.getMessage().contains(missing), unreadable.getMessage());
        assertEquals(1, microsoft.tokenRequests(), "nothing asked of the platform without a token");

        InvalidConfigurationException relative = assertThrows(InvalidConfigurationException.class,
                () -> service.save(mail.admin(), federated("tokens/azure-identity-token")));
        assertEquals(FEDERATED_TOKEN_PATH, relative.violations().get(0).field());
    }

    /** A Microsoft first-time setup against the fake, with the credential's own variables as name-value pairs. */
    private java.util.Map<String, String> environment(String... credential) {
        java.util.Map<String, String> env = new java.util.HashMap<>(java.util.Map.of("EMAIL_CONFIG_TYPE",
                "microsoft-oauth2", "EMAIL_CONFIG_SENDER_ADDRESS", SENDER, "EMAIL_CONFIG_CLIENT_ID", CLIENT,
                "EMAIL_CONFIG_TENANT_ID", TENANT, "EMAIL_CONFIG_LOGIN_ENDPOINT", microsoft.loginEndpoint(),
                "EMAIL_CONFIG_GRAPH_ENDPOINT", microsoft.graphEndpoint()));
        for (int i = 0; i < credential.length; i += 2) {
            env.put(credential[i], credential[i + 1]);
        }
        return env;
    }

    @Test
    void aKubernetesPodStartsWithWorkloadIdentityFromItsEnvironmentAndNoSecretAtAll() throws Exception {
        microsoft.registerFederatedCredential(TENANT, CLIENT, ISSUER, SUBJECT);
        Path token = tokenFile(FakeMicrosoftPlatform.federatedToken(ISSUER, SUBJECT, Duration.ofHours(24)));
        // What the workload identity webhook injects (AZURE_*), mapped onto the form's fields by the deployment.
        java.util.Map<String, String> env = environment("EMAIL_CONFIG_CREDENTIAL", "FEDERATED_TOKEN",
                "EMAIL_CONFIG_FEDERATED_TOKEN_PATH", token.toString(),
                "EMAIL_CONFIG_TEST_TO", SandboxMailServer.ADMIN_ADDRESS);

        try (EmailConfigurationService pod = builder().initialConfiguration(
                InitialConfiguration.fromEnvironment(env, "pod-start")).build()) {
            assertEquals(CredentialKind.FEDERATED_TOKEN.name(), pod.read(mail.admin()).values().get(CREDENTIAL));
            assertEquals(token.toString(), pod.read(mail.admin()).values().get(FEDERATED_TOKEN_PATH));
        }
        assertEquals(1, microsoft.awaitMessages(1).size(), "the first-time test email");
        assertEquals(List.of("federated " + SUBJECT), microsoft.credentialsUsed());
    }

    @Test
    void aMountedCertificateSetsAnInstallationUpWithItsKeyReadFromTheFile() throws Exception {
        microsoft.registerApplication(TENANT, CLIENT, ApplicationCertificate.VALID.certificate());
        Path mounted = Files.writeString(dir.resolve("tls.pem"), ApplicationCertificate.VALID.pem());
        java.util.Map<String, String> env = environment("EMAIL_CONFIG_CREDENTIAL", "CERTIFICATE",
                "EMAIL_CONFIG_CLIENT_CERTIFICATE_FILE", mounted.toString());

        try (EmailConfigurationService installed = builder().initialConfiguration(
                InitialConfiguration.fromEnvironment(env, "installer")).build()) {
            ConfigurationView view = installed.read(mail.admin());
            assertTrue(view.storedSecrets().contains(CLIENT_CERTIFICATE));
            assertEquals("CN=email-config testkit application", view.values().get(CLIENT_CERTIFICATE_SUBJECT));
            installed.notifications().send(Notification.of(EmailAddress.of("a@contoso.test"), "A", "B"));
        }
        assertEquals(1, microsoft.awaitMessages(1).size());
    }

    @Test
    void theHostCanSupplyFederatedTokensItself() {
        microsoft.registerFederatedCredential(TENANT, CLIENT, ISSUER, SUBJECT);
        AtomicInteger asked = new AtomicInteger();
        try (EmailConfigurationService hosted = builder().provider(MicrosoftOAuthProvider.withClientAssertions(() -> {
            asked.incrementAndGet();
            return FakeMicrosoftPlatform.federatedToken(ISSUER, SUBJECT, Duration.ofMinutes(10));
        })).build()) {
            ConfigurationDraft draft = federated("x").toBuilder().set(FEDERATED_TOKEN_PATH, null).build();

            hosted.save(mail.admin(), draft);

            assertEquals(1, asked.get());
            assertEquals(List.of("federated " + SUBJECT), microsoft.credentialsUsed());
        }
        // Without a source of its own, the file is required.
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> service.save(mail.admin(), federated("x").toBuilder().set(FEDERATED_TOKEN_PATH, null).build()));
        assertEquals(FEDERATED_TOKEN_PATH, e.violations().get(0).field());
    }
}
