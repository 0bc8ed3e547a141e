package org.emailconfig.msoauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.microsoft.aad.msal4j.MsalClientException;
import com.microsoft.aad.msal4j.MsalServiceException;

import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.DeliveryStep;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.MicrosoftOAuthConfiguration;
import org.emailconfig.api.Reason;
import org.emailconfig.api.Secret;
import org.emailconfig.api.Sender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How a refused or failed token request reads to the admin, for answers the fake platform does not give:
 * every HTTP status edge, Retry-After forms, codes Microsoft may add, and the secret never in a message.
 */
class MsalFailuresTest {

    private static final String SECRET = "Qx8Q~unit.secret_value-0987";
    private static final MicrosoftOAuthConfiguration CONFIG = new MicrosoftOAuthConfiguration(
            Sender.of(EmailAddress.of("noreply@contoso.test")), "72f988bf-86f1-41af-91ab-2d7cd011db47",
            "00001111-aaaa-2222-bbbb-3333cccc4444", Secret.of(SECRET), MicrosoftOAuthConfiguration.Delivery.GRAPH,
            MicrosoftOAuthConfiguration.Cloud.WORLDWIDE,
            MicrosoftOAuthConfiguration.Endpoints.of(MicrosoftOAuthConfiguration.Cloud.WORLDWIDE), false);

