package org.emailconfig.core;

import static org.emailconfig.api.MicrosoftOAuthConfiguration.DELIVERY;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.SMTP_ENCRYPTION;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.SMTP_HOST;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.SMTP_PORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.MicrosoftOAuthConfiguration;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.Reason;
import org.emailconfig.api.Secret;
import org.emailconfig.testkit.FakeMicrosoftPlatform;
import org.emailconfig.testkit.FakeMicrosoftPlatform.Failure;
import org.emailconfig.testkit.SandboxMailServer;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.emailconfig.testkit.ScriptedSmtpServer.Stage;
import org.emailconfig.testkit.TestCertificates;
import org.emailconfig.testkit.TestCertificates.ApplicationCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The catalogue of Microsoft 365 setup errors (README, "Microsoft 365: errors and their fixes"): each common one,
 * provoked against the testkit's fakes as Microsoft answers it, reads as its own reason with the provider's code,
 * and its hint names the exact command or portal step, in English and in German. A save that fails this way keeps
 * nothing.
 */
class MicrosoftErrorCatalogueTest {

    static final String TENANT = MicrosoftOAuthTest.TENANT;
    static final String CLIENT = MicrosoftOAuthTest.CLIENT;
    static final String SECRET = MicrosoftOAuthTest.SECRET;
    static final String SENDER = MicrosoftOAuthTest.SENDER;
    static final String ISSUER = "https://oidc.prod-aks.azure.com/0d6c2b8e/";
    static final String SUBJECT = "system:serviceaccount:shop:notifications";

    /** One error: what Microsoft says, the reason it reads as, and a fragment of its fix in each language. */
    enum Case {
        BASIC_AUTH_OFF(Reason.SMTP_AUTH_DISABLED, "5.7.139", "Microsoft OAuth 2.0", "Microsoft OAuth 2.0"),
        XOAUTH2_NO_SERVICE_PRINCIPAL(Reason.OAUTH_PERMISSION_MISSING, "5.7.3", "New-ServicePrincipal -AppId " + CLIENT,
                "Objekt-ID der Unternehmensanwendung"),
        XOAUTH2_SMTP_AUTH_OFF_FOR_MAILBOX(Reason.SMTP_AUTH_DISABLED, "5.7.139",
                "Set-CASMailbox -Identity " + SENDER + " -SmtpClientAuthenticationDisabled $false",
                "Sicherheitsstandards"),
        XOAUTH2_NOT_AUTHENTICATED(Reason.AUTH_REQUIRED, "5.7.57", "Get-CASMailbox -Identity " + SENDER,
                "muss False sein"),
        XOAUTH2_SEND_AS_DENIED(Reason.SENDER_NOT_ALLOWED, "SendAsDenied",
                "Add-RecipientPermission -Identity " + SENDER, "Dienstprinzipal"),
        SENDER_THREAD_LIMIT(Reason.SERVER_TEMPORARY_FAILURE, "4.3.2", "notificationConnections", "Postausgang"),
        GRAPH_NO_MAIL_SEND(Reason.OAUTH_PERMISSION_MISSING, "ErrorAccessDenied", "Application permissions (not Delegated)",
                "Anwendungsberechtigungen (nicht Delegiert)"),
        GRAPH_RBAC_SCOPE(Reason.SENDER_NOT_ALLOWED, "ErrorAccessDenied",
                "New-ManagementRoleAssignment -App " + CLIENT + " -Role \"Application Mail.Send\"",
                "RBAC f\u00fcr Anwendungen"),
        SECRET_EXPIRED(Reason.OAUTH_CLIENT_SECRET_EXPIRED, "AADSTS7000222", "New client secret",
                "Neuer geheimer Clientschl\u00fcssel"),
        APP_NOT_IN_TENANT(Reason.OAUTH_CLIENT_NOT_FOUND, "AADSTS700016", "App registrations, All applications",
                "Alle Anwendungen"),
        ASSERTION_SIGNATURE(Reason.OAUTH_CLIENT_ASSERTION_REJECTED, "AADSTS700027", "Upload certificate",
                "Zertifikat hochladen"),
        CERTIFICATE_EXPIRED(Reason.OAUTH_CLIENT_CERTIFICATE_EXPIRED, "AADSTS1000502", "openssl req -x509",
                "openssl req -x509"),
        FEDERATED_SUBJECT(Reason.OAUTH_FEDERATED_CREDENTIAL_MISMATCH, "AADSTS70021",
                "system:serviceaccount:NAMESPACE:NAME", "Verbundanmeldeinformationen"),
        FEDERATED_TOKEN_STALE(Reason.OAUTH_CLIENT_ASSERTION_EXPIRED, "AADSTS700024", "projected token",
                "projizierte Token");

