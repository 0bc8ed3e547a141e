package org.emailconfig.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.apiguardian.api.API;

/**
 * The testkit's TLS certificate: self-signed, subject alternative names IP 127.0.0.1 and DNS
 * localhost, valid until 2036. Every testkit server presents it; a client trusts it only when given
 * {@link #trustStore()}, with host-name verification still on. Never use it outside tests.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class TestCertificates {

    static final String RESOURCE = "testkit-server.p12";
    static final char[] PASSWORD = "changeit".toCharArray();
    private static final String ALIAS = "email-config-testkit";

    private TestCertificates() {
    }

    /**
     * A trust store holding only the testkit certificate.
     *
     * @return a new key store with one trusted certificate entry
     */
    public static KeyStore trustStore() {
        try {
            Certificate cert = serverKeyStore().getCertificate(ALIAS);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(ALIAS, cert);
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
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(serverKeyStore(), PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the testkit certificate cannot be loaded", e);
        }
    }

    static KeyStore serverKeyStore() throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = resource()) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    static InputStream resource() {
        InputStream in = TestCertificates.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException(RESOURCE + " is missing from the testkit jar");
        }
        return in;
    }
}
