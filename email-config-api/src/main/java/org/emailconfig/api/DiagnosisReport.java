package org.emailconfig.api;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * What a connection check found, step by step, without sending a message
 * ({@link EmailConfigurationService#verify}). A form shows the steps in order, each with its outcome,
 * duration, a sentence in the reader's language and the facts it found (TLS protocol, certificate,
 * capabilities, permissions); then the advice, and the failure's hint when a step failed.
 *
 * @param steps   the steps that ran, in order; a step after a failed one does not run
 * @param advice  what to change, found safely (a port that speaks SSL/TLS, a certificate about to expire,
 *                a missing permission); possibly empty
 * @param failure the failure that stopped the check, classified as a real delivery would be; null when
 *                every step passed
 *
 * @serial exclude
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record DiagnosisReport(List<Step> steps, List<LocalizedText> advice, @Nullable DeliveryFailedException failure)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Copies the lists.
     *
     * @param steps the steps that ran, in order; a step after a failed one does not run
     * @param advice what to change, found safely (a port that speaks SSL/TLS, a certificate about to expire, a missing permission); possibly empty
     * @param failure the failure that stopped the check, classified as a real delivery would be; null when every step passed
     */
    public DiagnosisReport {
        steps = List.copyOf(steps);
        advice = List.copyOf(advice);
    }

    /**
     * Whether mail can be handed over with this configuration as far as a check without sending can tell.
     *
     * @return true when no step failed (warnings allowed)
     */
    public boolean ok() {
        return failure == null && steps.stream().noneMatch(s -> s.outcome() == Outcome.FAILED);
    }

    /**
     * The failure that stopped the check.
     *
     * @return empty when every step passed
     */
    public Optional<DeliveryFailedException> failureIfAny() {
        return Optional.ofNullable(failure);
    }

    /**
     * The report of a check that can only open a delivery and close it again: the default for providers
     * that offer nothing finer. Sends nothing.
     *
     * @param open opens the delivery, throwing {@link DeliveryFailedException} when it cannot
     * @return one step, {@code open}
     */
    public static DiagnosisReport byOpening(java.util.function.Supplier<? extends AutoCloseable> open) {
        long started = System.nanoTime();
        AutoCloseable delivery;
        try {
            delivery = Objects.requireNonNull(open.get(), "delivery");
        } catch (DeliveryFailedException e) {
            return new DiagnosisReport(List.of(new Step("open", Outcome.FAILED, since(started),
                    ApiTexts.text("diagnosis.open.failed"), Map.of())), List.of(), e);
        }
        try {
            delivery.close();
        } catch (Exception closeFailed) {
            // Closing is not part of what the check asks.
        }
        return new DiagnosisReport(List.of(new Step("open", Outcome.PASSED, since(started),
                ApiTexts.text("diagnosis.open.passed"), Map.of())), List.of(), null);
    }

    /**
     * The report of a type that has no check of its own: its delivery is opened and closed again, and a failure
     * to open is reported as such, but an open that succeeds proves nothing (a webhook delivery may open without
     * reaching the service at all), so that step is {@link Outcome#SKIPPED} with the reason, never
     * {@link Outcome#PASSED}. Sends nothing.
     *
     * @param type   the authentication type, named in the step's summary
     * @param open   opens the delivery, throwing {@link DeliveryFailedException} when it cannot
     * @return one step, {@code open}
     */
    public static DiagnosisReport withoutCheck(String type, java.util.function.Supplier<? extends AutoCloseable> open) {
        DiagnosisReport opened = byOpening(open);
        if (opened.failure != null) {
            return opened;
        }
        Step step = opened.steps.get(0);
        return new DiagnosisReport(List.of(new Step(step.id(), Outcome.SKIPPED, step.duration(),
                ApiTexts.text("diagnosis.open.unchecked", type), Map.of())), List.of(), null);
    }

    /**
     * Whether the check proved anything: at least one step passed and none failed. A report of skipped steps
     * only (a type without a check of its own) is {@link #ok()} but not conclusive.
     *
     * @return true when a step passed and none failed
     */
    public boolean conclusive() {
        return ok() && steps.stream().anyMatch(s -> s.outcome() == Outcome.PASSED);
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /**
     * The first step with an id.
     *
     * @param id a step id such as {@link Step#TLS}
     * @return empty when that step did not run
     */
    public Optional<Step> step(String id) {
        return steps.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /**
     * This report followed by another's steps and advice; the other's failure wins when this one has none.
     *
     * @param next the report of the next part of the check
     * @return the combined report
     */
    public DiagnosisReport then(DiagnosisReport next) {
        List<Step> s = new ArrayList<>(steps);
        s.addAll(next.steps);
        List<LocalizedText> a = new ArrayList<>(advice);
        a.addAll(next.advice);
        return new DiagnosisReport(s, a, failure != null ? failure : next.failure);
    }

    /** How a step ended. */
    public enum Outcome {
        /** The step worked. */
        PASSED,
        /** The step worked, but something needs attention soon (a certificate about to expire). */
        WARNING,
        /** The step failed; see the report's failure. */
        FAILED,
        /** The step does not apply to this configuration, or cannot be checked without sending. */
        SKIPPED
    }

    /**
     * One step of the check.
     *
     * @param id       a stable id: one of the constants of this record, or a provider's own; a step that is a
     *                 delivery step has that {@link DeliveryStep#id()} ({@link #deliveryStep()})
     * @param outcome  how it ended
     * @param duration how long it took; zero for a skipped step
     * @param summary  one sentence for the admin, in English and German
     * @param facts    what the step found, in order, keyed by stable names ({@code protocol},
     *                 {@code subject}, {@code issuer}, {@code expires}, {@code capabilities},
     *                 {@code mechanisms}, {@code roles}, {@code reply}, {@code addresses} ...); never a
     *                 secret
     * @serial exclude
     */
    public record Step(String id, Outcome outcome, Duration duration, LocalizedText summary,
                       Map<String, String> facts) implements Serializable {

        private static final long serialVersionUID = 1L;

        /** The host name was resolved to addresses. */
        public static final String RESOLVE = "resolve";
        /** A TCP connection was made. */
        public static final String CONNECT = "connect";
        /** TLS from the first byte (SSL/TLS). */
        public static final String TLS = "tls";
        /** The server's 220 greeting. */
        public static final String GREETING = "greeting";
        /** EHLO and the capabilities it lists. */
        public static final String EHLO = "ehlo";
        /** The upgrade to TLS with STARTTLS. */
        public static final String STARTTLS = "starttls";
        /** The authentication mechanisms the server offers, and whether one fits. */
        public static final String AUTH_MECHANISMS = "auth-mechanisms";
        /** The login. */
        public static final String AUTH = "auth";
        /** An OAuth 2.0 token request. */
        public static final String TOKEN = "token";
        /** The permissions an OAuth 2.0 token carries. */
        public static final String PERMISSIONS = "permissions";
        /** A Microsoft Graph request: {@link DeliveryStep#GRAPH}'s id. */
        public static final String GRAPH = "graph";

        /**
         * The delivery step this step is, in the vocabulary of {@link DeliveryFailedException#step()}.
         *
         * @return empty for a step only a check has ({@link #AUTH_MECHANISMS}, {@link #PERMISSIONS}) or a
         *         provider's own
         * @since 0.3
         */
        public Optional<DeliveryStep> deliveryStep() {
            return DeliveryStep.ofId(id);
        }

        /**
         * Checks for nulls and copies the facts, keeping their order.
         *
         * @param id a stable id: one of the constants of this record, or a provider's own
         * @param outcome how it ended
         * @param duration how long it took; zero for a skipped step
         * @param summary one sentence for the admin, in English and German
         * @param facts what the step found, in order, keyed by stable names ({@code protocol}, {@code subject}, {@code issuer}, {@code expires}, {@code capabilities}, {@code mechanisms}, {@code roles}, {@code reply}, {@code addresses} ...); never a secret
         */
        public Step {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(duration, "duration");
            Objects.requireNonNull(summary, "summary");
            facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        }
    }
}
