package org.emailconfig.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.emailconfig.api.Actor;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Notification;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.core.EmailConfig;
import org.emailconfig.core.internal.smtp.StreamProviderLookup;

/**
 * Notifications at wire speed, one interleaved run: Postfix's {@code smtp-source} (1 and N sessions), raw
 * Angus Mail (one kept-open connection; N threads with one connection each) and this library (1 and N
 * threads), all sending 1 KiB messages to Postfix's {@code smtp-sink} on 127.0.0.1. Every JVM client runs in a
 * fresh JVM of its own (so a global setting one makes cannot help another), warms up, then counts messages
 * and the JVM's CPU time over a fixed window. Prints msg/s, client CPU per message, and the ratios of like with
 * like (see {@link Kind}).
 *
 * <p>Arguments: {@code --smtp-sink PATH --smtp-source PATH [--threads N] [--rounds R] [--seconds S]
 * [--warmup S] [--no-jmh]}; a child is started with {@code --client KIND --port P}.
 */
public final class WireSpeedBenchmark {

    /**
     * The clients measured, in the order each round runs them. Like with like: every client keeps its connections
     * open ({@code smtp-source -d}), and every raw Angus client the ratios use names the StreamProvider as the
     * library does. Two more are measured for information only, each labelled: {@code smtp-source} without
     * {@code -d} (a new connection and EHLO per message) and raw Angus as it comes (searching for the
     * StreamProvider on every message).
     */
    enum Kind {
        SOURCE_1("Postfix smtp-source -d, 1 session"),
        SOURCE_1_RECONNECTING("Postfix smtp-source without -d (a connection per message), 1 session"),
        RAW_1("raw Angus Mail, one kept-open connection, StreamProvider named"),
        RAW_1_SEARCHING("raw Angus Mail, one connection, StreamProvider searched (Angus's default)"),
        LIBRARY_1("this library, 1 thread"),
        SOURCE_N("Postfix smtp-source -d, %d sessions"),
        RAW_N("raw Angus Mail, %d threads, one connection each, StreamProvider named"),
        LIBRARY_N("this library, %d threads");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        boolean many() {
            return name().endsWith("_N");
        }
    }

    /** One measurement. */
    record Result(long messages, double seconds, long cpuNanos) {
        double rate() {
            return messages / seconds;
        }

        double cpuMicrosPerMessage() {
            return cpuNanos / 1_000.0 / messages;
        }
    }

    static final String BODY = "x".repeat(76).concat("\r\n").repeat(13) + "end\r\n";
    private static final Pattern RESULT = Pattern.compile("RESULT messages=(\\d+) seconds=([0-9.]+) cpu=(\\d+)");

