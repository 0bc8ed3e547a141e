package org.emailconfig.core.testing;

import java.time.Duration;
import java.util.List;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Notification;
import org.emailconfig.testkit.SandboxMailServer;

/**
 * Which revision a node sends with, seen from outside: the multi-node tests give each revision its own
 * sender name and read it off the notification that arrived.
 */
public final class SenderNames {

    private SenderNames() {
    }

    /** Sends one notification from a node and returns the sender name it arrived with. */
    public static String sendAndRead(SandboxMailServer mail, EmailConfigurationService node) throws MessagingException {
        int before = mail.receivedMessages().size();
        node.notifications().send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link"));
        List<MimeMessage> all = mail.awaitMessages(before + 1);
        return ((InternetAddress) all.get(all.size() - 1).getFrom()[0]).getPersonal();
    }

    /**
     * Sends notifications from a node until one arrives with the sender name; fails after the limit.
     *
     * @return how long it took
     */
    public static Duration awaitSending(SandboxMailServer mail, EmailConfigurationService node, String name,
                                        Duration limit) throws Exception {
        long start = System.nanoTime();
        while (!name.equals(sendAndRead(mail, node))) {
            if (System.nanoTime() - start > limit.toNanos()) {
                throw new AssertionError("the node did not switch to '" + name + "' within " + limit);
            }
            Thread.sleep(20);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
