package org.emailconfig.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fake token endpoint reads a request as Entra ID does: only a form body counts, so a client that loses its
 * {@code Content-Type} fails here as it would against Microsoft, not first in production.
 */
class FakeIdentityPlatformTest {

    @RegisterExtension
    final FakeMicrosoftPlatform platform = new FakeMicrosoftPlatform().registerApplication("tenant-1", "client-1",
            "fake-secret-1");

    private HttpResponse<String> post(String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.loginEndpoint()
                        + "/tenant-1/oauth2/v2.0/token"))
                .POST(HttpRequest.BodyPublishers.ofString("client_id=client-1&client_secret=fake-secret-1"
                        + "&grant_type=client_credentials&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return TestkitHttp.client().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aFormBodyGetsATokenAndAnyOtherContentTypeIsMissingItsGrantTypeAsAtEntra() throws Exception {
        HttpResponse<String> form = post("application/x-www-form-urlencoded; charset=UTF-8");
        assertEquals(200, form.statusCode(), form.body());
        assertTrue(form.body().contains("\"access_token\""), form.body());
        for (String other : new String[] {"application/json", null}) {
            HttpResponse<String> refused = post(other);
            assertEquals(400, refused.statusCode(), String.valueOf(other));
            assertTrue(refused.body().contains("AADSTS900144"), refused.body());
        }
    }
}
