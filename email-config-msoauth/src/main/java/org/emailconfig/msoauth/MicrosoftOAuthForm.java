package org.emailconfig.msoauth;

import jakarta.validation.constraints.NotBlank;

import org.emailconfig.api.validation.ApplicationId;
import org.emailconfig.api.validation.HeaderSafe;
import org.emailconfig.api.validation.HostName;
import org.emailconfig.api.validation.HttpsEndpoint;
import org.emailconfig.api.validation.MailAddress;
import org.emailconfig.api.validation.TenantId;

/** The text fields of {@link MicrosoftOAuthProvider}, checked with Jakarta Validation; names are field names. */
record MicrosoftOAuthForm(
        @NotBlank(message = "enter the mailbox to send as, for example noreply@contoso.com") @MailAddress String senderAddress,
        @HeaderSafe String senderName,
        @NotBlank(message = "enter the directory (tenant) ID from the app registration's overview page")
        @TenantId String tenantId,
        @NotBlank(message = "enter the application (client) ID from the app registration's overview page")
        @ApplicationId String clientId,
        @HttpsEndpoint String loginEndpoint,
        @HttpsEndpoint(allowPath = true) String graphEndpoint,
        @HostName String smtpHost) {
}
