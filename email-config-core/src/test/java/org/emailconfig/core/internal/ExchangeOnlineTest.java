package org.emailconfig.core.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which hosts are Exchange Online's submission hosts, whose password sign-in Microsoft switches off. */
class ExchangeOnlineTest {

    @ParameterizedTest
    @ValueSource(strings = {"smtp.office365.com", "SMTP.Office365.COM", "smtp.office365.com.", "smtp-mail.outlook.com",
            "outlook.office365.com", "smtp.office365.us", "smtp.partner.outlook.cn"})
    void exchangeOnlinesSubmissionHostsInAnyCase(String host) {
        assertTrue(ExchangeOnline.submissionHost(host), host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"contoso-com.mail.protection.outlook.com", "smtp.gmail.com", "office365.com",
            "smtp.office365.com.evil.test", "mail.contoso.com"})
    void notDirectSendRelaysNorLookAlikes(String host) {
        assertFalse(ExchangeOnline.submissionHost(host), host);
    }
}