        final Reason reason;
        final String code;
        final String english;
        final String german;

        Case(Reason reason, String code, String english, String german) {
            this.reason = reason;
            this.code = code;
            this.english = english;
            this.german = german;
        }
    }

    @RegisterExtension
    final FakeMicrosoftPlatform microsoft = new FakeMicrosoftPlatform();

    @RegisterExtension
    final SandboxMailServer mail = new SandboxMailServer();

    @TempDir
    Path dir;

    EmailConfigurationService service;

    @BeforeEach
    void setUp() {
        service = EmailConfig.builder().inMemoryStore().trustStore(TestCertificates.trustStore())
                .readTimeout(Duration.ofSeconds(2)).connectTimeout(Duration.ofSeconds(2)).build();
    }

    @AfterEach
    void tearDown() {
        service.close();
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void eachCommonErrorReadsAsItsOwnReasonWithTheExactFixInEnglishAndGerman(Case c) throws Exception {
        DeliveryFailedException e = provoke(c);

        assertEquals(c.reason, e.reason(), e.getMessage());
        assertTrue(e.serverReply().orElse("").contains(c.code), e.serverReply().orElse("no reply"));
        String english = e.hint(Locale.ENGLISH);
        String german = e.hint(Locale.GERMAN);
        assertTrue(english.contains(c.english), english);
        assertTrue(german.contains(c.german), german);
        assertNotEquals(english, german, "worded in German too");
        assertNull(service.read(mail.admin()).type(), "a failed save keeps nothing");
    }

    private DeliveryFailedException saving(ConfigurationDraft draft) {
        return assertThrows(DeliveryFailedException.class, () -> service.save(mail.admin(), draft));
    }

    private ConfigurationDraft graph() {
        return microsoft.graphDraft(TENANT, CLIENT, SECRET, SENDER);
    }

    private ConfigurationDraft xoauth2(ScriptedSmtpServer exchange) {
        return graph().toBuilder().set(DELIVERY, "SMTP_XOAUTH2").set(SMTP_HOST, SandboxMailServer.HOST)
                .set(SMTP_PORT, Integer.toString(exchange.port())).set(SMTP_ENCRYPTION, "SSL_TLS").build();
    }

    private DeliveryFailedException xoauth2(Stage stage, String reply) {
        microsoft.registerApplication(TENANT, CLIENT, SECRET);
        try (ScriptedSmtpServer exchange = ScriptedSmtpServer.withImplicitTls().reply(stage, reply).start()) {
            return saving(xoauth2(exchange));
        }
    }

    private ConfigurationDraft federated(String token) throws Exception {
        Path file = Files.writeString(dir.resolve("azure-identity-token"), token);
        return microsoft.graphDraftWithCertificate(TENANT, CLIENT, "unused", SENDER).toBuilder()
                .set(MicrosoftOAuthConfiguration.CREDENTIAL, "FEDERATED_TOKEN")
                .set(MicrosoftOAuthConfiguration.FEDERATED_TOKEN_PATH, file.toString())
                .secret(MicrosoftOAuthConfiguration.CLIENT_CERTIFICATE, Secret.keep()).build();
    }

    private DeliveryFailedException provoke(Case c) throws Exception {
        switch (c) {
            case BASIC_AUTH_OFF:
                try (ScriptedSmtpServer exchange = ScriptedSmtpServer.withImplicitTls().reply(Stage.AUTH,
                        "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. "
                                + "[AM0PR01CA0001.eurprd01.prod.exchangelabs.com]").start()) {
                    return saving(ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE)
                            .set(PasswordSmtpConfiguration.SENDER_ADDRESS, SENDER)
                            .set(PasswordSmtpConfiguration.HOST, SandboxMailServer.HOST)
                            .set(PasswordSmtpConfiguration.PORT, Integer.toString(exchange.port()))
                            .set(PasswordSmtpConfiguration.ENCRYPTION, "SSL_TLS")
                            .set(PasswordSmtpConfiguration.USERNAME, SENDER)
                            .secret(PasswordSmtpConfiguration.PASSWORD, Secret.of("mailbox-password")).build());
                }
            case XOAUTH2_NO_SERVICE_PRINCIPAL:
                return xoauth2(Stage.AUTH, "535 5.7.3 Authentication unsuccessful "
                        + "[AM0PR01CA0001.eurprd01.prod.exchangelabs.com]");
            case XOAUTH2_SMTP_AUTH_OFF_FOR_MAILBOX:
                return xoauth2(Stage.AUTH, "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is "
                        + "disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.");
            case XOAUTH2_NOT_AUTHENTICATED:
                return xoauth2(Stage.MAIL, "530 5.7.57 Client not authenticated to send mail. Error: 535 5.7.3 "
                        + "Authentication unsuccessful [AM0PR01CA0001.eurprd01.prod.exchangelabs.com]");
            case XOAUTH2_SEND_AS_DENIED:
                return xoauth2(Stage.END_OF_DATA, "554 5.2.252 SendAsDenied; " + SENDER + " not allowed to send as "
                        + SENDER + "; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied");
            case SENDER_THREAD_LIMIT:
                return xoauth2(Stage.MAIL, "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded");
            case GRAPH_NO_MAIL_SEND:
                microsoft.registerApplication(TENANT, CLIENT, SECRET).failNext(Failure.ACCESS_DENIED);
                return saving(graph());
            case GRAPH_RBAC_SCOPE:
                microsoft.registerApplication(TENANT, CLIENT, SECRET).failNext(Failure.GRAPH_POLICY_BLOCKED);
                return saving(graph());
            case SECRET_EXPIRED:
                microsoft.registerApplication(TENANT, CLIENT, SECRET, true, true, null);
                return saving(graph());
            case APP_NOT_IN_TENANT:
                microsoft.registerApplication(TENANT, "99998888-7777-6666-5555-444433332222", SECRET);
                return saving(graph());
            case ASSERTION_SIGNATURE:
                microsoft.registerApplication(TENANT, CLIENT, ApplicationCertificate.VALID.certificate());
                return saving(microsoft.graphDraftWithCertificate(TENANT, CLIENT, ApplicationCertificate.OTHER.pem(),
                        SENDER));
            case CERTIFICATE_EXPIRED:
                microsoft.registerApplication(TENANT, CLIENT, ApplicationCertificate.EXPIRED.certificate());
                return saving(microsoft.graphDraftWithCertificate(TENANT, CLIENT, ApplicationCertificate.EXPIRED.pem(),
                        SENDER));
            case FEDERATED_SUBJECT:
                microsoft.registerFederatedCredential(TENANT, CLIENT, ISSUER, SUBJECT);
                return saving(federated(FakeMicrosoftPlatform.federatedToken(ISSUER, "system:serviceaccount:shop:web",
                        Duration.ofHours(1))));
            case FEDERATED_TOKEN_STALE:
                microsoft.registerFederatedCredential(TENANT, CLIENT, ISSUER, SUBJECT);
                return saving(federated(FakeMicrosoftPlatform.federatedToken(ISSUER, SUBJECT, Duration.ofHours(-1))));
            default:
                throw new AssertionError(c);
        }
    }
}
