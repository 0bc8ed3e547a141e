package org.emailconfig.core.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

import org.apiguardian.api.API;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.MicrosoftOAuthConfiguration;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.AuthenticationType;
import org.emailconfig.api.Reason;
import org.emailconfig.api.spi.AuthenticationProvider;

/**
 * The installed authentication providers by id. Built once; every problem fails the build with a
 * message naming the provider class: a broken constructor, a malformed id, a duplicate id (naming both
 * classes), a reserved id used by a class that is not ours. Never "first one wins".
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ProviderRegistry {

    /** The built-in types, in the order a form offers them, with the only class allowed to use each id. */
    private static final List<Map.Entry<String, String>> BUILT_IN = List.of(
            Map.entry(PasswordSmtpConfiguration.TYPE, "org.emailconfig.smtp.basic.PasswordSmtpProvider"),
            Map.entry(MicrosoftOAuthConfiguration.TYPE, "org.emailconfig.msoauth.MicrosoftOAuthProvider"));

    private final Map<String, AuthenticationProvider> byId;

    private ProviderRegistry(Map<String, AuthenticationProvider> byId) {
        this.byId = byId;
    }

    /**
     * Registers explicit instances first, then (if enabled) what {@link ServiceLoader} finds. A
     * discovered provider of the same class as an explicit instance is skipped.
     *
     * @param explicit    instances passed to the builder
     * @param discover    whether to use {@link ServiceLoader}
     * @param classLoader where to look
     * @return the registry
     * @throws EmailConfigException with a PROVIDER_* reason
     */
    public static ProviderRegistry create(Collection<AuthenticationProvider> explicit, boolean discover,
                                          ClassLoader classLoader) {
        Map<String, AuthenticationProvider> byId = new LinkedHashMap<>();
        for (AuthenticationProvider p : explicit) {
            register(byId, p);
        }
        if (discover) {
            for (AuthenticationProvider p : discover(classLoader)) {
                boolean sameClassGiven = explicit.stream().anyMatch(e -> e.getClass() == p.getClass());
                if (!sameClassGiven) {
                    register(byId, p);
                }
            }
        }
        List<AuthenticationProvider> ordered = new ArrayList<>(byId.values());
        ordered.sort(Comparator.comparingInt((AuthenticationProvider p) -> builtInRank(p.type()))
                .thenComparing(AuthenticationProvider::type));
        Map<String, AuthenticationProvider> sorted = new LinkedHashMap<>();
        ordered.forEach(p -> sorted.put(p.type(), p));
        return new ProviderRegistry(sorted);
    }

    /** Position among the built-in types; third-party types after all of them. */
    private static int builtInRank(String id) {
        for (int i = 0; i < BUILT_IN.size(); i++) {
            if (BUILT_IN.get(i).getKey().equals(id)) {
                return i;
            }
        }
        return BUILT_IN.size();
    }

    private static List<AuthenticationProvider> discover(ClassLoader classLoader) {
        List<AuthenticationProvider> found = new ArrayList<>();
        ServiceLoader<AuthenticationProvider> loader = ServiceLoader.load(AuthenticationProvider.class, classLoader);
        var it = loader.stream().iterator();
        while (true) {
            ServiceLoader.Provider<AuthenticationProvider> candidate;
            try {
                if (!it.hasNext()) {
                    break;
                }
                candidate = it.next();
            } catch (ServiceConfigurationError e) {
                throw new EmailConfigException(Reason.PROVIDER_BROKEN,
                        "An authentication provider listed in META-INF/services/" + AuthenticationProvider.class.getName()
                                + " could not be loaded: " + e.getMessage(), e);
            }
            try {
                found.add(candidate.get());
            } catch (ServiceConfigurationError e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new EmailConfigException(Reason.PROVIDER_BROKEN, "The authentication provider "
                        + candidate.type().getName() + " could not be created: " + cause, e);
            }
        }
        return found;
    }

    private static void register(Map<String, AuthenticationProvider> byId, AuthenticationProvider p) {
        String className = p.getClass().getName();
        String id;
        try {
            id = p.type();
        } catch (RuntimeException e) {
            throw new EmailConfigException(Reason.PROVIDER_BROKEN, "The authentication provider " + className
                    + " failed to report its type: " + e, e);
        }
        if (!AuthenticationType.isValid(id)) {
            throw new EmailConfigException(Reason.PROVIDER_BROKEN, "The authentication provider " + className
                    + " has the invalid type '" + id + "': use lowercase letters, digits and hyphens, starting with a letter");
        }
        String owner = BUILT_IN.stream().filter(e -> e.getKey().equals(id)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
        if (owner != null && !owner.equals(className)) {
            throw new EmailConfigException(Reason.PROVIDER_BROKEN, "The authentication provider " + className
                    + " uses the type '" + id + "', which is reserved for the built-in " + owner + "; choose another type");
        }
        AuthenticationProvider previous = byId.putIfAbsent(id, p);
        if (previous != null) {
            throw new EmailConfigException(Reason.PROVIDER_DUPLICATE, "Two authentication providers use the type '" + id
                    + "': " + previous.getClass().getName() + " and " + className + "; remove one of them");
        }
    }

    /**
     * The provider of a type.
     *
     * @param id a type
     * @return empty if none is installed
     */
    public Optional<AuthenticationProvider> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * The provider of a type, or a clear error.
     *
     * @param id  a type
     * @param why what needs it, e.g. "The stored email configuration"
     * @return the provider
     * @throws EmailConfigException with {@link Reason#PROVIDER_MISSING} naming the type
     */
    public AuthenticationProvider require(String id, String why) {
        AuthenticationProvider p = byId.get(id);
        if (p == null) {
            throw new EmailConfigException(Reason.PROVIDER_MISSING, why + " has type '" + id
                    + "', but no authentication provider of that type is installed (installed: " + byId.keySet() + ")");
        }
        return p;
    }

    /**
     * All providers, built-in first, then by id.
     *
     * @return never null
     */
    public Collection<AuthenticationProvider> all() {
        return byId.values();
    }
}
