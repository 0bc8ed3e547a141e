/** A SendGrid-style "API key over SMTP" type: nothing but requires and provides. */
module com.example.apikey {
    requires org.emailconfig.api;

    provides org.emailconfig.api.spi.AuthenticationProvider with com.example.apikey.ApiKeyProvider;
}
