package org.emailconfig.msoauth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLHandshakeException;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.DeliveryStep;
import org.emailconfig.api.LocalizedText;
import org.emailconfig.api.MicrosoftOAuthConfiguration;
import org.emailconfig.api.Reason;
import org.emailconfig.api.Secret;
import org.emailconfig.api.spi.DeliveryContext;
import org.emailconfig.api.spi.MailDelivery;
import org.jspecify.annotations.Nullable;

/**
 * Graph {@code POST /v1.0/users/{sender}/sendMail}. With {@code saveToSentItems} the whole MIME
 * message goes out exactly as composed, base64 encoded ({@code Content-Type: text/plain}); Graph then
 * always keeps a copy in Sent Items, as its MIME form has no switch for that. Without it, which is
 * the default, the message is sent in Graph's JSON form with {@code saveToSentItems: false}. Graph
 * answers 202 Accepted, which means accepted for delivery, not delivered.
 */
final class GraphDelivery implements MailDelivery {

    private static final Pattern GRAPH_CODE = Pattern.compile("\"code\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern GRAPH_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"([^\"]*)\"");

    private final HttpClient http;
    private final TokenService tokens;
    private final MicrosoftOAuthConfiguration config;
    private final DeliveryContext context;
    private final URI endpoint;
    private volatile boolean open = true;

    GraphDelivery(HttpClient http, TokenService tokens, MicrosoftOAuthConfiguration config, DeliveryContext context) {
        this.http = http;
        this.tokens = tokens;
        this.config = config;
        this.context = context;
        String base = config.endpoints().graph().toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1.0/users/"
                + URLEncoder.encode(config.sender().address().value(), StandardCharsets.UTF_8) + "/sendMail");
    }

    @Override
    public void send(MimeMessage message) {
        byte[] body = body(message);
        HttpResponse<String> response = post(body);
        if (response.statusCode() == 401) {
            // The cached token was revoked or expired early (Graph says InvalidAuthenticationToken): one more
            // try with a fresh one, so this notification is not lost.
            tokens.invalidate(config, config.cloud().graphScope(), context);
            response = post(body);
        }
        if (response.statusCode() == 202 || response.statusCode() == 200) {
            return;
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            // A refused token may be stale (older than a newly granted permission): the next send gets a new one.
            tokens.invalidate(config, config.cloud().graphScope(), context);
        }
        throw failure(response);
    }

    /** One sendMail call, with a request id of its own that Microsoft support can trace. */
    private HttpResponse<String> post(byte[] body) {
        Secret token = tokens.token(config, config.cloud().graphScope(), context);
        String requestId = UUID.randomUUID().toString();
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(context.readTimeout())
                .header("Authorization", "Bearer " + token.reveal())
                .header("Content-Type", config.saveToSentItems() ? "text/plain" : "application/json")
                .header("client-request-id", requestId)
                .header("return-client-request-id", "true")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw transport(e, requestId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw graph(Reason.SERVER_ERROR, "Interrupted while sending through Graph", requestId, false).cause(e)
                    .build();
        }
    }

    private DeliveryFailedException.Builder graph(Reason reason, String message, @Nullable String requestId,
                                                  boolean temporary) {
        return DeliveryFailedException.builder(reason, message).step(DeliveryStep.GRAPH).requestId(requestId)
                .temporary(temporary);
    }

    private DeliveryFailedException failure(HttpResponse<String> response) {
        int status = response.statusCode();
        String body = MsalFailures.redact(response.body(), config);
        String code = find(GRAPH_CODE, body);
        String text = find(GRAPH_MESSAGE, body);
        String reply = status + (code == null ? "" : " " + code) + (text == null ? "" : ": " + text);
        String sender = config.sender().address().value();
        String requestId = response.request().headers().firstValue("client-request-id").orElse(null);
        String base = "Graph refused to send as " + sender + " (HTTP " + reply + "; client-request-id " + requestId + ")";
        DeliveryFailedException.Builder b = switch (status) {
            case 401 -> graph(Reason.OAUTH_ERROR, base, requestId, false).hint(Texts.text("hint.graph401"));
            case 403 -> graph(Reason.OAUTH_PERMISSION_MISSING, base, requestId, false).hint(Texts.text("hint.graph403"));
            case 404 -> graph(Reason.SENDER_REJECTED, base, requestId, false).hint(Texts.text("hint.graph404", sender));
            case 400 -> graph(Reason.MESSAGE_REJECTED, base, requestId, false);
            case 413 -> graph(Reason.MESSAGE_TOO_BIG, base, requestId, false);
            default -> status == 429 || status >= 500
                    ? graph(Reason.SERVER_TEMPORARY_FAILURE, base, requestId, true)
                            .hint(Texts.text("hint.graphBusy"))
                    : graph(Reason.SERVER_ERROR, base, requestId, false);
        };
        return b.serverReply(reply).retryAfter(MsalFailures.retryAfter(response.headers().map())).build();
    }

    private DeliveryFailedException transport(IOException e, @Nullable String requestId) {
        String where = "Graph at " + config.endpoints().graph();
        LocalizedText network = Texts.text("hint.graphNetwork", config.endpoints().graph());
        DeliveryFailedException.Builder b;
        if (e instanceof HttpConnectTimeoutException) {
            b = graph(Reason.CONNECTION_TIMEOUT, where + " did not accept a connection in time", requestId, true)
                    .hint(network);
        } else if (e instanceof HttpTimeoutException) {
            b = graph(Reason.READ_TIMEOUT, where + " did not answer within the read timeout", requestId, true)
                    .hint(Texts.text("hint.graphTimeout"));
        } else if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
            b = graph(Reason.CONNECTION_REFUSED, where + " refused the connection", requestId, true).hint(network);
        } else if (e instanceof SSLHandshakeException) {
            b = graph(Reason.TLS_CERTIFICATE_UNTRUSTED, where + " presented a certificate that is not trusted",
                    requestId, false).hint(Texts.text("hint.graphTls"));
        } else {
            b = graph(Reason.CONNECTION_LOST, where + " failed: " + e.getClass().getSimpleName() + ": "
                    + MsalFailures.redact(String.valueOf(e.getMessage()), config), requestId, true);
        }
        return b.cause(e).build();
    }

    /** MIME as is when a Sent Items copy is wanted (the MIME form always keeps one), else the JSON form. */
    private byte[] body(MimeMessage message) {
        try {
            if (!config.saveToSentItems()) {
                return GraphJsonMessage.toJson(message, false);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return Base64.getEncoder().encode(out.toByteArray());
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException("the message cannot be written for Graph", e);
        }
    }

    private static @Nullable String find(Pattern p, @Nullable String body) {
        Matcher m = p.matcher(body == null ? "" : body);
        return m.find() ? m.group(1) : null;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }
}
