package org.emailconfig.core.internal.smtp;

import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

import org.eclipse.angus.mail.util.MailConnectException;
import org.eclipse.angus.mail.util.SocketConnectException;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.DeliveryStep;
import org.emailconfig.api.DiagnosisReport.Outcome;
import org.emailconfig.api.DiagnosisReport.Step;
import org.emailconfig.api.DiagnosisReport;
import org.emailconfig.api.Encryption;
import org.emailconfig.api.LocalizedText;
import org.emailconfig.api.Reason;
import org.emailconfig.api.SmtpServer;
import org.emailconfig.api.spi.SmtpLogin;
import org.emailconfig.core.internal.text.CoreTexts;
import org.emailconfig.core.internal.text.LogSafe;
import org.jspecify.annotations.Nullable;

/**
 * Checks an SMTP server step by step on the connector's own code path (Angus Mail with the engine's
 * settings), noting when each step began and ended and what the server said, then closes without
 * sending. Where a step fails because of a setting that can be found out safely, it looks again the other
 * way (a TLS handshake on a port that never greeted, a plain greeting on a port that refused TLS).
 */
final class SmtpDiagnosis {

    /** A certificate that expires sooner than this is a warning. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    private final AngusSmtpConnector connector;
    private final SmtpProbe probe;
    private final Clock clock;

    SmtpDiagnosis(AngusSmtpConnector connector, SmtpProbe probe, Clock clock) {
        this.connector = connector;
        this.probe = probe;
        this.clock = clock;
    }

    DiagnosisReport diagnose(SmtpServer server, SmtpLogin login) {
        List<Step> steps = new ArrayList<>();
        List<LocalizedText> advice = new ArrayList<>();
        long started = System.nanoTime();
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(server.host());
        } catch (UnknownHostException e) {
            steps.add(new Step(Step.RESOLVE, Outcome.FAILED, since(started),
                    CoreTexts.text("diag.resolve.failed", server.host()), Map.of()));
            DeliveryFailedException failure = SmtpFailures.classify(new MailConnectException(new SocketConnectException(
                    "Couldn't connect to host", e, server.host(), server.port(), -1)), server, List.of(),
                    DeliveryStep.RESOLVE, null);
            return new DiagnosisReport(steps, advice, failure);
        }
        String resolved = Arrays.stream(addresses).map(InetAddress::getHostAddress).distinct()
                .collect(Collectors.joining(", "));
        steps.add(new Step(Step.RESOLVE, Outcome.PASSED, since(started),
                CoreTexts.text("diag.resolve.passed", server.host(), resolved), Map.of("addresses", resolved)));

        Timeline timeline = new Timeline();
        TrackingSmtpTransport transport = connector.transport(server, login);
        transport.record(timeline);
        DeliveryFailedException failure = null;
        try {
            connector.open(transport, server, login);
        } catch (DeliveryFailedException e) {
            failure = e;
        }
        long finished = System.nanoTime();
        try {
            List<Phase> phases = timeline.phases;
            Phase lastPhase = phases.isEmpty() ? null : phases.get(phases.size() - 1);
            boolean stoppedInDialogue = failure != null && !authFailure(failure);
            // The step in progress failed, or the one that just ended when its answer was a refusal.
            boolean lastFailed = stoppedInDialogue && lastPhase != null
                    && (lastPhase.end < 0 || lastPhase.id.equals(failedStepId(failure)));
            for (int i = 0; i < phases.size(); i++) {
                Phase p = phases.get(i);
                boolean failedHere = lastFailed && p == lastPhase;
                steps.add(step(p, failedHere, finished, server, transport, phases.size() > i + 1, advice));
            }
            if (stoppedInDialogue && !lastFailed) {
                // The dialogue stopped between steps (STARTTLS refused, not offered): that step failed.
                long from = phases.isEmpty() ? finished : phases.get(phases.size() - 1).end;
                String id = failedStepId(failure);
                steps.add(new Step(id, Outcome.FAILED, Duration.ofNanos(finished - from), summary(id, false, server,
                        Map.of()), Map.of()));
            }
            addAuthentication(steps, phases, failure, finished, transport, login);
            if (failure != null) {
                int before = advice.size();
                lookTheOtherWay(failure, server, advice);
                if (advice.size() > before) {
                    // What was found by looking beats the guess the failure's hint made from the port number: the
                    // report gives one piece of advice, not two that may contradict each other.
                    failure = failure.toBuilder().hint(advice.remove(advice.size() - 1)).build();
                }
            }
            if (login != SmtpLogin.none() && server.encryption() == Encryption.NONE) {
                // Only reached where the host allowed it (or on loopback): still say what it costs, and the way out.
                advice.add(transport.supportsExtension("STARTTLS")
                        ? CoreTexts.text("advice.unencrypted.starttls", server.host())
                        : CoreTexts.text("advice.unencrypted", server.host()));
            }
        } finally {
            AngusSmtpConnector.closeQuietly(transport);
        }
        return new DiagnosisReport(steps, advice, failure);
    }

    /** The dialogue got as far as authentication (offered mechanisms, the login itself) and failed there. */
    private static boolean authFailure(DeliveryFailedException f) {
        return f.step().orElse(null) == DeliveryStep.AUTH;
    }

