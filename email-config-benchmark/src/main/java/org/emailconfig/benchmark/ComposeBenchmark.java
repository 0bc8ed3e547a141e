package org.emailconfig.benchmark;

import java.io.OutputStream;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import jakarta.mail.internet.MimeMessage;

import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.Notification;
import org.emailconfig.api.Sender;
import org.emailconfig.core.internal.MimeComposer;
import org.emailconfig.core.internal.smtp.StreamProviderLookup;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Composing a notification and serialising it as it goes on the wire, with Jakarta Mail searching for its
 * stream provider on every message ({@code search}) and with the provider named once ({@code named}), as
 * the engine does by default.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ComposeBenchmark {

    @Param({"search", "named"})
    public String streamProvider;

    private MimeComposer composer;
    private Sender sender;
    private Notification notification;

    @Setup
    public void setUp() {
        if (streamProvider.equals("named")) {
            StreamProviderLookup.nameTheProviderOnce();
        } else {
            System.clearProperty(StreamProviderLookup.PROPERTY);
        }
        composer = new MimeComposer(Clock.systemUTC(), "Benchmark");
        sender = Sender.of(EmailAddress.of("noreply@bench.test"), "Benchmark");
        notification = Notification.of(EmailAddress.of("user@bench.test"), "Reset your password",
                WireSpeedBenchmark.BODY);
    }

    @Benchmark
    public MimeMessage compose() {
        return composer.notification(sender, notification);
    }

    @Benchmark
    public MimeMessage composeAndSerialise() throws Exception {
        MimeMessage m = composer.notification(sender, notification);
        m.writeTo(OutputStream.nullOutputStream());
        return m;
    }
}