    private WireSpeedBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = options(args);
        if (a.containsKey("client")) {
            client(Kind.valueOf(a.get("client")), Integer.parseInt(a.get("port")), Integer.parseInt(a.get("threads")),
                    Double.parseDouble(a.get("seconds")), Double.parseDouble(a.get("warmup")));
            return;
        }
        int threads = Integer.parseInt(a.getOrDefault("threads", "4"));
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "3"));
        double seconds = Double.parseDouble(a.getOrDefault("seconds", "4"));
        double warmup = Double.parseDouble(a.getOrDefault("warmup", "3"));
        int port = freePort();
        Process sink = startSink(a.get("smtp-sink"), port);
        try {
            awaitPort(port);
            say("smtp-sink on 127.0.0.1:%d; %d round(s) of %.0f s per client after %.0f s of warm-up; N = %d; "
                    + "%d cores", port, rounds, seconds, warmup, threads, Runtime.getRuntime().availableProcessors());
            Map<Kind, List<Result>> results = new EnumMap<>(Kind.class);
            Map<Kind, Double> lastRate = new EnumMap<>(Kind.class);
            for (int r = 1; r <= rounds; r++) {
                for (Kind k : Kind.values()) {
                    int n = k.many() ? threads : 1;
                    Result res = k.name().startsWith("SOURCE")
                            ? source(a.get("smtp-source"), port, n, k != Kind.SOURCE_1_RECONNECTING, seconds,
                                    lastRate.get(k))
                            : child(k, port, n, seconds, warmup);
                    lastRate.put(k, res.rate());
                    results.computeIfAbsent(k, x -> new ArrayList<>()).add(res);
                    say("  round %d  %-55s %8.0f msg/s  %6.1f µs CPU/msg", r, String.format(k.label, n), res.rate(),
                            res.cpuMicrosPerMessage());
                }
            }
            report(results, threads);
        } finally {
            sink.destroy();
        }
        if (!a.containsKey("no-jmh")) {
            say("%nJMH: the in-JVM parts (composition and serialisation, the snapshot read)");
            org.openjdk.jmh.Main.main(new String[] {"-f", "1", "-wi", "3", "-i", "5", "-w", "1s", "-r", "1s",
                    "org.emailconfig"});
        }
    }

    private static void report(Map<Kind, List<Result>> results, int threads) {
        say("%nMedians over the rounds (1 KiB messages, loopback, smtp-sink):");
        say("| client | msg/s | client CPU per message |");
        say("|---|---:|---:|");
        Map<Kind, Double> rate = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            List<Result> rs = results.get(k);
            double r = median(rs.stream().mapToDouble(Result::rate).toArray());
            double cpu = median(rs.stream().mapToDouble(Result::cpuMicrosPerMessage).toArray());
            rate.put(k, r);
            say("| %s | %,.0f | %.0f µs |", String.format(k.label, threads), r, cpu);
        }
        say("%nRatios, like with like (connections kept open on both sides, StreamProvider named on both sides):");
        ratio("library 1 thread / raw Angus 1 connection", rate.get(Kind.LIBRARY_1) / rate.get(Kind.RAW_1));
        ratio("library 1 thread / smtp-source -d 1 session", rate.get(Kind.LIBRARY_1) / rate.get(Kind.SOURCE_1));
        ratio("library N threads / raw Angus N connections", rate.get(Kind.LIBRARY_N) / rate.get(Kind.RAW_N));
        ratio("library N threads / smtp-source -d N sessions", rate.get(Kind.LIBRARY_N) / rate.get(Kind.SOURCE_N));
        say("For information only (not like with like):");
        ratio("library 1 thread / raw Angus, provider searched", rate.get(Kind.LIBRARY_1)
                / rate.get(Kind.RAW_1_SEARCHING));
        ratio("library 1 thread / smtp-source without -d", rate.get(Kind.LIBRARY_1)
                / rate.get(Kind.SOURCE_1_RECONNECTING));
    }

    private static void ratio(String what, double value) {
        say("  %-50s %.2f×", what, value);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    // ---- Postfix's tools ----------------------------------------------------------------------------------

    private static Process startSink(String sink, int port) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(sink));
        if ("root".equals(System.getProperty("user.name"))) {
            // smtp-sink refuses to keep super-user privileges after binding.
            cmd.addAll(List.of("-u", "postfix"));
        }
        cmd.addAll(List.of("127.0.0.1:" + port, "1000"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** smtp-source for about {@code seconds}, its CPU from the shell's {@code times} (children's user + system). */
    private static Result source(String source, int port, int sessions, boolean keepOpen, double seconds,
                                 Double lastRate) throws IOException, InterruptedException {
        long messages = Math.max(2_000, Math.round((lastRate == null ? 2_000 * sessions : lastRate) * seconds));
        // -d: "don't disconnect after sending a message", as the JVM clients keep theirs open.
        String script = "'" + source + "'" + (keepOpen ? " -d" : "") + " -s " + sessions + " -m " + messages
                + " -l 1024 -f noreply@bench.test "
                + "-t user@bench.test 127.0.0.1:" + port + " && times";
        long start = System.nanoTime();
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        double wall = (System.nanoTime() - start) / 1e9;
        if (code != 0) {
            throw new IllegalStateException("smtp-source failed (" + code + "): " + out);
        }
        // The second line of `times`: the children's user and system time, e.g. "0m0.074s 0m0.497s".
        List<String> lines = out.lines().filter(l -> l.matches("\\d+m[0-9.]+s \\d+m[0-9.]+s")).toList();
        String[] children = lines.get(lines.size() - 1).split(" ");
        long cpu = shellTime(children[0]) + shellTime(children[1]);
        return new Result(messages, wall, cpu);
    }

    private static long shellTime(String t) {
        Matcher m = Pattern.compile("(\\d+)m([0-9.]+)s").matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException(t);
        }
        return Math.round((Long.parseLong(m.group(1)) * 60 + Double.parseDouble(m.group(2))) * 1e9);
    }

    // ---- JVM clients, each in a JVM of its own ---------------------------------------------------------------

    private static Result child(Kind kind, int port, int threads, double seconds, double warmup)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        if (kind == Kind.RAW_1 || kind == Kind.RAW_N) {
            // What the engine does, given to raw Angus too, so a ratio measures the library's own cost.
            cmd.add("-D" + StreamProviderLookup.PROPERTY + "=org.eclipse.angus.mail.util.MailStreamProvider");
        }
        cmd.addAll(List.of(WireSpeedBenchmark.class.getName(), "--client", kind.name(), "--port", Integer.toString(port),
                "--threads", Integer.toString(threads), "--seconds", Double.toString(seconds),
                "--warmup", Double.toString(warmup)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(kind + " failed:\n" + out);
        }
        Matcher m = RESULT.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException(kind + " printed no result:\n" + out);
        }
        return new Result(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)), Long.parseLong(m.group(3)));
    }

    /** Sends from {@code threads} threads for warm-up plus the window; prints what the window counted. */
    private static void client(Kind kind, int port, int threads, double seconds, double warmup) throws Exception {
        List<Sender> senders = new ArrayList<>();
        EmailConfigurationService library = null;
        if (kind.name().startsWith("LIBRARY")) {
            library = EmailConfig.builder().inMemoryStore().applicationName("Benchmark")
                    .notificationConnections(threads).build();
            library.save(Actor.admin("bench", "admin@bench.test"), ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE)
                    .set(PasswordSmtpConfiguration.SENDER_ADDRESS, "noreply@bench.test")
                    .set(PasswordSmtpConfiguration.HOST, "127.0.0.1")
                    .set(PasswordSmtpConfiguration.PORT, Integer.toString(port))
                    .set(PasswordSmtpConfiguration.ENCRYPTION, "NONE")
                    .set(PasswordSmtpConfiguration.AUTHENTICATION, "false").build());
            EmailConfigurationService service = library;
            for (int t = 0; t < threads; t++) {
                senders.add(i -> service.notifications().send(Notification.of(EmailAddress.of("user@bench.test"),
                        "Notice " + i, BODY)));
            }
        } else {
            for (int t = 0; t < threads; t++) {
                senders.add(new RawAngus(port));
            }
        }
        AtomicLong counted = new AtomicLong();
        long[] window = new long[2];
        CountDownLatch ready = new CountDownLatch(threads);
        long warmEnd = System.nanoTime() + (long) (warmup * 1e9);
        long end = warmEnd + (long) (seconds * 1e9);
        List<Thread> running = new ArrayList<>();
        for (Sender s : senders) {
            Thread t = new Thread(() -> {
                long i = 0;
                boolean counting = false;
                try {
                    while (true) {
                        long now = System.nanoTime();
                        if (now >= end) {
                            break;
                        }
                        if (!counting && now >= warmEnd) {
                            counting = true;
                            ready.countDown();
                        }
                        s.send(i++);
                        if (counting) {
                            counted.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            running.add(t);
            t.start();
        }
        ready.await();
        window[0] = System.nanoTime();
        long cpuStart = processCpu();
        for (Thread t : running) {
            t.join();
        }
        window[1] = System.nanoTime();
        long cpu = processCpu() - cpuStart;
        if (library != null) {
            library.close();
        }
        System.out.printf(Locale.ROOT, "RESULT messages=%d seconds=%.4f cpu=%d%n", counted.get(),
                (window[1] - window[0]) / 1e9, cpu);
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Sends message number i. */
    @FunctionalInterface
    interface Sender {
        void send(long i) throws Exception;
    }

    /** What a hand-rolled sender does: one kept-open Angus connection, a new MimeMessage per notification. */
    static final class RawAngus implements Sender {
        private final Session session;
        private final Transport transport;
        private final InternetAddress from;
        private final InternetAddress to;

        RawAngus(int port) throws Exception {
            Properties p = new Properties();
            p.put("mail.smtp.host", "127.0.0.1");
            p.put("mail.smtp.port", Integer.toString(port));
            p.put("mail.smtp.connectiontimeout", "10000");
            p.put("mail.smtp.timeout", "30000");
            session = Session.getInstance(p);
            transport = session.getTransport("smtp");
            transport.connect();
            from = new InternetAddress("noreply@bench.test", "Benchmark");
            to = new InternetAddress("user@bench.test");
        }

        @Override
        public void send(long i) throws Exception {
            MimeMessage m = new MimeMessage(session);
            m.setFrom(from);
            m.setRecipient(Message.RecipientType.TO, to);
            m.setSubject("Notice " + i, "UTF-8");
            m.setText(BODY, "UTF-8");
            m.saveChanges();
            transport.sendMessage(m, m.getAllRecipients());
        }
    }

    // ---- plumbing ----------------------------------------------------------------------------------------

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String key = args[i].substring(2);
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            o.put(key, flag ? "true" : args[++i]);
        }
        return o;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                try (InputStream in = s.getInputStream()) {
                    s.setSoTimeout(2000);
                    if (in.read() >= 0) {
                        return;
                    }
                }
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("smtp-sink did not start on port " + port);
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