    private static String failedStepId(@Nullable DeliveryFailedException f) {
        if (f == null) {
            return Step.CONNECT;
        }
        DeliveryStep s = f.step().orElse(DeliveryStep.CONNECT);
        return switch (s) {
            case RESOLVE -> Step.RESOLVE;
            case TLS -> Step.TLS;
            case GREETING -> Step.GREETING;
            case EHLO -> Step.EHLO;
            case STARTTLS -> Step.STARTTLS;
            case AUTH -> Step.AUTH;
            default -> Step.CONNECT;
        };
    }

    private Step step(Phase p, boolean failed, long finished, SmtpServer server, TrackingSmtpTransport transport,
                      boolean later, List<LocalizedText> advice) {
        Duration took = Duration.ofNanos((p.end < 0 ? finished : p.end) - p.start);
        Map<String, String> facts = new LinkedHashMap<>();
        Outcome outcome = failed ? Outcome.FAILED : Outcome.PASSED;
        switch (p.id) {
            case Step.CONNECT -> remote(transport).ifPresent(a -> facts.put("address", a));
            case Step.GREETING -> facts.put("reply", firstLine(p.facts.get("reply")));
            case Step.EHLO -> facts.put("capabilities", String.join(", ", capabilities(p.facts.get("capabilities"))));
            case Step.TLS, Step.STARTTLS -> {
                // The session is read only once the handshake is over (a later step began); otherwise the
                // certificate comes from a look that trusts anything, to show what was refused.
                Optional<SSLSession> session = later ? handshaken(transport) : Optional.empty();
                if (session.isEmpty() && failed) {
                    session = p.id.equals(Step.TLS) ? probe.tls(server.host(), server.port())
                            : probe.startTls(server.host(), server.port());
                }
                session.ifPresent(s -> tlsFacts(s, facts));
                if (!failed && expiresSoon(facts)) {
                    outcome = Outcome.WARNING;
                    advice.add(CoreTexts.text("advice.certificate.expiring", facts.getOrDefault("expires", ""),
                            facts.getOrDefault("daysLeft", "")));
                }
            }
            default -> {
            }
        }
        return new Step(p.id, outcome, took, summary(p.id, !failed, server, facts), facts);
    }

    private void addAuthentication(List<Step> steps, List<Phase> phases, @Nullable DeliveryFailedException failure,
                                   long finished, TrackingSmtpTransport transport, SmtpLogin login) {
        boolean reachedAuth = failure == null || authFailure(failure);
        if (!reachedAuth) {
            return;
        }
        if (login == SmtpLogin.none()) {
            steps.add(new Step(Step.AUTH, Outcome.SKIPPED, Duration.ZERO, CoreTexts.text("diag.auth.skipped"), Map.of()));
            return;
        }
        String offered = Optional.ofNullable(transport.getExtensionParameter("AUTH")).orElse("").strip();
        Map<String, String> mechanismFacts = Map.of("mechanisms", offered);
        boolean noMechanism = failure != null && (failure.reason() == Reason.AUTH_NOT_OFFERED
                || failure.reason() == Reason.AUTH_MECHANISM_UNSUPPORTED);
        long lastEnd = phases.isEmpty() ? finished : Math.max(0, phases.get(phases.size() - 1).end);
        if (noMechanism) {
            steps.add(new Step(Step.AUTH_MECHANISMS, Outcome.FAILED, Duration.ofNanos(finished - lastEnd),
                    offered.isEmpty() ? CoreTexts.text("diag.mechanisms.none")
                            : CoreTexts.text("diag.mechanisms.unusable", offered, usable(login)), mechanismFacts));
            return;
        }
        steps.add(new Step(Step.AUTH_MECHANISMS, Outcome.PASSED, Duration.ZERO,
                CoreTexts.text("diag.mechanisms.passed", offered, usable(login)), mechanismFacts));
        String user = login instanceof SmtpLogin.Password p ? p.username()
                : login instanceof SmtpLogin.XOAuth2 x ? x.username() : "";
        steps.add(new Step(Step.AUTH, failure == null ? Outcome.PASSED : Outcome.FAILED, Duration.ofNanos(finished - lastEnd),
                CoreTexts.text(failure == null ? "diag.auth.passed" : "diag.auth.failed", LogSafe.present(user)),
                failure == null ? Map.of("user", LogSafe.present(user))
                        : Map.of("user", LogSafe.present(user), "reply", failure.serverReply().orElse(""))));
    }

    private static String usable(SmtpLogin login) {
        return login instanceof SmtpLogin.XOAuth2 ? "XOAUTH2" : "PLAIN, LOGIN";
    }

