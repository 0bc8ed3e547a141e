package org.emailconfig.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.InvalidConfigurationException;
import org.emailconfig.api.MicrosoftOAuthConfiguration;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.Secret;
import org.emailconfig.api.SmtpServer;
import org.emailconfig.api.Violation;
import org.emailconfig.api.spi.AuthenticationProvider;
import org.emailconfig.msoauth.MicrosoftOAuthProvider;
import org.emailconfig.smtp.basic.PasswordSmtpProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One rule per field: what a form accepts, the configuration record accepts too, and the words fit the field. */
class FieldRulesTest {

    private final HibernateBindingContext binding = new HibernateBindingContext();

    @AfterEach
    void close() {
        binding.close();
    }

    private static ConfigurationDraft microsoft() {
        return ConfigurationDraft.builder(MicrosoftOAuthConfiguration.TYPE)
                .set(MicrosoftOAuthConfiguration.SENDER_ADDRESS, "noreply@contoso.com")
                .set(MicrosoftOAuthConfiguration.TENANT_ID, "72f988bf-86f1-41af-91ab-2d7cd011db47")
                .set(MicrosoftOAuthConfiguration.CLIENT_ID, "00001111-aaaa-2222-bbbb-3333cccc4444")
                .set(MicrosoftOAuthConfiguration.LOGIN_ENDPOINT, "https://login.example.com")
                .set(MicrosoftOAuthConfiguration.GRAPH_ENDPOINT, "https://graph.example.com:8443/proxy/graph")
                .secret(MicrosoftOAuthConfiguration.CLIENT_SECRET, Secret.of("value~secret")).build();
    }

