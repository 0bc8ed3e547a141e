package org.emailconfig.testkit;

import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;

import org.jspecify.annotations.Nullable;

/** Reads the JSON form of Graph {@code sendMail} into a {@link MimeMessage}, as Exchange would build it. */
final class GraphJson {

    record Parsed(MimeMessage message, boolean saveToSentItems) {
    }

    private GraphJson() {
    }

    @SuppressWarnings("unchecked")
    static Parsed parse(byte[] body) throws IOException, MessagingException {
        Map<String, Object> root;
        try (JsonReader reader = JsonProviders.createReader(body)) {
            root = (Map<String, Object>) reader.readUntyped();
        }
        Map<String, Object> m = (Map<String, Object>) root.get("message");
        if (m == null) {
            throw new IllegalArgumentException("no message");
        }
        MimeMessage mime = new MimeMessage(Session.getInstance(new Properties()));
        mime.setSubject((String) m.getOrDefault("subject", ""), "UTF-8");
        Map<String, Object> from = (Map<String, Object>) m.get("from");
        if (from != null) {
            mime.setFrom(address(from));
        }
        add(mime, Message.RecipientType.TO, m.getOrDefault("toRecipients", List.of()));
        add(mime, Message.RecipientType.CC, m.getOrDefault("ccRecipients", List.of()));
        add(mime, Message.RecipientType.BCC, m.getOrDefault("bccRecipients", List.of()));
        List<Map<String, Object>> replyTo = (List<Map<String, Object>>) m.get("replyTo");
        if (replyTo != null && !replyTo.isEmpty()) {
            List<jakarta.mail.Address> addresses = new java.util.ArrayList<>();
            for (Map<String, Object> r : replyTo) {
                addresses.add(address(r));
            }
            mime.setReplyTo(addresses.toArray(jakarta.mail.Address[]::new));
        }
        List<Map<String, Object>> headers = (List<Map<String, Object>>) m.get("internetMessageHeaders");
        if (headers != null) {
            for (Map<String, Object> h : headers) {
                String name = String.valueOf(h.get("name"));
                if (!name.toLowerCase(java.util.Locale.ROOT).startsWith("x-")) {
                    throw new IllegalArgumentException("Graph accepts only X- headers, not " + name);
                }
                mime.addHeader(name, (String) h.get("value"));
            }
        }
        Map<String, Object> b = (Map<String, Object>) m.getOrDefault("body", Map.of());
        String content = (String) b.getOrDefault("content", "");
        String subtype = "html".equalsIgnoreCase((String) b.get("contentType")) ? "html" : "plain";
        List<Map<String, Object>> attachments = (List<Map<String, Object>>) m.get("attachments");
        if (attachments == null || attachments.isEmpty()) {
            mime.setText(content, "UTF-8", subtype);
        } else {
            MimeMultipart mixed = new MimeMultipart("mixed");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(content, "UTF-8", subtype);
            mixed.addBodyPart(text);
            for (Map<String, Object> a : attachments) {
                MimeBodyPart part = new MimeBodyPart();
                part.setContent(Base64.getDecoder().decode((String) a.get("contentBytes")), (String) a.get("contentType"));
                part.setFileName((String) a.get("name"));
                part.setDisposition(MimeBodyPart.ATTACHMENT);
                mixed.addBodyPart(part);
            }
            mime.setContent(mixed);
        }
        mime.saveChanges();
        Object save = root.get("saveToSentItems");
        return new Parsed(mime, save == null || Boolean.parseBoolean(String.valueOf(save)));
    }

    @SuppressWarnings("unchecked")
    private static void add(MimeMessage mime, Message.RecipientType type, Object recipients) throws MessagingException {
        if (recipients == null) {
            return;
        }
        for (Map<String, Object> r : (List<Map<String, Object>>) recipients) {
            mime.addRecipient(type, address(r));
        }
    }

    @SuppressWarnings("unchecked")
    private static InternetAddress address(Map<String, Object> recipient) throws MessagingException {
        Map<String, Object> e = (Map<String, Object>) recipient.getOrDefault("emailAddress", Map.of());
        try {
            InternetAddress a = new InternetAddress((String) e.get("address"), true);
            if (e.get("name") != null) {
                a.setPersonal((String) e.get("name"), "UTF-8");
            }
            return a;
        } catch (java.io.UnsupportedEncodingException ex) {
            throw new MessagingException("bad name", ex);
        }
    }
}
