package org.emailconfig.core.multinode;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.emailconfig.api.ConcurrentUpdateException;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.spi.StoredConfiguration;
import org.emailconfig.core.EmailConfig;
import org.emailconfig.core.FileConfigStore;
import org.emailconfig.testkit.SandboxMailServer;

/**
 * The other application node, in its own JVM, started by {@link TwoJvmTest}.
 *
 * <ul>
 *   <li>{@code race <dir> <saves>}: saves with compare-and-set until it won {@code saves} times, printing
 *       "won N" for every revision it put in force;</li>
 *   <li>{@code save <dir> <smtpPort> <mailbox> <password> <marker>}: saves through the service (test
 *       email and all) with the marker as sender name.</li>
 * </ul>
 */
public final class SecondJvmNode {

    private SecondJvmNode() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "race" -> race(new FileConfigStore(dir), Integer.parseInt(args[2]))
                    .forEach(r -> System.out.println("won " + r));
            case "save" -> {
                try (EmailConfigurationService s = EmailConfig.builder().fileStore(dir).build()) {
                    SandboxMailServer fixture = new SandboxMailServer();
                    s.save(fixture.admin(), org.emailconfig.api.ConfigurationDraft
                            .builder(PasswordSmtpConfiguration.TYPE)
                            .set(PasswordSmtpConfiguration.SENDER_ADDRESS, args[3])
                            .set(PasswordSmtpConfiguration.SENDER_NAME, args[5])
                            .set(PasswordSmtpConfiguration.HOST, SandboxMailServer.HOST)
                            .set(PasswordSmtpConfiguration.PORT, args[2])
                            .set(PasswordSmtpConfiguration.ENCRYPTION, "NONE")
                            .set(PasswordSmtpConfiguration.AUTHENTICATION, "true")
                            .set(PasswordSmtpConfiguration.USERNAME, args[3])
                            .secret(PasswordSmtpConfiguration.PASSWORD, org.emailconfig.api.Secret.of(args[4]))
                            .build());
                }
                System.out.println("saved");
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** Saves with compare-and-set until it won {@code saves} times; returns the revisions it won. */
    static java.util.List<Long> race(FileConfigStore store, int saves) {
        java.util.List<Long> won = new java.util.ArrayList<>();
        while (won.size() < saves) {
            long current = store.currentRevision();
            try {
                store.save(new StoredConfiguration("race", current + 1, Map.of("by", "jvm-" + ProcessHandle.current().pid()),
                        Map.of(), Instant.now(), "node"), current);
                won.add(current + 1);
            } catch (ConcurrentUpdateException lost) {
                // The other JVM saved first; build on its revision.
            }
        }
        return won;
    }
}
