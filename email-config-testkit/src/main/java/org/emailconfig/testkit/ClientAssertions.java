package org.emailconfig.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import org.jspecify.annotations.Nullable;

/**
 * Client assertions ({@code private_key_jwt}, RFC 7523) as the fake identity platform reads them: the JWT's parts,
 * its signature checked with a registered key, and federated tokens the fake's own workload issuer signs, as a
 * Kubernetes API server signs service account tokens.
 */
final class ClientAssertions {

    /** The audience Entra requires of a federated token. */
    static final String FEDERATED_AUDIENCE = "api://AzureADTokenExchange";
    /** How far clocks may differ, as identity platforms allow. */
    static final Duration SKEW = Duration.ofMinutes(5);

    /** A JWT's header and claims, and what was signed. */
    record Jwt(Map<String, Object> header, Map<String, Object> claims, byte[] signedPart, byte[] signature) {

        @Nullable String claim(String name) {
            Object v = claims.get(name);
            return v == null ? null : String.valueOf(v);
        }

        @Nullable String header(String name) {
            Object v = header.get(name);
            return v == null ? null : String.valueOf(v);
        }

        /** A time claim (seconds since the epoch), or null when absent or not a number. */
        @Nullable Instant time(String name) {
            Object v = claims.get(name);
            return v instanceof Number n ? Instant.ofEpochSecond(n.longValue()) : null;
        }

        boolean signedBy(PublicKey key) {
            String alg = header("alg");
            try {
                Signature verifier;
                if ("RS256".equals(alg)) {
                    verifier = Signature.getInstance("SHA256withRSA");
                } else if ("PS256".equals(alg)) {
                    verifier = Signature.getInstance("RSASSA-PSS");
                    verifier.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                            java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
                } else {
                    return false;
                }
                verifier.initVerify(key);
                verifier.update(signedPart);
                return verifier.verify(signature);
            } catch (GeneralSecurityException e) {
                return false;
            }
        }
    }

    private ClientAssertions() {
    }

    /** The JWT's parts, or null when it is not a JWT. */
    static @Nullable Jwt parse(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            Base64.Decoder url = Base64.getUrlDecoder();
            return new Jwt(json(url.decode(parts[0])), json(url.decode(parts[1])),
                    (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), url.decode(parts[2]));
        } catch (IllegalArgumentException | IOException | ClassCastException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(byte[] bytes) throws IOException {
        try (JsonReader reader = JsonProviders.createReader(bytes)) {
            return (Map<String, Object>) reader.readUntyped();
        }
    }

    /**
     * The registered certificate the assertion names by thumbprint ({@code x5t#S256}, else {@code x5t}), or null.
     * msal4j writes the thumbprint in standard base64 with padding where RFC 7515 says base64url; Entra takes both,
     * so the decoded bytes are compared.
     */
    static @Nullable X509Certificate named(Jwt jwt, List<X509Certificate> registered) {
        String s256 = jwt.header("x5t#S256");
        String s1 = jwt.header("x5t");
        for (X509Certificate c : registered) {
            if (s256 != null && Arrays.equals(decode(s256), digest(c, "SHA-256"))
                    || s1 != null && Arrays.equals(decode(s1), digest(c, "SHA-1"))) {
                return c;
            }
        }
        return null;
    }

    /** The thumbprint hex, as Entra quotes "the key used by client". */
    static String thumbprintHex(Jwt jwt) {
        String t = jwt.header("x5t#S256") != null ? jwt.header("x5t#S256") : jwt.header("x5t");
        return hex(t == null ? new byte[0] : decode(t));
    }

    /** Hex in capitals, as Entra writes thumbprints. */
    static String hex(byte[] raw) {
        return HexFormat.of().withUpperCase().formatHex(raw);
    }

    private static byte[] decode(String b64) {
        String standard = b64.replace('-', '+').replace('_', '/');
        while (standard.length() % 4 != 0) {
            standard += "=";
        }
        try {
            return Base64.getDecoder().decode(standard);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    static byte[] digest(X509Certificate c, String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm).digest(c.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is missing from this Java runtime", e);
        }
    }

    /** A federated token from the fake's workload issuer: RS256, audience {@value #FEDERATED_AUDIENCE}. */
    static String federatedToken(String issuer, String subject, Instant issuedAt, Duration validFor) {
        KeyStore.PrivateKeyEntry key = TestCertificates.workloadIssuer();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"testkit-workload-issuer\"}";
        String claims = "{\"iss\":\"" + issuer + "\",\"sub\":\"" + subject + "\",\"aud\":[\"" + FEDERATED_AUDIENCE
                + "\"],\"iat\":" + issuedAt.getEpochSecond() + ",\"nbf\":" + issuedAt.getEpochSecond() + ",\"exp\":"
                + issuedAt.plus(validFor).getEpochSecond() + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        String signed = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(key.getPrivateKey());
            signer.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + b64.encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the workload issuer's key cannot sign", e);
        }
    }

    /** The workload issuer's public key, which the fake trusts for every registered federated credential. */
    static PublicKey workloadIssuerKey() {
        return TestCertificates.workloadIssuer().getCertificate().getPublicKey();
    }

    /** Whether an {@code aud} claim (a string or a list) holds the value. */
    static boolean audienceHolds(Jwt jwt, String expected) {
        Object aud = jwt.claims().get("aud");
        return aud instanceof List<?> list ? list.stream().anyMatch(a -> expected.equals(String.valueOf(a)))
                : expected.equals(String.valueOf(aud));
    }
}
