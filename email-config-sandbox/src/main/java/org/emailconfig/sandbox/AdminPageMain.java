package org.emailconfig.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;

import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.core.EmailConfig;
import org.emailconfig.testkit.SandboxMailServer;

/**
 * The reference admin page with everything it needs on 127.0.0.1: an embedded mail server with the mailbox
 * {@code noreply@sandbox.test} (password {@code sandbox-Passw0rd}), a file store in a temporary directory, and
 * the page. Runs until stopped (Ctrl-C). Run with {@code mvn -B -Psandbox-page -DskipTests verify}; the first
 * argument, if any, is the page's port (default: any free one).
 */
public final class AdminPageMain {

    private AdminPageMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Path dir = Files.createTempDirectory("email-config-page");
        SandboxMailServer mail = new SandboxMailServer().withMailbox("noreply@sandbox.test", "sandbox-Passw0rd").start();
        EmailConfigurationService email = EmailConfig.builder().fileStore(dir).applicationName("Hub").build();
        AdminApi page = new AdminApi(email, mail, port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            page.close();
            email.close();
            mail.close();
        }));
        System.out.println("Email configuration page: " + page.url());
        System.out.println("Mail server: SMTP 127.0.0.1:" + mail.smtpPort() + ", SMTPS 127.0.0.1:" + mail.smtpsPort()
                + "; mailbox noreply@sandbox.test, password sandbox-Passw0rd. Stop with Ctrl-C.");
        Thread.currentThread().join();
    }
}
