package org.emailconfig.core.internal.smtp;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Masks the secrets of open SMTP connections in Angus Mail's own log output. Angus logs through
 * java.util.logging under the package of the transport class, which is ours ({@code org.emailconfig.core.internal}
 * for its FINE lines, {@code ...internal.protocol} for its FINEST protocol trace); a host that routes those to its
 * logs at DEBUG or TRACE would otherwise see a password that a server echoed in a reply outside AUTH (AUTH itself
 * is never traced). The filter runs only for records whose level is enabled, so it costs nothing while logging is
 * off.
 */
final class ProtocolLogMask implements Filter {

    /** Angus's logger names for {@link TrackingSmtpTransport}: held, so java.util.logging keeps their filters. */
    private static final List<Logger> LOGGERS = List.of(
            Logger.getLogger(TrackingSmtpTransport.class.getPackageName()),
            Logger.getLogger(TrackingSmtpTransport.class.getPackageName() + ".protocol"));
    /** The texts to mask, counted by the open connections that use them. */
    private static final ConcurrentHashMap<String, AtomicInteger> LIVE = new ConcurrentHashMap<>();

    static {
        for (Logger logger : LOGGERS) {
            logger.setFilter(new ProtocolLogMask(logger.getFilter()));
        }
    }

    private final Filter next;

    private ProtocolLogMask(Filter next) {
        this.next = next;
    }

    /** Masks these texts from now until {@link #release} is called with the same list. */
    static void hold(List<String> secrets) {
        for (String s : secrets) {
            if (!s.isEmpty()) {
                LIVE.computeIfAbsent(s, k -> new AtomicInteger()).incrementAndGet();
            }
        }
    }

    static void release(List<String> secrets) {
        for (String s : secrets) {
            LIVE.computeIfPresent(s, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!LIVE.isEmpty()) {
            List<String> secrets = List.copyOf(LIVE.keySet());
            if (record.getMessage() != null) {
                record.setMessage(SecretMasking.redactText(record.getMessage(), secrets));
            }
            Object[] params = record.getParameters();
            if (params != null) {
                Object[] masked = params.clone();
                for (int i = 0; i < masked.length; i++) {
                    if (masked[i] != null) {
                        String text = String.valueOf(masked[i]);
                        String redacted = SecretMasking.redactText(text, secrets);
                        if (!redacted.equals(text)) {
                            masked[i] = redacted;
                        }
                    }
                }
                record.setParameters(masked);
            }
            if (record.getThrown() != null) {
                record.setThrown(SecretMasking.withoutSecrets(record.getThrown(), secrets));
            }
        }
        return next == null || next.isLoggable(record);
    }
}