    /** A port/encryption mismatch shows in how the port answers the other way; nothing secret goes out. */
    private void lookTheOtherWay(DeliveryFailedException failure, SmtpServer server, List<LocalizedText> advice) {
        DeliveryStep at = failure.step().orElse(null);
        if (server.encryption() != Encryption.SSL_TLS && at == DeliveryStep.GREETING
                && failure.reason() == Reason.READ_TIMEOUT) {
            if (probe.tls(server.host(), server.port()).isPresent()) {
                advice.add(CoreTexts.text("advice.port.tls", server.port()));
            }
        } else if (server.encryption() == Encryption.SSL_TLS && failure.reason() == Reason.TLS_HANDSHAKE) {
            probe.plain(server.host(), server.port()).ifPresent(plain -> advice.add(CoreTexts.text(
                    plain.offersStartTls() ? "advice.port.starttls" : "advice.port.plain", server.port())));
        }
    }

    private static LocalizedText summary(String id, boolean passed, SmtpServer server, Map<String, String> facts) {
        String state = passed ? "passed" : "failed";
        return switch (id) {
            case Step.CONNECT -> CoreTexts.text("diag.connect." + state, server.host(), server.port());
            case Step.TLS, Step.STARTTLS -> passed || facts.containsKey("subject")
                    ? CoreTexts.text("diag." + id + "." + state + ".certificate", facts.getOrDefault("protocol", "?"),
                            facts.getOrDefault("subject", "?"), facts.getOrDefault("issuer", "?"),
                            facts.getOrDefault("expires", "?"))
                    : CoreTexts.text("diag." + id + "." + state);
            case Step.GREETING -> passed ? CoreTexts.text("diag.greeting.passed", facts.getOrDefault("reply", ""))
                    : CoreTexts.text("diag.greeting.failed");
            case Step.EHLO -> passed ? CoreTexts.text("diag.ehlo.passed", facts.getOrDefault("capabilities", ""))
                    : CoreTexts.text("diag.ehlo.failed");
            default -> CoreTexts.text("diag.step." + state);
        };
    }

    private static Optional<String> remote(TrackingSmtpTransport transport) {
        return transport.sockets().stream().map(Socket::getInetAddress).filter(a -> a != null)
                .map(InetAddress::getHostAddress).findFirst();
    }

    private static Optional<SSLSession> handshaken(TrackingSmtpTransport transport) {
        List<Socket> sockets = transport.sockets();
        for (int i = sockets.size() - 1; i >= 0; i--) {
            if (sockets.get(i) instanceof SSLSocket tls) {
                return Optional.of(tls.getSession());
            }
        }
        return Optional.empty();
    }

    private void tlsFacts(SSLSession session, Map<String, String> facts) {
        facts.put("protocol", session.getProtocol());
        facts.put("cipher", session.getCipherSuite());
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate c) {
                facts.put("subject", c.getSubjectX500Principal().getName());
                facts.put("issuer", c.getIssuerX500Principal().getName());
                Instant notAfter = c.getNotAfter().toInstant();
                facts.put("expires", notAfter.atOffset(ZoneOffset.UTC).toLocalDate().toString());
                facts.put("daysLeft", Long.toString(Duration.between(clock.instant(), notAfter).toDays()));
            }
        } catch (SSLPeerUnverifiedException e) {
            // No certificate to show.
        }
    }

    private static boolean expiresSoon(Map<String, String> facts) {
        String days = facts.get("daysLeft");
        return days != null && Long.parseLong(days) < EXPIRY_WARNING.toDays();
    }

    private static String firstLine(@Nullable String reply) {
        if (reply == null) {
            return "";
        }
        String line = reply.lines().findFirst().orElse("").strip();
        return LogSafe.present(line);
    }

    /** The keywords of an EHLO reply, without the first line (the server's name). */
    private static List<String> capabilities(@Nullable String reply) {
        if (reply == null) {
            return List.of();
        }
        List<String> lines = reply.lines().toList();
        List<String> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i);
            out.add(LogSafe.text(l.length() > 4 ? l.substring(4).strip() : l.strip()));
        }
        return out;
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** When each step of a connect began and ended, and what the server said in it. */
    static final class Timeline {
        private final List<Phase> phases = new ArrayList<>();
        private @Nullable Phase open;

        synchronized void begin(String id) {
            long now = System.nanoTime();
            if (open != null) {
                open.end = now;
            }
            open = new Phase(id, now);
            phases.add(open);
        }

        /** A TLS socket was layered on the TCP connection: with SSL/TLS, the handshake starts now. */
        synchronized void tlsLayered() {
            if (open != null && open.id.equals(Step.CONNECT)) {
                begin(Step.TLS);
            }
        }

        synchronized void end(String fact, @Nullable String value) {
            if (open != null) {
                open.end = System.nanoTime();
                if (value != null) {
                    open.facts.put(fact, value);
                }
                open = null;
            }
        }
    }

    private static final class Phase {
        final String id;
        final long start;
        long end = -1;
        final Map<String, String> facts = new LinkedHashMap<>();

        Phase(String id, long start) {
            this.id = id;
            this.start = start;
        }
    }
}
