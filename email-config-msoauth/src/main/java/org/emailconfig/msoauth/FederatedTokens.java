package org.emailconfig.msoauth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Reads a federated token for one token request: from the file a workload identity platform renews, or from the
 * host. A failure says where and why without quoting the token, and reads as
 * {@link org.emailconfig.api.Reason#OAUTH_CREDENTIAL_UNREADABLE}.
 */
final class FederatedTokens {

    /** The token could not be had here; nothing was asked of the identity platform. */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message);
        }
    }

    private FederatedTokens() {
    }

    static String read(Path file) throws Unreadable {
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException | SecurityException e) {
            throw new Unreadable("the federated token file " + file + " could not be read ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (token.isEmpty()) {
            throw new Unreadable("the federated token file " + file + " is empty");
        }
        return token;
    }

    static String fromHost(Supplier<String> host) throws Unreadable {
        String token;
        try {
            token = host.get();
        } catch (RuntimeException e) {
            // Only the class: the host's message could quote what it was given.
            throw new Unreadable("this application's federated token source failed (" + e.getClass().getName() + ")");
        }
        if (token == null || token.isBlank()) {
            throw new Unreadable("this application's federated token source returned no token");
        }
        return token.strip();
    }
}