    private static ConfigurationDraft password() {
        return ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE)
                .set(PasswordSmtpConfiguration.SENDER_ADDRESS, "noreply@example.com")
                .set(PasswordSmtpConfiguration.HOST, "smtp.example.com")
                .set(PasswordSmtpConfiguration.PORT, "587").set(PasswordSmtpConfiguration.ENCRYPTION, "STARTTLS")
                .set(PasswordSmtpConfiguration.AUTHENTICATION, "true")
                .set(PasswordSmtpConfiguration.USERNAME, "noreply@example.com")
                .secret(PasswordSmtpConfiguration.PASSWORD, Secret.of("pw")).build();
    }

    private List<Violation> violations(AuthenticationProvider provider, ConfigurationDraft draft) {
        try {
            provider.bind(draft, binding);
            return List.of();
        } catch (InvalidConfigurationException e) {
            return e.violations();
        }
    }

    @Test
    void aHostWithAPortOrAMalformedIpv6AddressIsRefusedAndRealIpv6AddressesPass() {
        for (String bad : List.of("127.0.0.1:25", "smtp.example.com:587", "1:2", "2001:db8::1::2", ":1", "12345::1")) {
            assertTrue(SmtpServer.hostProblem(bad).isPresent(), bad);
        }
        for (String good : List.of("::1", "2001:db8::1", "::ffff:192.0.2.1", "fe80:0:0:0:0:0:0:1", "127.0.0.1")) {
            assertFalse(SmtpServer.hostProblem(good).isPresent(), good);
        }
        List<Violation> v = violations(new PasswordSmtpProvider(),
                password().toBuilder().set(PasswordSmtpConfiguration.HOST, "127.0.0.1:25").build());
        assertEquals(PasswordSmtpConfiguration.HOST, v.get(0).field());
    }

    @Test
    void aUsernameWithALineBreakIsRefusedInWordsAboutTheField() {
        List<Violation> v = violations(new PasswordSmtpProvider(),
                password().toBuilder().set(PasswordSmtpConfiguration.USERNAME, "noreply\r\nRCPT TO:<x@y>").build());
        assertEquals(1, v.size(), v.toString());
        assertEquals(PasswordSmtpConfiguration.USERNAME, v.get(0).field());
        assertFalse(v.get(0).message().contains("display name"), v.get(0).message());
        assertTrue(v.get(0).message().contains("line breaks"), v.get(0).message());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://login.example.com/?x=1", "https://login.example.com/tenant/extra",
            "https://user:pass@login.example.com", "https://exa|mple.com", "https://ex%zzample.com",
            "http://login.example.com", "https://login.example.com#frag", "login.example.com", "https://"})
    void aLoginEndpointIsHttpsAHostAndAPortAndNothingElse(String endpoint) {
        List<Violation> v = violations(new MicrosoftOAuthProvider(),
                microsoft().toBuilder().set(MicrosoftOAuthConfiguration.LOGIN_ENDPOINT, endpoint).build());
        assertEquals(1, v.size(), endpoint + ": " + v);
        assertEquals(MicrosoftOAuthConfiguration.LOGIN_ENDPOINT, v.get(0).field());
        assertFalse(v.get(0).message().contains("user:pass"), v.get(0).message());
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "1", "on", "maybe"})
    void saveToSentItemsIsTrueOrFalseAndNothingElse(String value) {
        List<Violation> v = violations(new MicrosoftOAuthProvider(),
                microsoft().toBuilder().set(MicrosoftOAuthConfiguration.SAVE_TO_SENT_ITEMS, value).build());
        assertEquals(List.of(MicrosoftOAuthConfiguration.SAVE_TO_SENT_ITEMS), v.stream().map(Violation::field).toList());
        assertTrue(violations(new MicrosoftOAuthProvider(), microsoft().toBuilder()
                .set(MicrosoftOAuthConfiguration.SAVE_TO_SENT_ITEMS, "TRUE").build()).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"contoso..onmicrosoft.com", "contoso-.onmicrosoft.com", "-contoso.onmicrosoft.com",
            "contoso", "72f988bf-86f1-41af-91ab", "contoso\n.onmicrosoft.com"})
    void aTenantTheRecordWouldRefuseIsAFieldErrorOnTheTenant(String tenant) {
        List<Violation> v = violations(new MicrosoftOAuthProvider(),
                microsoft().toBuilder().set(MicrosoftOAuthConfiguration.TENANT_ID, tenant).build());
        assertEquals(1, v.size(), tenant + ": " + v);
        assertEquals(MicrosoftOAuthConfiguration.TENANT_ID, v.get(0).field());
    }

    /**
     * 20,000 random one-field changes of valid drafts: binding either succeeds or reports field errors,
     * never a raw exception (13 in 20,000 escaped before the form and the record shared their rules).
     */
    @Test
    void noOneFieldChangeMakesBindingThrowAnythingButFieldErrors() {
        Random random = new Random(20261128);
        String alphabet = "abcxyz019.-_:/@%|?#[]~ \t\r\nüé\u2028";
        Map<AuthenticationProvider, ConfigurationDraft> valid = Map.of(new MicrosoftOAuthProvider(), microsoft(),
                new PasswordSmtpProvider(), password());
        int escaped = 0;
        for (int i = 0; i < 10_000; i++) {
            for (Map.Entry<AuthenticationProvider, ConfigurationDraft> e : valid.entrySet()) {
                List<String> fields = e.getKey().fields().stream().filter(f -> !f.secret()).map(f -> f.name()).toList();
                String field = fields.get(random.nextInt(fields.size()));
                String base = e.getValue().text(field).orElse("https://login.example.com");
                StringBuilder value = new StringBuilder(base);
                for (int k = 0, n = 1 + random.nextInt(3); k < n; k++) {
                    int at = random.nextInt(value.length() + 1);
                    value.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
                try {
                    violations(e.getKey(), e.getValue().toBuilder().set(field, value.toString()).build());
                } catch (RuntimeException raw) {
                    escaped++;
                    if (escaped <= 3) {
                        raw.printStackTrace();
                    }
                }
            }
        }
        assertEquals(0, escaped, "one-field changes that escaped as raw exceptions");
    }
}
