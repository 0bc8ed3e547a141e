package org.emailconfig.api;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Where and how to reach an SMTP server.
 *
 * @param host       a DNS name or an IP literal, never blank
 * @param port       1 to 65535
 * @param encryption never null
 */
@API(status = API.Status.STABLE, since = "0.1")
public record SmtpServer(String host, int port, Encryption encryption) {

    /**
     * Validates host and port.
     *
     * @param host a DNS name or an IP literal, never blank
     * @param port 1 to 65535
     * @param encryption never null
     */
    public SmtpServer {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(encryption, "encryption");
        hostProblem(host).ifPresent(p -> {
            throw new IllegalArgumentException("invalid host: " + p);
        });
        portProblem(port).ifPresent(p -> {
            throw new IllegalArgumentException("invalid port: " + p);
        });
    }

    /**
     * A server.
     *
     * @param host       DNS name or IP literal
     * @param port       1 to 65535
     * @param encryption never null
     * @return the server
     */
    public static SmtpServer of(String host, int port, Encryption encryption) {
        return new SmtpServer(host, port, encryption);
    }

    /**
     * Checks a host without throwing.
     *
     * @param candidate may be null
     * @return empty if valid, otherwise the problem
     */
    public static Optional<String> hostProblem(@Nullable String candidate) {
        return hostProblem(candidate, Locale.ROOT);
    }

    /**
     * Checks a host without throwing, wording the problem in a locale's language.
     *
     * @param candidate may be null
     * @param locale    the reader's locale (German or English)
     * @return empty if valid, otherwise the problem
     */
    public static Optional<String> hostProblem(@Nullable String candidate, Locale locale) {
        if (candidate == null || candidate.isBlank()) {
            return Optional.of(ApiTexts.text("host.missing").in(locale));
        }
        if (CharacterRules.hasControlCharacter(candidate) || !CharacterRules.isHostName(candidate) && !CharacterRules.isIpv6Literal(candidate)) {
            return Optional.of(ApiTexts.text("host.invalid").in(locale));
        }
        return Optional.empty();
    }

    /**
     * Checks a port without throwing.
     *
     * @param candidate any number
     * @return empty if within 1 to 65535, otherwise the problem
     */
    public static Optional<String> portProblem(long candidate) {
        return portProblem(candidate, Locale.ROOT);
    }

    /**
     * Checks a port without throwing, wording the problem in a locale's language.
     *
     * @param candidate any number
     * @param locale    the reader's locale (German or English)
     * @return empty if within 1 to 65535, otherwise the problem
     */
    public static Optional<String> portProblem(long candidate, Locale locale) {
        return candidate >= 1 && candidate <= 65535
                ? Optional.empty()
                : Optional.of(ApiTexts.text("port.range").in(locale));
    }
}
