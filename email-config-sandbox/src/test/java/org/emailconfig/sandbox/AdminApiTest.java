package org.emailconfig.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.core.EmailConfig;
import org.emailconfig.testkit.SandboxMailServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The page's JSON API over a real socket: what the page draws and what a host's own UI would call. */
@Timeout(60)
class AdminApiTest {

    static final String NOREPLY = "noreply@sandbox.test";
    static final String PASSWORD = "page-Passw0rd";

    @RegisterExtension
    final SandboxMailServer mail = new SandboxMailServer().withMailbox(NOREPLY, PASSWORD);

    private EmailConfigurationService service;
    private AdminApi api;
    /** Keeps the session cookie, as the browser does. */
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
    private String csrf;

    @BeforeEach
    void start() throws Exception {
        service = EmailConfig.builder().inMemoryStore().build();
        api = new AdminApi(service, mail, 0);
    }

    @AfterEach
    void stop() {
        api.close();
        service.close();
    }

    private HttpResponse<String> call(String method, String path, String user, String json) throws Exception {
        if (csrf == null) {
            String session = http.send(HttpRequest.newBuilder(URI.create(api.url() + "api/session")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            csrf = session.replaceAll(".*\"csrfToken\":\"([^\"]+)\".*", "$1");
        }
        return send(method, path, json, "X-Sandbox-User", user, "X-CSRF-Token", csrf,
                "Content-Type", "application/json");
    }

    /** A request with exactly these headers (name, value, ...). */
    private HttpResponse<String> send(String method, String path, String json, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.url() + path.substring(1)));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private boolean stored() throws Exception {
        return !call("GET", "/api/config", "admin", null).body().contains("\"configured\":false");
    }

    private String draft(String port, String sender, String password) {
        return "{\"type\":\"smtp-password\",\"values\":{\"senderAddress\":\"" + sender + "\",\"host\":\"127.0.0.1\","
                + "\"port\":\"" + port + "\",\"encryption\":\"NONE\",\"authentication\":\"true\",\"username\":\""
                + NOREPLY + "\"},\"secrets\":{\"password\":\"" + password + "\"}}";
    }

    @Test
    void theTypesComeWithTheirFieldsLabelledInTheChosenLanguage() throws Exception {
        HttpResponse<String> r = call("GET", "/api/types?lang=de", "admin", null);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"label\":\"SMTP-Server\""), r.body());
        assertTrue(r.body().contains("\"shownWhen\":\"authentication\""), r.body());
    }

    @Test
    void fieldErrorsComeBackPerFieldAndNothingIsStored() throws Exception {
        HttpResponse<String> r = call("POST", "/api/config", "admin",
                draft("99999", "noreply@sandbox.test\\r\\nBcc: x@example.com", PASSWORD));
        assertEquals(422, r.statusCode());
        assertTrue(r.body().contains("\"field\":\"port\""), r.body());
        assertTrue(r.body().contains("\"field\":\"senderAddress\""), r.body());
        assertTrue(call("GET", "/api/config", "admin", null).body().contains("\"configured\":false"));
    }

    @Test
    void aWrongPasswordShowsTheHintAndAGoodSaveShowsTheTestEmailInTheInbox() throws Exception {
        HttpResponse<String> wrong = call("POST", "/api/config", "admin",
                draft(Integer.toString(mail.smtpPort()), NOREPLY, "wrong"));
        assertEquals(502, wrong.statusCode());
        assertTrue(wrong.body().contains("\"reason\":\"AUTH_REJECTED\""), wrong.body());
        assertTrue(call("GET", "/api/config", "admin", null).body().contains("\"configured\":false"));

        HttpResponse<String> good = call("POST", "/api/config", "admin",
                draft(Integer.toString(mail.smtpPort()), NOREPLY, PASSWORD));
        assertEquals(200, good.statusCode(), good.body());
        assertTrue(good.body().contains("\"revision\":1"), good.body());
        mail.awaitMessages(1);
        assertTrue(call("GET", "/api/inbox", "admin", null).body().contains("email configuration test"));
        String view = call("GET", "/api/config", "admin", null).body();
        assertTrue(view.contains("\"storedSecrets\":[\"password\"]"), view);
        assertFalse(view.contains(PASSWORD), "a secret never goes back to the browser");
    }

    @Test
    void thePageAndItsScriptAreServedAndNothingElse() throws Exception {
        HttpResponse<String> page = call("GET", "/", "admin", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<script src=\"app.js\"></script>"), page.body());
        assertTrue(call("GET", "/app.js", "admin", null).body().contains("/api/types"));
        assertEquals(404, call("GET", "/../pom.xml", "admin", null).statusCode());
    }

    @Test
    void aWriteWithoutTheSessionsTokenFromAnotherSiteOrNotJsonIsRefusedAndStoresNothing() throws Exception {
        String good = draft(Integer.toString(mail.smtpPort()), NOREPLY, PASSWORD);
        call("GET", "/api/types", "admin", null);
        String token = csrf;
        List<HttpResponse<String>> refused = List.of(
                send("POST", "/api/config", good, "X-Sandbox-User", "admin", "Content-Type", "application/json"),
                send("POST", "/api/config", good, "X-Sandbox-User", "admin", "X-CSRF-Token", "guessed",
                        "Content-Type", "application/json"),
                send("POST", "/api/config", good, "X-Sandbox-User", "admin", "X-CSRF-Token", token,
                        "Content-Type", "text/plain"),
                send("POST", "/api/config", good, "X-Sandbox-User", "admin", "X-CSRF-Token", token,
                        "Content-Type", "application/x-www-form-urlencoded"),
                send("POST", "/api/config", good, "X-Sandbox-User", "admin", "X-CSRF-Token", token,
                        "Content-Type", "application/json", "Origin", "http://evil.example"),
                send("POST", "/api/config", good, "X-Sandbox-User", "admin", "X-CSRF-Token", token,
                        "Content-Type", "application/json", "Origin", "http://127.0.0.1:1"),
                send("POST", "/api/config", good, "X-Sandbox-User", "admin", "X-CSRF-Token", token,
                        "Content-Type", "application/json", "Sec-Fetch-Site", "same-site"),
                send("POST", "/api/config", good, "X-CSRF-Token", token, "Content-Type", "application/json"),
                send("POST", "/api/verify", good, "X-Sandbox-User", "admin", "Content-Type", "application/json"));
        for (HttpResponse<String> r : refused) {
            assertEquals(403, r.statusCode(), r.request().headers() + ": " + r.body());
            assertTrue(r.body().contains("Nothing was read or changed"), r.body());
        }
        assertFalse(stored());
        assertEquals(0, mail.receivedMessages().size(), "a refused write sends no test email either");
        assertEquals(200, call("POST", "/api/config", "admin", good).statusCode(), "the page's own request works");
    }

    @Test
    void readsAreRefusedToOtherSitesAndNeverReadableAcrossOrigins() throws Exception {
        call("GET", "/api/types", "admin", null);
        for (String path : List.of("/api/config", "/api/inbox", "/api/session")) {
            HttpResponse<String> r = send("GET", path, null, "X-Sandbox-User", "admin", "X-CSRF-Token", csrf,
                    "Sec-Fetch-Site", "cross-site");
            assertEquals(403, r.statusCode(), path);
        }
        HttpResponse<String> own = call("GET", "/api/config", "admin", null);
        assertEquals(200, own.statusCode());
        assertEquals("same-origin", own.headers().firstValue("Cross-Origin-Resource-Policy").orElse(null));
        assertEquals("nosniff", own.headers().firstValue("X-Content-Type-Options").orElse(null));
        assertTrue(own.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        assertEquals(403, send("OPTIONS", "/api/config", null, "Origin", "http://evil.example",
                "Access-Control-Request-Method", "POST").statusCode(), "no preflight is ever granted");
    }

    @Test
    void aNonAdministratorIsRefused() throws Exception {
        HttpResponse<String> r = call("GET", "/api/config", "user", null);
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("\"reason\":\"NOT_ALLOWED\""), r.body());
    }
}
