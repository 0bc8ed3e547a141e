package org.emailconfig.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Locale;

import org.emailconfig.api.MicrosoftOAuthConfiguration.Cloud;
import org.emailconfig.api.MicrosoftOAuthConfiguration.Delivery;
import org.emailconfig.api.MicrosoftOAuthConfiguration.Endpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where a client secret and a bearer token may be sent: only to an https endpoint that is a host (and port),
 * never over an unencrypted SMTP connection; and what a tenant and a client id look like.
 */
class MicrosoftOAuthRulesTest {

    private static final Sender SENDER = Sender.of(EmailAddress.of("noreply@contoso.test"));
    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static final String CLIENT = "00001111-aaaa-2222-bbbb-3333cccc4444";

    @ParameterizedTest
    @ValueSource(strings = {"https://login.microsoftonline.com", "https://login.microsoftonline.com/",
            "HTTPS://login.example.com:8443", "https://127.0.0.1:9443", "https://[::1]:9443", "https://10.0.0.5",
            "https://login.example.com:1", "https://login.example.com:65535", "https://host-1.example.com"})
    void aLoginEndpointIsAnHttpsHostWithAnOptionalPort(String endpoint) {
        assertTrue(Endpoints.endpointProblem(endpoint).isEmpty(), () -> endpoint + ": " + Endpoints.endpointProblem(endpoint));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://login.example.com", "ftp://login.example.com", "//login.example.com",
            "https://user@login.example.com", "https://login..example.com", "https:///path", "https://login.example.com/v2",
            "https://login.example.com?x=1", "https://login.example.com#f", "https://exa mple.com", " ", "https://[::1"})
    void anythingElseIsRefusedAsALoginEndpoint(String endpoint) {
        assertTrue(Endpoints.endpointProblem(endpoint).isPresent(), endpoint);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://login.example.com:99999", "https://login.example.com:0", "https://2130706433",
            "https://127.1", "https://0x7f.0.0.1.1", "https://127.000.0.1", "https://256.0.0.1", "https://graph.example.com:65536"})
    void impossiblePortsAndDisguisedAddressesAreFieldErrorsNotFailuresLater(String endpoint) {
        String login = Endpoints.endpointProblem(endpoint, false, Locale.ENGLISH).orElse(null);
        String graph = Endpoints.endpointProblem(endpoint, true, Locale.ENGLISH).orElse(null);
        assertTrue(login != null && graph != null, endpoint);
        assertTrue(login.contains("port") || login.contains("IP address"), login);
    }

    @Test
    void onlyGraphMayHaveAPathAndNeitherAQuery() {
        assertTrue(Endpoints.endpointProblem("https://graph.example.com/proxy/graph", true).isEmpty());
        assertTrue(Endpoints.endpointProblem("https://graph.example.com/proxy/graph", false).isPresent());
        assertTrue(Endpoints.endpointProblem("https://graph.example.com/graph?x=1", true).isPresent());
        assertTrue(Endpoints.endpointProblem(null, true).isPresent());
        String en = Endpoints.endpointProblem("http://x.example", false, Locale.ENGLISH).orElseThrow();
        String de = Endpoints.endpointProblem("http://x.example", false, Locale.GERMAN).orElseThrow();
        assertFalse(en.equals(de));
        assertTrue(en.contains("https"), en);
        assertFalse(Endpoints.endpointProblem("http://x.example").equals(Endpoints.endpointProblem("https://x.example/p")));
    }

    @Test
    void endpointsRefuseAPlainLoginAPathOnLoginAndAnUnencryptedSmtpServer() {
        SmtpServer smtp = SmtpServer.of("smtp.office365.com", 587, Encryption.STARTTLS);
        URI login = URI.create("https://login.microsoftonline.com");
        URI graph = URI.create("https://graph.microsoft.com");
        assertEquals(graph, new Endpoints(login, URI.create("https://graph.microsoft.com"), smtp).graph());
        assertThrows(IllegalArgumentException.class, () -> new Endpoints(URI.create("http://login.example.com"), graph, smtp));
        assertThrows(IllegalArgumentException.class, () -> new Endpoints(URI.create("https://login.example.com/x"), graph, smtp));
        assertThrows(IllegalArgumentException.class, () -> new Endpoints(login, URI.create("http://graph.example.com"), smtp));
        assertEquals("/proxy", new Endpoints(login, URI.create("https://graph.example.com/proxy"), smtp).graph().getPath());
        assertThrows(IllegalArgumentException.class,
                () -> new Endpoints(login, graph, SmtpServer.of("smtp.office365.com", 25, Encryption.NONE)));
    }

    @Test
    void eachCloudHasItsOwnEndpointsAndTheSmtpSubmissionPort() {
        for (Cloud cloud : Cloud.values()) {
            Endpoints e = Endpoints.of(cloud);
            assertEquals(587, e.smtp().port());
            assertEquals(Encryption.STARTTLS, e.smtp().encryption());
            assertTrue(e.login().toString().startsWith("https://"), e.toString());
        }
        assertFalse(Endpoints.of(Cloud.WORLDWIDE).login().equals(Endpoints.of(Cloud.US_GOVERNMENT).login()));
        assertEquals("smtp.office365.com", Endpoints.of(Cloud.WORLDWIDE).smtp().host());
    }

    @Test
    void aTenantIsAGuidOrADomainAndAClientIsAGuid() {
        assertTrue(MicrosoftOAuthConfiguration.tenantIdProblem(TENANT).isEmpty());
        assertTrue(MicrosoftOAuthConfiguration.tenantIdProblem("contoso.onmicrosoft.com").isEmpty());
        for (String bad : new String[] {"contoso", "contoso..com", "", " ", "72f988bf-86f1-41af-91ab"}) {
            assertTrue(MicrosoftOAuthConfiguration.tenantIdProblem(bad).isPresent(), bad);
        }
        assertTrue(MicrosoftOAuthConfiguration.tenantIdProblem(null).isPresent());
        assertFalse(MicrosoftOAuthConfiguration.tenantIdProblem(null).equals(MicrosoftOAuthConfiguration.tenantIdProblem("x")));
        assertTrue(MicrosoftOAuthConfiguration.clientIdProblem(CLIENT).isEmpty());
        assertTrue(MicrosoftOAuthConfiguration.clientIdProblem("00001111-AAAA-2222-BBBB-3333CCCC4444").isEmpty());
        assertTrue(MicrosoftOAuthConfiguration.clientIdProblem("contoso.onmicrosoft.com").isPresent());
        assertTrue(MicrosoftOAuthConfiguration.clientIdProblem(" ").orElseThrow().startsWith("enter the application"));
        assertTrue(MicrosoftOAuthConfiguration.clientIdProblem("1").orElseThrow().contains("is a GUID"));
        assertFalse(MicrosoftOAuthConfiguration.clientIdProblem("1", Locale.GERMAN)
                .equals(MicrosoftOAuthConfiguration.clientIdProblem("1", Locale.ENGLISH)));
        assertFalse(MicrosoftOAuthConfiguration.isGuid(null));
        assertFalse(MicrosoftOAuthConfiguration.isGuid(CLIENT + "0"));
    }

    @Test
    void aConfigurationChecksItsIdsAndNeedsARealSecret() {
        Endpoints e = Endpoints.of(Cloud.WORLDWIDE);
        MicrosoftOAuthConfiguration ok = new MicrosoftOAuthConfiguration(SENDER, TENANT, CLIENT,
                Secret.of("Qx8Q~rules.secret-4471"), Delivery.GRAPH, Cloud.WORLDWIDE, e, false);
        assertEquals(MicrosoftOAuthConfiguration.TYPE, ok.type());
        assertTrue(ok.replyTo().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new MicrosoftOAuthConfiguration(SENDER, TENANT, "not-a-guid",
                Secret.of("s"), Delivery.GRAPH, Cloud.WORLDWIDE, e, false));
        assertThrows(IllegalArgumentException.class, () -> new MicrosoftOAuthConfiguration(SENDER, "contoso", CLIENT,
                Secret.of("s"), Delivery.GRAPH, Cloud.WORLDWIDE, e, false));
        assertThrows(IllegalArgumentException.class, () -> new MicrosoftOAuthConfiguration(SENDER, TENANT, CLIENT,
                Secret.keep(), Delivery.GRAPH, Cloud.WORLDWIDE, e, false));
        assertFalse(ok.toString().contains("Qx8Q~rules.secret-4471"), "the secret is masked in toString");
    }
}
