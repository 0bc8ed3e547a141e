package org.emailconfig.smtp.basic;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.emailconfig.api.validation.HeaderSafe;
import org.emailconfig.api.validation.HostName;
import org.emailconfig.api.validation.MailAddress;

/**
 * The form of {@link PasswordSmtpProvider} after text parsing, checked with Jakarta Validation. Its
 * component names are the field names, so violations land on the right form fields.
 */
record PasswordSmtpForm(
        @NotBlank(message = "{form.sender.required}") @MailAddress String senderAddress,
        @HeaderSafe String senderName,
        @NotBlank(message = "{form.host.required}") @HostName String host,
        @Min(value = 1, message = "{form.port.range}")
        @Max(value = 65535, message = "{form.port.range}")
        Long port,
        @HeaderSafe String username) {
}
