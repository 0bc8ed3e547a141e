package org.emailconfig.core.internal.smtp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Looks at what a port speaks, for a diagnosis's advice, without ever sending credentials or a message:
 * whether it answers a TLS handshake, or greets in plain text and offers STARTTLS; and the certificate a
 * server presents when the real connection refused it. The certificate is read with a handshake that
 * trusts anything, which is safe because nothing follows it: the socket is closed right away.
 */
final class SmtpProbe {

    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final String localHostName;

    SmtpProbe(Duration connectTimeout, Duration readTimeout, @Nullable String localHostName) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.localHostName = localHostName == null ? "localhost" : localHostName;
    }

    /** What a plain-text look at a port found. */
    record Plain(List<String> capabilities) {
        boolean offersStartTls() {
            return capabilities.stream().anyMatch(c -> c.equalsIgnoreCase("STARTTLS"));
        }
    }

    /**
     * The TLS session a port gives when spoken to with TLS from the first byte.
     *
     * @return empty when it does not answer a handshake
     */
    Optional<SSLSession> tls(String host, int port) {
        try (Socket plain = connect(host, port); SSLSocket tls = layer(plain, host, port)) {
            tls.startHandshake();
            return Optional.of(tls.getSession());
        } catch (IOException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * The greeting and EHLO capabilities a port gives in plain text; QUIT follows.
     *
     * @return empty when it does not greet with 220 within the read timeout
     */
    Optional<Plain> plain(String host, int port) {
        try (Socket s = connect(host, port)) {
            BufferedReader in = reader(s);
            List<String> greeting = reply(in);
            if (greeting.isEmpty() || !greeting.get(0).startsWith("220")) {
                return Optional.empty();
            }
            List<String> capabilities = ehlo(s, in);
            send(s, "QUIT");
            return Optional.of(new Plain(capabilities));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The certificate chain a STARTTLS server presents, read after greeting, EHLO and STARTTLS.
     *
     * @return empty when the upgrade does not get as far as a handshake
     */
    Optional<SSLSession> startTls(String host, int port) {
        try (Socket s = connect(host, port)) {
            BufferedReader in = reader(s);
            if (!reply(in).stream().findFirst().orElse("").startsWith("220")) {
                return Optional.empty();
            }
            ehlo(s, in);
            send(s, "STARTTLS");
            if (!reply(in).stream().findFirst().orElse("").startsWith("220")) {
                return Optional.empty();
            }
            try (SSLSocket tls = layer(s, host, port)) {
                tls.startHandshake();
                return Optional.of(tls.getSession());
            }
        } catch (IOException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    private Socket connect(String host, int port) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()));
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private static SSLSocket layer(Socket plain, String host, int port) throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new ReadOnly()}, null);
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, false);
        tls.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        SSLParameters p = tls.getSSLParameters();
        if (!host.contains(":") && !host.matches("[0-9.]+")) {
            p.setServerNames(List.of(new SNIHostName(host)));
        }
        tls.setSSLParameters(p);
        return tls;
    }

    private List<String> ehlo(Socket s, BufferedReader in) throws IOException {
        send(s, "EHLO " + localHostName);
        List<String> lines = reply(in);
        List<String> capabilities = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            capabilities.add(lines.get(i).length() > 4 ? lines.get(i).substring(4).strip() : "");
        }
        return capabilities;
    }

    private static BufferedReader reader(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
    }

    private static void send(Socket s, String command) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One SMTP reply: lines until one whose fourth character is not '-'; at most 100 lines. */
    private static List<String> reply(BufferedReader in) throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null && lines.size() < 100) {
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                break;
            }
        }
        return lines;
    }

    /** Accepts any chain: used only to read a certificate, never to send anything over the connection. */
    private static final class ReadOnly implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // Not a server.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // Reading the certificate is the whole point; nothing follows the handshake.
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
