package org.emailconfig.msoauth;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.MicrosoftOAuthConfiguration;
import org.emailconfig.api.spi.AuthenticationProvider;
import org.emailconfig.core.EmailConfig;
import org.emailconfig.providerkit.FailingEndpoint;
import org.emailconfig.providerkit.ProviderContract;
import org.emailconfig.testkit.FakeMicrosoftPlatform;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.emailconfig.testkit.TestCertificates;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The built-in Microsoft provider keeps the contract, delivering through the fake Graph. */
class MicrosoftOAuthProviderContractTest extends ProviderContract {

    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    static final String CLIENT = "00001111-aaaa-2222-bbbb-3333cccc4444";
    static final String SECRET = "Qx8Q~contract.client-secret_value";

    @RegisterExtension
    final FakeMicrosoftPlatform microsoft = new FakeMicrosoftPlatform().registerApplication(TENANT, CLIENT, SECRET);

    @Override
    protected AuthenticationProvider provider() {
        return new MicrosoftOAuthProvider();
    }

    @Override
    protected ConfigurationDraft validDraft(ScriptedSmtpServer server) {
        return microsoft.graphDraft(TENANT, CLIENT, SECRET, "noreply@contoso.test");
    }

    /** The identity platform is the web service that refuses: the client secret goes there in the request body. */
    @Override
    protected ConfigurationDraft draftPointedAt(FailingEndpoint endpoint) {
        String platform = endpoint.https().toString();
        return microsoft.graphDraft(TENANT, CLIENT, SECRET, "noreply@contoso.test").toBuilder()
                .set(MicrosoftOAuthConfiguration.LOGIN_ENDPOINT, platform.substring(0, platform.length() - 1)).build();
    }

    @Override
    protected boolean deliversOverSmtp() {
        return false;
    }

    @Override
    protected EmailConfig.Builder engine() {
        return EmailConfig.builder().trustStore(TestCertificates.trustStore());
    }
}
