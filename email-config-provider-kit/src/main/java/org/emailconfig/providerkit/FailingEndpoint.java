package org.emailconfig.providerkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import org.apiguardian.api.API;
import org.emailconfig.testkit.TestCertificates;

/**
 * A web service on 127.0.0.1 that refuses every request, for {@link ProviderContract}'s check of how a provider
 * that does not deliver over SMTP (an HTTP API, a webhook, a token endpoint) reports a failure. It answers every
 * method and path with the status last set by {@link #answer(int)} (401 until then) and a JSON body that quotes
 * the whole request back, its headers (credentials included) and its body, the way some services quote a
 * rejected request: a provider that copies the answer into its exception shows its own secret, and the kit sees
 * it.
 *
 * <p>Plain HTTP ({@link #http()}) and HTTPS ({@link #https()}, with the testkit's certificate: give the engine
 * {@link TestCertificates#trustStore()} in {@link ProviderContract#engine()}), each on its own dynamic port;
 * both count toward {@link #requests()}. Thread-safe.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.3")
public final class FailingEndpoint implements AutoCloseable {

    private final HttpServer http;
    private final HttpsServer https;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int status = 401;

    private FailingEndpoint() throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        http = HttpServer.create(loopback, 16);
        https = HttpsServer.create(loopback, 16);
        https.setHttpsConfigurator(new HttpsConfigurator(TestCertificates.serverContext()));
        http.createContext("/", this::refuse);
        https.createContext("/", this::refuse);
        http.start();
        https.start();
    }

    /**
     * Starts both listeners.
     *
     * @return the running endpoint; close it when done
     */
    public static FailingEndpoint start() {
        try {
            return new FailingEndpoint();
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1", e);
        }
    }

    /**
     * Sets the status every later request gets.
     *
     * @param httpStatus a status from 400 to 599
     * @return this
     */
    public FailingEndpoint answer(int httpStatus) {
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("a failing endpoint answers 4xx or 5xx, not " + httpStatus);
        }
        this.status = httpStatus;
        return this;
    }

    /**
     * The plain-HTTP address, such as {@code http://127.0.0.1:41234/}.
     *
     * @return the base URI, ending in a slash
     */
    public URI http() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/");
    }

    /**
     * The HTTPS address, such as {@code https://127.0.0.1:41235/}; its certificate is the testkit's, valid for
     * {@code 127.0.0.1}.
     *
     * @return the base URI, ending in a slash
     */
    public URI https() {
        return URI.create("https://127.0.0.1:" + https.getAddress().getPort() + "/");
    }

    /**
     * How many requests reached either listener so far.
     *
     * @return the count
     */
    public int requests() {
        return requests.get();
    }

    private void refuse(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            StringBuilder quoted = new StringBuilder(exchange.getRequestMethod()).append(' ')
                    .append(exchange.getRequestURI());
            for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
                quoted.append(" | ").append(h.getKey()).append(": ").append(String.join(", ", h.getValue()));
            }
            try (InputStream in = exchange.getRequestBody()) {
                quoted.append(" | ").append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            // The error and error_description of OAuth 2.0 and most JSON APIs, so a client library surfaces it.
            byte[] body = ("{\"error\":\"invalid_client\",\"error_description\":\"Rejected request: " + json(quoted)
                    + "\",\"message\":\"Rejected request: " + json(quoted) + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String json(CharSequence text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').append((char) c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append((char) c);
            }
        });
        return out.toString();
    }

    /** Stops both listeners at once. */
    @Override
    public void close() {
        http.stop(0);
        https.stop(0);
    }
}
