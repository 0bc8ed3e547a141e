/**
 * The "username and password" authentication type over SMTP, including "SMTP authentication off".
 * Exports nothing: it is found through {@link org.emailconfig.api.spi.AuthenticationProvider}.
 */
module org.emailconfig.smtp.basic {
    requires org.emailconfig.api;

    // Jakarta Validation reads the form record reflectively.
    opens org.emailconfig.smtp.basic;

    provides org.emailconfig.api.spi.AuthenticationProvider with org.emailconfig.smtp.basic.PasswordSmtpProvider;
}
