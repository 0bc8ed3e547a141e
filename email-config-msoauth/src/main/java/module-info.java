/**
 * The "Microsoft OAuth 2.0" authentication type: Entra ID client credentials through msal4j, delivery
 * through Graph {@code sendMail} or SMTP XOAUTH2. Found through
 * {@link org.emailconfig.api.spi.AuthenticationProvider}; its package is exported so a host may also name
 * the provider ({@code new MicrosoftOAuthProvider()}). Everything else in it is package-private.
 */
module org.emailconfig.msoauth {
    requires org.emailconfig.api;
    requires static org.apiguardian.api;
    requires static org.jspecify;
    requires com.microsoft.aad.msal4j;
    requires java.net.http;
    requires com.azure.json;

    exports org.emailconfig.msoauth;

    // Jakarta Validation reads the form record reflectively.
    opens org.emailconfig.msoauth;

    provides org.emailconfig.api.spi.AuthenticationProvider with org.emailconfig.msoauth.MicrosoftOAuthProvider;
}
