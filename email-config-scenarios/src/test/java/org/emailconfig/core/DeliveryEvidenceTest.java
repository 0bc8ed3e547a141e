package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.emailconfig.api.DeliveryEvent;
import org.emailconfig.api.DeliveryEvent.Kind;
import org.emailconfig.api.DeliveryEvent.Outcome;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.DeliveryStep;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Notification;
import org.emailconfig.api.Reason;
import org.emailconfig.core.testing.Drafts;
import org.emailconfig.testkit.FakeMicrosoftPlatform;
import org.emailconfig.testkit.SandboxMailServer;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.emailconfig.testkit.ScriptedSmtpServer.Stage;
import org.emailconfig.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The evidence of every delivery attempt, as a host's listener receives it: what was sent, retried, failed or may
 * have been delivered, with the configuration revision, the server, its reply and the Message-ID to find the
 * message by, and no recipient unless the host asked.
 */
class DeliveryEvidenceTest {

    static final String USER = "jane@sandbox.test";

    @RegisterExtension
    final ScriptedSmtpServer smtp = ScriptedSmtpServer.plain();

    final List<DeliveryEvent> events = new CopyOnWriteArrayList<>();

    private EmailConfig.Builder builder() {
        return EmailConfig.builder().inMemoryStore().allowPasswordsOverUnencryptedConnections()
                .readTimeout(Duration.ofSeconds(2)).notificationRetryDeadline(Duration.ofSeconds(10))
                .deliveryListener(events::add);
    }

    private EmailConfigurationService saved(EmailConfig.Builder builder) {
        EmailConfigurationService s = builder.build();
        s.save(new SandboxMailServer().admin(), Drafts.password(smtp.port(), "NONE", "evidence-pw"));
        return s;
    }

    private static Notification reset() {
        return Notification.of(EmailAddress.of(USER), "Reset", "Your link");
    }

    private List<DeliveryEvent> notificationEvents() {
        return events.stream().filter(e -> e.kind() == Kind.NOTIFICATION).toList();
    }

    @Test
    void aSentMessageCarriesItsRevisionServerReplyAndTheMessageIdTheServerReceived() {
        try (EmailConfigurationService s = saved(builder())) {
            DeliveryEvent test = events.get(0);
            assertEquals(Kind.TEST_EMAIL, test.kind());
            assertEquals(Outcome.SENT, test.outcome());
            assertEquals(0, test.revision(), "the save tested a draft not stored yet");
            assertEquals("smtp-password", test.type());

            s.notifications().send(reset());
            DeliveryEvent sent = notificationEvents().get(0);
            assertEquals(Outcome.SENT, sent.outcome());
            assertEquals(1, sent.revision());
            assertEquals("smtp", sent.transport());
            assertEquals("127.0.0.1", sent.serverAddress());
            assertEquals(smtp.port(), sent.serverPort());
            assertEquals("250 2.0.0 OK queued", sent.serverReply().orElseThrow());
            String messageId = sent.messageId().orElseThrow();
            assertTrue(smtp.messages().get(1).contains("Message-ID: " + messageId), smtp.messages().get(1));
            assertEquals(1, sent.attempt());
            assertTrue(sent.failure().isEmpty());
            assertFalse(sent.duration().isNegative());
            assertEquals(List.of(), sent.recipients(), "no recipient unless the host asks");
            assertFalse(sent.toString().contains(USER), sent.toString());
        }
    }