    private static DeliveryFailedException refused(String message, String error, int status,
                                                   Map<String, List<String>> headers) {
        return MsalFailures.classify(new MsalServiceException(message, error), CONFIG,
                Optional.of(new MsalHttpClient.Response(status, headers, "")));
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}, temporary={2}")
    @CsvSource({"300, OAUTH_ERROR, false", "307, OAUTH_ERROR, false", "399, OAUTH_ERROR, false",
            "400, OAUTH_ERROR, false", "428, OAUTH_ERROR, false", "429, OAUTH_UNREACHABLE, true",
            "499, OAUTH_ERROR, false", "500, OAUTH_UNREACHABLE, true", "503, OAUTH_UNREACHABLE, true"})
    void theHttpStatusDecidesBetweenRedirectBusyAndRefused(int status, Reason reason, boolean temporary) {
        DeliveryFailedException f = refused("AADSTS50000: There was an error issuing a token. Trace ID: t-1",
                "invalid_request", status, Map.of());
        assertEquals(reason, f.reason(), f.getMessage());
        assertEquals(temporary, f.temporary());
        assertEquals(DeliveryStep.TOKEN, f.step().orElseThrow());
        assertEquals(status >= 300 && status < 400, f.getMessage().contains("redirect"), f.getMessage());
    }

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "AADSTS90002: Tenant 'x' not found. Trace ID: t         | invalid_request     | OAUTH_TENANT_NOT_FOUND",
        "AADSTS700016: Application with identifier 'y' was not found. Trace ID: t | unauthorized_client | OAUTH_CLIENT_NOT_FOUND",
        "AADSTS7000215: Invalid client secret provided. Trace ID: t | invalid_client  | OAUTH_INVALID_CLIENT_SECRET",
        "AADSTS7000222: The provided client secret keys are expired. Trace ID: t | invalid_client | OAUTH_CLIENT_SECRET_EXPIRED",
        "AADSTS700027: Client assertion contains an invalid signature. Trace ID: t | invalid_client | OAUTH_CLIENT_ASSERTION_REJECTED",
        "AADSTS7000274: Client assertion contains an invalid signature. Trace ID: t | invalid_client | OAUTH_CLIENT_ASSERTION_REJECTED",
        "AADSTS1000502: The certificate is outside its validity window. Trace ID: t | invalid_client | OAUTH_CLIENT_CERTIFICATE_EXPIRED",
        "AADSTS700024: Client assertion is not within its valid time range. Trace ID: t | invalid_client | OAUTH_CLIENT_ASSERTION_EXPIRED",
        "AADSTS70021: No matching federated identity record found. Trace ID: t | invalid_client | OAUTH_FEDERATED_CREDENTIAL_MISMATCH",
        "AADSTS700211: No matching federated identity record found for presented assertion issuer. | invalid_client | OAUTH_FEDERATED_CREDENTIAL_MISMATCH",
        "AADSTS700213: No matching federated identity record found for presented assertion subject. | invalid_client | OAUTH_FEDERATED_CREDENTIAL_MISMATCH",
        "Tenant not found                                        | invalid_tenant      | OAUTH_TENANT_NOT_FOUND",
        "AADSTS123456: Something new. Trace ID: t                 | invalid_request     | OAUTH_ERROR",
        "No code at all                                          | invalid_grant       | OAUTH_ERROR",
    })
    void theAadstsCodeOrTheErrorNamesTheCause(String message, String error, Reason reason) {
        DeliveryFailedException f = refused(message, error, 400, Map.of());
        assertEquals(reason, f.reason(), f.getMessage());
        assertFalse(f.temporary());
        String reply = f.serverReply().orElseThrow();
        assertEquals(message.startsWith("AADSTS") ? message.substring(0, message.indexOf(':')) : error, reply);
    }

    @Test
    void aFederatedTokenThatCannotBeReadIsSaidWithoutAskingThePlatform() {
        DeliveryFailedException f = MsalFailures.classify(new MsalClientException(new FederatedTokens.Unreadable(
                "the federated token file /var/run/token could not be read (NoSuchFileException)")), CONFIG,
                Optional.empty());
        assertEquals(Reason.OAUTH_CREDENTIAL_UNREADABLE, f.reason());
        assertFalse(f.temporary());
        assertTrue(f.getMessage().contains("/var/run/token"), f.getMessage());
        assertTrue(f.serverReply().isEmpty(), "the platform said nothing");
    }

    @Test
    void theMessageKeepsThePlatformsFirstSentenceOnlyAndNeverTheSecret() {
        DeliveryFailedException f = refused("AADSTS7000215: Invalid client secret provided (" + SECRET + "). Ensure "
                + "the secret being sent is correct. Trace ID: 1234 Correlation ID: 5678", "invalid_client", 401, Map.of());
        assertTrue(f.getMessage().endsWith(": AADSTS7000215: Invalid client secret provided (******)."), f.getMessage());
        assertFalse(f.getMessage().contains("Trace ID"), f.getMessage());

        String noStop = "AADSTS50000 without a full stop";
        assertTrue(refused(noStop, "x", 400, Map.of()).getMessage().endsWith(": " + noStop));
        String leadingStop = ". starts with a stop. and goes on";
        assertTrue(refused(leadingStop, "x", 400, Map.of()).getMessage().endsWith(": " + leadingStop));
        String exactly = "a".repeat(299) + ".";
        assertTrue(refused(exactly + " More.", "x", 400, Map.of()).getMessage().endsWith(": " + exactly));
        String tooLong = "b".repeat(301) + ". More.";
        assertTrue(refused(tooLong, "x", 400, Map.of()).getMessage().endsWith(": " + "b".repeat(300) + "…"));
    }

    @Test
    void retryAfterInSecondsIsKeptWhateverTheHeadersCaseAndNonsenseIsIgnored() {
        assertEquals(Duration.ofSeconds(7), refused("AADSTS90033: busy.", "temporarily_unavailable", 503,
                Map.of("retry-after", List.of(" 7 "))).retryAfter().orElseThrow());
        assertEquals(Duration.ZERO, MsalFailures.retryAfter(Map.of("Retry-After", List.of("0"))));
        assertNull(MsalFailures.retryAfter(Map.of("Retry-After", List.of("-1"))));
        assertNull(MsalFailures.retryAfter(Map.of("Retry-After", List.of("Wed, 21 Oct 2026 07:28:00 GMT"))));
        assertNull(MsalFailures.retryAfter(Map.of("Retry-After", List.of())));
        assertNull(MsalFailures.retryAfter(Map.of("X-Other", List.of("5"))));
        assertNull(MsalFailures.retryAfter(null));
    }

    @Test
    void aNetworkFailureIsTemporaryAndAnythingElseIsAnErrorBothWithoutTheSecret() {
        DeliveryFailedException network = MsalFailures.classify(new MsalClientException(
                new IOException("Connection reset talking about " + SECRET)), CONFIG, Optional.empty());
        assertEquals(Reason.OAUTH_UNREACHABLE, network.reason());
        assertTrue(network.temporary());
        assertTrue(network.getMessage().contains("(IOException: Connection reset talking about ******)"),
                network.getMessage());

        DeliveryFailedException other = MsalFailures.classify(new IllegalStateException("odd " + SECRET), CONFIG,
                Optional.empty());
        assertEquals(Reason.OAUTH_ERROR, other.reason());
        assertFalse(other.temporary());
        assertTrue(other.getMessage().contains("(IllegalStateException: odd ******)"), other.getMessage());

        DeliveryFailedException late = MsalFailures.timeout(CONFIG, new java.util.concurrent.TimeoutException());
        assertEquals(Reason.OAUTH_UNREACHABLE, late.reason());
        assertTrue(late.temporary());
    }

    @Test
    void aHandshakeFailingOnTheCertificateIsUntrustedAndAnyOtherIsAHandshakeFailureNeitherTemporary() {
        for (Exception certificate : List.of(new java.security.cert.CertificateException("expired"),
                new java.security.cert.CertPathBuilderException("no path"),
                new java.security.cert.CertPathValidatorException("revoked"))) {
            javax.net.ssl.SSLHandshakeException handshake = new javax.net.ssl.SSLHandshakeException("PKIX " + SECRET);
            handshake.initCause(new RuntimeException("wrapped", certificate));
            DeliveryFailedException e = MsalFailures.classify(new MsalClientException(handshake), CONFIG,
                    Optional.empty());
            assertEquals(Reason.TLS_CERTIFICATE_UNTRUSTED, e.reason(), certificate.toString());
            assertFalse(e.temporary());
            assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        }
        DeliveryFailedException protocol = MsalFailures.classify(new MsalClientException(
                new javax.net.ssl.SSLHandshakeException("No appropriate protocol")), CONFIG, Optional.empty());
        assertEquals(Reason.TLS_HANDSHAKE, protocol.reason());
        assertFalse(protocol.temporary());
        assertTrue(protocol.getMessage().contains("failed the TLS handshake (No appropriate protocol)"),
                protocol.getMessage());
    }
}
