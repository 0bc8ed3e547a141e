/**
 * The "username and password" authentication type over SMTP, including "SMTP authentication off". Found
 * through {@link org.emailconfig.api.spi.AuthenticationProvider}; its package is exported so a host may also
 * name the provider ({@code EmailConfig.builder().provider(new PasswordSmtpProvider())}). Everything else
 * in it is package-private.
 */
module org.emailconfig.smtp.basic {
    requires transitive org.emailconfig.api;
    requires static transitive org.apiguardian.api;
    requires static org.jspecify;

    exports org.emailconfig.smtp.basic;

    // Jakarta Validation reads the form record reflectively.
    opens org.emailconfig.smtp.basic;

    provides org.emailconfig.api.spi.AuthenticationProvider with org.emailconfig.smtp.basic.PasswordSmtpProvider;
}
