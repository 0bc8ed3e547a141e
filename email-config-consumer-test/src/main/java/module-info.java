/** A host application on the module path, as the README describes one. */
module com.example.hub {
    requires org.emailconfig.core;
    requires org.emailconfig.smtp.basic;

    exports com.example.hub;

    // The test finds the third-party provider module (com.example.apikey) the way the engine does.
    uses org.emailconfig.api.spi.AuthenticationProvider;
}
