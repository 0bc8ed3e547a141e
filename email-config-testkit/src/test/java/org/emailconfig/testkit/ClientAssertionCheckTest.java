package org.emailconfig.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.emailconfig.testkit.TestCertificates.ApplicationCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fake's checks of a client assertion, each with an assertion built by hand the way a faulty client would
 * build it (msal4j builds them right, so the scenario tests cannot reach these): wrong key, wrong audience, a
 * replayed {@code jti}, an expired assertion, and a federated token for an unknown subject or audience.
 */
class ClientAssertionCheckTest {

    static final String TENANT = "tenant-1";
    static final String CLIENT = "client-1";
    static final String ISSUER = "https://oidc.example.test/cluster-1";
    static final String SUBJECT = "system:serviceaccount:shop:notifications";

    @RegisterExtension
    final FakeMicrosoftPlatform platform = new FakeMicrosoftPlatform()
            .registerApplication(TENANT, CLIENT, ApplicationCertificate.VALID.certificate());

    private String audience() {
        return platform.loginEndpoint() + "/" + TENANT + "/oauth2/v2.0/token";
    }

    /** An assertion naming {@code named}'s thumbprint, signed with {@code signer}'s key. */
    private static String assertion(ApplicationCertificate named, PrivateKey signer, String audience, String jti,
                                    Instant expires) throws Exception {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5t#S256\":\""
                + Base64.getEncoder().encodeToString(ClientAssertions.digest(named.certificate(), "SHA-256")) + "\"}";
        long now = Instant.now().getEpochSecond();
        String claims = "{\"aud\":\"" + audience + "\",\"iss\":\"" + CLIENT + "\",\"sub\":\"" + CLIENT + "\",\"jti\":\""
                + jti + "\",\"nbf\":" + now + ",\"exp\":" + expires.getEpochSecond() + "}";
        String signed = url.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(signer);
        s.update(signed.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + url.encodeToString(s.sign());
    }

    private String valid(String jti) throws Exception {
        return assertion(ApplicationCertificate.VALID, ApplicationCertificate.VALID.privateKey(), audience(), jti,
                Instant.now().plusSeconds(600));
    }

    private HttpResponse<String> tokenRequest(String assertion) throws Exception {
        String form = "client_id=" + CLIENT + "&grant_type=client_credentials&scope="
                + URLEncoder.encode("https://graph.microsoft.com/.default", StandardCharsets.UTF_8)
                + "&client_assertion_type=" + URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                StandardCharsets.UTF_8) + "&client_assertion=" + assertion;
        return TestkitHttp.client().send(HttpRequest.newBuilder(URI.create(audience()))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(HttpResponse<String> r, String fragment) {
        assertTrue(r.statusCode() == 400 || r.statusCode() == 401, r.statusCode() + " " + r.body());
        assertTrue(r.body().contains(fragment), r.body());
    }

    @Test
    void aGoodAssertionGetsATokenOnceAndItsReplayIsRefused() throws Exception {
        String assertion = valid(UUID.randomUUID().toString());

        HttpResponse<String> first = tokenRequest(assertion);
        assertEquals(200, first.statusCode(), first.body());
        assertRefused(tokenRequest(assertion), "was used before");
        assertEquals(1, platform.credentialsUsed().size());
    }

    @Test
    void aKeyTheAppDoesNotHoldOrASignatureThatDoesNotVerifyIsAadsts700027() throws Exception {
        Instant later = Instant.now().plusSeconds(600);
        assertRefused(tokenRequest(assertion(ApplicationCertificate.OTHER, ApplicationCertificate.OTHER.privateKey(),
                audience(), "a", later)), "AADSTS700027: Client assertion contains an invalid signature. [Reason - "
                + "The key was not found.");
        // The registered certificate's thumbprint, signed with another key: a forgery.
        assertRefused(tokenRequest(assertion(ApplicationCertificate.VALID, ApplicationCertificate.OTHER.privateKey(),
                audience(), "b", later)), "did not match the expected signature value");
    }

    @Test
    void anotherAudienceAndAnExpiredAssertionAreRefused() throws Exception {
        assertRefused(tokenRequest(assertion(ApplicationCertificate.VALID, ApplicationCertificate.VALID.privateKey(),
                "https://login.elsewhere.test/" + TENANT + "/oauth2/v2.0/token", "c", Instant.now().plusSeconds(600))),
                "audience");
        assertRefused(tokenRequest(assertion(ApplicationCertificate.VALID, ApplicationCertificate.VALID.privateKey(),
                audience(), "d", Instant.now().minus(Duration.ofMinutes(10)))), "AADSTS700024");
        assertEquals(List.of(), platform.credentialsUsed());
    }

    @Test
    void anExpiredCertificateIsAadsts1000502EvenWhenRegistered() throws Exception {
        platform.registerApplication(TENANT, CLIENT, ApplicationCertificate.EXPIRED.certificate());

        assertRefused(tokenRequest(assertion(ApplicationCertificate.EXPIRED, ApplicationCertificate.EXPIRED.privateKey(),
                audience(), "e", Instant.now().plusSeconds(600))), "AADSTS1000502");
    }

    @Test
    void aFederatedTokenMustMatchARegisteredSubjectAndStayWithinItsTime() throws Exception {
        platform.registerFederatedCredential(TENANT, CLIENT, ISSUER, SUBJECT);

        HttpResponse<String> good = tokenRequest(FakeMicrosoftPlatform.federatedToken(ISSUER, SUBJECT,
                Duration.ofHours(1)));
        assertEquals(200, good.statusCode(), good.body());
        assertRefused(tokenRequest(FakeMicrosoftPlatform.federatedToken(ISSUER, "system:serviceaccount:shop:other",
                Duration.ofHours(1))), "AADSTS70021");
        assertRefused(tokenRequest(FakeMicrosoftPlatform.federatedToken(ISSUER, SUBJECT, Duration.ofHours(-1))),
                "AADSTS700024");
        assertEquals(List.of("federated " + SUBJECT), platform.credentialsUsed());
    }
}
