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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLHandshakeException;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.MicrosoftOAuthConfiguration;
import org.emailconfig.api.Reason;
import org.emailconfig.api.Secret;
import org.emailconfig.api.spi.DeliveryContext;
import org.emailconfig.api.spi.MailDelivery;

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
        Secret token = tokens.token(config, config.cloud().graphScope(), context);
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(context.readTimeout())
                .header("Authorization", "Bearer " + token.reveal())
                .header("Content-Type", config.saveToSentItems() ? "text/plain" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(message)))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw transport(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailedException(Reason.SERVER_ERROR, "Interrupted while sending through Graph", null, null, e);
        }
        if (response.statusCode() == 202 || response.statusCode() == 200) {
            return;
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            // A refused token may be stale (revoked, or older than a newly granted permission).
            tokens.invalidate(config, config.cloud().graphScope(), context);
        }
        throw failure(response.statusCode(), MsalFailures.redact(response.body(), config));
    }

    private DeliveryFailedException failure(int status, String body) {
        String code = find(GRAPH_CODE, body);
        String text = find(GRAPH_MESSAGE, body);
        String reply = status + (code == null ? "" : " " + code) + (text == null ? "" : ": " + text);
        String sender = config.sender().address().value();
        String base = "Graph refused to send as " + sender + " (HTTP " + reply + ")";
        return switch (status) {
            case 401 -> new DeliveryFailedException(Reason.OAUTH_ERROR, base, "Graph did not accept the access token; "
                    + "check that the app registration belongs to this directory and save again.", reply, null);
            case 403 -> new DeliveryFailedException(Reason.OAUTH_PERMISSION_MISSING, base, "Add the Microsoft Graph "
                    + "permission Mail.Send of type Application (not Delegated) to the app registration and grant "
                    + "admin consent; an Exchange application access policy may also limit the mailboxes it can "
                    + "send as.", reply, null);
            case 404 -> new DeliveryFailedException(Reason.SENDER_REJECTED, base, "No mailbox " + sender
                    + " exists in this directory: use the address of a licensed mailbox or shared mailbox.", reply, null);
            case 400 -> new DeliveryFailedException(Reason.MESSAGE_REJECTED, base, null, reply, null);
            default -> new DeliveryFailedException(Reason.SERVER_ERROR, base, status == 429 || status >= 500
                    ? "Graph is busy or unavailable; try again in a few minutes." : null, reply, null);
        };
    }

    private DeliveryFailedException transport(IOException e) {
        String where = "Graph at " + config.endpoints().graph();
        if (e instanceof HttpConnectTimeoutException) {
            return new DeliveryFailedException(Reason.CONNECTION_TIMEOUT, where + " did not accept a connection in time",
                    null, null, e);
        }
        if (e instanceof HttpTimeoutException) {
            return new DeliveryFailedException(Reason.READ_TIMEOUT, where + " did not answer in time", null, null, e);
        }
        if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
            return new DeliveryFailedException(Reason.CONNECTION_REFUSED, where + " refused the connection", null, null, e);
        }
        if (e instanceof SSLHandshakeException) {
            return new DeliveryFailedException(Reason.TLS_CERTIFICATE_UNTRUSTED, where + " presented a certificate "
                    + "that is not trusted", null, null, e);
        }
        return new DeliveryFailedException(Reason.SERVER_ERROR, where + " failed: " + e.getClass().getSimpleName()
                + ": " + MsalFailures.redact(String.valueOf(e.getMessage()), config), null, null, e);
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

    private static String find(Pattern p, String body) {
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
