package org.emailconfig.core.internal.smtp;

import jakarta.mail.util.StreamProvider;

import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jakarta.mail-api 2.1.5 looks up its {@link StreamProvider} with a {@link java.util.ServiceLoader} on every
 * message it encodes (jakartaee/mail-api#861): about a fifth of the client's CPU per small message. Its
 * lookup reads the system property {@value #PROPERTY} first. When the host has not set it and the lookup
 * finds Angus Mail's provider, the engine sets the property to that same class, once, and says so at INFO:
 * Jakarta Mail then instantiates the provider it would have found, without searching for it.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class StreamProviderLookup {

    /** The system property Jakarta Mail's factory finder reads before its ServiceLoader. */
    public static final String PROPERTY = "jakarta.mail.util.StreamProvider";
    private static final String ANGUS = "org.eclipse.angus.mail.util.MailStreamProvider";
    private static final Logger LOG = LoggerFactory.getLogger("org.emailconfig.core");

    private StreamProviderLookup() {
    }

    /**
     * Names the stream provider once, if the host has not and the lookup finds Angus Mail's anyway.
     *
     * @return true when this call set the property
     */
    public static synchronized boolean nameTheProviderOnce() {
        if (System.getProperty(PROPERTY) != null) {
            return false;
        }
        String found;
        try {
            found = StreamProvider.provider().getClass().getName();
        } catch (RuntimeException e) {
            return false;
        }
        if (!ANGUS.equals(found)) {
            LOG.debug("Jakarta Mail's stream provider is {}, not Angus Mail's: {} left unset", found, PROPERTY);
            return false;
        }
        System.setProperty(PROPERTY, ANGUS);
        LOG.info("Set the system property {}={}, the provider Jakarta Mail finds anyway, so it no longer searches "
                + "for it with a ServiceLoader on every message (jakartaee/mail-api#861). To keep the search, set "
                + "the property yourself or build with EmailConfig.builder().keepStreamProviderLookup().",
                PROPERTY, ANGUS);
        return true;
    }
}
