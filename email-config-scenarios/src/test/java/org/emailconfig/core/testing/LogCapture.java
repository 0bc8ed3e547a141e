package org.emailconfig.core.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Every log line of the test JVM: SLF4J at all levels (through {@link CapturingSlf4jProvider}) and
 * java.util.logging at ALL (Angus Mail logs there), each with its throwable's full stack text.
 */
public final class LogCapture {

    private static final List<String> LINES = new ArrayList<>();

    static {
        Logger root = Logger.getLogger("");
        root.setLevel(java.util.logging.Level.ALL);
        Logger.getLogger("org.eclipse.angus").setLevel(java.util.logging.Level.ALL);
        Logger.getLogger("jakarta.mail").setLevel(java.util.logging.Level.ALL);
        root.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                String text = r.getMessage();
                if (r.getParameters() != null) {
                    try {
                        text = java.text.MessageFormat.format(text, r.getParameters());
                    } catch (IllegalArgumentException e) {
                        text = text + " " + java.util.Arrays.toString(r.getParameters());
                    }
                }
                record(r.getLoggerName(), "JUL-" + r.getLevel(), text, r.getThrown());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    private LogCapture() {
    }

    /** Makes sure the JUL handler is installed; call before the code under test runs. */
    public static void install() {
        // Loading the class ran the static initialiser.
    }

    static void record(String logger, String level, String text, Throwable t) {
        StringBuilder line = new StringBuilder(logger).append(' ').append(level).append(' ').append(text);
        if (t != null) {
            StringWriter w = new StringWriter();
            t.printStackTrace(new PrintWriter(w));
            line.append('\n').append(w);
        }
        synchronized (LINES) {
            LINES.add(line.toString());
        }
    }

    /**
     * A copy of every line recorded so far.
     *
     * @return the lines
     */
    public static List<String> lines() {
        synchronized (LINES) {
            return new ArrayList<>(LINES);
        }
    }
}
