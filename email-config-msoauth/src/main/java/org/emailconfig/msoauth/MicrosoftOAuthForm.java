package org.emailconfig.msoauth;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.emailconfig.api.validation.HeaderSafe;
import org.emailconfig.api.validation.HostName;
import org.emailconfig.api.validation.MailAddress;

/** The text fields of {@link MicrosoftOAuthProvider}, checked with Jakarta Validation; names are field names. */
record MicrosoftOAuthForm(
        @NotBlank(message = "enter the mailbox to send as, for example noreply@contoso.com") @MailAddress String senderAddress,
        @HeaderSafe String senderName,
        @NotBlank(message = "enter the directory (tenant) ID from the app registration's overview page")
        @Pattern(regexp = GUID + "|[A-Za-z0-9][A-Za-z0-9.-]*\\.[A-Za-z]{2,}",
                message = "the directory (tenant) ID is a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47, or a domain such as contoso.onmicrosoft.com")
        String tenantId,
        @NotBlank(message = "enter the application (client) ID from the app registration's overview page")
        @Pattern(regexp = GUID, message = "the application (client) ID is a GUID such as 00001111-aaaa-2222-bbbb-3333cccc4444")
        String clientId,
        @Pattern(regexp = "https://\\S+", message = "an endpoint is an https:// URL") String loginEndpoint,
        @Pattern(regexp = "https://\\S+", message = "an endpoint is an https:// URL") String graphEndpoint,
        @HostName String smtpHost) {

    static final String GUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
}
