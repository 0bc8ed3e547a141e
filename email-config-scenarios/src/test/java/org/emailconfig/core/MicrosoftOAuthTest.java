package org.emailconfig.core;

import static org.emailconfig.api.MicrosoftOAuthConfiguration.CLIENT_ID;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.CLIENT_SECRET;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.DELIVERY;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.SMTP_ENCRYPTION;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.SMTP_HOST;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.SMTP_PORT;
import static org.emailconfig.api.MicrosoftOAuthConfiguration.TENANT_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.ConfigurationView;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.InvalidConfigurationException;
import org.emailconfig.api.Notification;
import org.emailconfig.api.Reason;
import org.emailconfig.api.Secret;
import org.emailconfig.api.Violation;
import org.emailconfig.core.testing.MutableClock;
import org.emailconfig.core.testing.RecordingAudit;
import org.emailconfig.testkit.FakeMicrosoftPlatform;
import org.emailconfig.testkit.FakeMicrosoftPlatform.Failure;
import org.emailconfig.testkit.SandboxMailServer;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.emailconfig.testkit.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Microsoft OAuth 2.0 type end to end, against the testkit's fake identity platform, Graph and GreenMail. */
class MicrosoftOAuthTest {

    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    static final String CLIENT = "00001111-aaaa-2222-bbbb-3333cccc4444";
    static final String SECRET = "Qx8Q~fake.client-secret_value0123456789abcd";
    static final String SENDER = "noreply@contoso.test";
    static final String SMTP_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.fake-smtp-token";

    @RegisterExtension
    final FakeMicrosoftPlatform microsoft = new FakeMicrosoftPlatform();

    @RegisterExtension
    final SandboxMailServer mail = new SandboxMailServer().withMailbox(SENDER, SMTP_TOKEN);

    final RecordingAudit audit = new RecordingAudit();
    EmailConfigurationService service;

    @BeforeEach
    void setUp() {
        service = EmailConfig.builder().inMemoryStore().trustStore(TestCertificates.trustStore()).auditListener(audit)
                .readTimeout(Duration.ofSeconds(2)).connectTimeout(Duration.ofSeconds(2)).build();
    }

    @AfterEach
    void tearDown() {
        service.close();
    }

    private ConfigurationDraft graph() {
        return microsoft.graphDraft(TENANT, CLIENT, SECRET, SENDER);
    }

    private ConfigurationDraft smtp(int port) {
        return graph().toBuilder().set(DELIVERY, "SMTP_XOAUTH2").set(SMTP_HOST, SandboxMailServer.HOST)
                .set(SMTP_PORT, Integer.toString(port)).set(SMTP_ENCRYPTION, "SSL_TLS").build();
    }

    private static String from(MimeMessage m) throws Exception {
        return ((InternetAddress) m.getFrom()[0]).getAddress();
    }

    @Test
    void graphSaveDeliversTheTestEmailAndLaterNotificationsWithOneToken() throws Exception {
        microsoft.registerApplication(TENANT, CLIENT, SECRET);

        service.save(mail.admin(), graph());
        service.notifications().send(Notification.of(EmailAddress.of("jane@contoso.test"), "Reset", "Link"));

        var sent = microsoft.awaitMessages(2);
        assertEquals(SandboxMailServer.ADMIN_ADDRESS, ((InternetAddress) sent.get(0).getAllRecipients()[0]).getAddress());
        assertEquals("jane@contoso.test", ((InternetAddress) sent.get(1).getAllRecipients()[0]).getAddress());
        assertEquals(SENDER, from(sent.get(1)));
        assertEquals(SENDER, microsoft.sentAs().get(0));
        assertEquals(1, microsoft.tokenRequests());
        assertTrue(microsoft.tokenRequestLog().get(0).scope().contains("https://graph.microsoft.com/.default"));
        assertEquals(0, mail.receivedMessages().size(), "nothing may go through SMTP");
    }

    @Test
    void graphSendsFromSeveralThreadsConcurrentlyUpToThePoolSizeWithOneToken() throws Exception {
        microsoft.registerApplication(TENANT, CLIENT, SECRET).graphLatency(Duration.ofMillis(150));
        try (EmailConfigurationService pooled = EmailConfig.builder().inMemoryStore()
                .trustStore(TestCertificates.trustStore()).notificationConnections(4).build()) {
            pooled.save(mail.admin(), graph());
            int tokensBefore = microsoft.tokenRequests();
            java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(6);
            List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int n = i;
                sent.add(threads.submit(() -> pooled.notifications().send(Notification.of(
                        EmailAddress.of("user" + n + "@contoso.test"), "Notice " + n, "Body"))));
            }
            for (java.util.concurrent.Future<?> f : sent) {
                f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            threads.shutdown();
            assertEquals(13, microsoft.sentMessages().size(), "the test email and 12 notifications");
            assertEquals(4, microsoft.maxConcurrentSends(), "as many requests at once as the pool allows, no more");
            assertEquals(tokensBefore, microsoft.tokenRequests(), "the cached token serves every thread");
        }
    }

