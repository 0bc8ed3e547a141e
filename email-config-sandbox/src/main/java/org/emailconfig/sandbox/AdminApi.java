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
import org.emailconfig.api.NotAllowedException;
import org.emailconfig.api.SaveOptions;
import org.emailconfig.api.SaveResult;
import org.emailconfig.api.Secret;
import org.emailconfig.api.TestPolicy;
import org.emailconfig.api.Violation;
import org.emailconfig.testkit.SandboxMailServer;

/**
 * The JSON API behind the reference admin page, on 127.0.0.1: everything the page shows comes from the
 * service's metadata and answers, which is how a host wires its own UI. The signed-in user is chosen with
 * the {@code X-Sandbox-User} header ({@code admin}, the default, or {@code user}) and the language with
 * {@code ?lang=de}. Secrets never go back to the browser: the view says which are stored.
 *
 * <ul>
 *   <li>{@code GET /api/types}: the authentication types and their fields, labelled</li>
 *   <li>{@code GET /api/config}: the configuration in force, secrets left out</li>
 *   <li>{@code POST /api/config}: save ({@code {"type", "values", "secrets", "expectedRevision",
 *       "saveAnyway"}}); 422 with violations, 502 with the failure's hint, 409 on a concurrent save,
 *       403 for non-administrators</li>
 *   <li>{@code POST /api/verify}: the connection check's report</li>
 *   <li>{@code GET /api/inbox}: what the sandbox mail server received</li>
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
        Actor actor = actor(exchange);
        String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
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

    private static Actor actor(HttpExchange exchange) {
        String user = String.valueOf(exchange.getRequestHeaders().getFirst("X-Sandbox-User"));
        String query = String.valueOf(exchange.getRequestURI().getQuery());
        Locale locale = query.contains("lang=de") ? Locale.GERMAN : Locale.ENGLISH;
        return user.equals("user") ? Actor.user("sandbox-user", "user@sandbox.test").withLocale(locale)
                : Actor.admin("sandbox-admin", ADMIN_ADDRESS).withLocale(locale);
    }

    private void types(JsonWriter w, Locale locale) throws IOException {
        w.writeStartArray();
        for (AuthenticationType t : service.authenticationTypes(locale)) {
            w.writeStartObject().writeStringField("id", t.id()).writeStringField("label", t.label())
                    .writeStartArray("fields");
            for (FieldDescriptor f : t.fields()) {
                w.writeStartObject().writeStringField("name", f.name()).writeStringField("kind", f.kind().name())
                        .writeBooleanField("required", f.required()).writeStringField("label", f.label(locale))
                        .writeStringField("default", f.defaultValue()).writeStringField("shownWhen", f.shownWhen())
                        .writeBooleanField("secret", f.secret()).writeStartArray("allowed");
                for (String a : f.allowedValues()) {
                    w.writeString(a);
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
        w.writeStartObject().writeBooleanField("ok", r.ok()).writeStartArray("steps");
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
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
        }
    }
}
