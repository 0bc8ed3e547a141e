package org.emailconfig.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;

import org.jspecify.annotations.Nullable;

/**
 * The identity platform of {@link FakeMicrosoftPlatform}: registered applications, the client-credentials token
 * endpoint with Entra ID's errors (AADSTS90002, 700016, 7000215, 7000222), and the tokens it issued.
 */
final class FakeIdentityPlatform {

    /**
     * A registered application and its credentials: a secret (null for none), uploaded certificates, and federated
     * identity credentials (issuer and subject; the audience is always {@value ClientAssertions#FEDERATED_AUDIENCE}).
     */
    private record App(@Nullable String secret, boolean expired, boolean mailSend, @Nullable String fixedToken,
                       List<X509Certificate> certificates, List<Federation> federations) {

        App with(X509Certificate certificate) {
            List<X509Certificate> all = new java.util.ArrayList<>(certificates);
            all.add(certificate);
            return new App(secret, expired, mailSend, fixedToken, List.copyOf(all), federations);
        }

        App with(Federation federation) {
            List<Federation> all = new java.util.ArrayList<>(federations);
            all.add(federation);
            return new App(secret, expired, mailSend, fixedToken, certificates, List.copyOf(all));
        }
    }

    /** A federated identity credential of an application. */
    record Federation(String issuer, String subject) {
    }

    /** A token this platform issued: to whom and for which scope(s). */
    record Issued(String tenant, String clientId, String scope) {
    }

    private final Map<String, App> apps = new ConcurrentHashMap<>();
    private final Map<String, Issued> tokens = new ConcurrentHashMap<>();
    private final List<FakeMicrosoftPlatform.TokenRequest> tokenRequests = new CopyOnWriteArrayList<>();
    private final List<String> credentialsUsed = new CopyOnWriteArrayList<>();
    /** The {@code jti} of every certificate assertion accepted: each is good for one request. */
    private final java.util.Set<String> spentAssertions = ConcurrentHashMap.newKeySet();
    private volatile Duration tokenLifetime = Duration.ofSeconds(3599);
    private volatile @Nullable Duration tokenRefreshIn;

    void register(String tenantId, String clientId, String secret, boolean expired, boolean mailSend,
                  @Nullable String fixedToken) {
        apps.merge(key(tenantId, clientId), new App(secret, expired, mailSend, fixedToken, List.of(), List.of()),
                (before, now) -> new App(secret, expired, mailSend, fixedToken, before.certificates(),
                        before.federations()));
    }

    void registerCertificate(String tenantId, String clientId, X509Certificate certificate) {
        apps.merge(key(tenantId, clientId), new App(null, false, true, null, List.of(certificate), List.of()),
                (before, now) -> before.with(certificate));
    }

    void registerFederation(String tenantId, String clientId, Federation federation) {
        apps.merge(key(tenantId, clientId), new App(null, false, true, null, List.of(), List.of(federation)),
                (before, now) -> before.with(federation));
    }

    /** How each token request proved who it was, in order: {@code client_secret}, {@code certificate <thumbprint>}, ... */
    List<String> credentialsUsed() {
        return List.copyOf(credentialsUsed);
    }

