package org.emailconfig.core.testing;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * Records every call, including the full text of any throwable chain: at every level for the library's
 * loggers and msal4j's (so the leak tests see their debug output too), from INFO up for everything else.
 * A logger that says DEBUG is on makes GreenMail write every byte of every reply separately, which stalls
 * each reply on the client's delayed ACK.
 */
final class CapturingLogger extends AbstractLogger {

    private static final long serialVersionUID = 1L;
    private static final java.util.List<String> VERBOSE = java.util.List.of("org.emailconfig", "com.microsoft.aad.msal4j");

    private final boolean verbose;

    CapturingLogger(String name) {
        this.name = name;
        this.verbose = VERBOSE.stream().anyMatch(name::startsWith);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
                                               Throwable throwable) {
        String text = MessageFormatter.basicArrayFormat(pattern, args);
        LogCapture.record(name, level.name(), text, throwable);
    }

    @Override
    public boolean isTraceEnabled() {
        return verbose;
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
        return verbose;
    }

    @Override
    public boolean isDebugEnabled() {
        return verbose;
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
        return verbose;
    }

    @Override
    public boolean isInfoEnabled() {
        return true;
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
        return true;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
        return true;
    }
}
