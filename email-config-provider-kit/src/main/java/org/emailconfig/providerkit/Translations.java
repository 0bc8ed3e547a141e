package org.emailconfig.providerkit;

import java.util.ArrayList;
import java.util.List;
import java.util.ListResourceBundle;
import java.util.Locale;
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
 * Checks a provider's bundles for what would show a reader the wrong language: a key that only one language has, a
 * blank text, or a placeholder that only one language uses. For tests: a provider asserts the list is empty, as the
 * library's own tests do for its bundles.
 *
 * <pre>{@code
 * assertEquals(List.of(), Translations.missing(l -> ResourceBundle.getBundle("com.example.Texts", l)));
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.3")
public final class Translations {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)}");

    private Translations() {
    }

    /**
     * The problems in the English base bundle and its German one, the two languages the library ships.
     *
     * @param bundles loads the bundle for a locale, as for {@link org.emailconfig.api.LocalizedText#fromBundle}
     * @return one line per problem, in key order; empty when both languages are complete
     */
    public static List<String> missing(Function<Locale, ResourceBundle> bundles) {
        return missing(bundles, Locale.GERMAN);
    }

    /**
     * The problems in the English base bundle and the bundles of other languages, such as a French one a host adds.
     *
     * @param bundles   loads the bundle for a locale, as for {@link org.emailconfig.api.LocalizedText#fromBundle}
     * @param languages the languages to check against English; a language without a bundle of its own is named
     *                  for each key
     * @return one line per problem, in language order and then key order, naming the language in English
     */
    public static List<String> missing(Function<Locale, ResourceBundle> bundles, Locale... languages) {
        ResourceBundle en = bundles.apply(Locale.ROOT);
        List<String> problems = new ArrayList<>();
        for (Locale language : languages) {
            ResourceBundle other = bundles.apply(Objects.requireNonNull(language, "language"));
            String name = language.getDisplayLanguage(Locale.ENGLISH);
            Set<String> keys = new TreeSet<>(en.keySet());
            keys.addAll(other.keySet());
            for (String key : keys) {
                if (!en.containsKey(key)) {
                    problems.add(key + ": no English text");
                } else if (!ownKey(other, language, key)) {
                    problems.add(key + ": no " + name + " text");
                } else if (en.getString(key).isBlank() || other.getString(key).isBlank()) {
                    problems.add(key + ": blank");
                } else if (!placeholders(en.getString(key)).equals(placeholders(other.getString(key)))) {
                    problems.add(key + ": placeholders " + placeholders(en.getString(key)) + " in English but "
                            + placeholders(other.getString(key)) + " in " + name);
                }
            }
        }
        return problems;
    }

    /** A key the language's bundle has itself, not one it inherits from the English parent. */
    private static boolean ownKey(ResourceBundle bundle, Locale language, String key) {
        if (!language.getLanguage().equals(bundle.getLocale().getLanguage())) {
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
}
