/**
 * Offline testing of email configuration: {@link org.emailconfig.testkit.SandboxMailServer}, a JUnit 5
 * extension around an embedded GreenMail server on loopback with dynamic ports.
 */
module org.emailconfig.testkit {
    requires transitive org.emailconfig.api;
    requires transitive org.junit.jupiter.api;
    requires transitive greenmail;
    requires org.eclipse.angus.mail;

    exports org.emailconfig.testkit;
    opens org.emailconfig.testkit;
}
