package org.emailconfig.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

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
 * certificate}. It issues tokens only to registered tenant/client/secret triples and answers
 * everything else the way Entra ID does (AADSTS90002, 700016, 7000215, 7000222); a test can make the
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

    private record App(String secret, boolean expired, boolean mailSend, @Nullable String fixedToken) {
    }

    private record Issued(String tenant, String clientId, String scope) {
    }

    private final Map<String, App> apps = new ConcurrentHashMap<>();
    private final Map<String, Issued> tokens = new ConcurrentHashMap<>();
    private final Deque<Failure> failures = new ArrayDeque<>();
    private final List<TokenRequest> tokenRequests = new CopyOnWriteArrayList<>();
    private final List<MimeMessage> sent = new CopyOnWriteArrayList<>();
    private final List<String> sentBy = new CopyOnWriteArrayList<>();
    private final List<Boolean> savedToSentItems = new CopyOnWriteArrayList<>();
    private volatile @Nullable Duration tokenRefreshIn;
    private final java.util.concurrent.atomic.AtomicInteger redirectedRequests = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicInteger sendRequests = new AtomicInteger();
    private final List<String> graphRequestIds = new CopyOnWriteArrayList<>();
    private volatile Duration tokenLifetime = Duration.ofSeconds(3599);
    private volatile Duration graphLatency = Duration.ZERO;
    private final AtomicInteger sendsInFlight = new AtomicInteger();
    private final AtomicInteger maxSendsInFlight = new AtomicInteger();
    private volatile @Nullable HttpsServer server;
    private @Nullable ExecutorService executor;

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
        apps.put(key(tenantId, clientId), new App(secret, false, true, null));
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
        apps.put(key(tenantId, clientId), new App(secret, expired, mailSend, fixedToken));
        return this;
    }

    /**
     * How long issued tokens live ({@code expires_in}); default 3599 s. Clients renew tokens with less
     * than five minutes left, so 302 s makes a token stale after about two seconds.
     *
     * @param lifetime the lifetime
     * @return this
     */
    public FakeMicrosoftPlatform tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
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
        this.tokenRefreshIn = refreshIn;
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
    public synchronized FakeMicrosoftPlatform start() {
        if (server != null) {
            return this;
        }
        try {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(SandboxMailServer.HOST), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(TestCertificates.serverContext()));
        server.createContext("/", this::handle);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-microsoft");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        return this;
    }

    /** Stops the server. Idempotent. */
    @Override
    public synchronized void close() {
        HttpsServer running = server;
        if (running != null) {
            running.stop(0);
            ExecutorService threads = executor;
            if (threads != null) {
                threads.shutdownNow();
            }
            server = null;
        }
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
        return "https://" + SandboxMailServer.HOST + ":" + running().getAddress().getPort();
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
        return ConfigurationDraft.builder(MicrosoftOAuthConfiguration.TYPE)
                .set(MicrosoftOAuthConfiguration.SENDER_ADDRESS, sender)
                .set(MicrosoftOAuthConfiguration.SENDER_NAME, "Sandbox Notifications")
                .set(MicrosoftOAuthConfiguration.TENANT_ID, tenantId)
                .set(MicrosoftOAuthConfiguration.CLIENT_ID, clientId)
                .set(MicrosoftOAuthConfiguration.DELIVERY, MicrosoftOAuthConfiguration.Delivery.GRAPH.name())
                .set(MicrosoftOAuthConfiguration.LOGIN_ENDPOINT, loginEndpoint())
                .set(MicrosoftOAuthConfiguration.GRAPH_ENDPOINT, graphEndpoint())
                .secret(MicrosoftOAuthConfiguration.CLIENT_SECRET, Secret.of(secret))
                .build();
    }

    /**
     * Makes Graph take this long before it answers each {@code sendMail}, as the real service does (a few
     * hundred milliseconds), so a test can see requests overlap.
     *
     * @param latency zero (the default) to answer at once
     * @return this
     */
    public FakeMicrosoftPlatform graphLatency(Duration latency) {
        this.graphLatency = latency;
        return this;
    }

    /**
     * How many {@code sendMail} requests are in progress now (received, not yet answered), so a test can wait
     * until the fake has dealt with everything a client sent, late answers included.
     *
     * @return zero when the fake is idle
     */
    public int sendsInFlight() {
        return sendsInFlight.get();
    }

    /**
     * The most {@code sendMail} requests that were in progress at the same moment.
     *
     * @return at least 1 once a request arrived
     */
    public int maxConcurrentSends() {
        return maxSendsInFlight.get();
    }

    /**
     * How many token requests arrived.
     *
     * @return the count
     */
    public int tokenRequests() {
        return tokenRequests.size();
    }

    /**
     * The token requests, in order.
     *
     * @return a snapshot
     */
    public List<TokenRequest> tokenRequestLog() {
        return List.copyOf(tokenRequests);
    }

    /**
     * Whether this fake issued a token (to any application, for any scope).
     *
     * @param accessToken a token
     * @return true if issued here
     */
    public boolean issued(String accessToken) {
        return tokens.containsKey(accessToken);
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
        return sendRequests.get();
    }

    /**
     * The messages Graph accepted, in order.
     *
     * @return a snapshot
     */
    public List<MimeMessage> sentMessages() {
        return List.copyOf(sent);
    }

    /**
     * For each accepted message, in order, whether Graph would have kept a copy in Sent Items: always
     * for the MIME form, as the request said for the JSON form.
     *
     * @return a snapshot
     */
    public List<Boolean> savedToSentItems() {
        return List.copyOf(savedToSentItems);
    }

    /**
     * The {@code client-request-id} header of every sendMail call, in order ("null" where it was missing).
     *
     * @return a snapshot
     */
    public List<String> graphRequestIds() {
        return List.copyOf(graphRequestIds);
    }

    /**
     * The user ids in the sendMail paths, in order.
     *
     * @return a snapshot
     */
    public List<String> sentAs() {
        return List.copyOf(sentBy);
    }

    /**
     * Waits until at least {@code count} messages were accepted, up to 10 seconds.
     *
     * @param count how many
     * @return all accepted messages
     * @throws AssertionError when fewer arrived in time
     */
    public List<MimeMessage> awaitMessages(int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sent.size() < count && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (sent.size() < count) {
            throw new AssertionError("expected " + count + " message(s) sent through Graph but got " + sent.size());
        }
        return sentMessages();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if ("POST".equals(exchange.getRequestMethod()) && path.endsWith("/oauth2/v2.0/token")) {
                token(exchange, path.substring(1, path.indexOf('/', 1)));
            } else if (path.startsWith("/redirected/") && !path.endsWith("/oauth2/v2.0/token")) {
                redirectedRequests.incrementAndGet();
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(202, -1);
            } else if ("POST".equals(exchange.getRequestMethod()) && path.startsWith("/graph/v1.0/users/")
                    && path.endsWith("/sendMail")) {
                sendMail(exchange, path.substring("/graph/v1.0/users/".length(), path.length() - "/sendMail".length()));
            } else {
                respond(exchange, 404, "{\"error\":{\"code\":\"NotFound\",\"message\":\"no such endpoint in the fake\"}}");
            }
        }
    }

    private void token(HttpExchange exchange, String tenant) throws IOException {
        Map<String, String> form = form(exchange.getRequestBody());
        String clientId = form.getOrDefault("client_id", "");
        String scope = form.getOrDefault("scope", "");
        tokenRequests.add(new TokenRequest(tenant, clientId, scope));
        Failure failure = nextFailure(false);
        App app = apps.get(key(tenant, clientId));
        boolean tenantKnown = apps.keySet().stream().anyMatch(k -> k.startsWith(tenant + "/"));
        if (failure == Failure.NO_RESPONSE) {
            hang();
            return;
        }
        if (failure == Failure.SERVICE_UNAVAILABLE) {
            exchange.sendResponseHeaders(503, -1);
            return;
        }
        if (failure == Failure.SERVER_ERROR_JSON) {
            exchange.getResponseHeaders().add("Retry-After", "7");
            entraError(exchange, 500, "temporarily_unavailable", 90033, "A transient error has occurred. Please try "
                    + "again.");
            return;
        }
        if (failure == Failure.BAD_GATEWAY_HTML) {
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            byte[] html = "<html><body><h1>502 Bad Gateway</h1></body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(502, html.length);
            exchange.getResponseBody().write(html);
            return;
        }
        if (failure == Failure.GATEWAY_TIMEOUT_TEXT) {
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            byte[] text = "upstream request timeout".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(504, text.length);
            exchange.getResponseBody().write(text);
            return;
        }
        if (failure == Failure.REDIRECT) {
            exchange.getResponseHeaders().add("Location", loginEndpoint() + "/redirected/oauth2/v2.0/token");
            exchange.sendResponseHeaders(307, -1);
            return;
        }
        if (failure == Failure.TENANT_NOT_FOUND || failure == null && !tenantKnown) {
            entraError(exchange, 400, "invalid_request", 90002, "Tenant '" + tenant + "' not found. Check to make sure "
                    + "you have the correct tenant ID and are signing into the correct cloud.");
        } else if (failure == Failure.CLIENT_NOT_FOUND || failure == null && app == null) {
            entraError(exchange, 400, "unauthorized_client", 700016, "Application with identifier '" + clientId
                    + "' was not found in the directory '" + tenant + "'.");
        } else if (failure == Failure.INVALID_CLIENT_SECRET
                || failure == null && !Objects.requireNonNull(app).secret().equals(form.getOrDefault("client_secret", ""))) {
            entraError(exchange, 401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret "
                    + "being sent in the request is the client secret value, not the client secret ID, for a secret "
                    + "added to app '" + clientId + "'.");
        } else if (failure == Failure.EXPIRED_CLIENT_SECRET || failure == null && Objects.requireNonNull(app).expired()) {
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
            respond(exchange, 200, "{\"token_type\":\"Bearer\",\"expires_in\":" + seconds + ",\"ext_expires_in\":"
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

    private void sendMail(HttpExchange exchange, String user) throws IOException {
        int inFlight = sendsInFlight.incrementAndGet();
        maxSendsInFlight.accumulateAndGet(inFlight, Math::max);
        // A request stops being in flight just before its answer is written (respond does it): once the client
        // has the answer it may send its next request, which must not find this one still counted.
        java.util.concurrent.atomic.AtomicBoolean left = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable leave = () -> {
            if (left.compareAndSet(false, true)) {
                sendsInFlight.decrementAndGet();
            }
        };
        // The handler thread answers the request it took, so the hook is per thread (HttpExchange attributes are
        // shared by every exchange of a context).
        BEFORE_ANSWER.set(leave);
        try {
            Duration latency = graphLatency;
            if (!latency.isZero()) {
                try {
                    Thread.sleep(latency.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            sendMailAfterLatency(exchange, user);
        } finally {
            BEFORE_ANSWER.remove();
            leave.run();
        }
    }

    private void sendMailAfterLatency(HttpExchange exchange, String user) throws IOException {
        sendRequests.incrementAndGet();
        byte[] body = exchange.getRequestBody().readAllBytes();
        String auth = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        Issued issued = auth.startsWith("Bearer ") ? tokens.get(auth.substring("Bearer ".length())) : null;
        graphRequestIds.add(String.valueOf(exchange.getRequestHeaders().getFirst("client-request-id")));
        if (issued == null || !issued.scope().contains("graph")) {
            // An invalid token is refused before any failure a test scripted for the next real request.
            respond(exchange, 401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Access token is empty or invalid.\"}}");
            return;
        }
        Failure failure = nextFailure(true);
        if (failure == Failure.GRAPH_NO_RESPONSE) {
            hang();
            return;
        }
        if (failure == Failure.GRAPH_SERVER_ERROR) {
            respond(exchange, 500, "{\"error\":{\"code\":\"InternalServerError\",\"message\":\"Something went wrong.\"}}");
            return;
        }
        if (failure == Failure.GRAPH_REDIRECT) {
            exchange.getResponseHeaders().add("Location", loginEndpoint() + "/redirected/sendMail");
            respondEmpty(exchange, 307);
            return;
        }
        if (failure == Failure.GRAPH_SEND_AS_DENIED) {
            respond(exchange, 403, "{\"error\":{\"code\":\"ErrorSendAsDenied\",\"message\":\"The user account which was "
                    + "used to submit this request does not have the right to send mail on behalf of the specified sending "
                    + "account.\"}}");
            return;
        }
        if (failure == Failure.GRAPH_POLICY_BLOCKED) {
            respond(exchange, 403, "{\"error\":{\"code\":\"ErrorAccessDenied\",\"message\":\"Access to OData is disabled: "
                    + "[RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.\"}}");
            return;
        }
        if (failure == Failure.GRAPH_INVALID_RECIPIENTS) {
            respond(exchange, 400, "{\"error\":{\"code\":\"ErrorInvalidRecipients\",\"message\":\"At least one recipient "
                    + "is not valid., Recipient 'nobody@' is not resolved. All recipients must be resolved before a message "
                    + "can be submitted.\"}}");
            return;
        }
        if (failure == Failure.THROTTLED) {
            exchange.getResponseHeaders().add("Retry-After", "2");
            respond(exchange, 429, "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Too many requests.\"}}");
            return;
        }
        if (failure == Failure.TOKEN_REVOKED) {
            tokens.remove(auth.substring("Bearer ".length()));
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"\", error=\"invalid_token\"");
            respond(exchange, 401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Lifetime "
                    + "validation failed, the token is expired.\"}}");
            return;
        }
        App app = apps.get(key(issued.tenant(), issued.clientId()));
        if (failure == Failure.ACCESS_DENIED || app == null || !app.mailSend()) {
            respond(exchange, 403, "{\"error\":{\"code\":\"ErrorAccessDenied\",\"message\":\"Access is denied. Check credentials and try again.\"}}");
            return;
        }
        String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
        try {
            if (contentType.startsWith("text/plain")) {
                byte[] mime = Base64.getMimeDecoder().decode(body);
                sent.add(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mime)));
                // Graph's MIME form has no switch: it always keeps a copy in Sent Items.
                savedToSentItems.add(true);
            } else if (contentType.startsWith("application/json")) {
                GraphJson.Parsed parsed = GraphJson.parse(body);
                sent.add(parsed.message());
                savedToSentItems.add(parsed.saveToSentItems());
            } else {
                respond(exchange, 415, "{\"error\":{\"code\":\"UnsupportedMediaType\",\"message\":\"use text/plain (MIME) or application/json\"}}");
                return;
            }
            sentBy.add(URLDecoder.decode(user, StandardCharsets.UTF_8));
            if (failure == Failure.GRAPH_GATEWAY_LOST) {
                respondEmpty(exchange, 504);
                return;
            }
        } catch (IllegalArgumentException | MessagingException | IOException e) {
            respond(exchange, 400, "{\"error\":{\"code\":\"ErrorInvalidRequest\",\"message\":\"The request body is not a valid message: "
                    + e.getClass().getSimpleName() + "\"}}");
            return;
        }
        respondEmpty(exchange, 202);
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

    private void hang() {
        try {
            Thread.sleep(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void entraError(HttpExchange exchange, int status, String error, int code, String description)
            throws IOException {
        String trace = UUID.randomUUID().toString();
        respond(exchange, status, "{\"error\":\"" + error + "\",\"error_description\":\"AADSTS" + code + ": "
                + description + " Trace ID: " + trace + " Correlation ID: " + UUID.randomUUID()
                + " Timestamp: 2026-11-27 10:00:00Z\",\"error_codes\":[" + code + "],\"timestamp\":\"2026-11-27 10:00:00Z\","
                + "\"trace_id\":\"" + trace + "\",\"correlation_id\":\"" + UUID.randomUUID()
                + "\",\"error_uri\":\"https://login.microsoftonline.com/error?code=" + code + "\"}");
    }

    /** What the handler thread runs just before it writes an answer (the in-flight count of sendMail). */
    private static final ThreadLocal<Runnable> BEFORE_ANSWER = new ThreadLocal<>();

    private static void beforeAnswer() {
        Runnable r = BEFORE_ANSWER.get();
        if (r != null) {
            r.run();
        }
    }

    private static void respondEmpty(HttpExchange exchange, int status) throws IOException {
        beforeAnswer();
        exchange.sendResponseHeaders(status, -1);
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        beforeAnswer();
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> form(InputStream in) throws IOException {
        Map<String, String> form = new HashMap<>();
        for (String pair : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static String key(String tenant, String clientId) {
        return tenant + "/" + clientId;
    }

    private HttpsServer running() {
        if (server == null) {
            throw new IllegalStateException("the fake Microsoft platform is not running; register it with "
                    + "@RegisterExtension or call start()");
        }
        return server;
    }
}
