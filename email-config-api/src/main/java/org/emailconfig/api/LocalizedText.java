package org.emailconfig.api;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.ListResourceBundle;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.Objects;
import java.util.PropertyResourceBundle;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apiguardian.api.API;

/**
 * A text in the languages the library speaks: English, and German for German locales. Hints, field
 * errors and diagnosis steps carry one, so the host shows each reader their own language, whichever
 * locale the text was made in. Immutable and serializable.
 *
 * <p>Providers make theirs from their own {@link ResourceBundle}s with {@link #fromBundle}: the bundle
 * is loaded by a function the provider passes in, so a bundle in a named module needs no {@code opens}.
 *
 * @serial exclude
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class LocalizedText implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)}");

    private final String english;
    private final String german;

    private LocalizedText(String english, String german) {
        this.english = Objects.requireNonNull(english, "english");
        this.german = Objects.requireNonNull(german, "german");
    }

    /**
     * A text in both languages.
     *
     * @param english the English text
     * @param german  the German text
     * @return the text
     */
    public static LocalizedText of(String english, String german) {
        return new LocalizedText(english, german);
    }

    /**
     * A text that reads the same in every language: a server's reply, a name, a hint from a provider
     * without translations.
     *
     * @param text the text
     * @return the text
     */
    public static LocalizedText untranslated(String text) {
        return new LocalizedText(text, text);
    }

    /**
     * A text from a pair of bundles: the base bundle (English) and its {@code _de} variant. Placeholders
     * {@code {0}}, {@code {1}} ... are replaced by the arguments as they are (no number formatting, no
     * quoting rules: a port stays {@code 1025}, an apostrophe stays an apostrophe); an argument that is a
     * {@code LocalizedText} is inserted in the same language.
     *
     * @param bundles loads the bundle for {@link Locale#ROOT} and {@link Locale#GERMAN}, for example
     *                {@code locale -> ResourceBundle.getBundle("com.example.Texts", locale)}; call
     *                {@code getBundle} in the lambda so it runs in your module
     * @param key     the key, present in both bundles
     * @param args    the values of the placeholders
     * @return the text
     * @throws MissingResourceException when a bundle or the key is missing
     */
    public static LocalizedText fromBundle(Function<Locale, ResourceBundle> bundles, String key, Object... args) {
        return new LocalizedText(format(bundles.apply(Locale.ROOT).getString(key), args, false),
                format(bundles.apply(Locale.GERMAN).getString(key), args, true));
    }

    private static String format(String pattern, Object[] args, boolean german) {
        Matcher m = PLACEHOLDER.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int i = Integer.parseInt(m.group(1));
            Object arg = i < args.length ? args[i] : m.group();
            String value = arg instanceof LocalizedText t ? (german ? t.german : t.english) : String.valueOf(arg);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The text in a reader's language: German for German locales, English for every other.
     *
     * @param locale the reader's locale, never null
     * @return the text
     */
    public String in(Locale locale) {
        return "de".equals(Objects.requireNonNull(locale, "locale").getLanguage()) ? german : english;
    }

    /**
     * The English text, as logs and exception messages use it.
     *
     * @return the text
     */
    public String english() {
        return english;
    }

    /**
     * Checks a pair of bundles for what would show a reader the wrong language: a key that only one
     * language has, a text that is blank, or a placeholder that only one language uses. For tests: a
     * provider asserts the list is empty.
     *
     * @param bundles as for {@link #fromBundle}
     * @return one line per problem; empty when both languages are complete
     */
    public static List<String> missingTranslations(Function<Locale, ResourceBundle> bundles) {
        ResourceBundle en = bundles.apply(Locale.ROOT);
        ResourceBundle de = bundles.apply(Locale.GERMAN);
        Set<String> keys = new TreeSet<>(en.keySet());
        keys.addAll(de.keySet());
        List<String> problems = new ArrayList<>();
        for (String key : keys) {
            boolean inEnglish = en.containsKey(key);
            boolean inGerman = ownKey(de, key);
            if (!inEnglish) {
                problems.add(key + ": no English text");
            } else if (!inGerman) {
                problems.add(key + ": no German text");
            } else if (en.getString(key).isBlank() || de.getString(key).isBlank()) {
                problems.add(key + ": blank");
            } else if (!placeholders(en.getString(key)).equals(placeholders(de.getString(key)))) {
                problems.add(key + ": placeholders " + placeholders(en.getString(key)) + " in English but "
                        + placeholders(de.getString(key)) + " in German");
            }
        }
        return problems;
    }

    /** A key the German bundle has itself, not one it inherits from the English parent. */
    private static boolean ownKey(ResourceBundle bundle, String key) {
        if (!"de".equals(bundle.getLocale().getLanguage())) {
            return false;
        }
        if (bundle instanceof PropertyResourceBundle p) {
            return p.handleGetObject(key) != null;
        }
        if (bundle instanceof ListResourceBundle l) {
            return l.handleGetObject(key) != null;
        }
        return bundle.containsKey(key);
    }

    private static Set<String> placeholders(String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LocalizedText t && t.english.equals(english) && t.german.equals(german);
    }

    @Override
    public int hashCode() {
        return english.hashCode() * 31 + german.hashCode();
    }

    /** The English text. */
    @Override
    public String toString() {
        return english;
    }
}
