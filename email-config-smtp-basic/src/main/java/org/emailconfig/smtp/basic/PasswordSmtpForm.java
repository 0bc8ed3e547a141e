package org.emailconfig.smtp.basic;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.emailconfig.api.validation.HeaderSafe;
import org.emailconfig.api.validation.HostName;
import org.emailconfig.api.validation.MailAddress;
import org.jspecify.annotations.Nullable;

/**
 * The form of {@link PasswordSmtpProvider} after text parsing, checked with Jakarta Validation. Its
 * component names are the field names, so violations land on the right form fields.
 */
record PasswordSmtpForm(
        @NotBlank(message = "{form.sender.required}") @MailAddress @Nullable String senderAddress,
        @HeaderSafe @Nullable String senderName,
        @NotBlank(message = "{form.host.required}") @HostName @Nullable String host,
        @Min(value = 1, message = "{form.port.range}")
        @Max(value = 65535, message = "{form.port.range}")
        @Nullable Long port,
        @HeaderSafe @Nullable String username) {
}
