package org.emailconfig.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

import org.emailconfig.api.MicrosoftOAuthConfiguration.ClientCertificate;
import org.junit.jupiter.api.Test;

/**
 * A certificate credential as administrators paste it: PEM in the forms openssl writes (PKCS#8, the traditional
 * PKCS#1 "RSA PRIVATE KEY", line breaks lost in a password field), a .pfx file's base64 with its password, and the
 * mistakes each form invites, every one named without quoting the material. Fixtures made with OpenSSL 3.0.
 */
class ClientCertificateTest {

    private static String fixture(String name) throws IOException {
        try (InputStream in = ClientCertificateTest.class.getResourceAsStream("certificates/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static ClientCertificate pem(String text) {
        return new ClientCertificate(Secret.of(text), Optional.empty());
    }

    /** A key that signs what its certificate verifies: the pair msal4j will use. */
    private static void assertKeyMatches(ClientCertificate c) throws Exception {
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(c.privateKey());
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(c.chain().get(0));
        verifier.update(new byte[] {1, 2, 3});
        assertTrue(verifier.verify(signature));
    }

    @Test
    void aTraditionalRsaKeyWorksAndSoDoesPemWhoseLineBreaksAPasswordFieldDropped() throws Exception {
        String text = fixture("pkcs1-key-and-certificate.pem");
        assertTrue(text.startsWith("-----BEGIN RSA PRIVATE KEY-----"));

        ClientCertificate c = pem(text);
        assertKeyMatches(c);
        assertEquals("CN=pkcs1-fixture", c.subject());
        assertEquals(40, c.thumbprint().length());
        assertTrue(c.thumbprint().matches("[0-9A-F]+"), c.thumbprint());

        ClientCertificate flattened = pem(text.replace("\n", ""));
        assertEquals(c.thumbprint(), flattened.thumbprint());
        assertKeyMatches(flattened);
    }

    @Test
    void aPfxFileReadsWithItsPasswordAndIsKeptAsPemWithoutOne() throws Exception {
        ClientCertificate source = pem(fixture("pkcs1-key-and-certificate.pem"));
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        p12.load(null, null);
        p12.setKeyEntry("app", source.privateKey(), "pfx-pass".toCharArray(),
                source.chain().toArray(new Certificate[0]));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p12.store(out, "pfx-pass".toCharArray());
        String base64 = Base64.getMimeEncoder().encodeToString(out.toByteArray());

        ClientCertificate pfx = new ClientCertificate(Secret.of(base64), Optional.of(Secret.of("pfx-pass")));
        assertEquals(source.thumbprint(), pfx.thumbprint());
        ClientCertificate kept = pfx.asPem();
        assertTrue(kept.password().isEmpty());
        assertTrue(kept.material().reveal().startsWith("-----BEGIN PRIVATE KEY-----"));
        assertEquals(source.thumbprint(), kept.thumbprint());
        assertKeyMatches(kept);

        assertEquals(Optional.of("the .pfx file's password is wrong: enter the password it was exported with"),
                ClientCertificate.problem(base64, "wrong", Locale.ENGLISH));
        assertTrue(ClientCertificate.problem(base64, "wrong", Locale.GERMAN).orElseThrow().contains("Kennwort"));
    }

    @Test
    void eachMistakeIsNamedWithoutQuotingTheMaterial() throws Exception {
        String text = fixture("pkcs1-key-and-certificate.pem");
        String key = text.substring(0, text.indexOf("-----BEGIN CERTIFICATE-----"));
        String certificate = text.substring(text.indexOf("-----BEGIN CERTIFICATE-----"));
        String[][] cases = {
                {key, "the certificate is missing"},
                {certificate, "the private key is missing"},
                {fixture("encrypted-key-and-certificate.pem"), "the private key is encrypted"},
                {fixture("ec-key-and-certificate.pem"), "not an RSA key"},
                {key + fixture("ec-key-and-certificate.pem").substring(fixture("ec-key-and-certificate.pem")
                        .indexOf("-----BEGIN CERTIFICATE-----")), "does not belong"},
                {"MIIC not base64 at all!", "neither PEM nor the base64"},
                {"   ", "paste the certificate"},
        };
        String keyLine = key.split("\n")[1];
        for (String[] c : cases) {
            String problem = ClientCertificate.problem(c[0], "", Locale.ENGLISH).orElseThrow();
            assertTrue(problem.contains(c[1]), problem);
            assertFalse(problem.contains(keyLine), "never the key");
            IllegalArgumentException e = c[0].isBlank() ? null
                    : assertThrows(IllegalArgumentException.class, () -> pem(c[0]));
            if (e != null) {
                assertEquals(problem, e.getMessage());
            }
        }
    }

    @Test
    void theConfigurationNamesTheCertificateByThumbprintAndItsExpiryIsTheCertificates() throws Exception {
        ClientCertificate c = pem(fixture("pkcs1-key-and-certificate.pem"));
        MicrosoftOAuthConfiguration m = new MicrosoftOAuthConfiguration(Sender.of(EmailAddress.of("a@contoso.test"), null),
                "72f988bf-86f1-41af-91ab-2d7cd011db47", "00001111-aaaa-2222-bbbb-3333cccc4444", c,
                MicrosoftOAuthConfiguration.Delivery.GRAPH, MicrosoftOAuthConfiguration.Cloud.WORLDWIDE,
                MicrosoftOAuthConfiguration.Endpoints.of(MicrosoftOAuthConfiguration.Cloud.WORLDWIDE), false,
                Optional.empty());

        assertEquals(Optional.of(c.notAfter()), m.credentialExpiry());
        assertTrue(m.toString().contains("ClientCertificate[thumbprint=" + c.thumbprint() + "]"), m.toString());
        assertFalse(m.toString().contains("PRIVATE KEY"));
        // A client secret repeated in the old components must agree with the credential.
        assertThrows(IllegalArgumentException.class, () -> new MicrosoftOAuthConfiguration(m.sender(), m.tenantId(),
                m.clientId(), Secret.of("a-secret"), m.delivery(), m.cloud(), m.endpoints(), false, Optional.empty(),
                Optional.empty(), c));
    }
}
