package org.emailconfig.providerkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import java.util.List;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.LocalizedText;
import org.emailconfig.api.Reason;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfiguration;
import org.emailconfig.api.FieldDescriptor;
import org.emailconfig.api.FieldKind;
import org.emailconfig.api.InvalidConfigurationException;
import org.emailconfig.api.ProviderConfiguration;
import org.emailconfig.api.Secret;
import org.emailconfig.api.Sender;
import org.emailconfig.api.Violation;
import org.emailconfig.api.spi.AuthenticationProvider;
import org.emailconfig.api.spi.BindingContext;
import org.emailconfig.api.spi.DeliveryContext;
import org.emailconfig.api.spi.MailDelivery;
import org.emailconfig.api.spi.SecretMask;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * The contract kit fails providers that would leak their secret: a typed configuration that holds its API
 * key as a String (its toString shows it), and a webhook that takes an http:// endpoint on another host for
 * its bearer token, and a webhook whose failure quotes the service's answer, key included. The same checks pass
 * for the careful version of the same provider.
 */
class UnsafeProvidersAreCaughtTest {

    static final List<FieldDescriptor> FIELDS = List.of(
            FieldDescriptor.builder("sender", FieldKind.EMAIL, "Sender").label("de", "Absender").required().build(),
            FieldDescriptor.builder("endpoint", FieldKind.TEXT, "Webhook URL").label("de", "Webhook-URL").required().build(),
            FieldDescriptor.builder("apiKey", FieldKind.SECRET, "API key").label("de", "API-Schl\u00fcssel").required()
                    .reenterWhenChanged("endpoint").build());

    /** Holds its key as a String: its toString shows it. */
    record CarelessConfiguration(Sender sender, String endpoint, String apiKey) implements ProviderConfiguration {
        @Override
        public String type() {
            return "careless-webhook";
        }
    }

    /** Holds its key as a Secret. */
    record CarefulConfiguration(Sender sender, String endpoint, Secret apiKey) implements ProviderConfiguration {
        @Override
        public String type() {
            return "careful-webhook";
        }
    }

    /** A webhook provider; careful or not about its key and its endpoint's scheme. */
    static final class Webhook implements AuthenticationProvider {
        private final boolean careful;

        Webhook(boolean careful) {
            this.careful = careful;
        }

        @Override
        public String type() {
            return careful ? "careful-webhook" : "careless-webhook";
        }

        @Override
        public String displayName(java.util.Locale locale) {
            return "Webhook";
        }

        @Override
        public List<FieldDescriptor> fields() {
            return FIELDS;
        }

        @Override
        public EmailConfiguration bind(ConfigurationDraft draft, BindingContext context) {
            String endpoint = draft.value("endpoint").orElse("");
            if (careful && !(endpoint.startsWith("https://") || endpoint.startsWith("http://127.0.0.1"))) {
                throw new InvalidConfigurationException(List.of(new Violation("endpoint", "invalid",
                        "use https:// (the API key goes there)")));
            }
            Sender sender = Sender.of(EmailAddress.of(draft.value("sender").orElseThrow()), null);
            return careful ? new CarefulConfiguration(sender, endpoint, draft.secret("apiKey"))
                    : new CarelessConfiguration(sender, endpoint, draft.secret("apiKey").reveal());
        }

        @Override
        public ConfigurationDraft unbind(EmailConfiguration configuration) {
            ConfigurationDraft.Builder d = ConfigurationDraft.builder(type());
            if (configuration instanceof CarefulConfiguration c) {
                d.set("sender", c.sender().address().value()).set("endpoint", c.endpoint()).secret("apiKey", c.apiKey());
            } else if (configuration instanceof CarelessConfiguration c) {
                d.set("sender", c.sender().address().value()).set("endpoint", c.endpoint())
                        .secret("apiKey", Secret.of(c.apiKey()));
            }
            return d.build();
        }

