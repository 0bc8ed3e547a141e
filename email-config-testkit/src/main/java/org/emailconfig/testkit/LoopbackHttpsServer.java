package org.emailconfig.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import org.jspecify.annotations.Nullable;

/**
 * An HTTPS server on 127.0.0.1 with the testkit's certificate and a dynamic port, handing every request to
 * one handler on daemon threads; and the answers the fakes behind it write.
 */
final class LoopbackHttpsServer {

    private final String threadName;
    private final HttpHandler handler;
    private volatile @Nullable HttpsServer server;
    private @Nullable ExecutorService executor;

    LoopbackHttpsServer(String threadName, HttpHandler handler) {
        this.threadName = threadName;
        this.handler = handler;
    }

    /** Starts listening; does nothing when already running. */
    synchronized void start() {
        if (server != null) {
            return;
        }
        HttpsServer created;
        try {
            created = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(SandboxMailServer.HOST), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        created.setHttpsConfigurator(new HttpsConfigurator(TestCertificates.serverContext()));
        created.createContext("/", handler);
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        created.setExecutor(threads);
        created.start();
        executor = threads;
        server = created;
    }

    /** Stops listening and the handler threads. Idempotent. */
    synchronized void close() {
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

    /**
     * The port, while running.
     *
     * @param notRunning what an exception says when it is not
     * @return the port
     */
    int port(String notRunning) {
        HttpsServer running = server;
        if (running == null) {
            throw new IllegalStateException(notRunning);
        }
        return running.getAddress().getPort();
    }

    /** Holds a request without an answer for 30 s: what a silent endpoint does to a client. */
    static void hang() {
        try {
            Thread.sleep(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the handler thread runs just before it writes an answer (the in-flight count of sendMail). */
    static final ThreadLocal<Runnable> BEFORE_ANSWER = new ThreadLocal<>();

    private static void beforeAnswer() {
        Runnable r = BEFORE_ANSWER.get();
        if (r != null) {
            r.run();
        }
    }

    static void respondEmpty(HttpExchange exchange, int status) throws IOException {
        beforeAnswer();
        exchange.sendResponseHeaders(status, -1);
    }

    static void respond(HttpExchange exchange, int status, String json) throws IOException {
        beforeAnswer();
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static Map<String, String> form(InputStream in) throws IOException {
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
}
