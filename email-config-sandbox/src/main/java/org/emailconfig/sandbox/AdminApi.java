package org.emailconfig.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.json.JsonWriter;
import org.jspecify.annotations.Nullable;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.emailconfig.api.Actor;
import org.emailconfig.api.AuthenticationType;
import org.emailconfig.api.ConcurrentUpdateException;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.ConfigurationView;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.DiagnosisReport;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.FieldDescriptor;
import org.emailconfig.api.InvalidConfigurationException;
import org.emailconfig.api.EmailHealth;
import org.emailconfig.api.NotAllowedException;
import org.emailconfig.api.OutboxStatus;
import org.emailconfig.api.SaveOptions;
import org.emailconfig.api.SaveResult;
import org.emailconfig.api.Secret;
import org.emailconfig.api.TestPolicy;
import org.emailconfig.api.Violation;
import org.emailconfig.testkit.SandboxMailServer;

/**
 * The JSON API behind the reference admin page, on 127.0.0.1: everything the page shows comes from the
 * service's metadata and answers, which is how a host wires its own UI. The signed-in user is chosen with
 * the {@code X-Sandbox-User} header ({@code admin} or {@code user}; without it nobody is signed in) and the
 * language with {@code ?lang=de}. Secrets never go back to the browser: the view says which are stored.
 *
 * <p>Safe to copy: every request must come from the page's own origin ({@code Origin}, {@code Sec-Fetch-Site}),
 * carry the session's CSRF token ({@code GET /api/session}, same origin only) in {@code X-CSRF-Token}, and a
 * write must be {@code application/json}; anything else gets 403 and changes nothing. Responses are never
 * readable by another site. A host that copies it keeps all of this and puts its own sign-in where
 * {@code X-Sandbox-User} is.
 *
 * <ul>
 *   <li>{@code GET /api/types}: the authentication types and their fields, labelled</li>
 *   <li>{@code GET /api/config}: the configuration in force, secrets left out</li>
 *   <li>{@code POST /api/config}: save ({@code {"type", "values", "secrets", "expectedRevision",
 *       "saveAnyway"}}); 422 with violations, 502 with the failure's hint, 409 on a concurrent save,
 *       403 for non-administrators</li>
 *   <li>{@code POST /api/verify}: the connection check's report</li>
 *   <li>{@code GET /api/inbox}: what the sandbox mail server received</li>
 *   <li>{@code GET /api/health}: whether email works, from evidence (never a probe): status, since when, the last
 *       success and each concern in the admin's language;</li>
 *   <li>{@code GET /api/outbox}: the outbox's counts and what needs a decision, when the service has one;
 *       {@code POST /api/outbox/resend} and {@code /discard} ({@code {"id"}}), 409 when it needs no decision any
 *       more</li>
 * </ul>
 */
public final class AdminApi implements AutoCloseable {

    private static final String ADMIN_ADDRESS = SandboxMailServer.ADMIN_ADDRESS;

