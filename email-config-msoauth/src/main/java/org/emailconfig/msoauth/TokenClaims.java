package org.emailconfig.msoauth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;

/**
 * Reads the application permissions ({@code roles}) an access token carries, for a diagnosis. Entra issues
 * JSON Web Tokens for Graph and Exchange Online; the payload is read, not verified (the token came straight
 * from the token endpoint over TLS, and nothing is decided for security on it).
 */
final class TokenClaims {

    private TokenClaims() {
    }

    /**
     * The {@code roles} claim.
     *
     * @param token an access token
     * @return empty when the token is not a readable JWT; an empty list when it has no roles
     */
    static Optional<List<String>> roles(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
            try (JsonReader reader = JsonProviders.createReader(new String(payload, StandardCharsets.UTF_8))) {
                if (!(reader.readUntyped() instanceof Map<?, ?> claims)) {
                    return Optional.empty();
                }
                Object roles = claims.get("roles");
                return Optional.of(roles instanceof List<?> list
                        ? list.stream().map(String::valueOf).toList() : List.of());
            }
        } catch (IllegalArgumentException | IOException | IllegalStateException e) {
            return Optional.empty();
        }
    }
}
