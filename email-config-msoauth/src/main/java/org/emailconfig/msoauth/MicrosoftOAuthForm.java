package org.emailconfig.msoauth;

import jakarta.validation.constraints.NotBlank;

import org.emailconfig.api.validation.ApplicationId;
import org.emailconfig.api.validation.HeaderSafe;
import org.emailconfig.api.validation.HostName;
import org.emailconfig.api.validation.HttpsEndpoint;
import org.emailconfig.api.validation.MailAddress;
import org.emailconfig.api.validation.TenantId;
import org.jspecify.annotations.Nullable;

/** The text fields of {@link MicrosoftOAuthProvider}, checked with Jakarta Validation; names are field names. */
record MicrosoftOAuthForm(
        @NotBlank(message = "{form.sender.required}") @MailAddress @Nullable String senderAddress,
        @HeaderSafe @Nullable String senderName,
        @NotBlank(message = "{form.tenant.required}")
        @TenantId @Nullable String tenantId,
        @NotBlank(message = "{form.client.required}")
        @ApplicationId @Nullable String clientId,
        @HttpsEndpoint @Nullable String loginEndpoint,
        @HttpsEndpoint(allowPath = true) @Nullable String graphEndpoint,
        @HostName @Nullable String smtpHost) {
}
