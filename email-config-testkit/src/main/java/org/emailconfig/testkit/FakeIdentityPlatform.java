package org.emailconfig.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

    private record App(String secret, boolean expired, boolean mailSend, @Nullable String fixedToken) {
    }

    /** A token this platform issued: to whom and for which scope(s). */
    record Issued(String tenant, String clientId, String scope) {
    }

    private final Map<String, App> apps = new ConcurrentHashMap<>();
    private final Map<String, Issued> tokens = new ConcurrentHashMap<>();
    private final List<FakeMicrosoftPlatform.TokenRequest> tokenRequests = new CopyOnWriteArrayList<>();
    private volatile Duration tokenLifetime = Duration.ofSeconds(3599);
    private volatile @Nullable Duration tokenRefreshIn;

    void register(String tenantId, String clientId, String secret, boolean expired, boolean mailSend,
                  @Nullable String fixedToken) {
        apps.put(key(tenantId, clientId), new App(secret, expired, mailSend, fixedToken));
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
        } else if (failure == FakeMicrosoftPlatform.Failure.INVALID_CLIENT_SECRET
                || failure == null && !Objects.requireNonNull(app).secret().equals(form.getOrDefault("client_secret", ""))) {
            entraError(exchange, 401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret "
                    + "being sent in the request is the client secret value, not the client secret ID, for a secret "
                    + "added to app '" + clientId + "'.");
        } else if (failure == FakeMicrosoftPlatform.Failure.EXPIRED_CLIENT_SECRET || failure == null && Objects.requireNonNull(app).expired()) {
            entraError(exchange, 401, "invalid_client", 7000222, "The provided client secret keys for app '" + clientId
                    + "' are expired. Visit the Azure portal to create new keys for your app.");
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
        LoopbackHttpsServer.respond(exchange, status, "{\"error\":\"" + error + "\",\"error_description\":\"AADSTS" + code + ": "
                + description + " Trace ID: " + trace + " Correlation ID: " + UUID.randomUUID()
                + " Timestamp: 2026-11-27 10:00:00Z\",\"error_codes\":[" + code + "],\"timestamp\":\"2026-11-27 10:00:00Z\","
                + "\"trace_id\":\"" + trace + "\",\"correlation_id\":\"" + UUID.randomUUID()
                + "\",\"error_uri\":\"https://login.microsoftonline.com/error?code=" + code + "\"}");
    }

    private static String key(String tenant, String clientId) {
        return tenant + "/" + clientId;
    }
}
