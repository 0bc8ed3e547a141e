package org.emailconfig.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLSocket;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A small SMTP server on 127.0.0.1 that answers each stage with a reply the test chooses, for what
 * GreenMail cannot do: STARTTLS, exact Microsoft 365 reply codes ({@code 535 5.7.139},
 * {@code 554 5.2.252}), a server that requires AUTH. Plain, STARTTLS or implicit TLS, with the
 * {@link TestCertificates testkit certificate}. Each reply goes out in a single write, so the server adds no latency of its own.
 *
 * <pre>{@code
 * @RegisterExtension
 * final ScriptedSmtpServer smtp = ScriptedSmtpServer.withImplicitTls()
 *         .reply(ScriptedSmtpServer.Stage.AUTH, "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.");
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class ScriptedSmtpServer implements BeforeEachCallback, AfterEachCallback, AutoCloseable {

    /** Where in the dialogue a reply is given. */
    public enum Stage {
        /** On connect. */
        GREETING("220 scripted.sandbox.test ESMTP ready"),
        /** To EHLO; a multi-line reply is given with {@code \r\n} between lines. */
        EHLO("250-scripted.sandbox.test\r\n250-AUTH PLAIN LOGIN XOAUTH2\r\n250-8BITMIME\r\n250 SMTPUTF8"),
        /** After the AUTH exchange. */
        AUTH("235 2.7.0 Authentication successful"),
        /** To MAIL FROM. */
        MAIL("250 2.1.0 Sender OK"),
        /** To RCPT TO. */
        RCPT("250 2.1.5 Recipient OK"),
        /** To DATA. */
        DATA("354 Start mail input; end with <CRLF>.<CRLF>"),
        /** After the terminating dot. */
        END_OF_DATA("250 2.0.0 OK queued"),
        /** To STARTTLS, where it is offered; a reply other than 220 refuses the upgrade. */
        STARTTLS("220 2.0.0 SMTP server ready");

        private final String defaultReply;

        Stage(String defaultReply) {
            this.defaultReply = defaultReply;
        }
    }

    private final boolean implicitTls;
    private final boolean startTls;
    private final Map<Stage, String> replies = new EnumMap<>(Stage.class);
    // Set by the test thread while connections run.
    private final Map<Stage, Misbehaviour> misbehaviours = java.util.Collections.synchronizedMap(new EnumMap<>(Stage.class));
    private final Map<String, String> recipientReplies = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Stage, java.util.Queue<String>> onceReplies = new java.util.concurrent.ConcurrentHashMap<>();

    /** What the server does instead of replying at a stage. */
    private enum Misbehaviour {
        /** Never answers; the connection stays open until the client or the server closes it. */
        HANG,
        /** Drops the connection at once with a TCP reset. */
        RESET,
        /** Replies as usual, then never reads again: the client's writes block once the buffers are full. */
        STOP_READING,
        /** Replies as usual, but only after a delay. */
        LATE
    }
    private final Map<Stage, java.time.Duration> delays = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final List<List<String>> envelopes = new CopyOnWriteArrayList<>();
    private volatile int recipientLimit = Integer.MAX_VALUE;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger peakConcurrent = new AtomicInteger();
    private volatile int connectionLimit = Integer.MAX_VALUE;
    private volatile double dropFraction;
    private volatile java.util.Random dropDice = new java.util.Random(0);
    private final List<java.time.Instant> acceptedAt = new CopyOnWriteArrayList<>();
    private final AtomicInteger tlsUpgrades = new AtomicInteger();
    private volatile @Nullable ServerSocket server;
    private volatile @Nullable Thread acceptor;
    private volatile String @Nullable [] tlsProtocols;
    private volatile javax.net.ssl.SSLContext tlsContext = TestCertificates.serverContext();
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

    private ScriptedSmtpServer(boolean implicitTls, boolean startTls) {
        this.implicitTls = implicitTls;
        this.startTls = startTls;
        for (Stage s : Stage.values()) {
            replies.put(s, s.defaultReply);
        }
        if (startTls) {
            replies.put(Stage.EHLO, "250-scripted.sandbox.test\r\n250-STARTTLS\r\n250-AUTH PLAIN LOGIN XOAUTH2\r\n"
                    + "250-8BITMIME\r\n250 SMTPUTF8");
        }
    }

    /**
     * A plain-text server.
     *
     * @return a server, not yet started
     */
    public static ScriptedSmtpServer plain() {
        return new ScriptedSmtpServer(false, false);
    }

    /**
     * A plain-text server that offers STARTTLS (advertised in EHLO) and upgrades with the testkit
     * certificate, as a submission server on port 587 does.
     *
     * @return a server, not yet started
     */
    public static ScriptedSmtpServer withStartTls() {
        return new ScriptedSmtpServer(false, true);
    }

    /**
     * A server with implicit TLS, presenting the testkit certificate.
     *
     * @return a server, not yet started
     */
    public static ScriptedSmtpServer withImplicitTls() {
        return new ScriptedSmtpServer(true, false);
    }

    /**
     * Limits the TLS versions the server speaks (implicit TLS and STARTTLS), for example to
     * {@code TLSv1.2}, whose closing differs from TLS 1.3's, or to a version the client must refuse. Call
     * before {@link #start()}; by default the JDK's.
     *
     * @param protocols JSSE protocol names such as {@code TLSv1.2}
     * @return this
     */
    public ScriptedSmtpServer tlsProtocols(String... protocols) {
        this.tlsProtocols = protocols.clone();
        return this;
    }

    /**
     * Sets the certificate the server presents (implicit TLS and STARTTLS), for example
     * {@link TestCertificates#serverContextNamedElsewhere()}. Call before {@link #start()}; by default
     * {@link TestCertificates#serverContext()}.
     *
     * @param context a server-side TLS context
     * @return this
     */
    public ScriptedSmtpServer tlsContext(javax.net.ssl.SSLContext context) {
        this.tlsContext = java.util.Objects.requireNonNull(context, "context");
        return this;
    }

    /**
     * Sets the reply for a stage, for all following connections.
     *
     * @param stage the stage
     * @param reply the full reply, e.g. {@code 535 5.7.3 Authentication unsuccessful}
     * @return this
     */
    public ScriptedSmtpServer reply(Stage stage, String reply) {
        replies.put(stage, reply);
        return this;
    }

    /**
     * Gives a reply at a stage once, on the next time the stage is reached (on any connection); after
     * that the stage's usual reply applies again. Calls queue up.
     *
     * @param stage the stage
     * @param reply the full reply
     * @return this
     */
    public ScriptedSmtpServer replyOnce(Stage stage, String reply) {
        onceReplies.computeIfAbsent(stage, k -> new java.util.concurrent.ConcurrentLinkedQueue<>()).add(reply);
        return this;
    }

    private String replyFor(Stage stage) {
        java.util.Queue<String> once = onceReplies.get(stage);
        String r = once == null ? null : once.poll();
        // Every stage has a reply from construction on.
        return r != null ? r : java.util.Objects.requireNonNull(replies.get(stage));
    }

    /**
     * Makes the server stop answering at a stage (it reads the command and says nothing), as a server
     * that hangs does; the client's read timeout then ends the dialogue.
     *
     * @param stage the stage; {@link Stage#GREETING} means no greeting at all
     * @return this
     */
    public ScriptedSmtpServer hang(Stage stage) {
        misbehaviours.put(stage, Misbehaviour.HANG);
        return this;
    }

    /**
     * Makes the server give its reply at a stage only after a delay, as a server that is slow rather than
     * dead: a client whose read timeout is shorter gives up first, and the late reply then reaches a socket
     * the client must not wait on again (for example while closing).
     *
     * @param stage the stage; {@link Stage#GREETING} delays the greeting
     * @param delay how long to wait before replying
     * @return this
     */
    public ScriptedSmtpServer replyLate(Stage stage, java.time.Duration delay) {
        delays.put(stage, delay);
        misbehaviours.put(stage, Misbehaviour.LATE);
        return this;
    }

    /**
     * Makes the server give its usual reply at a stage and then never read again, as a server that is
     * swamped or whose disk is full: at {@link Stage#DATA} the client is told to send the message and its
     * writes block once the socket buffers are full (the server shrinks its receive buffer to 4 KiB), so only
     * the client's write timeout ends the dialogue. Takes effect for connections that reach the stage after
     * the call.
     *
     * @param stage the stage
     * @return this
     */
    public ScriptedSmtpServer stopReading(Stage stage) {
        misbehaviours.put(stage, Misbehaviour.STOP_READING);
        return this;
    }

    /**
     * Makes the server drop the connection with a TCP reset instead of replying at a stage; at
     * {@link Stage#END_OF_DATA} the whole message was received and not accepted.
     *
     * @param stage the stage
     * @return this
     */
    public ScriptedSmtpServer reset(Stage stage) {
        misbehaviours.put(stage, Misbehaviour.RESET);
        return this;
    }

    /**
     * Throttles as Exchange Online does when a mailbox has too many connections open: a connection beyond the limit
     * is answered at MAIL FROM with {@code 432 4.3.2 Concurrent connections limit exceeded} (a temporary refusal) and
     * sends nothing, so a host can test that it keeps the limit. {@link #peakConnections()} says how many were open at
     * once.
     *
     * @param limit the connections that may be open at once
     * @return this
     */
    public ScriptedSmtpServer throttleConnections(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        this.connectionLimit = limit;
        return this;
    }

    /**
     * Drops a share of connections with a TCP reset at a stage picked at random (MAIL FROM, RCPT TO, DATA, or after
     * the whole message arrived, before the reply: a message the client cannot know the fate of), as an unreliable
     * network or server does. For crash and retry tests; the dice are seeded, so a run can be repeated.
     *
     * @param fraction the share of connections dropped, from 0 to 1
     * @param seed     the dice's seed
     * @return this
     */
    public ScriptedSmtpServer dropConnections(double fraction, long seed) {
        if (fraction < 0 || fraction > 1) {
            throw new IllegalArgumentException("fraction must be between 0 and 1");
        }
        this.dropDice = new java.util.Random(seed);
        this.dropFraction = fraction;
        return this;
    }

    /**
     * Answers RCPT TO for one address with its own reply; other recipients get the {@link Stage#RCPT} reply.
     *
     * @param address the recipient address, as the client writes it between the angle brackets
     * @param reply   the full reply, e.g. {@code 550 5.1.1 User unknown}
     * @return this
     */
    public ScriptedSmtpServer refuseRecipient(String address, String reply) {
        recipientReplies.put(address.toLowerCase(Locale.ROOT), reply);
        return this;
    }

    /**
     * Limits the recipients of one transaction, as Postfix's {@code smtpd_recipient_limit} does: a RCPT TO
     * beyond the limit gets {@code 452 4.5.3 Error: too many recipients}, and the client should send the
     * message to the accepted ones and give the rest to a new transaction (RFC 5321 section 4.5.3.1.10).
     *
     * @param limit recipients accepted per transaction, at least 1
     * @return this
     */
    public ScriptedSmtpServer recipientLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a recipient limit is at least 1");
        }
        this.recipientLimit = limit;
        return this;
    }

    /**
     * Starts listening on a dynamic port.
     *
     * @return this
     */
    public synchronized ScriptedSmtpServer start() {
        if (server != null) {
            return this;
        }
        try {
            InetAddress loopback = InetAddress.getByName(SandboxMailServer.HOST);
            server = implicitTls
                    ? tlsContext.getServerSocketFactory().createServerSocket(0, 50, loopback)
                    : new ServerSocket(0, 50, loopback);
            if (server instanceof javax.net.ssl.SSLServerSocket tlsServer && tlsProtocols != null) {
                tlsServer.setEnabledProtocols(tlsProtocols);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServerSocket listening = server;
        Thread acceptor = new Thread(() -> {
            while (!listening.isClosed()) {
                try {
                    Socket s = listening.accept();
                    if (listening.isClosed()) {
                        // Accepted while close() ran (the JDK closes a listening socket that a thread is blocked
                        // on only once that thread wakes): a client that came after close() gets no server.
                        s.setSoLinger(true, 0);
                        s.close();
                        return;
                    }
                    s.setTcpNoDelay(true);
                    connections.incrementAndGet();
                    open.add(s);
                    Thread t = new Thread(() -> converse(s), "scripted-smtp-" + s.getPort());
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "scripted-smtp-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        this.acceptor = acceptor;
        return this;
    }

    private void converse(Socket socket) {
        Socket s = socket;
        int openNow = concurrent.incrementAndGet();
        peakConcurrent.accumulateAndGet(openNow, Math::max);
        boolean overLimit = openNow > connectionLimit;
        Stage dropAt = null;
        if (dropFraction > 0) {
            synchronized (this) {
                if (dropDice.nextDouble() < dropFraction) {
                    Stage[] stages = {Stage.MAIL, Stage.RCPT, Stage.DATA, Stage.END_OF_DATA};
                    dropAt = stages[dropDice.nextInt(stages.length)];
                }
            }
        }
        try {
            BufferedReader in = reader(s);
            OutputStream out = s.getOutputStream();
            if (misbehave(s, Stage.GREETING)) {
                return;
            }
            send(out, replyFor(Stage.GREETING));
            List<String> accepted = new java.util.ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                commands.add(line);
                String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO", "HELO" -> {
                        if (misbehave(s, Stage.EHLO)) {
                            return;
                        }
                        send(out, replyFor(Stage.EHLO));
                    }
                    case "STARTTLS" -> {
                        if (!startTls || s instanceof SSLSocket) {
                            send(out, "502 5.5.1 STARTTLS not available");
                            continue;
                        }
                        if (misbehave(s, Stage.STARTTLS)) {
                            return;
                        }
                        String tlsReply = replyFor(Stage.STARTTLS);
                        send(out, tlsReply);
                        if (!tlsReply.startsWith("220")) {
                            continue;
                        }
                        SSLSocket tls = (SSLSocket) tlsContext.getSocketFactory()
                                .createSocket(s, s.getInetAddress().getHostAddress(), s.getPort(), true);
                        tls.setUseClientMode(false);
                        if (tlsProtocols != null) {
                            tls.setEnabledProtocols(tlsProtocols);
                        }
                        tls.startHandshake();
                        open.add(tls);
                        s = tls;
                        in = reader(s);
                        out = s.getOutputStream();
                        tlsUpgrades.incrementAndGet();
                    }
                    case "AUTH" -> {
                        if (!authenticate(s, line, in, out)) {
                            return;
                        }
                    }
                    case "MAIL" -> {
                        if (misbehave(s, Stage.MAIL, dropAt)) {
                            return;
                        }
                        accepted.clear();
                        String reply = overLimit ? "432 4.3.2 Concurrent connections limit exceeded. Visit "
                                + "https://aka.ms/concurrent_sending for more information." : replyFor(Stage.MAIL);
                        send(out, reply);
                        if (reply.startsWith("421")) {
                            hangUpAfter421(s, in);
                            return;
                        }
                    }
                    case "RCPT" -> {
                        if (misbehave(s, Stage.RCPT, dropAt)) {
                            return;
                        }
                        // A recipient with its own reply leaves a queued once-reply for the next one.
                        String own = recipientReplies.get(recipientOf(line));
                        String reply = accepted.size() >= recipientLimit ? "452 4.5.3 Error: too many recipients"
                                : own != null ? own : replyFor(Stage.RCPT);
                        if (reply.startsWith("2")) {
                            accepted.add(recipientOf(line));
                        }
                        send(out, reply);
                        if (reply.startsWith("421")) {
                            hangUpAfter421(s, in);
                            return;
                        }
                    }
                    case "DATA" -> {
                        if (misbehave(s, Stage.DATA, dropAt)) {
                            return;
                        }
                        String reply = replyFor(Stage.DATA);
                        send(out, reply);
                        if (reply.startsWith("354")) {
                            StringBuilder message = new StringBuilder();
                            while ((line = in.readLine()) != null && !line.equals(".")) {
                                message.append(line.startsWith("..") ? line.substring(1) : line).append("\r\n");
                            }
                            if (misbehave(s, Stage.END_OF_DATA, dropAt)) {
                                return;
                            }
                            String endReply = replyFor(Stage.END_OF_DATA);
                            if (endReply.startsWith("2")) {
                                envelopes.add(List.copyOf(accepted));
                                acceptedAt.add(java.time.Instant.now());
                            }
                            messages.add(message.toString());
                            accepted.clear();
                            send(out, endReply);
                        }
                    }
                    case "RSET" -> {
                        accepted.clear();
                        send(out, "250 2.0.0 OK");
                    }
                    case "NOOP" -> send(out, "250 2.0.0 OK");
                    case "QUIT" -> {
                        send(out, "221 2.0.0 Bye");
                        return;
                    }
                    default -> send(out, "500 5.5.1 Command unrecognized");
                }
            }
        } catch (IOException e) {
            // The client went away or gave up on the handshake; nothing to report.
        } finally {
            concurrent.decrementAndGet();
            try {
                s.close();
            } catch (IOException ignored) {
                // Already closed.
            }
        }
    }

    /**
     * "Service not available, closing transmission channel" (RFC 5321): a real server hangs up, and a command
     * the client still sends reaches a closed socket, whose kernel answers with a TCP reset. Done here in that
     * order, so the client's next read fails with a reset every time rather than when the timing falls so.
     */
    private static void hangUpAfter421(Socket s, BufferedReader in) throws IOException {
        s.setSoTimeout(2000);
        try {
            in.readLine();
        } catch (java.net.SocketTimeoutException quiet) {
            // The client sent nothing more: a plain hang-up.
        }
        s.setSoLinger(true, 0);
        s.close();
    }

    /** Holds a connection without reading until the server is closed. */
    private void awaitClose() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static BufferedReader reader(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    }

    private static String recipientOf(String rcptLine) {
        int lt = rcptLine.indexOf('<');
        int gt = rcptLine.indexOf('>', lt + 1);
        return lt >= 0 && gt > lt ? rcptLine.substring(lt + 1, gt).toLowerCase(Locale.ROOT) : "";
    }

    /**
     * Does what the test asked for at a stage instead of replying.
     *
     * @return true when the dialogue ends here
     */
    private boolean misbehave(Socket s, Stage stage, @Nullable Stage dropAt) throws IOException {
        if (stage == dropAt) {
            s.setSoLinger(true, 0);
            s.close();
            return true;
        }
        return misbehave(s, stage);
    }

    private boolean misbehave(Socket s, Stage stage) throws IOException {
        Misbehaviour m = misbehaviours.get(stage);
        if (m == null) {
            return false;
        }
        if (m == Misbehaviour.RESET) {
            s.setSoLinger(true, 0);
            s.close();
            return true;
        }
        if (m == Misbehaviour.LATE) {
            try {
                Thread.sleep(delays.getOrDefault(stage, java.time.Duration.ZERO).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
            return false;
        }
        if (m == Misbehaviour.STOP_READING) {
            s.setReceiveBufferSize(4096);
            send(s.getOutputStream(), replyFor(stage));
            awaitClose();
            return true;
        }
        // HANG: read (and drop) whatever the client sends until it gives up or the server closes.
        byte[] sink = new byte[1024];
        while (s.getInputStream().read(sink) >= 0) {
            // Keep draining.
        }
        return true;
    }

    /** Runs the AUTH exchange; false when the dialogue ends here. */
    private boolean authenticate(Socket s, String line, BufferedReader in, OutputStream out) throws IOException {
        String[] parts = line.split(" ");
        String mechanism = parts.length > 1 ? parts[1].toUpperCase(Locale.ROOT) : "";
        if (parts.length == 2 && mechanism.equals("LOGIN")) {
            send(out, "334 VXNlcm5hbWU6");
            commands.add(in.readLine());
            send(out, "334 UGFzc3dvcmQ6");
            commands.add(in.readLine());
        } else if (parts.length == 2) {
            send(out, "334 ");
            commands.add(in.readLine());
        }
        if (misbehave(s, Stage.AUTH)) {
            return false;
        }
        send(out, replyFor(Stage.AUTH));
        return true;
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * The port.
     *
     * @return the bound port
     */
    public int port() {
        if (server == null) {
            throw new IllegalStateException("the scripted SMTP server is not running");
        }
        return server.getLocalPort();
    }

    /**
     * Every command line received, in order, including AUTH lines and their continuation lines.
     *
     * @return a snapshot
     */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    /**
     * The raw messages received (between DATA and the dot), dot-unstuffed.
     *
     * @return a snapshot
     */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    /**
     * The recipients of each message the server accepted (a 2xx reply to the terminating dot), in order,
     * lower-cased as the client wrote them in RCPT TO: who got which copy.
     *
     * @return a snapshot
     */
    public List<List<String>> envelopes() {
        return List.copyOf(envelopes);
    }

    /**
     * The most connections that were open at once since the server started.
     *
     * @return zero or more
     */
    public int peakConnections() {
        return peakConcurrent.get();
    }

    /**
     * When the server accepted each message (its 2xx reply to the end of the message), in order.
     *
     * @return a snapshot
     */
    public List<java.time.Instant> acceptedAt() {
        return List.copyOf(acceptedAt);
    }

    /**
     * How many connections were accepted.
     *
     * @return the count
     */
    public int connections() {
        return connections.get();
    }

    /**
     * How many connections were upgraded with STARTTLS.
     *
     * @return the count
     */
    public int tlsUpgrades() {
        return tlsUpgrades.get();
    }

    /** Stops listening and cuts open connections. Idempotent. */
    @Override
    public synchronized void close() {
        closed.countDown();
        try {
            if (server != null) {
                server.close();
            }
            // Until the accepting thread has left accept(), the kernel still listens: wait for it, so that a
            // connection attempt after close() is refused, as with a server that is really gone.
            Thread a = acceptor;
            if (a != null) {
                a.join(5_000);
            }
            for (Socket s : open) {
                s.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server = null;
            acceptor = null;
            open.clear();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }
}
