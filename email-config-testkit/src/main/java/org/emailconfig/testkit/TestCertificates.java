package org.emailconfig.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.apiguardian.api.API;

/**
 * The testkit's TLS certificates: self-signed, valid until 2036. Every testkit server presents the first,
 * whose subject alternative names are IP 127.0.0.1 and DNS localhost; the second names only
 * {@value #ELSEWHERE_HOST}, so a server reached as 127.0.0.1 that presents it fails host-name verification
 * with no second loopback address needed. A client trusts them only when given {@link #trustStore()},
 * with host-name verification still on. Never use them outside tests.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class TestCertificates {

    /** The only name the second certificate holds; it resolves nowhere. */
    public static final String ELSEWHERE_HOST = "mail.elsewhere.test";

    static final String RESOURCE = "testkit-server.p12";
    private static final String ELSEWHERE_RESOURCE = "testkit-elsewhere.p12";
    static final char[] PASSWORD = "changeit".toCharArray();
    private static final String ALIAS = "email-config-testkit";

    private TestCertificates() {
    }

    /**
     * A trust store holding the testkit's two certificates and nothing else.
     *
     * @return a new key store with two trusted certificate entries
     */
    public static KeyStore trustStore() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(ALIAS, serverKeyStore().getCertificate(ALIAS));
            trust.setCertificateEntry(ALIAS + "-elsewhere", keyStore(ELSEWHERE_RESOURCE).getCertificate(ALIAS));
            return trust;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the testkit certificate cannot be loaded", e);
        }
    }

    /**
     * A server-side TLS context presenting the testkit certificate.
     *
     * @return the context
     */
    public static SSLContext serverContext() {
        return context(RESOURCE);
    }

    /**
     * A server-side TLS context presenting the second certificate, trusted by {@link #trustStore()} but
     * naming only {@value #ELSEWHERE_HOST}: what a server shows when its certificate was issued for
     * another name than the one the admin typed.
     *
     * @return the context
     */
    public static SSLContext serverContextNamedElsewhere() {
        return context(ELSEWHERE_RESOURCE);
    }

    private static SSLContext context(String resource) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore(resource), PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the testkit certificate cannot be loaded", e);
        }
    }

    static KeyStore serverKeyStore() throws GeneralSecurityException, IOException {
        return keyStore(RESOURCE);
    }

    private static KeyStore keyStore(String resource) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = resource(resource)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    static InputStream resource() {
        return resource(RESOURCE);
    }

    private static InputStream resource(String name) {
        InputStream in = TestCertificates.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is missing from the testkit jar");
        }
        return in;
    }
}