    void tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
    }

    void tokenRefreshIn(Duration refreshIn) {
        this.tokenRefreshIn = refreshIn;
    }

    List<FakeMicrosoftPlatform.TokenRequest> tokenRequests() {
        return List.copyOf(tokenRequests);
    }

    /** The token's holder, or null for a token this platform did not issue (or revoked). */
    @Nullable Issued issued(String accessToken) {
        return tokens.get(accessToken);
    }

    void revoke(String accessToken) {
        tokens.remove(accessToken);
    }

    /** Whether the application is registered with Graph's Mail.Send granted. */
    boolean mailSendGranted(String tenant, String clientId) {
        App app = apps.get(key(tenant, clientId));
        return app != null && app.mailSend();
    }

    /**
     * Answers a token request as Entra ID would, or with the failure a test scripted.
     *
     * @param failure       the scripted failure for this request, or null
     * @param loginEndpoint the platform's base URL, for a scripted redirect
     */
    void token(HttpExchange exchange, String tenant, FakeMicrosoftPlatform.@Nullable Failure failure,
               String loginEndpoint) throws IOException {
        Map<String, String> form = LoopbackHttpsServer.form(exchange.getRequestBody());
        String clientId = form.getOrDefault("client_id", "");
        String scope = form.getOrDefault("scope", "");
        tokenRequests.add(new FakeMicrosoftPlatform.TokenRequest(tenant, clientId, scope));
        App app = apps.get(key(tenant, clientId));
        boolean tenantKnown = apps.keySet().stream().anyMatch(k -> k.startsWith(tenant + "/"));
        if (failure == FakeMicrosoftPlatform.Failure.NO_RESPONSE) {
            LoopbackHttpsServer.hang();
            return;
        }
        if (failure == FakeMicrosoftPlatform.Failure.SERVICE_UNAVAILABLE) {
            exchange.sendResponseHeaders(503, -1);
            return;
        }
        if (failure == FakeMicrosoftPlatform.Failure.SERVER_ERROR_JSON) {
            exchange.getResponseHeaders().add("Retry-After", "7");
            entraError(exchange, 500, "temporarily_unavailable", 90033, "A transient error has occurred. Please try "
                    + "again.");
            return;
        }
        if (failure == FakeMicrosoftPlatform.Failure.BAD_GATEWAY_HTML) {
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            byte[] html = "<html><body><h1>502 Bad Gateway</h1></body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(502, html.length);
            exchange.getResponseBody().write(html);
            return;
        }
        if (failure == FakeMicrosoftPlatform.Failure.GATEWAY_TIMEOUT_TEXT) {
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            byte[] text = "upstream request timeout".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(504, text.length);
            exchange.getResponseBody().write(text);
            return;
        }
        if (failure == FakeMicrosoftPlatform.Failure.REDIRECT) {
            exchange.getResponseHeaders().add("Location", loginEndpoint + "/redirected/oauth2/v2.0/token");
            exchange.sendResponseHeaders(307, -1);
            return;
        }
        String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
        if (!contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                || !"client_credentials".equals(form.get("grant_type"))) {
            // Entra reads the body only as a form: any other content type leaves it without a grant_type.
            entraError(exchange, 400, "invalid_request", 900144, "The request body must contain the following "
                    + "parameter: 'grant_type'.");
            return;
        }
        if (failure == FakeMicrosoftPlatform.Failure.TENANT_NOT_FOUND || failure == null && !tenantKnown) {
            entraError(exchange, 400, "invalid_request", 90002, "Tenant '" + tenant + "' not found. Check to make sure "
                    + "you have the correct tenant ID and are signing into the correct cloud.");
        } else if (failure == FakeMicrosoftPlatform.Failure.CLIENT_NOT_FOUND || failure == null && app == null) {
            entraError(exchange, 400, "unauthorized_client", 700016, "Application with identifier '" + clientId
                    + "' was not found in the directory '" + tenant + "'.");
        } else if (failure == FakeMicrosoftPlatform.Failure.INVALID_CLIENT_SECRET) {
            invalidSecret(exchange, clientId);
        } else if (failure == FakeMicrosoftPlatform.Failure.EXPIRED_CLIENT_SECRET) {
            expiredSecret(exchange, clientId);
        } else if (failure == null && refused(exchange, form, tenant, clientId, Objects.requireNonNull(app),
                loginEndpoint)) {
            return;
        } else {
            App known = Objects.requireNonNull(app, "a registered application");
            String fixed = known.fixedToken();
            String token = fixed != null ? fixed : jwt(tenant, clientId, scope, known);
            // A fixed token issued for several scopes (Graph and SMTP) is valid for all of them.
            tokens.merge(token, new Issued(tenant, clientId, scope),
                    (before, now) -> new Issued(tenant, clientId, before.scope() + " " + now.scope()));
            long seconds = tokenLifetime.toSeconds();
            Duration refreshIn = tokenRefreshIn;
            LoopbackHttpsServer.respond(exchange, 200, "{\"token_type\":\"Bearer\",\"expires_in\":" + seconds + ",\"ext_expires_in\":"
                    + seconds + (refreshIn == null ? "" : ",\"refresh_in\":" + refreshIn.toSeconds())
                    + ",\"access_token\":\"" + token + "\"}");
        }
    }

    private static void invalidSecret(HttpExchange exchange, String clientId) throws IOException {
        entraError(exchange, 401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret "
                + "being sent in the request is the client secret value, not the client secret ID, for a secret "
                + "added to app '" + clientId + "'.");
    }

    private static void expiredSecret(HttpExchange exchange, String clientId) throws IOException {
        entraError(exchange, 401, "invalid_client", 7000222, "The provided client secret keys for app '" + clientId
                + "' are expired. Visit the Azure portal to create new keys for your app.");
    }

    /**
     * Checks the request's credential as Entra does and answers a refusal; false when the credential is good. A
     * client assertion is a certificate's ({@code iss} is the application) or a federated token (its issuer is one
     * of the application's federated credentials).
     */
    private boolean refused(HttpExchange exchange, Map<String, String> form, String tenant, String clientId, App app,
                            String loginEndpoint) throws IOException {
        String assertion = form.get("client_assertion");
        if (assertion == null) {
            String secret = app.secret();
            if (secret == null || !secret.equals(form.getOrDefault("client_secret", ""))) {
                invalidSecret(exchange, clientId);
                return true;
            }
            if (app.expired()) {
                expiredSecret(exchange, clientId);
                return true;
            }
            credentialsUsed.add("client_secret");
            return false;
        }
        if (!"urn:ietf:params:oauth:client-assertion-type:jwt-bearer".equals(form.get("client_assertion_type"))) {
            entraError(exchange, 400, "invalid_request", 50027, "Invalid client assertion type: only "
                    + "urn:ietf:params:oauth:client-assertion-type:jwt-bearer is supported.");
            return true;
        }
        ClientAssertions.Jwt jwt = ClientAssertions.parse(assertion);
        if (jwt == null) {
            entraError(exchange, 400, "invalid_request", 50027, "Invalid JWT token. The token is malformed.");
            return true;
        }
        String issuer = String.valueOf(jwt.claim("iss"));
        Instant now = Instant.now();
        for (Federation f : app.federations()) {
            if (f.issuer().equals(issuer)) {
                return federationRefused(exchange, jwt, f, clientId, now);
            }
        }
        if (!app.federations().isEmpty() && app.certificates().isEmpty()) {
            entraError(exchange, 400, "invalid_client", 70021, "No matching federated identity record found for "
                    + "presented assertion. Assertion Issuer: '" + issuer + "'. Assertion Subject: '" + jwt.claim("sub")
                    + "'. Assertion Audience: '" + ClientAssertions.FEDERATED_AUDIENCE + "'.");
            return true;
        }
        X509Certificate key = ClientAssertions.named(jwt, app.certificates());
        if (key == null || !jwt.signedBy(key.getPublicKey())) {
            entraError(exchange, 401, "invalid_client", 700027, "Client assertion contains an invalid signature. "
                    + "[Reason - " + (key == null ? "The key was not found." : "The provided signature value did not "
                    + "match the expected signature value.") + ", Thumbprint of key used by client: '"
                    + ClientAssertions.thumbprintHex(jwt) + "', Please visit the Azure Portal, Graph Explorer or "
                    + "directly use MS Graph to see configured keys for app Id '" + clientId + "'.]");
            return true;
        }
        if (now.isAfter(key.getNotAfter().toInstant()) || now.isBefore(key.getNotBefore().toInstant())) {
            entraError(exchange, 401, "invalid_client", 1000502, "The certificate with identifier used to sign the "
                    + "client assertion is outside its validity window (valid from " + key.getNotBefore().toInstant()
                    + " to " + key.getNotAfter().toInstant() + "). Upload a new certificate for app '" + clientId + "'.");
            return true;
        }
        String audience = loginEndpoint + "/" + tenant + "/oauth2/v2.0/token";
        if (!ClientAssertions.audienceHolds(jwt, audience)) {
            // Entra documents no code of its own for this one.
            entraError(exchange, 401, "invalid_client", 0, "The client assertion's audience is not this token "
                    + "endpoint (" + audience + ").");
            return true;
        }
        if (!clientId.equals(issuer) || !clientId.equals(jwt.claim("sub"))) {
            entraError(exchange, 401, "invalid_client", 0, "The client assertion's issuer and subject must be the "
                    + "application id '" + clientId + "'.");
            return true;
        }
        if (timeRefused(exchange, jwt, now)) {
            return true;
        }
        String jti = jwt.claim("jti");
        if (jti == null || !spentAssertions.add(jti)) {
            // RFC 7523 lets a server refuse a replayed assertion; Entra documents no code for it.
            entraError(exchange, 401, "invalid_client", 0, jti == null ? "The client assertion has no jti."
                    : "The client assertion with jti '" + jti + "' was used before: sign a new one for every request.");
            return true;
        }
        credentialsUsed.add("certificate " + ClientAssertions.hex(ClientAssertions.digest(key, "SHA-1")));
        return false;
    }

    /** A federated token: the issuer's signature, subject, audience and time; a token may be presented again. */
    private boolean federationRefused(HttpExchange exchange, ClientAssertions.Jwt jwt, Federation f, String clientId,
                                      Instant now) throws IOException {
        boolean audience = ClientAssertions.audienceHolds(jwt, ClientAssertions.FEDERATED_AUDIENCE);
        if (!jwt.signedBy(ClientAssertions.workloadIssuerKey())) {
            entraError(exchange, 401, "invalid_client", 700027, "Client assertion failed signature validation. "
                    + "[Reason - The key was not found among the issuer's keys.]");
            return true;
        }
        if (!f.subject().equals(jwt.claim("sub")) || !audience) {
            entraError(exchange, 400, "invalid_client", 70021, "No matching federated identity record found for "
                    + "presented assertion. Assertion Issuer: '" + f.issuer() + "'. Assertion Subject: '"
                    + jwt.claim("sub") + "'. Assertion Audience: '" + jwt.claims().get("aud") + "'.");
            return true;
        }
        if (timeRefused(exchange, jwt, now)) {
            return true;
        }
        credentialsUsed.add("federated " + f.subject());
        return false;
    }

    private static boolean timeRefused(HttpExchange exchange, ClientAssertions.Jwt jwt, Instant now) throws IOException {
        Instant exp = jwt.time("exp");
        Instant nbf = jwt.time("nbf");
        if (exp == null || now.isAfter(exp.plus(ClientAssertions.SKEW))
                || nbf != null && now.isBefore(nbf.minus(ClientAssertions.SKEW))) {
            entraError(exchange, 400, "invalid_client", 700024, "Client assertion is not within its valid time range. "
                    + "Current time: " + now + ", assertion valid from " + nbf + ", expiry time of assertion " + exp
                    + ".");
            return true;
        }
        return false;
    }

    /**
     * A token shaped like Entra's: a JSON Web Token whose payload names the tenant, the application and the
     * application permissions granted for the scope's resource ({@code roles}); unsigned, and unique.
     */
    private String jwt(String tenant, String clientId, String scope, App app) {
        boolean graph = scope.contains("graph");
        String roles = graph ? (app.mailSend() ? "[\"Mail.Send\"]" : "[]") : "[\"SMTP.SendAsApp\"]";
        String payload = "{\"aud\":\"" + (graph ? "https://graph.microsoft.com" : "https://outlook.office365.com")
                + "\",\"tid\":\"" + tenant + "\",\"appid\":\"" + clientId + "\",\"roles\":" + roles
                + ",\"uti\":\"" + UUID.randomUUID() + "\"}";
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".fake";
    }

    private static void entraError(HttpExchange exchange, int status, String error, int code, String description)
            throws IOException {
        String trace = UUID.randomUUID().toString();
        // Code 0: a refusal for which Entra documents no code of its own; the description stands alone.
        String json = description.replace("\\", "\\\\").replace("\"", "\\\"");
        LoopbackHttpsServer.respond(exchange, status, "{\"error\":\"" + error + "\",\"error_description\":\""
                + (code == 0 ? "" : "AADSTS" + code + ": ") + json + " Trace ID: " + trace + " Correlation ID: "
                + UUID.randomUUID() + " Timestamp: 2026-11-27 10:00:00Z\",\"error_codes\":[" + (code == 0 ? "" : code)
                + "],\"timestamp\":\"2026-11-27 10:00:00Z\","
                + "\"trace_id\":\"" + trace + "\",\"correlation_id\":\"" + UUID.randomUUID()
                + "\",\"error_uri\":\"https://login.microsoftonline.com/error?code=" + code + "\"}");
    }

    private static String key(String tenant, String clientId) {
        return tenant + "/" + clientId;
    }
}
