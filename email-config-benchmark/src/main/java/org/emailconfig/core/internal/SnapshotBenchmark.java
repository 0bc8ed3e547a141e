package org.emailconfig.core.internal;

import java.util.concurrent.TimeUnit;

import org.emailconfig.api.Actor;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.SaveOptions;
import org.emailconfig.api.TestPolicy;
import org.emailconfig.core.EmailConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The read every notification starts with: the configuration in force on this node. In the engine's package
 * (the benchmark runs on the class path) because the read is internal.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SnapshotBenchmark {

    private EmailConfigurationService service;
    private ConfigurationService engine;

    @Setup
    public void setUp() {
        service = EmailConfig.builder().inMemoryStore().build();
        // Stored although the test email cannot go out: nothing listens on port 1.
        service.save(Actor.admin("bench", "admin@bench.test"), ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE)
                .set(PasswordSmtpConfiguration.SENDER_ADDRESS, "noreply@bench.test")
                .set(PasswordSmtpConfiguration.HOST, "127.0.0.1")
                .set(PasswordSmtpConfiguration.PORT, "1")
                .set(PasswordSmtpConfiguration.ENCRYPTION, "NONE")
                .set(PasswordSmtpConfiguration.AUTHENTICATION, "false").build(),
                SaveOptions.defaults().withTestPolicy(TestPolicy.SAVE_ANYWAY));
        engine = (ConfigurationService) service;
    }

    @TearDown
    public void tearDown() {
        service.close();
    }

    @Benchmark
    @Threads(4)
    public Object snapshotRead() {
        return engine.snapshot();
    }
}
