package org.emailconfig.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.apiguardian.api.API;

/**
 * The testkit's TLS certificates: self-signed, valid until 2036. Every testkit server presents the first,
 * whose subject alternative names are IP 127.0.0.1 and DNS localhost; the second names only
 * {@value #ELSEWHERE_HOST}, so a server reached as 127.0.0.1 that presents it fails host-name verification
 * with no second loopback address needed. A client trusts them only when given {@link #trustStore()},
 * with host-name verification still on. {@link ApplicationCertificate} holds the certificates an application signs
 * in to the {@link FakeMicrosoftPlatform} with. Never use any of them outside tests.
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
     * Certificates an application signs in to the {@link FakeMicrosoftPlatform} with (Entra's certificate
     * credentials): each holds an RSA key and a self-signed certificate. Register one's {@link #certificate()} with
     * {@link FakeMicrosoftPlatform#registerApplication(String, String, X509Certificate)} and paste its
     * {@link #pem()} (or {@link #pkcs12Base64()} with {@link #PKCS12_PASSWORD}) into the certificate field.
     *
     * @since 0.5
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.5")
    public enum ApplicationCertificate {
        /** Valid from 2026 to the end of 2035. */
        VALID("testkit-client.p12"),
        /** Another valid one: signing with it for an application that registered {@link #VALID} is AADSTS700027. */
        OTHER("testkit-client-other.p12"),
        /** Valid during 2020 only: the platform refuses it with AADSTS1000502. */
        EXPIRED("testkit-client-expired.p12");

        private final String resource;

        ApplicationCertificate(String resource) {
            this.resource = resource;
        }

        /**
         * The public certificate, as uploaded to the app registration.
         *
         * @return the certificate
         */
        public X509Certificate certificate() {
            return (X509Certificate) entry(resource).getCertificate();
        }

        /**
         * The private key and the certificate as PEM, as an administrator pastes them.
         *
         * @return {@code -----BEGIN PRIVATE KEY----- ... -----BEGIN CERTIFICATE----- ...}
         */
        public String pem() {
            KeyStore.PrivateKeyEntry entry = entry(resource);
            Base64.Encoder b64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
            try {
                return "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(entry.getPrivateKey().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\n"
                        + b64.encodeToString(entry.getCertificate().getEncoded()) + "\n-----END CERTIFICATE-----\n";
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(resource + " cannot be encoded", e);
            }
        }

        /**
         * The PKCS#12 file ({@code .pfx}) as base64, whose password is {@link #PKCS12_PASSWORD}.
         *
         * @return the output of {@code base64 -w0 app.pfx}
         */
        public String pkcs12Base64() {
            try (InputStream in = resource(resource)) {
                return Base64.getEncoder().encodeToString(in.readAllBytes());
            } catch (IOException e) {
                throw new IllegalStateException(resource + " cannot be loaded", e);
            }
        }

        PrivateKey privateKey() {
            return entry(resource).getPrivateKey();
        }
    }

    /** The password of every {@link ApplicationCertificate#pkcs12Base64()}. */
    public static final String PKCS12_PASSWORD = "changeit";
    private static final String CLIENT_ALIAS = "app";
    static final String WORKLOAD_ISSUER_RESOURCE = "testkit-workload-issuer.p12";

    /** The key pair the fake's workload identity issuer signs federated tokens with. */
    static KeyStore.PrivateKeyEntry workloadIssuer() {
        return entry(WORKLOAD_ISSUER_RESOURCE);
    }

    /** The key and certificate of one of the application key stores. */
    private static KeyStore.PrivateKeyEntry entry(String resource) {
        try {
            return (KeyStore.PrivateKeyEntry) keyStore(resource).getEntry(CLIENT_ALIAS,
                    new KeyStore.PasswordProtection(PASSWORD));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(resource + " cannot be loaded", e);
        }
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