    private final EmailConfigurationService service;
    private final SandboxMailServer mail;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "sandbox-admin-page");
        t.setDaemon(true);
        return t;
    });

    /**
     * Starts the API (and the page, when its resources are present) on a port of 127.0.0.1.
     *
     * @param service the service the page manages
     * @param mail    the sandbox's mail server, for the inbox view
     * @param port    the port, or 0 for any free one
     * @throws IOException when the port cannot be opened
     */
    public AdminApi(EmailConfigurationService service, SandboxMailServer mail, int port) throws IOException {
        this.service = service;
        this.mail = mail;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.createContext("/api/", this::api);
        server.createContext("/", this::page);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * Where the page is.
     *
     * @return {@code http://127.0.0.1:<port>/}
     */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void page(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String name = path.equals("/") ? "index.html" : path.substring(1);
        if (!name.matches("[a-z]+\\.(html|js|css)")) {
            respond(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        try (InputStream in = AdminApi.class.getResourceAsStream("page/" + name)) {
            if (in == null) {
                respond(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String type = name.endsWith(".html") ? "text/html" : name.endsWith(".js") ? "text/javascript" : "text/css";
            respond(exchange, 200, type + "; charset=utf-8", in.readAllBytes());
        }
    }

    private void api(HttpExchange exchange) throws IOException {
        String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
        // Only the page's session request creates a session; any other request without one is refused.
        Session session = route.equals("GET /api/session") ? session(exchange) : known(exchange);
        if (route.equals("GET /api/session")) {
            // Same-origin only (no CORS header is ever sent), so another site can never read the token.
            if (!sameOrigin(exchange)) {
                refuse(exchange, "a request from another site");
                return;
            }
            json(exchange, 200, w -> w.writeStartObject().writeStringField("csrfToken", session.csrfToken)
                    .writeEndObject());
            return;
        }
        String refusal = refusal(exchange, session);
        if (refusal != null) {
            refuse(exchange, refusal);
            return;
        }
        Actor actor = actor(exchange);
        try {
            switch (route) {
                case "GET /api/types" -> json(exchange, 200, w -> types(w, actor.locale()));
                case "GET /api/config" -> {
                    ConfigurationView view = service.read(actor);
                    json(exchange, 200, w -> view(w, view, actor));
                }
                case "POST /api/config" -> save(exchange, actor);
                case "POST /api/verify" -> {
                    DiagnosisReport report = service.verify(actor, draft(body(exchange)));
                    json(exchange, 200, w -> report(w, report, actor.locale()));
                }
                case "GET /api/inbox" -> json(exchange, 200, this::inbox);
                case "GET /api/health" -> {
                    // Health needs no actor; the page shows it to administrators only, as everything else.
                    service.read(actor);
                    EmailHealth health = service.health();
                    json(exchange, 200, w -> health(w, health, actor.locale()));
                }
                case "GET /api/outbox" -> {
                    java.util.Optional<OutboxStatus> status = service.outbox(actor);
                    json(exchange, 200, w -> outbox(w, status.orElse(null)));
                }
                case "POST /api/outbox/resend", "POST /api/outbox/discard" -> {
                    long id = body(exchange).get("id") instanceof Number n ? n.longValue() : 0;
                    boolean done = route.endsWith("resend") ? service.resendNotification(actor, id)
                            : service.discardNotification(actor, id);
                    json(exchange, done ? 200 : 409, w -> w.writeStartObject().writeBooleanField("done", done)
                            .writeEndObject());
                }
                default -> json(exchange, 404, w -> w.writeStartObject().writeStringField("error", "no such route")
                        .writeEndObject());
            }
        } catch (NotAllowedException e) {
            json(exchange, 403, w -> failure(w, e, actor.locale()));
        } catch (InvalidConfigurationException e) {
            json(exchange, 422, w -> {
                w.writeStartObject().writeStringField("reason", e.reason().name()).writeStartArray("violations");
                for (Violation v : e.violations()) {
                    w.writeStartObject().writeStringField("field", v.field()).writeStringField("code", v.code())
                            .writeStringField("message", v.message()).writeEndObject();
                }
                w.writeEndArray().writeEndObject();
            });
        } catch (ConcurrentUpdateException e) {
            json(exchange, 409, w -> failure(w, e, actor.locale()));
        } catch (DeliveryFailedException e) {
            json(exchange, 502, w -> failure(w, e, actor.locale()));
        } catch (EmailConfigException e) {
            json(exchange, 500, w -> failure(w, e, actor.locale()));
        }
    }

    private void save(HttpExchange exchange, Actor actor) throws IOException {
        Map<String, Object> body = body(exchange);
        SaveOptions options = SaveOptions.defaults();
        if (body.get("expectedRevision") instanceof Number n) {
            options = options.withExpectedRevision(n.longValue());
        }
        if (Boolean.TRUE.equals(body.get("saveAnyway"))) {
            options = options.withTestPolicy(TestPolicy.SAVE_ANYWAY);
        }
        SaveResult result = service.save(actor, draft(body), options);
        json(exchange, 200, w -> {
            w.writeStartObject().writeNumberField("revision", result.revision())
                    .writeStringField("testEmailTo", actor.email().value()).writeStartArray("warnings");
            for (String warning : result.warnings()) {
                w.writeString(warning);
            }
            w.writeEndArray();
            result.testFailureIfAny().ifPresent(f -> {
                try {
                    w.writeFieldName("testFailure");
                    failure(w, f, actor.locale());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            w.writeEndObject();
        });
    }

    @SuppressWarnings("unchecked")
    private static ConfigurationDraft draft(Map<String, Object> body) {
        ConfigurationDraft.Builder d = ConfigurationDraft.builder(String.valueOf(body.get("type")));
        ((Map<String, Object>) body.getOrDefault("values", Map.of())).forEach((k, v) -> d.set(k,
                v == null ? null : String.valueOf(v)));
        // A secret left blank keeps the stored one: the browser never has it.
        ((Map<String, Object>) body.getOrDefault("secrets", Map.of())).forEach((k, v) -> d.secret(k,
                Secret.fromForm(v == null ? null : String.valueOf(v))));
        return d.build();
    }

    /** The sandbox's sign-in: the page says who is signed in; a host maps its own session instead. */
    private static Actor actor(HttpExchange exchange) {
        String user = String.valueOf(exchange.getRequestHeaders().getFirst(USER_HEADER));
        String query = String.valueOf(exchange.getRequestURI().getQuery());
        Locale locale = query.contains("lang=de") ? Locale.GERMAN : Locale.ENGLISH;
        return user.equals("admin") ? Actor.admin("sandbox-admin", ADMIN_ADDRESS).withLocale(locale)
                : Actor.user("sandbox-user", "user@sandbox.test").withLocale(locale);
    }

    // ---- What a host keeps when it copies this API: its own sign-in, and these checks. ----

    static final String USER_HEADER = "X-Sandbox-User";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String SESSION_COOKIE = "sandbox-session";

    /** A browser session: the cookie names it, and its token must come back in a header with every request. */
    private static final class Session {
        final String id;
        final String csrfToken;
        final boolean fresh;

        Session(String id, String csrfToken, boolean fresh) {
            this.id = id;
            this.csrfToken = csrfToken;
            this.fresh = fresh;
        }
    }

    private final Map<String, Session> sessions = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.security.SecureRandom random = new java.security.SecureRandom();

    private String randomToken() {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The request's session, or null when it names none this API gave out. */
    private @org.jspecify.annotations.Nullable Session known(HttpExchange exchange) {
        String cookies = String.valueOf(exchange.getRequestHeaders().getFirst("Cookie"));
        for (String c : cookies.split(";")) {
            String[] kv = c.trim().split("=", 2);
            if (kv.length == 2 && kv[0].equals(SESSION_COOKIE)) {
                Session known = sessions.get(kv[1]);
                if (known != null) {
                    return known;
                }
            }
        }
        return null;
    }

    /** The request's session, or a new one whose cookie goes out with the response. */
    private Session session(HttpExchange exchange) {
        Session known = known(exchange);
        if (known != null) {
            return known;
        }
        if (sessions.size() >= 10_000) {
            // A sandbox keeps no more: everyone loads the page again rather than the map growing without end.
            sessions.clear();
        }
        // Fresh for this request only (its token cannot have come with it); known as it is from the next one on.
        Session created = new Session(randomToken(), randomToken(), true);
        sessions.put(created.id, new Session(created.id, created.csrfToken, false));
        // Strict: never sent along from another site's page; HttpOnly: no script reads it.
        exchange.getResponseHeaders().add("Set-Cookie", SESSION_COOKIE + "=" + created.id
                + "; Path=/; HttpOnly; SameSite=Strict");
        return created;
    }

    /**
     * Whether a request comes from this API's own pages. A browser says where a request comes from in
     * {@code Sec-Fetch-Site} and {@code Origin} (on every cross-origin request, and on every POST); a request
     * without either is not a browser's, and cannot carry another site's cookies.
     */
    private boolean sameOrigin(HttpExchange exchange) {
        String site = exchange.getRequestHeaders().getFirst("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return false;
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        return origin == null || origin.equals(origin());
    }

    private String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Why a request to the API is refused, or null: it must come from this origin, carry its session's token
     * in {@value #CSRF_HEADER} (which another site can neither read nor send), say who is signed in, and a
     * write must be {@code application/json} (a form or a {@code text/plain} fetch never is).
     */
    private @org.jspecify.annotations.Nullable String refusal(HttpExchange exchange, @org.jspecify.annotations.Nullable
            Session session) {
        if (!sameOrigin(exchange)) {
            return "a request from another site";
        }
        String token = exchange.getRequestHeaders().getFirst(CSRF_HEADER);
        if (session == null || session.fresh || token == null || !java.security.MessageDigest.isEqual(
                token.getBytes(StandardCharsets.UTF_8), session.csrfToken.getBytes(StandardCharsets.UTF_8))) {
            return "a request without this session's " + CSRF_HEADER + " (load the page again)";
        }
        if (exchange.getRequestHeaders().getFirst(USER_HEADER) == null) {
            return "a request from nobody signed in";
        }
        if (exchange.getRequestMethod().equals("POST")) {
            String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
            if (!type.toLowerCase(Locale.ROOT).matches("application/json\\s*(;.*)?")) {
                return "a write that is not application/json";
            }
        }
        return null;
    }

    private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();

    /** How many requests were refused so far (tests wait for this, not for time). */
    int refusedRequests() {
        return refused.get();
    }

    /** 403, and nothing read or changed. */
    private void refuse(HttpExchange exchange, String why) throws IOException {
        refused.incrementAndGet();
        exchange.getRequestBody().readAllBytes();
        json(exchange, 403, w -> w.writeStartObject().writeStringField("reason", "NOT_ALLOWED")
                .writeStringField("hint", "Refused: " + why + ". Nothing was read or changed.").writeEndObject());
    }

    private void types(JsonWriter w, Locale locale) throws IOException {
        w.writeStartArray();
        for (AuthenticationType t : service.authenticationTypes(locale)) {
            w.writeStartObject().writeStringField("type", t.type()).writeStringField("label", t.label())
                    .writeStartArray("fields");
            for (FieldDescriptor f : t.fields()) {
                w.writeStartObject().writeStringField("name", f.name()).writeStringField("kind", f.kind().name())
                        .writeBooleanField("required", f.required()).writeStringField("label", f.label(locale))
                        .writeStringField("default", f.defaultValue()).writeStringField("shownWhen", f.shownWhen())
                        .writeBooleanField("secret", f.secret()).writeStringField("section", f.section().name())
                        .writeBooleanField("advanced", f.advanced())
                        .writeStringField("help", f.description(locale).orElse(null)).writeStartArray("shownFor");
                for (String v : f.shownWhenValues()) {
                    w.writeString(v);
                }
                // Each choice as the value the API takes and the words the admin reads.
                w.writeEndArray().writeStartArray("choices");
                for (String a : f.allowedValues()) {
                    w.writeStartObject().writeStringField("value", a).writeStringField("label", f.valueLabel(a, locale))
                            .writeEndObject();
                }
                w.writeEndArray().writeEndObject();
            }
            w.writeEndArray().writeEndObject();
        }
        w.writeEndArray();
    }

    private static void view(JsonWriter w, ConfigurationView view, Actor actor) throws IOException {
        w.writeStartObject().writeBooleanField("configured", view.configured()).writeStringField("type", view.type())
                .writeNumberField("revision", view.revision()).writeStringField("damaged", view.damaged())
                .writeStringField("savedBy", view.savedBy())
                .writeStringField("savedAt", view.savedAt() == null ? null : view.savedAt().toString())
                .writeStringField("testRecipient", actor.email().value()).writeStartObject("values");
        for (Map.Entry<String, String> e : view.values().entrySet()) {
            w.writeStringField(e.getKey(), e.getValue());
        }
        w.writeEndObject().writeStartArray("storedSecrets");
        for (String s : view.storedSecrets()) {
            w.writeString(s);
        }
        // What the admin should know about the configuration in force and the store, shown above the form.
        w.writeEndArray().writeStartArray("warnings");
        for (String s : view.warnings()) {
            w.writeString(s);
        }
        for (String s : view.storeWarnings()) {
            w.writeString(s);
        }
        w.writeEndArray().writeEndObject();
    }

    private static void report(JsonWriter w, DiagnosisReport r, Locale locale) throws IOException {
        w.writeStartObject().writeBooleanField("ok", r.ok()).writeBooleanField("conclusive", r.conclusive())
                .writeStartArray("steps");
        for (DiagnosisReport.Step s : r.steps()) {
            w.writeStartObject().writeStringField("id", s.id()).writeStringField("outcome", s.outcome().name())
                    .writeNumberField("millis", s.duration().toMillis())
                    .writeStringField("summary", s.summary().in(locale)).writeEndObject();
        }
        w.writeEndArray().writeStartArray("advice");
        for (var a : r.advice()) {
            w.writeString(a.in(locale));
        }
        w.writeEndArray();
        if (r.failure() != null) {
            w.writeFieldName("failure");
            failure(w, r.failure(), locale);
        }
        w.writeEndObject();
    }

    private static void failure(JsonWriter w, EmailConfigException e, Locale locale) throws IOException {
        w.writeStartObject().writeStringField("reason", e.reason().name()).writeStringField("hint", e.hint(locale));
        if (e instanceof DeliveryFailedException d) {
            w.writeStringField("step", d.step().map(Enum::name).orElse(null))
                    .writeStringField("serverReply", d.serverReply().orElse(null));
        }
        w.writeEndObject();
    }

    /** Health as the page shows it: the status, since when, the last success, and each concern in the reader's words. */
    private static void health(JsonWriter w, EmailHealth h, Locale locale) throws IOException {
        w.writeStartObject().writeStringField("status", h.status().name())
                .writeStringField("since", h.since().toString());
        if (h.lastSuccess() != null) {
            w.writeStringField("lastSuccess", h.lastSuccess().at().toString());
        }
        w.writeStartArray("concerns");
        for (EmailHealth.Concern c : h.concerns()) {
            w.writeStartObject().writeStringField("code", c.code().name()).writeStringField("severity", c.severity().name())
                    .writeStringField("text", c.text().in(locale)).writeEndObject();
        }
        w.writeEndArray().writeEndObject();
    }

    /** The outbox as the page shows it: counts, and what needs a decision; never a body. */
    private static void outbox(JsonWriter w, @Nullable OutboxStatus status) throws IOException {
        w.writeStartObject().writeBooleanField("enabled", status != null);
        if (status != null) {
            w.writeNumberField("pending", status.pending());
            if (status.oldestPendingAge().isPresent()) {
                w.writeNumberField("oldestSeconds", status.oldestPendingAge().get().toSeconds());
            }
            w.writeStartArray("attention");
            for (OutboxStatus.Entry e : status.attention()) {
                w.writeStartObject().writeNumberField("id", e.id()).writeStringField("kind", e.kind().name())
                        .writeStringField("to", String.join(", ", e.recipients().stream().map(a -> a.value()).toList()))
                        .writeStringField("subject", e.subject()).writeNumberField("attempts", e.attempts())
                        .writeStringField("reason", e.reason().name())
                        .writeStringField("step", e.step() == null ? "" : e.step().id())
                        .writeStringField("hint", e.hint()).writeEndObject();
            }
            w.writeEndArray();
        }
        w.writeEndObject();
    }

    private void inbox(JsonWriter w) throws IOException {
        w.writeStartArray();
        for (MimeMessage m : mail.receivedMessages()) {
            try {
                w.writeStartObject().writeStringField("from", String.valueOf(List.of(m.getFrom())))
                        .writeStringField("to", String.valueOf(List.of(m.getAllRecipients())))
                        .writeStringField("subject", m.getSubject())
                        .writeStringField("text", String.valueOf(m.getContent()).strip()).writeEndObject();
            } catch (MessagingException e) {
                throw new IOException(e);
            }
        }
        w.writeEndArray();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        try (JsonReader r = JsonProviders.createReader(bytes)) {
            return r.readUntyped() instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        }
    }

    /** Writes one JSON value. */
    @FunctionalInterface
    private interface Json {
        void write(JsonWriter w) throws IOException;
    }

    private static void json(HttpExchange exchange, int status, Json body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonWriter w = JsonProviders.createWriter(out)) {
            body.write(w);
        }
        respond(exchange, status, "application/json; charset=utf-8", out.toByteArray());
    }

    private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        // Nothing here is readable from another site, not even by a no-cors request or a <script> tag, and no
        // page of another site may frame this one.
        exchange.getResponseHeaders().add("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().add("Cross-Origin-Resource-Policy", "same-origin");
        exchange.getResponseHeaders().add("X-Frame-Options", "DENY");
        exchange.getResponseHeaders().add("Content-Security-Policy", "frame-ancestors 'none'");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
        }
    }
}