    @Test
    void aTemporaryRefusalIsRetriedThenSentAndAPermanentOneFailsEachAsItsOwnEvent() {
        try (EmailConfigurationService s = saved(builder())) {
            smtp.replyOnce(Stage.MAIL, "451 4.3.0 Mail server temporarily rejected message");
            s.notifications().send(reset());
            smtp.refuseRecipient(USER, "550 5.1.1 User unknown");
            assertThrows(DeliveryFailedException.class, () -> s.notifications().send(reset()));

            List<DeliveryEvent> n = notificationEvents();
            assertEquals(List.of(Outcome.RETRIED, Outcome.SENT, Outcome.FAILED), n.stream().map(DeliveryEvent::outcome)
                    .toList());
            DeliveryFailedException retried = n.get(0).failure().orElseThrow();
            assertEquals(DeliveryStep.MAIL, retried.step().orElseThrow());
            assertTrue(retried.temporary());
            assertEquals("451 4.3.0 Mail server temporarily rejected message", n.get(0).serverReply().orElseThrow());
            assertEquals(List.of(1, 2, 1), n.stream().map(DeliveryEvent::attempt).toList());
            assertEquals(n.get(0).messageId(), n.get(1).messageId(), "a retry sends the same message");
            assertEquals(Reason.RECIPIENT_REJECTED, n.get(2).failure().orElseThrow().reason());
        }
    }

    @Test
    void anEndThatWentOutWithoutAReplyIsMaybeDelivered() {
        try (EmailConfigurationService s = saved(builder().readTimeout(Duration.ofMillis(500)))) {
            smtp.hang(Stage.END_OF_DATA);
            assertThrows(DeliveryFailedException.class, () -> s.notifications().send(reset()));
            DeliveryEvent maybe = notificationEvents().get(0);
            assertEquals(Outcome.MAYBE_DELIVERED, maybe.outcome());
            assertTrue(maybe.failure().orElseThrow().possiblyDelivered());
        }
    }

    @Test
    void recipientsOnlyWhenTheHostAsksAndAListenerThatThrowsChangesNothing() {
        List<DeliveryEvent> withRecipients = new CopyOnWriteArrayList<>();
        try (EmailConfigurationService s = saved(builder().deliveryEventsWithRecipients().deliveryListener(e -> {
            throw new IllegalStateException("the host's listener is broken");
        }).deliveryListener(withRecipients::add))) {
            s.notifications().send(reset());
            assertEquals(List.of(EmailAddress.of(USER)), withRecipients.get(withRecipients.size() - 1).recipients());
            assertEquals(List.of(EmailAddress.of(SandboxMailServer.ADMIN_ADDRESS)), withRecipients.get(0).recipients(),
                    "the test email went to the acting administrator");
            assertEquals(2, smtp.messages().size(), "both went out despite the broken listener");
        }
    }

    @Test
    void aGraphDeliverySaysGraphAndCarriesGraphsRequestId() {
        try (FakeMicrosoftPlatform microsoft = new FakeMicrosoftPlatform().start();
             EmailConfigurationService s = EmailConfig.builder().inMemoryStore().trustStore(TestCertificates.trustStore())
                     .deliveryListener(events::add).build()) {
            microsoft.registerApplication(MicrosoftOAuthTest.TENANT, MicrosoftOAuthTest.CLIENT, MicrosoftOAuthTest.SECRET);
            s.save(new SandboxMailServer().admin(), microsoft.graphDraft(MicrosoftOAuthTest.TENANT, MicrosoftOAuthTest.CLIENT, MicrosoftOAuthTest.SECRET,
                    "noreply@contoso.test"));
            s.notifications().send(reset());
            DeliveryEvent sent = notificationEvents().get(0);
            assertEquals("graph", sent.transport());
            assertEquals("127.0.0.1", sent.serverAddress());
            assertEquals(java.net.URI.create(microsoft.graphEndpoint()).getPort(), sent.serverPort());
            assertTrue(sent.serverReply().orElseThrow().matches("202 Accepted \\(request-id [0-9a-f-]{36}\\)"),
                    sent.serverReply().orElseThrow());
            assertEquals(1, sent.revision());
            assertEquals("microsoft-oauth2", sent.type());
        }
    }

    @Test
    void aServerThatEchoesThePasswordInItsAcceptanceHasItMaskedInTheEvidence() {
        try (EmailConfigurationService s = saved(builder())) {
            smtp.reply(Stage.END_OF_DATA, "250 2.0.0 queued for evidence-pw");
            s.notifications().send(reset());
            DeliveryEvent sent = notificationEvents().get(0);
            assertEquals("250 2.0.0 queued for ******", sent.serverReply().orElseThrow());
            assertFalse(sent.toString().contains("evidence-pw"));
        }
    }
}
