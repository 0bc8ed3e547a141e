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
    private volatile @Nullable String lastReply;
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
        Secret token = tokens.token(config, config.cloud().graphScope(), context);
        HttpResponse<String> response = post(body, token);
        if (response.statusCode() == 401) {
            // The cached token was revoked or expired early (Graph says InvalidAuthenticationToken): one more
            // try with a fresh one, so this notification is not lost. Only that token is dropped: another thread
            // may already have fetched its successor.
            tokens.invalidate(config, config.cloud().graphScope(), context, token);
            token = tokens.token(config, config.cloud().graphScope(), context);
            response = post(body, token);
        }
        if (response.statusCode() == 202 || response.statusCode() == 200) {
            lastReply = response.statusCode() + (response.statusCode() == 202 ? " Accepted" : " OK")
                    + response.headers().firstValue("request-id").map(id -> " (request-id " + id + ")").orElse("");
            return;
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            // A refused token may be stale (older than a newly granted permission): the next send gets a new one.
            tokens.invalidate(config, config.cloud().graphScope(), context, token);
        }
        throw failure(response);
    }

    /** One sendMail call, with a request id of its own that Microsoft support can trace. */
    private HttpResponse<String> post(byte[] body, Secret token) {
        String requestId = UUID.randomUUID().toString();
        java.util.concurrent.atomic.AtomicBoolean bodySent = new java.util.concurrent.atomic.AtomicBoolean();
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(context.readTimeout())
                .header("Authorization", "Bearer " + token.reveal())
                .header("Content-Type", config.saveToSentItems() ? "text/plain" : "application/json")
                .header("client-request-id", requestId)
                .header("return-client-request-id", "true")
                .POST(new WholeBodyPublisher(body, bodySent))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (bodySent.get() && (response.statusCode() == 502 || response.statusCode() == 504)
                    && response.body().isBlank()) {
                // A gateway that lost Graph's answer: Graph may have taken the message.
                throw possiblyDelivered(Reason.SERVER_TEMPORARY_FAILURE, "Graph at " + config.endpoints().graph()
                        + " answered HTTP " + response.statusCode() + " without a body after the whole message was sent",
                        requestId, null).serverReply(Integer.toString(response.statusCode())).build();
            }
            return response;
        } catch (IOException e) {
            throw transport(e, requestId, bodySent.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw graph(Reason.SERVER_ERROR, "Interrupted while sending through Graph", requestId, false).cause(e)
                    .build();
        }
    }

    /**
     * A failure after the whole request went out whose answer never came: Graph may have accepted the message,
     * so it is never sent again (the rule the SMTP engine keeps after the terminating dot).
     */
    private DeliveryFailedException.Builder possiblyDelivered(Reason reason, String message, @Nullable String requestId,
                                                              @Nullable Throwable cause) {
        return graph(reason, message, requestId, false).possiblyDelivered(true).cause(cause)
                .hint(Texts.text("hint.graphMayHaveSent", config.sender().address()));
    }

    /** The request body, noting when the HTTP client has taken all of it (the request is then complete). */
    private static final class WholeBodyPublisher implements HttpRequest.BodyPublisher {
        private final HttpRequest.BodyPublisher delegate;
        private final java.util.concurrent.atomic.AtomicBoolean complete;

        WholeBodyPublisher(byte[] body, java.util.concurrent.atomic.AtomicBoolean complete) {
            this.delegate = HttpRequest.BodyPublishers.ofByteArray(body);
            this.complete = complete;
        }

        @Override
        public long contentLength() {
            return delegate.contentLength();
        }

        @Override
        public void subscribe(java.util.concurrent.Flow.Subscriber<? super java.nio.ByteBuffer> subscriber) {
            delegate.subscribe(new java.util.concurrent.Flow.Subscriber<java.nio.ByteBuffer>() {
                @Override
                public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
                    subscriber.onSubscribe(subscription);
                }

                @Override
                public void onNext(java.nio.ByteBuffer item) {
                    subscriber.onNext(item);
                }

                @Override
                public void onError(Throwable throwable) {
                    subscriber.onError(throwable);
                }

                @Override
                public void onComplete() {
                    complete.set(true);
                    subscriber.onComplete();
                }
            });
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
        String words = (String.valueOf(code) + " " + String.valueOf(text)).toLowerCase(java.util.Locale.ROOT);
        DeliveryFailedException.Builder b;
        if (status >= 300 && status < 400) {
            String location = response.headers().firstValue("Location").orElse("?");
            b = graph(Reason.SERVER_ERROR, "Graph at " + config.endpoints().graph() + " answered with a redirect (HTTP "
                    + status + ") to " + location + ", which is never followed: the access token would go with it",
                    requestId, false).hint(Texts.text("hint.graphRedirect", config.endpoints().graph()));
        } else if ("ErrorSendAsDenied".equalsIgnoreCase(code)) {
            b = graph(Reason.SENDER_NOT_ALLOWED, base, requestId, false).hint(Texts.text("hint.graphSendAs", sender));
        } else if (status == 403 && (words.contains("accesspolicy") || words.contains("access to odata is disabled")
                || words.contains("rbac") || words.contains("management scope"))) {
            // RBAC for Applications or an application access policy: the app may send, but not as this mailbox.
            b = graph(Reason.SENDER_NOT_ALLOWED, base, requestId, false).hint(Texts.text("hint.graphPolicy", sender,
                    config.clientId()));
        } else if ("ErrorInvalidRecipients".equalsIgnoreCase(code)) {
            b = graph(Reason.RECIPIENT_REJECTED, base, requestId, false).hint(Texts.text("hint.graphRecipients"));
        } else {
            b = switch (status) {
                case 401 -> graph(Reason.OAUTH_ERROR, base, requestId, false).hint(Texts.text("hint.graph401"));
                case 403 -> graph(Reason.OAUTH_PERMISSION_MISSING, base, requestId, false).hint(Texts.text("hint.graph403",
                        config.clientId()));
                case 404 -> graph(Reason.SENDER_REJECTED, base, requestId, false).hint(Texts.text("hint.graph404", sender));
                case 400 -> graph(Reason.MESSAGE_REJECTED, base, requestId, false);
                case 413 -> graph(Reason.MESSAGE_TOO_BIG, base, requestId, false);
                default -> status == 429 || status >= 500
                        ? graph(Reason.SERVER_TEMPORARY_FAILURE, base, requestId, true)
                                .hint(Texts.text("hint.graphBusy"))
                        : graph(Reason.SERVER_ERROR, base, requestId, false);
            };
        }
        return b.serverReply(reply).retryAfter(MsalFailures.retryAfter(response.headers().map())).build();
    }

    private DeliveryFailedException transport(IOException e, @Nullable String requestId, boolean bodySent) {
        String where = "Graph at " + config.endpoints().graph();
        LocalizedText network = Texts.text("hint.graphNetwork", config.endpoints().graph());
        DeliveryFailedException.Builder b;
        if (e instanceof HttpConnectTimeoutException) {
            b = graph(Reason.CONNECTION_TIMEOUT, where + " did not accept a connection in time", requestId, true)
                    .hint(network);
        } else if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
            b = graph(Reason.CONNECTION_REFUSED, where + " refused the connection", requestId, true).hint(network);
        } else if (e instanceof SSLHandshakeException) {
            b = graph(Reason.TLS_CERTIFICATE_UNTRUSTED, where + " presented a certificate that is not trusted",
                    requestId, false).hint(Texts.text("hint.graphTls"));
        } else if (bodySent) {
            // The whole message went out; the answer did not come back (timeout, reset): it may have been sent.
            return possiblyDelivered(e instanceof HttpTimeoutException ? Reason.READ_TIMEOUT : Reason.CONNECTION_LOST,
                    where + " took the whole message but its answer never came (" + e.getClass().getSimpleName()
                            + "): it may have been sent, so it is not sent again", requestId, e).build();
        } else if (e instanceof HttpTimeoutException) {
            b = graph(Reason.READ_TIMEOUT, where + " did not answer within the read timeout", requestId, true)
                    .hint(Texts.text("hint.graphTimeout"));
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
    public Destination destination() {
        return new Destination("graph", endpoint.getHost(), endpoint.getPort() > 0 ? endpoint.getPort()
                : "http".equalsIgnoreCase(endpoint.getScheme()) ? 80 : 443);
    }

    /** Graph's acceptance with its request id, which Microsoft support can trace. */
    @Override
    public java.util.Optional<String> lastReply() {
        return java.util.Optional.ofNullable(lastReply);
    }

    @Override
    public void close() {
        open = false;
    }
}
