package org.emailconfig.core.internal.smtp;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A TLS context that trusts the JDK's default CAs plus the host's extra anchors (a private CA, a test
 * certificate). Host-name verification is not affected: it stays on.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class TrustAnchors {

    private TrustAnchors() {
    }

    /**
     * Builds the TLS context.
     *
     * @param extra a key store holding trusted certificates, or null for the JDK's defaults only
     * @return the context
     */
    public static SSLContext context(@Nullable KeyStore extra) {
        try {
            if (extra == null) {
                return SSLContext.getDefault();
            }
            X509TrustManager defaults = trustManager(null);
            X509TrustManager custom = trustManager(extra);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new Either(defaults, custom)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the trust store cannot be used: " + e.getMessage(), e);
        }
    }

    private static X509TrustManager trustManager(@Nullable KeyStore ks) throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(ks);
        for (TrustManager tm : f.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X509TrustManager available");
    }

    /**
     * Trusts a chain when either manager does. When both refuse, the more telling refusal is reported (an
     * expired certificate, a broken chain) rather than "no path to a trusted anchor", which the manager that
     * does not know the issuer always says; the other is attached as suppressed.
     */
    record Either(X509TrustManager first, X509TrustManager second) implements X509TrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                first.checkClientTrusted(chain, authType);
            } catch (CertificateException e1) {
                try {
                    second.checkClientTrusted(chain, authType);
                } catch (CertificateException e2) {
                    throw telling(e1, e2);
                }
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                first.checkServerTrusted(chain, authType);
            } catch (CertificateException e1) {
                try {
                    second.checkServerTrusted(chain, authType);
                } catch (CertificateException e2) {
                    throw telling(e1, e2);
                }
            }
        }

        private static CertificateException telling(CertificateException first, CertificateException second) {
            CertificateException real = noPath(first) && !noPath(second) ? second : first;
            real.addSuppressed(real == first ? second : first);
            return real;
        }

        /** "PKIX path building failed": this manager simply does not know the issuer. */
        private static boolean noPath(Throwable t) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof java.security.cert.CertPathBuilderException) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> all = new ArrayList<>(List.of(first.getAcceptedIssuers()));
            all.addAll(List.of(second.getAcceptedIssuers()));
            return all.toArray(X509Certificate[]::new);
        }
    }
}
