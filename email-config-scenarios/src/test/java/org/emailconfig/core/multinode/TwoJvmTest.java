package org.emailconfig.core.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.core.EmailConfig;
import org.emailconfig.core.FileConfigStore;
import org.emailconfig.core.testing.SenderNames;
import org.emailconfig.testkit.SandboxMailServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Two application nodes in two JVMs on one store directory. */
@Timeout(120)
class TwoJvmTest {

    static final String NOREPLY = "noreply@sandbox.test";
    static final String PASSWORD = "two-jvm-password-42";

    @RegisterExtension
    final SandboxMailServer mail = new SandboxMailServer().withMailbox(NOREPLY, PASSWORD);

    @TempDir
    Path dir;

    private static Process startNode(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SecondJvmNode.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(false).start();
    }

    private static String finish(Process p) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (java.io.IOException ignored) {
                // The process ended.
            }
        });
        drain.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "second JVM did not finish");
        drain.join();
        assertEquals(0, p.exitValue(), "second JVM failed: " + err.toString(StandardCharsets.UTF_8));
        return out;
    }

    @Test
    void twoJvmsSavingAtOnceNeverBothWinARevisionAndLoseNoSave() throws Exception {
        int each = 40;
        Process other = startNode("race", dir.toString(), Integer.toString(each));
        List<String> wins = new ArrayList<>(SecondJvmNode.race(new FileConfigStore(dir), each).stream()
                .map(r -> "won " + r).toList());
        wins.addAll(finish(other).lines().toList());
        Set<String> distinct = new HashSet<>(wins);
        assertEquals(2 * each, wins.size());
        assertEquals(wins.size(), distinct.size(), "a revision was won twice: " + wins);
        assertEquals(2L * each, new FileConfigStore(dir).currentRevision());
    }

    @Test
    void aNodeInThisJvmFollowsASaveMadeInAnotherJvm() throws Exception {
        try (EmailConfigurationService node = EmailConfig.builder().fileStore(dir)
                .refreshInterval(Duration.ofMillis(200)).build()) {
            node.save(mail.admin(), mail.passwordDraft(NOREPLY));
            assertEquals("saved\n", finish(startNode("save", dir.toString(), Integer.toString(mail.smtpPort()),
                    NOREPLY, PASSWORD, "from-the-other-jvm")));
            SenderNames.awaitSending(mail, node, "from-the-other-jvm", Duration.ofSeconds(10));
            assertEquals(2, node.read(mail.admin()).revision());
        }
    }
}
