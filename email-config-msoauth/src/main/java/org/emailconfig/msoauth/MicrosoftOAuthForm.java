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
        @NotBlank(message = "{form.sender.required}") @MailAddress String senderAddress,
        @HeaderSafe String senderName,
        @NotBlank(message = "{form.tenant.required}")
        @TenantId String tenantId,
        @NotBlank(message = "{form.client.required}")
        @ApplicationId String clientId,
        @HttpsEndpoint String loginEndpoint,
        @HttpsEndpoint(allowPath = true) String graphEndpoint,
        @HostName String smtpHost) {
}
