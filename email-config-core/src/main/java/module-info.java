/**
 * The email configuration service: {@link org.emailconfig.core.EmailConfig} builds it. Implementation
 * lives in the unexported {@code org.emailconfig.core.internal} package.
 */
module org.emailconfig.core {
    requires transitive org.emailconfig.api;
    requires static org.apiguardian.api;
    requires static org.jspecify;
    requires org.eclipse.angus.mail;
    requires org.slf4j;
    requires org.hibernate.validator;
    requires transitive java.sql;

    exports org.emailconfig.core;

    uses org.emailconfig.api.spi.AuthenticationProvider;
}