    @Test
    void graphKeepsNoCopyInSentItemsUnlessTheAdminAsksThenTheMimeGoesOutAsIs() throws Exception {
        microsoft.registerApplication(TENANT, CLIENT, SECRET);
        service.save(mail.admin(), graph());
        service.notifications().send(Notification.of(EmailAddress.of("jane@contoso.test"), "Reset", "Plain link")
                .withHtml("<p>HTML link</p>"));
        MimeMessage json = microsoft.awaitMessages(2).get(1);
        assertEquals(java.util.List.of(false, false), microsoft.savedToSentItems());
        assertEquals("Reset", json.getSubject());
        assertTrue(String.valueOf(json.getContent()).contains("HTML link"), "the HTML alternative is the Graph body");
        assertEquals("true", microsoft.sentMessages().get(0).getHeader("X-Email-Config-Test")[0]);

        service.save(mail.admin(), graph().toBuilder().set("saveToSentItems", "true").build());
        assertEquals(true, microsoft.savedToSentItems().get(2));
        MimeMessage mime = microsoft.sentMessages().get(2);
        assertTrue(mime.isMimeType("text/plain"));
        assertEquals("true", mime.getHeader("X-Email-Config-Test")[0]);
        assertEquals("auto-generated", mime.getHeader("Auto-Submitted")[0], "MIME form: every header as composed");
    }

    @Test
    void aTokenGraphRefusedIsNotReusedSoAFixedPermissionWorksAtOnce() {
        microsoft.registerApplication(TENANT, CLIENT, SECRET);
        service.save(mail.admin(), graph());
        microsoft.failNext(Failure.ACCESS_DENIED);
        Notification n = Notification.of(EmailAddress.of("jane@contoso.test"), "Reset", "Link");

        DeliveryFailedException refused = assertThrows(DeliveryFailedException.class, () -> service.notifications().send(n));
        assertEquals(Reason.OAUTH_PERMISSION_MISSING, refused.reason());
        // Graph's own code and words, as the admin would search for them.
        assertEquals("403 ErrorAccessDenied: Access is denied. Check credentials and try again.",
                refused.serverReply().orElseThrow());
        service.notifications().send(n);

        assertEquals(2, microsoft.tokenRequests(), "the refused token was dropped and a new one requested");
        assertEquals(2, microsoft.sentMessages().size());
    }

    @Test
    void aGraphEndpointWithATrailingSlashReachesTheSameSendMail() throws Exception {
        microsoft.registerApplication(TENANT, CLIENT, SECRET);
        service.save(mail.admin(), graph().toBuilder().set("graphEndpoint", microsoft.graphEndpoint() + "/").build());
        assertEquals(1, microsoft.sentMessages().size());
        assertEquals(SENDER, microsoft.sentAs().get(0));
    }

    @Test
    void graphBeingDownIsTemporaryAndAGraphThatRefusesConnectionsSaysSo() throws Exception {
        microsoft.registerApplication(TENANT, CLIENT, SECRET);
        microsoft.failNext(Failure.GRAPH_SERVER_ERROR);
        DeliveryFailedException down = assertThrows(DeliveryFailedException.class, () -> service.save(mail.admin(), graph()));
        assertEquals(Reason.SERVER_TEMPORARY_FAILURE, down.reason(), down.getMessage());
        assertTrue(down.temporary());
        assertEquals("500 InternalServerError: Something went wrong.", down.serverReply().orElseThrow());

        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        DeliveryFailedException refused = assertThrows(DeliveryFailedException.class, () -> service.save(mail.admin(),
                graph().toBuilder().set("graphEndpoint", "https://127.0.0.1:" + closed).build()));
        assertEquals(Reason.CONNECTION_REFUSED, refused.reason(), refused.getMessage());
        assertEquals(org.emailconfig.api.DeliveryStep.GRAPH, refused.step().orElseThrow());
        assertTrue(refused.temporary());
        assertTrue(refused.getMessage().contains("127.0.0.1:" + closed), refused.getMessage());
        assertEquals(0, microsoft.sentMessages().size());
    }

    @Test
    void switchingFromPasswordToMicrosoftIsAuditedAsATypeChange() {
        service.save(mail.admin(), mail.passwordDraft(SENDER));
        assertFalse(audit.last().changedFields().contains("type"), "a first save has no previous type");
        microsoft.registerApplication(TENANT, CLIENT, SECRET);

        service.save(mail.admin(), graph());

        assertTrue(audit.last().changedFields().containsAll(java.util.Set.of("type", TENANT_ID, CLIENT_SECRET)),
                audit.last().changedFields().toString());
        assertEquals("microsoft-oauth2", service.read(mail.admin()).type());
    }

    @Test
    void aValueLeftFromTheOtherDeliveryIsNeitherCheckedNorKept() {
        microsoft.registerApplication(TENANT, CLIENT, SECRET);
        // The page hides SMTP's fields while Graph is chosen, so what they still hold must not block or linger.
        service.save(mail.admin(), graph().toBuilder().set(SMTP_HOST, "not a host!").set(SMTP_PORT, "99999").build());
        ConfigurationView view = service.read(mail.admin());
        assertFalse(view.values().containsKey(SMTP_HOST), view.values().toString());
        assertFalse(view.values().containsKey(SMTP_PORT), view.values().toString());

        InvalidConfigurationException shown = assertThrows(InvalidConfigurationException.class, () -> service.save(
                mail.admin(), graph().toBuilder().set(DELIVERY, "SMTP_XOAUTH2").set(SMTP_PORT, "99999")
                        .set("saveToSentItems", "maybe").build()));
        assertEquals(List.of(SMTP_PORT), shown.violations().stream().map(Violation::field).toList(),
                "SMTP's port is checked once SMTP is chosen; Graph's Sent Items switch no longer is");
    }

