package org.emailconfig.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a client certificate as an administrator pastes it: PEM with the private key and the certificate (line breaks
 * optional, since a password field drops them), or the base64 of a PKCS#12 file ({@code .pfx}, {@code .p12}) with its
 * password. Messages name what is wrong and how to fix it, never the material.
 */
final class CertificateMaterial {

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----",
            Pattern.DOTALL);
    /** The DER of PKCS#8's AlgorithmIdentifier for rsaEncryption, to wrap a PKCS#1 ("RSA PRIVATE KEY") key. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    /** Why the material cannot be used, in the reader's language. */
    static final class Refused extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final transient LocalizedText text;

        Refused(LocalizedText text) {
            super(text.in(Locale.ROOT));
            this.text = text;
        }

        LocalizedText text() {
            return text;
        }
    }

    record Parsed(PrivateKey key, List<X509Certificate> chain) {
        X509Certificate certificate() {
            return chain.get(0);
        }

        /** The certificate's subject only: a key's own {@code toString} may print its numbers. */
        @Override
        public String toString() {
            return "Parsed[" + certificate().getSubjectX500Principal().getName() + "]";
        }
    }

    private CertificateMaterial() {
    }

    /**
     * Reads the key and the certificate chain, the key's own certificate first.
     *
     * @throws Refused naming the problem in words an administrator can act on
     */
    static Parsed parse(String material, String password) {
        String text = material.strip();
        if (text.isEmpty()) {
            throw refused("certificate.missing");
        }
        try {
            return text.startsWith("-----BEGIN") ? pem(text) : pkcs12(text, password);
        } catch (Refused known) {
            throw known;
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            // Only the exception's class: the JDK's message could quote a part of the material.
            throw new Refused(ApiTexts.text("certificate.unreadable", e.getClass().getSimpleName()));
        }
    }

    private static Refused refused(String key) {
        return new Refused(ApiTexts.text(key));
    }

    private static Parsed pem(String text) throws GeneralSecurityException {
        PrivateKey key = null;
        List<X509Certificate> chain = new ArrayList<>();
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            String label = m.group(1);
            byte[] der = Base64.getMimeDecoder().decode(m.group(2).replaceAll("\\s", ""));
            switch (label) {
                case "CERTIFICATE" -> chain.add((X509Certificate) x509.generateCertificate(new ByteArrayInputStream(der)));
                case "PRIVATE KEY" -> key = pkcs8Key(der);
                case "RSA PRIVATE KEY" -> key = KeyFactory.getInstance("RSA")
                        .generatePrivate(new PKCS8EncodedKeySpec(pkcs8(der)));
                case "ENCRYPTED PRIVATE KEY" -> throw refused("certificate.encryptedPem");
                default -> {
                    // Bag attributes and other blocks openssl adds are not needed.
                }
            }
        }
        if (key == null) {
            throw refused("certificate.noKey");
        }
        if (chain.isEmpty()) {
            throw refused("certificate.noCertificate");
        }
        return matching(key, chain);
    }

    /** An RSA key in PKCS#8; an EC key (which openssl also writes so) is named as such rather than as unreadable. */
    private static PrivateKey pkcs8Key(byte[] der) throws GeneralSecurityException {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (InvalidKeySpecException notRsa) {
            try {
                KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException neither) {
                throw notRsa;
            }
            throw refused("certificate.notRsa");
        }
    }

    private static Parsed pkcs12(String text, String password) throws GeneralSecurityException, IOException {
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw refused("certificate.format");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        char[] secret = password.toCharArray();
        try {
            store.load(new ByteArrayInputStream(der), secret);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || e.getMessage() != null
                    && e.getMessage().toLowerCase(Locale.ROOT).contains("password")) {
                throw refused("certificate.password");
            }
            throw refused("certificate.format");
        }
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                PrivateKey key = (PrivateKey) store.getKey(alias, secret);
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate c : store.getCertificateChain(alias)) {
                    chain.add((X509Certificate) c);
                }
                return matching(key, chain);
            }
        }
        throw refused("certificate.noKey");
    }

    /** The chain with the key's own certificate first; a key without its certificate is refused. */
    private static Parsed matching(PrivateKey key, List<X509Certificate> chain) {
        if (!"RSA".equals(key.getAlgorithm())) {
            throw refused("certificate.notRsa");
        }
        BigInteger modulus = ((RSAKey) key).getModulus();
        List<X509Certificate> ordered = new ArrayList<>(chain);
        for (X509Certificate c : chain) {
            if (c.getPublicKey() instanceof RSAPublicKey pub && pub.getModulus().equals(modulus)) {
                ordered.remove(c);
                ordered.add(0, c);
                return new Parsed(key, List.copyOf(ordered));
            }
        }
        throw refused("certificate.keyMismatch");
    }

    /** PKCS#1 RSAPrivateKey wrapped as PKCS#8 PrivateKeyInfo: version 0, the RSA algorithm, the key as an octet string. */
    private static byte[] pkcs8(byte[] pkcs1) {
        byte[] octets = concat(new byte[] {0x04}, length(pkcs1.length), pkcs1);
        byte[] body = concat(new byte[] {0x02, 0x01, 0x00}, RSA_ALGORITHM, octets);
        return concat(new byte[] {0x30}, length(body.length), body);
    }

    private static byte[] length(int n) {
        if (n < 0x80) {
            return new byte[] {(byte) n};
        }
        if (n < 0x100) {
            return new byte[] {(byte) 0x81, (byte) n};
        }
        if (n < 0x10000) {
            return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        }
        return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    }

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] p : parts) {
            size += p.length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** One PEM block, lines of 64 characters. */
    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    /** Hex in capitals, as Entra shows a certificate's thumbprint. */
    static String thumbprint(X509Certificate certificate, String algorithm) {
        try {
            return HexFormat.of().withUpperCase().formatHex(
                    MessageDigest.getInstance(algorithm).digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is missing from this Java runtime", e);
        }
    }
}
