/**
 * The public face of email-config: the sealed configuration model, its value types, the service
 * interface a host application calls, and the two SPIs ({@link org.emailconfig.api.spi.ConfigStore},
 * {@link org.emailconfig.api.spi.AuthenticationProvider}). It has no implementation dependencies.
 */
module org.emailconfig.api {
    requires transitive jakarta.mail;
    requires transitive jakarta.validation;
    // Nullness annotations: needed to compile, optional at run time.
    requires static transitive org.jspecify;
    // API status annotations (stable, experimental, internal): needed to compile, optional at run time.
    requires static transitive org.apiguardian.api;

    exports org.emailconfig.api;
    exports org.emailconfig.api.spi;
    exports org.emailconfig.api.validation;
}
