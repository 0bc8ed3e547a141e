package org.emailconfig.api;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A text in every language it exists in, looked up by the reader's {@link Locale}, with English as the fallback.
 * Hints, field errors and diagnosis steps carry one, so the host shows each reader their own language, whichever
 * locale the text was made in. The library ships English and German; a language is one more bundle (below).
 * Immutable.
 *
 * <p>Providers make theirs from their own {@link ResourceBundle}s with {@link #fromBundle}: the bundle
 * is loaded by a function the provider passes in, so a bundle in a named module needs no {@code opens}. A text
 * from bundles answers in every language those bundles have, including one added later: a host on the class path
 * adds French to the library's texts by putting {@code Texts_fr.properties} beside ours
 * ({@code org/emailconfig/api/}, {@code org/emailconfig/core/internal/text/}, each provider's package) in a jar of
 * its own. Texts made in code take their translations with {@link #with(Locale, String)}.
 *
 * <p>Serializable: the serialized form keeps English and the translations known when the text was made (German
 * for the library's own texts); a language looked up lazily from a bundle is looked up again after
 * deserialization only where the bundles are at hand, which they are not, so it reads English.
 *
 * @serial exclude
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class LocalizedText implements Serializable {

    private static final long serialVersionUID = 2L;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)}");

    private final String english;
    /** Translations by language code ({@code "de"}), never English; a sorted map, so equal texts compare equal. */
    private final TreeMap<String, String> translations;
    /** Looks up a language not among the translations in the bundles the text came from; null when made in code. */
    private final transient @Nullable Function<Locale, @Nullable String> bundleLookup;

    private LocalizedText(String english, Map<String, String> translations,
                          @Nullable Function<Locale, @Nullable String> bundleLookup) {
        this.english = Objects.requireNonNull(english, "english");
        this.translations = new TreeMap<>(translations);
        this.bundleLookup = bundleLookup;
    }

    /**
     * A text in English and German.
     *
     * @param english the English text
     * @param german  the German text
     * @return the text
     */
    public static LocalizedText of(String english, String german) {
        return new LocalizedText(english, Map.of(Locale.GERMAN.getLanguage(), Objects.requireNonNull(german, "german")),
                null);
    }

    /**
     * A text in English and any other languages.
     *
     * @param english      the English text, which readers of every other language see
     * @param translations the text by language ({@link Locale#getLanguage()} counts; country and variant do not)
     * @return the text
     * @throws IllegalArgumentException for a translation into English or into no language ({@link Locale#ROOT})
     * @since 0.3
     */
    public static LocalizedText of(String english, Map<Locale, String> translations) {
        LocalizedText text = untranslated(english);
        for (Map.Entry<Locale, String> t : translations.entrySet()) {
            text = text.with(t.getKey(), t.getValue());
        }
        return text;
    }

    /**
     * A text that reads the same in every language: a server's reply, a name, a hint from a provider
     * without translations.
     *
     * @param text the text
     * @return the text
     */
    public static LocalizedText untranslated(String text) {
        return new LocalizedText(text, Map.of(), null);
    }

    /**
     * This text with one more translation, or another one for a language it already has.
     *
     * @param language the language ({@link Locale#getLanguage()} counts; country and variant do not)
     * @param text     the text in that language
     * @return a new text; this one is unchanged
     * @throws IllegalArgumentException for English (the text's own) or {@link Locale#ROOT}
     * @since 0.3
     */
    public LocalizedText with(Locale language, String text) {
        String code = Objects.requireNonNull(language, "language").getLanguage();
        if (code.isEmpty() || code.equals(Locale.ENGLISH.getLanguage())) {
            throw new IllegalArgumentException("a translation needs a language other than English, not '"
                    + language + "'; English is the text itself");
        }
        Map<String, String> more = new LinkedHashMap<>(translations);
        more.put(code, Objects.requireNonNull(text, "text"));
        return new LocalizedText(english, more, bundleLookup);
    }

    /**
     * A text from bundles: the base bundle (English) and one per further language ({@code _de}, and any a host
     * adds). Placeholders {@code {0}}, {@code {1}} ... are replaced by the arguments as they are (no number
     * formatting, no quoting rules: a port stays {@code 1025}, an apostrophe stays an apostrophe); an argument that
     * is a {@code LocalizedText} is inserted in the same language. English and German are looked up at once; any
     * other language when a reader of it asks. A key that a language's bundle lacks reads English.
     *
     * @param bundles loads the bundle for a locale, for example
     *                {@code locale -> ResourceBundle.getBundle("com.example.Texts", locale)}; call
     *                {@code getBundle} in the lambda so it runs in your module
     * @param key     the key, present in the base bundle
     * @param args    the values of the placeholders
     * @return the text
     * @throws MissingResourceException when the base bundle or the key in it is missing
     */
    public static LocalizedText fromBundle(Function<Locale, ResourceBundle> bundles, String key, Object... args) {
        Object[] values = args.clone();
        Function<Locale, @Nullable String> lookup = locale -> {
            ResourceBundle bundle = bundles.apply(locale);
            // ResourceBundle falls back to the JVM's default locale before the base bundle: a French reader on a
            // German server would read German. Only a bundle of the reader's own language counts.
            return bundle.getLocale().getLanguage().equals(locale.getLanguage()) && bundle.containsKey(key)
                    ? format(bundle.getString(key), values, locale) : null;
        };
        String english = format(bundles.apply(Locale.ROOT).getString(key), values, Locale.ROOT);
        Map<String, String> shipped = new LinkedHashMap<>();
        String german = lookup.apply(Locale.GERMAN);
        if (german != null) {
            shipped.put(Locale.GERMAN.getLanguage(), german);
        }
        return new LocalizedText(english, shipped, lookup);
    }

    private static String format(String pattern, Object[] args, Locale locale) {
        Matcher m = PLACEHOLDER.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int i = Integer.parseInt(m.group(1));
            Object arg = i < args.length ? args[i] : m.group();
            String value = arg instanceof LocalizedText t ? t.in(locale) : String.valueOf(arg);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The text in a reader's language when it exists in it, else English. Only the language counts:
     * {@code de_AT} and {@code de_CH} read German.
     *
     * @param locale the reader's locale, never null
     * @return the text
     */
    public String in(Locale locale) {
        String language = Objects.requireNonNull(locale, "locale").getLanguage();
        if (language.isEmpty() || language.equals(Locale.ENGLISH.getLanguage())) {
            return english;
        }
        String known = translations.get(language);
        if (known != null) {
            return known;
        }
        String looked = bundleLookup == null ? null : bundleLookup.apply(Locale.forLanguageTag(language));
        return looked != null ? looked : english;
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
     * The translations known without a bundle lookup: German for the library's own texts, and every language given
     * with {@link #of(String, Map)} or {@link #with}.
     *
     * @return the texts by language, without English; unmodifiable
     * @since 0.3
     */
    public Map<Locale, String> translations() {
        Map<Locale, String> out = new LinkedHashMap<>();
        translations.forEach((language, text) -> out.put(Locale.forLanguageTag(language), text));
        return java.util.Collections.unmodifiableMap(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LocalizedText t && t.english.equals(english) && t.translations.equals(translations);
    }

    @Override
    public int hashCode() {
        return english.hashCode() * 31 + translations.hashCode();
    }

    /** The English text. */
    @Override
    public String toString() {
        return english;
    }
}
