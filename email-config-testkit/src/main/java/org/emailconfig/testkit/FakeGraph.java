package org.emailconfig.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import com.sun.net.httpserver.HttpExchange;

import org.jspecify.annotations.Nullable;

/**
 * Graph {@code sendMail} of {@link FakeMicrosoftPlatform}: takes a message in the MIME or the JSON form from a
 * holder of a token {@link FakeIdentityPlatform} issued for Graph with Mail.Send granted, keeps it, and records
 * what a test asks about (requests, concurrency, Sent Items, request ids).
 */
final class FakeGraph {

    private final FakeIdentityPlatform identity;
    final List<MimeMessage> sent = new CopyOnWriteArrayList<>();
    final List<String> sentBy = new CopyOnWriteArrayList<>();
    final List<Boolean> savedToSentItems = new CopyOnWriteArrayList<>();
    final AtomicInteger sendRequests = new AtomicInteger();
    final List<String> graphRequestIds = new CopyOnWriteArrayList<>();
    final AtomicInteger sendsInFlight = new AtomicInteger();
    final AtomicInteger maxSendsInFlight = new AtomicInteger();
    volatile Duration graphLatency = Duration.ZERO;

    FakeGraph(FakeIdentityPlatform identity) {
        this.identity = identity;
    }

    /**
     * Answers a {@code sendMail} as Graph would, or with the failure a test scripted for it.
     *
     * @param user          the user id in the path
     * @param failures      the next scripted Graph failure, asked once the token was accepted
     * @param loginEndpoint the platform's base URL, for a scripted redirect
     */
    void sendMail(HttpExchange exchange, String user, Supplier<FakeMicrosoftPlatform.@Nullable Failure> failures,
                  String loginEndpoint) throws IOException {
        int inFlight = sendsInFlight.incrementAndGet();
        maxSendsInFlight.accumulateAndGet(inFlight, Math::max);
        // A request stops being in flight just before its answer is written (respond does it): once the client
        // has the answer it may send its next request, which must not find this one still counted.
        AtomicBoolean left = new AtomicBoolean();
        Runnable leave = () -> {
            if (left.compareAndSet(false, true)) {
                sendsInFlight.decrementAndGet();
            }
        };
        // The handler thread answers the request it took, so the hook is per thread (HttpExchange attributes are
        // shared by every exchange of a context).
        LoopbackHttpsServer.BEFORE_ANSWER.set(leave);
        try {
            Duration latency = graphLatency;
            if (!latency.isZero()) {
                try {
                    Thread.sleep(latency.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            sendMailAfterLatency(exchange, user, failures, loginEndpoint);
        } finally {
            LoopbackHttpsServer.BEFORE_ANSWER.remove();
            leave.run();
        }
    }

    private void sendMailAfterLatency(HttpExchange exchange, String user,
                                      Supplier<FakeMicrosoftPlatform.@Nullable Failure> failures, String loginEndpoint)
            throws IOException {
        sendRequests.incrementAndGet();
        byte[] body = exchange.getRequestBody().readAllBytes();
        String auth = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        FakeIdentityPlatform.Issued issued = auth.startsWith("Bearer ")
                ? identity.issued(auth.substring("Bearer ".length())) : null;
        String clientRequestId = String.valueOf(exchange.getRequestHeaders().getFirst("client-request-id"));
        graphRequestIds.add(clientRequestId);
        // As Graph answers every request: its own request id, and the client's echoed when asked for.
        exchange.getResponseHeaders().add("request-id", java.util.UUID.randomUUID().toString());
        if ("true".equals(exchange.getRequestHeaders().getFirst("return-client-request-id"))) {
            exchange.getResponseHeaders().add("client-request-id", clientRequestId);
        }
        if (issued == null || !issued.scope().contains("graph")) {
            // An invalid token is refused before any failure a test scripted for the next real request.
            LoopbackHttpsServer.respond(exchange, 401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Access token is empty or invalid.\"}}");
            return;
        }
        FakeMicrosoftPlatform.Failure failure = failures.get();
        if (failure == FakeMicrosoftPlatform.Failure.GRAPH_NO_RESPONSE) {
            LoopbackHttpsServer.hang();
            return;
        }
        if (failure == FakeMicrosoftPlatform.Failure.GRAPH_SERVER_ERROR) {
            LoopbackHttpsServer.respond(exchange, 500, "{\"error\":{\"code\":\"InternalServerError\",\"message\":\"Something went wrong.\"}}");
            return;
        }
        if (failure == FakeMicrosoftPlatform.Failure.GRAPH_REDIRECT) {
            exchange.getResponseHeaders().add("Location", loginEndpoint + "/redirected/sendMail");
            LoopbackHttpsServer.respondEmpty(exchange, 307);
            return;
        }
        if (failure == FakeMicrosoftPlatform.Failure.GRAPH_SEND_AS_DENIED) {
            LoopbackHttpsServer.respond(exchange, 403, "{\"error\":{\"code\":\"ErrorSendAsDenied\",\"message\":\"The user account which was "
                    + "used to submit this request does not have the right to send mail on behalf of the specified sending "
                    + "account.\"}}");
            return;
        }
        if (failure == FakeMicrosoftPlatform.Failure.GRAPH_POLICY_BLOCKED) {
            LoopbackHttpsServer.respond(exchange, 403, "{\"error\":{\"code\":\"ErrorAccessDenied\",\"message\":\"Access to OData is disabled: "
                    + "[RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.\"}}");
            return;
        }
        if (failure == FakeMicrosoftPlatform.Failure.GRAPH_INVALID_RECIPIENTS) {
            LoopbackHttpsServer.respond(exchange, 400, "{\"error\":{\"code\":\"ErrorInvalidRecipients\",\"message\":\"At least one recipient "
                    + "is not valid., Recipient 'nobody@' is not resolved. All recipients must be resolved before a message "
                    + "can be submitted.\"}}");
            return;
        }
        if (failure == FakeMicrosoftPlatform.Failure.THROTTLED) {
            exchange.getResponseHeaders().add("Retry-After", "2");
            LoopbackHttpsServer.respond(exchange, 429, "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Too many requests.\"}}");
            return;
        }
        if (failure == FakeMicrosoftPlatform.Failure.TOKEN_REVOKED) {
            identity.revoke(auth.substring("Bearer ".length()));
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"\", error=\"invalid_token\"");
            LoopbackHttpsServer.respond(exchange, 401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Lifetime "
                    + "validation failed, the token is expired.\"}}");
            return;
        }
        if (failure == FakeMicrosoftPlatform.Failure.ACCESS_DENIED
                || !identity.mailSendGranted(issued.tenant(), issued.clientId())) {
            LoopbackHttpsServer.respond(exchange, 403, "{\"error\":{\"code\":\"ErrorAccessDenied\",\"message\":\"Access is denied. Check credentials and try again.\"}}");
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
                LoopbackHttpsServer.respond(exchange, 415, "{\"error\":{\"code\":\"UnsupportedMediaType\",\"message\":\"use text/plain (MIME) or application/json\"}}");
                return;
            }
            sentBy.add(URLDecoder.decode(user, StandardCharsets.UTF_8));
            if (failure == FakeMicrosoftPlatform.Failure.GRAPH_GATEWAY_LOST) {
                LoopbackHttpsServer.respondEmpty(exchange, 504);
                return;
            }
        } catch (IllegalArgumentException | MessagingException | IOException e) {
            LoopbackHttpsServer.respond(exchange, 400, "{\"error\":{\"code\":\"ErrorInvalidRequest\",\"message\":\"The request body is not a valid message: "
                    + e.getClass().getSimpleName() + "\"}}");
            return;
        }
        LoopbackHttpsServer.respondEmpty(exchange, 202);
    }

    /**
     * Waits until at least {@code count} messages were accepted, up to 10 seconds.
     *
     * @param count how many
     * @return all accepted messages
     * @throws AssertionError when fewer arrived in time
     */
    List<MimeMessage> awaitMessages(int count) {
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
        return List.copyOf(sent);
    }
}
