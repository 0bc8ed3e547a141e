package org.emailconfig.testkit;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.mail.internet.MimeMessage;

import com.sun.net.httpserver.HttpExchange;

import org.apiguardian.api.API;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.MicrosoftOAuthConfiguration;
import org.emailconfig.api.Secret;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fake Microsoft identity platform (client-credentials token endpoint) and Graph {@code sendMail}
 * endpoint on {@code https://127.0.0.1:<port>}, presenting the {@link TestCertificates testkit
 * certificate}. It issues tokens only to registered applications signing in with a registered credential (a
 * secret, a certificate, a federated token) and answers everything else the way Entra ID does (AADSTS90002,
 * 700016, 7000215, 7000222; for client assertions 700027, 1000502, 700024, 70021); a test can make the
 * next requests fail on purpose with {@link #failNext(Failure...)}. Every message that Graph "sent",
 * in the MIME form or the JSON form of {@code sendMail}, is kept as a {@link MimeMessage}.
 *
 * <pre>{@code
 * @RegisterExtension
 * final FakeMicrosoftPlatform microsoft = new FakeMicrosoftPlatform();
 *
 * @Test
 * void sendsThroughGraph() {
 *     microsoft.registerApplication(TENANT, CLIENT, "secret-value");
 *     email.save(admin, microsoft.graphDraft(TENANT, CLIENT, "secret-value", "noreply@contoso.test"));
 *     assertEquals(1, microsoft.awaitMessages(1).size());
 *     assertEquals(1, microsoft.tokenRequests());
 * }
 * }</pre>
 *
 * <p>Services talking to it need {@link TestCertificates#trustStore()} as extra trust.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class FakeMicrosoftPlatform implements BeforeEachCallback, AfterEachCallback, AutoCloseable {

    /** A failure the next request answers with, instead of its normal answer. */
    public enum Failure {
        /** Token endpoint: 400 invalid_request, AADSTS90002 (tenant not found). */
        TENANT_NOT_FOUND,
        /** Token endpoint: 400 unauthorized_client, AADSTS700016 (application not found in the directory). */
        CLIENT_NOT_FOUND,
        /** Token endpoint: 401 invalid_client, AADSTS7000215 (invalid client secret). */
        INVALID_CLIENT_SECRET,
        /** Token endpoint: 401 invalid_client, AADSTS7000222 (client secret expired). */
        EXPIRED_CLIENT_SECRET,
        /** Token endpoint: 503 with an empty body. */
        SERVICE_UNAVAILABLE,
        /** Token endpoint: no answer at all until the client gives up (a black-holed connection). */
        NO_RESPONSE,
        /** Graph: 403 ErrorAccessDenied (application permission Mail.Send or admin consent missing). */
        ACCESS_DENIED,
        /**
         * Token endpoint: 307 to {@code /redirected/oauth2/v2.0/token} on this fake, a redirect that keeps the
         * POST and its form (client secret included). A request that arrives there is recorded as a token
         * request for the tenant {@code redirected}: a client that follows it sent its secret elsewhere.
         */
        REDIRECT,
        /** Token endpoint: 500 with Entra's JSON, AADSTS90033 (service temporarily unavailable), Retry-After: 7. */
        SERVER_ERROR_JSON,
        /** Token endpoint: 502 with an HTML error page, as a proxy in front of it would answer. */
        BAD_GATEWAY_HTML,
        /** Token endpoint: 504 with a plain-text body. */
        GATEWAY_TIMEOUT_TEXT,
        /**
         * Graph: the access token used is revoked (or expired): 401 InvalidAuthenticationToken with a
         * {@code WWW-Authenticate: Bearer} header, and that token stays invalid; a new token works.
         */
        TOKEN_REVOKED,
        /** Graph: 429 TooManyRequests with {@code Retry-After: 2}. */
        THROTTLED,
        /** Graph: no answer until the client gives up. */
        GRAPH_NO_RESPONSE,
        /**
         * Graph: 307 to {@code /redirected/sendMail} on this fake, as a hijacked or misconfigured proxy might
         * answer; a client that follows it hands its bearer token to another endpoint, which
         * {@link #redirectedRequests()} counts.
         */
        GRAPH_REDIRECT,
        /** Graph: 500 InternalServerError with Graph's JSON error body. */
        GRAPH_SERVER_ERROR,
        /** Graph: 403 ErrorSendAsDenied, the application may not send as this mailbox. */
        GRAPH_SEND_AS_DENIED,
        /**
         * Graph: 403 ErrorAccessDenied "Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly
         * AccessPolicy settings", as when RBAC for Applications or an application access policy leaves the
         * mailbox out of the application's scope.
         */
        GRAPH_POLICY_BLOCKED,
        /** Graph: 400 ErrorInvalidRecipients. */
        GRAPH_INVALID_RECIPIENTS,
        /**
         * Graph takes the message (it is recorded as sent), but a gateway in front of it answers 504 with no body,
         * as when Graph's answer is lost on the way back.
         */
        GRAPH_GATEWAY_LOST
    }

    private static final java.util.Set<Failure> GRAPH_FAILURES = java.util.EnumSet.of(Failure.ACCESS_DENIED,
            Failure.TOKEN_REVOKED, Failure.THROTTLED, Failure.GRAPH_NO_RESPONSE, Failure.GRAPH_REDIRECT,
            Failure.GRAPH_SERVER_ERROR, Failure.GRAPH_SEND_AS_DENIED, Failure.GRAPH_POLICY_BLOCKED,
            Failure.GRAPH_INVALID_RECIPIENTS, Failure.GRAPH_GATEWAY_LOST);

    /** One request to the token endpoint. */
    public record TokenRequest(String tenant, String clientId, String scope) {
    }

    private final FakeIdentityPlatform identity = new FakeIdentityPlatform();
    private final FakeGraph graph = new FakeGraph(identity);
    private final LoopbackHttpsServer server = new LoopbackHttpsServer("fake-microsoft", this::handle);
    private final Deque<Failure> failures = new ArrayDeque<>();
    private final AtomicInteger redirectedRequests = new AtomicInteger();

    /** A platform without registered applications. */
    public FakeMicrosoftPlatform() {
    }

    /**
     * Registers an application whose secret is valid and which has the Graph permission Mail.Send.
     *
     * @param tenantId directory id
     * @param clientId application id
     * @param secret   the secret value
     * @return this
     */
    public FakeMicrosoftPlatform registerApplication(String tenantId, String clientId, String secret) {
        identity.register(tenantId, clientId, secret, false, true, null);
        return this;
    }

    /**
     * Registers an application with options.
     *
     * @param tenantId   directory id
     * @param clientId   application id
     * @param secret     the secret value
     * @param expired    whether the secret has expired (AADSTS7000222)
     * @param mailSend   whether Mail.Send is granted (else Graph answers 403, and Graph tokens carry no
     *                   {@code roles})
     * @param fixedToken the access token to issue every time (e.g. a GreenMail mailbox's password, for
     *                   XOAUTH2), or null for random tokens
     * @return this
     */
    public FakeMicrosoftPlatform registerApplication(String tenantId, String clientId, String secret, boolean expired,
                                                     boolean mailSend, @Nullable String fixedToken) {
        identity.register(tenantId, clientId, secret, expired, mailSend, fixedToken);
        return this;
    }

    /**
     * Registers an application's certificate credential (the public certificate uploaded under Certificates &amp;
     * secrets), with Mail.Send granted; an application may hold a secret and several certificates. A token request
     * signed with it passes when the assertion's signature verifies with this certificate's key, the certificate is
     * within its validity (else AADSTS1000502), the audience is this fake's token endpoint for the tenant, issuer and
     * subject are the application id, it is within its time (else AADSTS700024), and its {@code jti} is new;
     * signed with a key the application does not hold, it is refused with AADSTS700027.
     *
     * @param tenantId    directory id
     * @param clientId    application id
     * @param certificate the uploaded certificate, e.g. {@link TestCertificates.ApplicationCertificate#certificate()}
     * @return this
     * @since 0.5
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.5")
    public FakeMicrosoftPlatform registerApplication(String tenantId, String clientId, X509Certificate certificate) {
        identity.registerCertificate(tenantId, clientId, certificate);
        return this;
    }

    /**
     * Registers a federated identity credential of an application (issuer and subject; audience
     * {@code api://AzureADTokenExchange}), with Mail.Send granted. The fake trusts tokens its own workload issuer
     * signed ({@link #federatedToken(String, String, Duration)}); a token whose subject or audience matches no
     * credential is refused with AADSTS70021, an expired one with AADSTS700024.
     *
     * @param tenantId directory id
     * @param clientId application id
     * @param issuer   the token issuer, e.g. the cluster's OIDC issuer URL
     * @param subject  e.g. {@code system:serviceaccount:shop:notifications}
     * @return this
     * @since 0.5
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.5")
    public FakeMicrosoftPlatform registerFederatedCredential(String tenantId, String clientId, String issuer,
                                                             String subject) {
        identity.registerFederation(tenantId, clientId, new FakeIdentityPlatform.Federation(issuer, subject));
        return this;
    }

    /**
     * A federated token as a workload identity platform mounts it (a Kubernetes service account token): signed by
     * this fake's workload issuer, audience {@code api://AzureADTokenExchange}, valid from now.
     *
     * @param issuer   the issuer claim
     * @param subject  the subject claim
     * @param validFor how long it is valid; negative for one that expired that long ago
     * @return the token (a JWT)
     * @since 0.5
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.5")
    public static String federatedToken(String issuer, String subject, Duration validFor) {
        java.time.Instant now = java.time.Instant.now();
        return validFor.isNegative()
                ? ClientAssertions.federatedToken(issuer, subject, now.plus(validFor).minus(Duration.ofHours(1)),
                        Duration.ofHours(1))
                : ClientAssertions.federatedToken(issuer, subject, now, validFor);
    }

    /**
     * How each accepted token request proved who it was, in order: {@code client_secret},
     * {@code certificate <SHA-1 thumbprint>} or {@code federated <subject>}.
     *
     * @return a snapshot
     * @since 0.5
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.5")
    public List<String> credentialsUsed() {
        return identity.credentialsUsed();
    }

    /**
     * A draft for Microsoft OAuth 2.0 with Graph delivery against this fake, signing in with a certificate.
     *
     * @param tenantId    directory id
     * @param clientId    application id
     * @param certificate the key and certificate as PEM, or a .pfx file's base64
     * @param sender      the mailbox to send as
     * @return a draft ready to save
     * @since 0.5
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.5")
    public ConfigurationDraft graphDraftWithCertificate(String tenantId, String clientId, String certificate,
                                                        String sender) {
        return graphBase(tenantId, clientId, sender)
                .set(MicrosoftOAuthConfiguration.CREDENTIAL, MicrosoftOAuthConfiguration.CredentialKind.CERTIFICATE.name())
                .secret(MicrosoftOAuthConfiguration.CLIENT_CERTIFICATE, Secret.of(certificate))
                .build();
    }

    /**
     * How long issued tokens live ({@code expires_in}); default 3599 s. Clients renew tokens with less
     * than five minutes left, so 302 s makes a token stale after about two seconds.
     *
     * @param lifetime the lifetime
     * @return this
     */
    public FakeMicrosoftPlatform tokenLifetime(Duration lifetime) {
        identity.tokenLifetime(lifetime);
        return this;
    }

    /**
     * Makes token answers carry {@code refresh_in}, as Entra ID does for long-lived tokens: the platform asks
     * clients to renew after this long, before {@code expires_in} runs out. By default no {@code refresh_in}.
     *
     * @param refreshIn when clients should renew
     * @return this
     */
    public FakeMicrosoftPlatform tokenRefreshIn(Duration refreshIn) {
        identity.tokenRefreshIn(refreshIn);
        return this;
    }

    /**
     * Makes the next requests fail, one failure per request, in order. Token failures apply to token
     * requests, {@link Failure#ACCESS_DENIED} to the next Graph request.
     *
     * @param next the failures
     * @return this
     */
    public FakeMicrosoftPlatform failNext(Failure... next) {
        synchronized (failures) {
            failures.addAll(List.of(next));
        }
        return this;
    }

    /**
     * Starts the HTTPS server.
     *
     * @return this
     */
    public FakeMicrosoftPlatform start() {
        server.start();
        return this;
    }

    /** Stops the server. Idempotent. */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    /**
     * The identity platform's base URL, for the {@code loginEndpoint} field.
     *
     * @return {@code https://127.0.0.1:<port>}
     */
    public String loginEndpoint() {
        return "https://" + SandboxMailServer.HOST + ":" + server.port("the fake Microsoft platform is not running; "
                + "register it with @RegisterExtension or call start()");
    }

    /**
     * Graph's base URL, for the {@code graphEndpoint} field.
     *
     * @return {@code https://127.0.0.1:<port>/graph}
     */
    public String graphEndpoint() {
        return loginEndpoint() + "/graph";
    }

    /**
     * A draft for Microsoft OAuth 2.0 with Graph delivery against this fake.
     *
     * @param tenantId directory id
     * @param clientId application id
     * @param secret   secret value
     * @param sender   the mailbox to send as
     * @return a draft ready to save
     */
    public ConfigurationDraft graphDraft(String tenantId, String clientId, String secret, String sender) {
        return graphBase(tenantId, clientId, sender)
                .secret(MicrosoftOAuthConfiguration.CLIENT_SECRET, Secret.of(secret))
                .build();
    }

    private ConfigurationDraft.Builder graphBase(String tenantId, String clientId, String sender) {
        return ConfigurationDraft.builder(MicrosoftOAuthConfiguration.TYPE)
                .set(MicrosoftOAuthConfiguration.SENDER_ADDRESS, sender)
                .set(MicrosoftOAuthConfiguration.SENDER_NAME, "Sandbox Notifications")
                .set(MicrosoftOAuthConfiguration.TENANT_ID, tenantId)
                .set(MicrosoftOAuthConfiguration.CLIENT_ID, clientId)
                .set(MicrosoftOAuthConfiguration.DELIVERY, MicrosoftOAuthConfiguration.Delivery.GRAPH.name())
                .set(MicrosoftOAuthConfiguration.LOGIN_ENDPOINT, loginEndpoint())
                .set(MicrosoftOAuthConfiguration.GRAPH_ENDPOINT, graphEndpoint());
    }

    /**
     * Makes Graph take this long before it answers each {@code sendMail}, as the real service does (a few
     * hundred milliseconds), so a test can see requests overlap.
     *
     * @param latency zero (the default) to answer at once
     * @return this
     */
    public FakeMicrosoftPlatform graphLatency(Duration latency) {
        graph.graphLatency = latency;
        return this;
    }

    /**
     * How many {@code sendMail} requests are in progress now (received, not yet answered), so a test can wait
     * until the fake has dealt with everything a client sent, late answers included.
     *
     * @return zero when the fake is idle
     */
    public int sendsInFlight() {
        return graph.sendsInFlight.get();
    }

    /**
     * The most {@code sendMail} requests that were in progress at the same moment.
     *
     * @return at least 1 once a request arrived
     */
    public int maxConcurrentSends() {
        return graph.maxSendsInFlight.get();
    }

    /**
     * How many token requests arrived.
     *
     * @return the count
     */
    public int tokenRequests() {
        return identity.tokenRequests().size();
    }

    /**
     * The token requests, in order.
     *
     * @return a snapshot
     */
    public List<TokenRequest> tokenRequestLog() {
        return identity.tokenRequests();
    }

    /**
     * Whether this fake issued a token (to any application, for any scope).
     *
     * @param accessToken a token
     * @return true if issued here
     */
    public boolean issued(String accessToken) {
        return identity.issued(accessToken) != null;
    }

    /**
     * How many requests followed a {@link Failure#GRAPH_REDIRECT} (none from a client that never follows
     * redirects).
     *
     * @return the count
     */
    public int redirectedRequests() {
        return redirectedRequests.get();
    }

    /**
     * How many sendMail requests arrived (accepted or not).
     *
     * @return the count
     */
    public int sendRequests() {
        return graph.sendRequests.get();
    }

    /**
     * The messages Graph accepted, in order.
     *
     * @return a snapshot
     */
    public List<MimeMessage> sentMessages() {
        return List.copyOf(graph.sent);
    }

    /**
     * For each accepted message, in order, whether Graph would have kept a copy in Sent Items: always
     * for the MIME form, as the request said for the JSON form.
     *
     * @return a snapshot
     */
    public List<Boolean> savedToSentItems() {
        return List.copyOf(graph.savedToSentItems);
    }

    /**
     * The {@code client-request-id} header of every sendMail call, in order ("null" where it was missing).
     *
     * @return a snapshot
     */
    public List<String> graphRequestIds() {
        return List.copyOf(graph.graphRequestIds);
    }

    /**
     * The user ids in the sendMail paths, in order.
     *
     * @return a snapshot
     */
    public List<String> sentAs() {
        return List.copyOf(graph.sentBy);
    }

    /**
     * Waits until at least {@code count} messages were accepted, up to 10 seconds.
     *
     * @param count how many
     * @return all accepted messages
     * @throws AssertionError when fewer arrived in time
     */
    public List<MimeMessage> awaitMessages(int count) {
        return graph.awaitMessages(count);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if ("POST".equals(exchange.getRequestMethod()) && path.endsWith("/oauth2/v2.0/token")) {
                identity.token(exchange, path.substring(1, path.indexOf('/', 1)), nextFailure(false), loginEndpoint());
            } else if (path.startsWith("/redirected/") && !path.endsWith("/oauth2/v2.0/token")) {
                redirectedRequests.incrementAndGet();
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(202, -1);
            } else if ("POST".equals(exchange.getRequestMethod()) && path.startsWith("/graph/v1.0/users/")
                    && path.endsWith("/sendMail")) {
                graph.sendMail(exchange, path.substring("/graph/v1.0/users/".length(),
                        path.length() - "/sendMail".length()), () -> nextFailure(true), loginEndpoint());
            } else {
                LoopbackHttpsServer.respond(exchange, 404, "{\"error\":{\"code\":\"NotFound\",\"message\":\"no such endpoint in the fake\"}}");
            }
        }
    }

    private @Nullable Failure nextFailure(boolean graph) {
        synchronized (failures) {
            Failure f = failures.peek();
            if (f != null && GRAPH_FAILURES.contains(f) == graph) {
                return failures.poll();
            }
            return null;
        }
    }

}