    @Test
    void smtpXoauth2DeliversWithTheTokenTheFakeIssued() throws Exception {
        microsoft.registerApplication(TENANT, CLIENT, SECRET, false, true, SMTP_TOKEN);

        service.save(mail.admin(), smtp(mail.smtpsPort()));
        service.notifications().send(Notification.of(EmailAddress.of("jane@contoso.test"), "Reset", "Link"));

        // GreenMail accepts XOAUTH2 only with the mailbox's token, which only the fake handed out.
        assertEquals(1, mail.messagesTo(SandboxMailServer.ADMIN_ADDRESS).size());
        assertEquals(SENDER, from(mail.messagesTo("jane@contoso.test").get(0)));
        assertTrue(microsoft.issued(SMTP_TOKEN));
        assertEquals(1, microsoft.tokenRequests());
        assertTrue(microsoft.tokenRequestLog().get(0).scope().contains("https://outlook.office365.com/.default"));
        assertEquals(0, microsoft.sendRequests(), "nothing may go through Graph");
    }

    @Test
    void xoauth2UsesStarttlsByDefaultAndSendsTheBearerTokenForTheSenderMailbox() {
        microsoft.registerApplication(TENANT, CLIENT, SECRET, false, true, SMTP_TOKEN);
        try (ScriptedSmtpServer office365 = ScriptedSmtpServer.withStartTls().start()) {
            service.save(mail.admin(), graph().toBuilder().set(DELIVERY, "SMTP_XOAUTH2").set(SMTP_HOST, SandboxMailServer.HOST)
                    .set(SMTP_PORT, Integer.toString(office365.port())).build());

            assertEquals(1, office365.tlsUpgrades());
            String auth = office365.commands().stream().filter(c -> c.startsWith("AUTH ")).findFirst().orElseThrow();
            assertTrue(auth.startsWith("AUTH XOAUTH2 "), auth);
            String decoded = new String(java.util.Base64.getDecoder().decode(auth.substring("AUTH XOAUTH2 ".length())),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertEquals("user=" + SENDER + "\u0001auth=Bearer " + SMTP_TOKEN + "\u0001\u0001", decoded);
        }
    }

    @Test
    void aTokenIsRenewedWhenThePlatformAsksNotOnlyWhenItExpires() {
        MutableClock clock = new MutableClock();
        microsoft.registerApplication(TENANT, CLIENT, SECRET).tokenRefreshIn(Duration.ofMinutes(30));
        try (EmailConfigurationService timed = EmailConfig.builder().inMemoryStore().clock(clock)
                .trustStore(TestCertificates.trustStore()).build()) {
            timed.save(mail.admin(), graph());
            clock.advance(Duration.ofMinutes(29));
            timed.notifications().send(Notification.of(EmailAddress.of("a@contoso.test"), "A", "Body"));
            assertEquals(1, microsoft.tokenRequests(), "refresh_in (30 min) not reached yet");
            clock.advance(Duration.ofMinutes(1).plusSeconds(1));
            timed.notifications().send(Notification.of(EmailAddress.of("b@contoso.test"), "B", "Body"));
            assertEquals(2, microsoft.tokenRequests(), "renewed at refresh_in, long before expires_in (60 min)");
        }
    }

    @Test
    void hundredNotificationsCauseOneTokenRequestAndAnExpiredTokenIsRenewed() {
        MutableClock clock = new MutableClock();
        microsoft.registerApplication(TENANT, CLIENT, SECRET);
        try (EmailConfigurationService timed = EmailConfig.builder().inMemoryStore().clock(clock)
                .trustStore(TestCertificates.trustStore()).build()) {
            timed.save(mail.admin(), graph());
            for (int i = 0; i < 100; i++) {
                timed.notifications().send(Notification.of(EmailAddress.of("u" + i + "@contoso.test"), "N" + i, "Body"));
            }
            assertEquals(101, microsoft.sentMessages().size());
            assertEquals(1, microsoft.tokenRequests());

            // The fake's tokens live 3599 s; 54 minutes later less than the five-minute margin is left.
            clock.advance(Duration.ofMinutes(54));
            timed.notifications().send(Notification.of(EmailAddress.of("later@contoso.test"), "Later", "Body"));
            assertEquals(1, microsoft.tokenRequests(), "still more than five minutes left");
            clock.advance(Duration.ofMinutes(1).plusSeconds(1));
            timed.notifications().send(Notification.of(EmailAddress.of("late@contoso.test"), "Late", "Body"));

            assertEquals(2, microsoft.tokenRequests());
            assertEquals(103, microsoft.sentMessages().size());
        }
    }

    private void assertRejected(ConfigurationDraft draft, Reason reason, String hintFragment) {
        DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> service.save(mail.admin(), draft));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.hint().contains(hintFragment), e.hint());
        assertFalse(e.getMessage().contains(SECRET));
        assertEquals(1, service.read(mail.admin()).revision(), "the previous configuration stays in force");
        assertEquals(SENDER, service.read(mail.admin()).values().get("senderAddress"));
    }

    private void saveAGoodConfigurationFirst() {
        microsoft.registerApplication(TENANT, CLIENT, SECRET);
        service.save(mail.admin(), graph());
    }

    @Test
    void unknownTenantClientAndSecretEachHaveTheirOwnReason() {
        saveAGoodConfigurationFirst();
        microsoft.registerApplication("11111111-2222-3333-4444-555555555555", CLIENT, SECRET);
        assertRejected(graph().toBuilder().set(TENANT_ID, "99999999-9999-9999-9999-999999999999").build(),
                Reason.OAUTH_TENANT_NOT_FOUND, "directory (tenant) ID");
        assertRejected(graph().toBuilder().set(CLIENT_ID, "99999999-aaaa-2222-bbbb-3333cccc4444").build(),
                Reason.OAUTH_CLIENT_NOT_FOUND, "client) ID");
        assertRejected(graph().toBuilder().secret(CLIENT_SECRET, Secret.of("Wrong~secret-value")).build(),
                Reason.OAUTH_INVALID_CLIENT_SECRET, "value, not its ID");
    }

    @Test
    void expiredSecretAndMissingMailSendPermissionHaveTheirOwnReason() {
        saveAGoodConfigurationFirst();
        // Other credentials than the saved ones, so no cached token stands in for a token request.
        String client2 = "22222222-aaaa-2222-bbbb-3333cccc4444";
        microsoft.registerApplication(TENANT, client2, "Expired~secret-value", true, true, null);
        assertRejected(graph().toBuilder().set(CLIENT_ID, client2)
                .secret(CLIENT_SECRET, Secret.of("Expired~secret-value")).build(),
                Reason.OAUTH_CLIENT_SECRET_EXPIRED, "create a new one");
        String client3 = "33333333-aaaa-2222-bbbb-3333cccc4444";
        microsoft.registerApplication(TENANT, client3, "NoMailSend~secret-value", false, false, null);
        assertRejected(graph().toBuilder().set(CLIENT_ID, client3)
                .secret(CLIENT_SECRET, Secret.of("NoMailSend~secret-value")).build(),
                Reason.OAUTH_PERMISSION_MISSING, "Mail.Send");
        microsoft.failNext(Failure.ACCESS_DENIED);
        assertRejected(graph().toBuilder().set("senderName", "Other").build(), Reason.OAUTH_PERMISSION_MISSING,
                "Application permissions (not Delegated)");
    }

    @Test
    void aSaveWithUnchangedCredentialsReusesTheValidTokenSoAnInjectedTokenFailureIsNotReached() {
        saveAGoodConfigurationFirst();
        microsoft.failNext(Failure.EXPIRED_CLIENT_SECRET);
        service.save(mail.admin(), graph().toBuilder().set("senderName", "Renamed").build());
        assertEquals(1, microsoft.tokenRequests());
    }

    @Test
    void anUnreachableOrSilentIdentityPlatformIsReportedAsUnreachable() throws Exception {
        saveAGoodConfigurationFirst();
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertRejected(graph().toBuilder().set("loginEndpoint", "https://127.0.0.1:" + closed).build(),
                Reason.OAUTH_UNREACHABLE, "network");
        microsoft.registerApplication(TENANT, CLIENT, "Other~secret-value");
        microsoft.failNext(Failure.NO_RESPONSE);
        long start = System.nanoTime();
        assertRejected(graph().toBuilder().secret(CLIENT_SECRET, Secret.of("Other~secret-value")).build(),
                Reason.OAUTH_UNREACHABLE, "network");
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(15)) < 0);
    }

    @Test
    void aServiceOutageOfTheIdentityPlatformIsRetriedOnceThenReported() {
        microsoft.registerApplication(TENANT, CLIENT, SECRET);
        microsoft.failNext(Failure.SERVICE_UNAVAILABLE);
        service.save(mail.admin(), graph());
        assertEquals(2, microsoft.tokenRequests(), "one 503, then msal4j's single retry");

        microsoft.registerApplication(TENANT, CLIENT, "Other~secret-value");
        microsoft.failNext(Failure.SERVICE_UNAVAILABLE, Failure.SERVICE_UNAVAILABLE);
        assertRejected(graph().toBuilder().secret(CLIENT_SECRET, Secret.of("Other~secret-value")).build(),
                Reason.OAUTH_UNREACHABLE, "few minutes");
    }

    @Test
    void microsoftSmtpRepliesHaveTheirOwnReason() {
        saveAGoodConfigurationFirst();
        microsoft.registerApplication(TENANT, CLIENT, SECRET, false, true, SMTP_TOKEN);
        try (ScriptedSmtpServer disabled = ScriptedSmtpServer.withImplicitTls().reply(ScriptedSmtpServer.Stage.AUTH,
                "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. "
                        + "Visit https://aka.ms/smtp_auth_disabled for more information.").start();
             ScriptedSmtpServer noPermission = ScriptedSmtpServer.withImplicitTls().reply(ScriptedSmtpServer.Stage.AUTH,
                     "535 5.7.3 Authentication unsuccessful [AM0PR01CA0001.eurprd01.prod.exchangelabs.com]").start();
             ScriptedSmtpServer sendAs = ScriptedSmtpServer.withImplicitTls().reply(ScriptedSmtpServer.Stage.END_OF_DATA,
                     "554 5.2.252 SendAsDenied; noreply@contoso.test not allowed to send as noreply@contoso.test; "
                             + "STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied").start()) {
            assertRejected(smtp(disabled.port()), Reason.SMTP_AUTH_DISABLED, "Set-CASMailbox");
            assertRejected(smtp(noPermission.port()), Reason.OAUTH_PERMISSION_MISSING, "SMTP.SendAsApp");
            assertRejected(smtp(sendAs.port()), Reason.SENDER_NOT_ALLOWED, "-AccessRights SendAs");
            assertTrue(sendAs.commands().stream().anyMatch(c -> c.startsWith("AUTH XOAUTH2 ")),
                    "XOAUTH2 must be the mechanism used: " + sendAs.commands());
        }
    }

    @Test
    void aRevokedTokenCostsNoNotificationGraphIsRetriedOnceWithAFreshToken() {
        saveAGoodConfigurationFirst();
        int tokensBefore = microsoft.tokenRequests();
        int messagesBefore = microsoft.sentMessages().size();
        microsoft.failNext(Failure.TOKEN_REVOKED);
        service.notifications().send(Notification.of(EmailAddress.of("jane@contoso.test"), "Reset", "Link"));
        assertEquals(messagesBefore + 1, microsoft.awaitMessages(messagesBefore + 1).size());
        assertEquals(tokensBefore + 1, microsoft.tokenRequests(), "one fresh token for the retry");
        List<String> ids = microsoft.graphRequestIds();
        String first = ids.get(ids.size() - 2);
        String retry = ids.get(ids.size() - 1);
        assertTrue(first.matches("[0-9a-f-]{36}") && retry.matches("[0-9a-f-]{36}") && !first.equals(retry), ids.toString());
    }

    @Test
    void aThrottledNotificationWaitsAsGraphAsksAndArrives() {
        saveAGoodConfigurationFirst();
        int before = microsoft.sentMessages().size();
        microsoft.failNext(Failure.THROTTLED);
        long start = System.nanoTime();
        service.notifications().send(Notification.of(EmailAddress.of("jane@contoso.test"), "Reset", "Link"));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(before + 1, microsoft.awaitMessages(before + 1).size());
        assertTrue(ms >= 2000, "Retry-After: 2 was not honoured, waited " + ms + " ms");
    }

    @Test
    void graphFailuresAreWordedForGraphAndCarryTheRequestIdAndRetryAfter() {
        service.close();
        service = EmailConfig.builder().inMemoryStore().trustStore(TestCertificates.trustStore()).auditListener(audit)
                .readTimeout(Duration.ofSeconds(2)).connectTimeout(Duration.ofSeconds(2))
                .notificationRetryDeadline(Duration.ZERO).build();
        saveAGoodConfigurationFirst();
        microsoft.failNext(Failure.THROTTLED);
        DeliveryFailedException throttled = assertThrows(DeliveryFailedException.class, () -> service.notifications()
                .send(Notification.of(EmailAddress.of("jane@contoso.test"), "Reset", "Link")));
        assertEquals(Reason.SERVER_TEMPORARY_FAILURE, throttled.reason());
        assertTrue(throttled.temporary());
        assertEquals(org.emailconfig.api.DeliveryStep.GRAPH, throttled.step().orElseThrow());
        assertEquals(Duration.ofSeconds(2), throttled.retryAfter().orElseThrow());
        List<String> ids = microsoft.graphRequestIds();
        assertEquals(ids.get(ids.size() - 1), throttled.requestId().orElseThrow());

        microsoft.failNext(Failure.GRAPH_NO_RESPONSE);
        DeliveryFailedException timeout = assertThrows(DeliveryFailedException.class, () -> service.notifications()
                .send(Notification.of(EmailAddress.of("jane@contoso.test"), "Reset", "Link")));
        assertEquals(Reason.READ_TIMEOUT, timeout.reason());
        // The whole request went out: Graph may have taken it, so it is not retried (and says so).
        assertTrue(timeout.possiblyDelivered());
        assertFalse(timeout.temporary());
        assertFalse(timeout.hint().contains("port") || timeout.hint().contains("encryption"), timeout.hint());
        assertTrue(timeout.hint().contains("Graph"), timeout.hint());
    }

    @Test
    void aGraphAnswerThatComesAfterTheTimeoutNeverMakesTheMessageGoTwice() throws Exception {
        saveAGoodConfigurationFirst();
        int before = microsoft.sentMessages().size();
        // The read timeout is 2 s; Graph stores the message after 3 s, as the real one may while its answer is late.
        microsoft.graphLatency(Duration.ofSeconds(3));
        DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> service.notifications()
                .send(Notification.of(EmailAddress.of("jane@contoso.test"), "Reset", "Link")));
        awaitGraphIdle();
        assertEquals(Reason.READ_TIMEOUT, e.reason());
        assertTrue(e.possiblyDelivered(), e.getMessage());
        assertEquals(1, e.attempts());
        assertTrue(e.hint().contains("may have been sent"), e.hint());
        assertEquals(before + 1, microsoft.sentMessages().size(), "Graph has it exactly once");
    }

    @Test
    void aGatewayThatLosesGraphsAnswerIsMayHaveBeenDeliveredNotARetry() throws Exception {
        saveAGoodConfigurationFirst();
        int before = microsoft.sentMessages().size();
        microsoft.failNext(Failure.GRAPH_GATEWAY_LOST);
        DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> service.notifications()
                .send(Notification.of(EmailAddress.of("jane@contoso.test"), "Reset", "Link")));
        awaitGraphIdle();
        assertTrue(e.possiblyDelivered(), e.getMessage());
        assertFalse(e.temporary());
        assertEquals(before + 1, microsoft.sentMessages().size(), "sent once, never again");
    }

    private void awaitGraphIdle() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (microsoft.sendsInFlight() > 0) {
            assertTrue(System.nanoTime() < deadline, "the fake Graph never finished its requests");
            Thread.sleep(10);
        }
    }

    @Test
    void graphRefusalsNameTheMailboxPolicyOrRecipientNotAMissingPermission() {
        service.close();
        service = EmailConfig.builder().inMemoryStore().trustStore(TestCertificates.trustStore())
                .notificationRetryDeadline(Duration.ZERO).build();
        saveAGoodConfigurationFirst();
        Notification n = Notification.of(EmailAddress.of("jane@contoso.test"), "Reset", "Link");
        microsoft.failNext(Failure.GRAPH_SEND_AS_DENIED);
        DeliveryFailedException sendAs = assertThrows(DeliveryFailedException.class, () -> service.notifications().send(n));
        assertEquals(Reason.SENDER_NOT_ALLOWED, sendAs.reason());
        assertTrue(sendAs.hint().contains(SENDER), sendAs.hint());
        assertFalse(sendAs.hint().contains("Mail.Send"), sendAs.hint());

        microsoft.failNext(Failure.GRAPH_POLICY_BLOCKED);
        DeliveryFailedException policy = assertThrows(DeliveryFailedException.class, () -> service.notifications().send(n));
        assertEquals(Reason.SENDER_NOT_ALLOWED, policy.reason());
        assertTrue(policy.hint().contains("RBAC for Applications") && policy.hint().contains(SENDER), policy.hint());

        microsoft.failNext(Failure.GRAPH_INVALID_RECIPIENTS);
        DeliveryFailedException recipients = assertThrows(DeliveryFailedException.class, () -> service.notifications().send(n));
        assertEquals(Reason.RECIPIENT_REJECTED, recipients.reason());
        assertTrue(recipients.serverReply().orElseThrow().contains("ErrorInvalidRecipients"));

        microsoft.failNext(Failure.GRAPH_REDIRECT);
        DeliveryFailedException redirect = assertThrows(DeliveryFailedException.class, () -> service.notifications().send(n));
        assertTrue(redirect.hint().contains("redirect"), redirect.hint());
        assertFalse(redirect.hint().contains("mail server reported"), redirect.hint());
    }

    @Test
    void anUntrustedCertificateAtTheLoginEndpointIsAPermanentTlsFailureNotTheNetwork() {
        try (EmailConfigurationService untrusting = EmailConfig.builder().inMemoryStore().build()) {
            microsoft.registerApplication(TENANT, CLIENT, SECRET);
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class,
                    () -> untrusting.save(mail.admin(), graph()));
            assertEquals(Reason.TLS_CERTIFICATE_UNTRUSTED, e.reason(), e.getMessage());
            assertFalse(e.temporary());
            assertEquals(org.emailconfig.api.DeliveryStep.TOKEN, e.step().orElseThrow());
            assertFalse(e.hint().contains("proxy settings") || e.hint().startsWith("Check the network"), e.hint());
        }
    }

    @Test
    void theChecksTokenStepSaysUnavailableForAnOutageAndRefusedOnlyForARefusal() {
        microsoft.registerApplication(TENANT, CLIENT, SECRET);
        microsoft.failNext(Failure.SERVICE_UNAVAILABLE, Failure.SERVICE_UNAVAILABLE);
        org.emailconfig.api.DiagnosisReport outage = service.verify(mail.admin(), graph());
        String said = outage.steps().get(0).summary().in(Locale.ENGLISH);
        assertFalse(said.contains("refused"), said);
        assertTrue(said.contains("could not issue"), said);
        org.emailconfig.api.DiagnosisReport refused = service.verify(mail.admin(), graph().toBuilder()
                .secret(CLIENT_SECRET, Secret.of("Wrong~secret-value")).build());
        assertTrue(refused.steps().get(0).summary().in(Locale.ENGLISH).contains("refused"));
    }

    @Test
    void theCheckReadsAnXoauth2RefusalAsTheSaveDoesNotAsAWrongPassword() {
        microsoft.registerApplication(TENANT, CLIENT, SECRET, false, true, SMTP_TOKEN);
        try (ScriptedSmtpServer exchange = ScriptedSmtpServer.withImplicitTls().reply(ScriptedSmtpServer.Stage.AUTH,
                "535 5.7.3 Authentication unsuccessful [AM0PR01CA0001.eurprd01.prod.exchangelabs.com]").start()) {
            org.emailconfig.api.DiagnosisReport r = service.verify(mail.admin(), smtp(exchange.port()));
            DeliveryFailedException checked = r.failure();
            assertEquals(Reason.OAUTH_PERMISSION_MISSING, checked.reason(), checked.getMessage());
            assertTrue(checked.hint().contains("SMTP.SendAsApp"), checked.hint());
            assertFalse(checked.hint().contains("username and password"), checked.hint());
            DeliveryFailedException saved = assertThrows(DeliveryFailedException.class,
                    () -> service.save(mail.admin(), smtp(exchange.port())));
            assertEquals(checked.reason(), saved.reason());
            assertEquals(checked.hint(), saved.hint());
        }
    }

    @Test
    void aTokenEndpoint5xxWithAnyBodyIsATemporaryOutageWithItsRetryAfter() {
        for (Failure failure : java.util.List.of(Failure.SERVER_ERROR_JSON, Failure.BAD_GATEWAY_HTML, Failure.GATEWAY_TIMEOUT_TEXT)) {
            // msal4j tries a 5xx once more itself.
            microsoft.failNext(failure, failure);
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class,
                    () -> service.save(mail.admin(), graph()), failure.name());
            assertEquals(Reason.OAUTH_UNREACHABLE, e.reason(), failure + ": " + e.getMessage());
            assertTrue(e.temporary(), failure.name());
            assertEquals(org.emailconfig.api.DeliveryStep.TOKEN, e.step().orElseThrow());
            if (failure == Failure.SERVER_ERROR_JSON) {
                assertEquals(Duration.ofSeconds(7), e.retryAfter().orElseThrow());
            }
        }
    }

    @Test
    void aRedirectFromGraphIsNeverFollowedSoTheBearerTokenStaysWithTheConfiguredEndpoint() {
        microsoft.registerApplication(TENANT, CLIENT, SECRET);
        service.save(mail.admin(), graph());
        microsoft.failNext(Failure.GRAPH_REDIRECT);

        DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> service.notifications()
                .send(Notification.of(EmailAddress.of("jane@contoso.test"), "Reset", "Link")));

        assertEquals(0, microsoft.redirectedRequests(), "the token went to the redirect target");
        assertEquals(org.emailconfig.api.DeliveryStep.GRAPH, e.step().orElseThrow());
        assertTrue(e.serverReply().orElseThrow().startsWith("307"), e.serverReply().orElseThrow());
        assertFalse(e.temporary());
        assertEquals(1, microsoft.sentMessages().size(), "only the test email");
    }

    @Test
    void aRedirectFromTheTokenEndpointIsNeverFollowedSoTheSecretStaysWithTheConfiguredEndpoint() {
        microsoft.failNext(Failure.REDIRECT);
        DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> service.save(mail.admin(), graph()));
        assertTrue(microsoft.tokenRequestLog().stream().noneMatch(r -> r.tenant().equals("redirected")),
                "the client secret was posted to the redirect target: " + microsoft.tokenRequestLog());
        assertEquals(Reason.OAUTH_ERROR, e.reason());
        assertEquals(org.emailconfig.api.DeliveryStep.TOKEN, e.step().orElseThrow());
        assertTrue(e.getMessage().contains("redirect"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }

    @Test
    void anXoauth2TokenRefusedOnceIsDroppedAndTheSendRetriedWithAFreshOne() {
        saveAGoodConfigurationFirst();
        microsoft.registerApplication(TENANT, CLIENT, SECRET, false, true, null);
        try (ScriptedSmtpServer office365 = ScriptedSmtpServer.withImplicitTls().start()) {
            service.save(mail.admin(), smtp(office365.port()));
            // The admin fixes a permission; the token cached before it is refused once.
            office365.replyOnce(ScriptedSmtpServer.Stage.AUTH, "535 5.7.3 Authentication unsuccessful [AM0PR01]");
            int tokensBefore = microsoft.tokenRequests();
            service.notifications().send(Notification.of(EmailAddress.of("jane@contoso.test"), "Reset", "Link"));
            assertEquals(tokensBefore + 1, microsoft.tokenRequests(), "a fresh token after the refusal");
            assertEquals(2, office365.messages().size(), "test email and the notification");
        }
    }

    @Test
    void aHangOrA454DuringXoauth2IsNotBlamedOnMissingPermissions() {
        saveAGoodConfigurationFirst();
        microsoft.registerApplication(TENANT, CLIENT, SECRET, false, true, SMTP_TOKEN);
        try (ScriptedSmtpServer hanging = ScriptedSmtpServer.withImplicitTls().hang(ScriptedSmtpServer.Stage.AUTH).start();
             ScriptedSmtpServer busy = ScriptedSmtpServer.withImplicitTls().reply(ScriptedSmtpServer.Stage.AUTH,
                     "454 4.7.0 Temporary authentication failure").start()) {
            DeliveryFailedException hang = assertThrows(DeliveryFailedException.class,
                    () -> service.save(mail.admin(), smtp(hanging.port())));
            assertEquals(Reason.READ_TIMEOUT, hang.reason());
            assertEquals(org.emailconfig.api.DeliveryStep.AUTH, hang.step().orElseThrow());
            DeliveryFailedException temporary = assertThrows(DeliveryFailedException.class,
                    () -> service.save(mail.admin(), smtp(busy.port())));
            assertEquals(Reason.AUTH_TEMPORARY_FAILURE, temporary.reason());
            assertTrue(temporary.temporary());
            assertTrue(temporary.serverReply().orElseThrow().startsWith("454 4.7.0"));
        }
    }

    @Test
    void theSecretMayBeLeftBlankOnlyWhileTenantClientAndDeliveryStay() throws Exception {
        saveAGoodConfigurationFirst();
        service.save(mail.admin(), graph().toBuilder().set("senderName", "Contoso").secret(CLIENT_SECRET, Secret.keep()).build());
        assertEquals("Contoso", ((InternetAddress) microsoft.awaitMessages(2).get(1).getFrom()[0]).getPersonal());

        for (String[] change : new String[][] {{TENANT_ID, "11111111-2222-3333-4444-555555555555"},
                {CLIENT_ID, "99999999-aaaa-2222-bbbb-3333cccc4444"}, {DELIVERY, "SMTP_XOAUTH2"}}) {
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> service.save(
                    mail.admin(), graph().toBuilder().set(change[0], change[1]).secret(CLIENT_SECRET, Secret.keep()).build()));
            assertEquals("reenter_secret", e.violationsOf(CLIENT_SECRET).get(0).code(), change[0]);
        }
        assertEquals(2, service.read(mail.admin()).revision());
    }

    @Test
    void aSecondNodeMustHaveTheSecretTypedAgainWhenAnyPlaceItGoesToChanges() throws Exception {
        // The stored secret may only go where the admin who typed it sent it: another identity platform,
        // cloud or SMTP host must never receive it because the field was left blank.
        microsoft.registerApplication(TENANT, CLIENT, SECRET);
        org.emailconfig.api.spi.ConfigStore shared = new InMemoryConfigStore();
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) 7);
        try (ScriptedSmtpServer smtpServer = ScriptedSmtpServer.withImplicitTls().start();
             EmailConfigurationService first = EmailConfig.builder().store(shared).secretKey(key)
                     .trustStore(TestCertificates.trustStore()).build();
             EmailConfigurationService second = EmailConfig.builder().store(shared).secretKey(key)
                     .trustStore(TestCertificates.trustStore()).build()) {
            first.save(mail.admin(), graph());
            for (String[] change : new String[][] {
                    {"loginEndpoint", "https://login.elsewhere.test"}, {"graphEndpoint", "https://graph.elsewhere.test"},
                    {"cloud", "US_GOVERNMENT"}}) {
                InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> second.save(
                        mail.admin(), graph().toBuilder().set(change[0], change[1]).secret(CLIENT_SECRET, Secret.keep()).build()));
                assertEquals("reenter_secret", e.violationsOf(CLIENT_SECRET).get(0).code(), change[0]);
            }
            first.save(mail.admin(), smtp(smtpServer.port()));
            long stored = shared.load().orElseThrow().revision();
            for (String[] change : new String[][] {{SMTP_HOST, "localhost"}, {SMTP_PORT, "587"},
                    {SMTP_ENCRYPTION, "STARTTLS"}}) {
                InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> second.save(
                        mail.admin(), smtp(smtpServer.port()).toBuilder().set(change[0], change[1])
                                .secret(CLIENT_SECRET, Secret.keep()).build()));
                assertEquals("reenter_secret", e.violationsOf(CLIENT_SECRET).get(0).code(), change[0]);
            }
            assertEquals(stored, shared.load().orElseThrow().revision(), "nothing stored");
            assertEquals(2, microsoft.tokenRequests(), "no token requested with the stored secret after a change");
        }
    }

    @Test
    void badMicrosoftFieldsAreReportedTogether() {
        ConfigurationDraft bad = ConfigurationDraft.builder("microsoft-oauth2")
                .set("senderAddress", "not-an-address").set(TENANT_ID, "not a tenant").set(CLIENT_ID, "123")
                .set(DELIVERY, "SMTP_XOAUTH2").set(SMTP_ENCRYPTION, "NONE")
                .secret(CLIENT_SECRET, Secret.of("5ac0b5ef-3a12-4e5f-9d1b-2c3d4e5f6a7b"))
                .build();
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> service.save(mail.admin(), bad));
        for (String field : new String[] {"senderAddress", TENANT_ID, CLIENT_ID, SMTP_ENCRYPTION, CLIENT_SECRET}) {
            assertFalse(e.violationsOf(field).isEmpty(), field + " in " + e.violations());
        }
        assertTrue(e.violationsOf(CLIENT_SECRET).get(0).message().contains("secret's ID"));
        assertEquals(0, microsoft.tokenRequests(), "no request for an invalid draft");
    }

    @Test
    void theFormOffersBothTypesWithGermanLabels() {
        var types = service.authenticationTypes(Locale.GERMAN);
        assertEquals("microsoft-oauth2", types.get(1).type());
        assertEquals("Verzeichnis-ID (Mandant)", types.get(1).fields().stream()
                .filter(f -> f.name().equals(TENANT_ID)).findFirst().orElseThrow().label(Locale.GERMAN));
    }
}
