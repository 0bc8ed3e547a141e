package org.emailconfig.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** How {@link JdbcConfigStore} keeps a map of values in one text column. */
final class JdbcCodec {

    private JdbcCodec() {
    }

    /**
     * Properties text with every non-ASCII and control character escaped: any value survives any database
     * character set, including NUL, which PostgreSQL text cannot hold.
     */
    static String encode(Map<String, String> values) throws SQLException {
        Properties p = new Properties();
        p.putAll(values);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            p.store(out, null);
        } catch (IOException e) {
            throw new SQLException("cannot encode values", e);
        }
        String text = out.toString(StandardCharsets.ISO_8859_1);
        // Drop the date comment Properties always writes: identical maps give identical text.
        return text.startsWith("#") ? text.substring(text.indexOf('\n') + 1) : text;
    }

    /** The values of {@link #encode} text. */
    static Map<String, String> decode(String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        Map<String, String> out = new TreeMap<>();
        for (String k : p.stringPropertyNames()) {
            out.put(k, p.getProperty(k));
        }
        return out;
    }
}