        /**
         * Posts each message with the key as a bearer token. The careless one puts the service's answer in its
         * exception as it came; the careful one masks the key in the answer it quotes.
         */
        @Override
        public MailDelivery open(EmailConfiguration configuration, DeliveryContext context) {
            String endpoint = configuration instanceof CarefulConfiguration c ? c.endpoint()
                    : ((CarelessConfiguration) configuration).endpoint();
            Secret key = configuration instanceof CarefulConfiguration c ? c.apiKey()
                    : Secret.of(((CarelessConfiguration) configuration).apiKey());
            return new MailDelivery() {
                @Override
                public void send(jakarta.mail.internet.MimeMessage message) {
                    HttpResponse<String> r;
                    try {
                        r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint))
                                .header("Authorization", "Bearer " + key.reveal())
                                .POST(HttpRequest.BodyPublishers.ofString("message")).build(),
                                HttpResponse.BodyHandlers.ofString());
                    } catch (java.io.IOException | InterruptedException e) {
                        throw DeliveryFailedException.builder(Reason.CONNECTION_REFUSED, "webhook unreachable")
                                .temporary(true).build();
                    }
                    String answer = careful ? SecretMask.of(List.of(key)).mask(r.body()) : r.body();
                    throw DeliveryFailedException.builder(r.statusCode() >= 500 ? Reason.SERVER_TEMPORARY_FAILURE
                                    : Reason.AUTH_REJECTED, "The webhook answered " + r.statusCode() + ": " + answer)
                            .temporary(r.statusCode() >= 500).providerCode("webhook." + r.statusCode())
                            .hint(LocalizedText.of("The webhook refused the message.",
                                    "Der Webhook hat die Nachricht abgelehnt.")).build();
                }

                @Override
                public boolean isOpen() {
                    return true;
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** The contract for one of them, its lifecycle run by hand. */
    private static ProviderContract contract(boolean careful) {
        ProviderContract c = new ProviderContract() {
            @Override
            protected AuthenticationProvider provider() {
                return new Webhook(careful);
            }

            @Override
            protected ConfigurationDraft validDraft(ScriptedSmtpServer server) {
                return ConfigurationDraft.builder(careful ? "careful-webhook" : "careless-webhook")
                        .set("sender", "noreply@example.com").set("endpoint", "https://hooks.example.com/send")
                        .secret("apiKey", Secret.of("whk-0123456789abcdef")).build();
            }

            @Override
            protected ConfigurationDraft draftPointedAt(FailingEndpoint endpoint) {
                return validDraft(server()).toBuilder().set("endpoint", endpoint.http() + "send").build();
            }

            @Override
            protected boolean deliversOverSmtp() {
                return false;
            }
        };
        c.startServerAndContexts();
        return c;
    }

    @Test
    void aKeyHeldAsAStringFailsTheContract() {
        ProviderContract careless = contract(false);
        try {
            assertThrows(AssertionFailedError.class, careless::configurationToStringShowsNoSecret);
        } finally {
            careless.stopServerAndContexts();
        }
    }

    @Test
    void anHttpEndpointOnAnotherHostFailsTheContract() {
        ProviderContract careless = contract(false);
        try {
            assertThrows(AssertionFailedError.class, careless::noSecretOverPlainHttp);
        } finally {
            careless.stopServerAndContexts();
        }
    }

    @Test
    void aFailureThatQuotesTheServicesAnswerWithTheKeyFailsTheContract() {
        ProviderContract careless = contract(false);
        try {
            AssertionFailedError e = assertThrows(AssertionFailedError.class,
                    careless::failuresOfAWebServiceAreClassifiedWithoutSecrets);
            assertTrue(e.getMessage().contains("shows a secret"), e.getMessage());
            assertFalse(e.getMessage().contains("whk-0123456789abcdef"), "the kit's own report shows the key");
        } finally {
            careless.stopServerAndContexts();
        }
    }

    @Test
    void theCarefulProviderPassesAll() {
        ProviderContract careful = contract(true);
        try {
            careful.configurationToStringShowsNoSecret();
            careful.noSecretOverPlainHttp();
            careful.failuresOfAWebServiceAreClassifiedWithoutSecrets();
        } finally {
            careful.stopServerAndContexts();
        }
    }
}
