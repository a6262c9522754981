<?php
/** E-mail alerts: WordPress's wp_mail, plain text, and why it failed when it did. */

declare(strict_types=1);

namespace VietQR\Alerts;

final class Mail
{
    /**
     * @param list<string> $to
     * @return string|null null when WordPress handed the mail over, else why not
     */
    public static function send(array $to, string $title, string $text): ?string
    {
        $failure = null;
        $listen = static function ($error) use (&$failure): void {
            $failure = $error instanceof \WP_Error ? $error->get_error_message() : null;
        };
        add_action('wp_mail_failed', $listen);
        try {
            $subject = '[' . wp_specialchars_decode((string) get_option('blogname'), ENT_QUOTES) . '] ' . $title;
            $sent = wp_mail($to, $subject, $text, ['Content-Type: text/plain; charset=UTF-8']);
        } finally {
            remove_action('wp_mail_failed', $listen);
        }
        if ($sent) {
            return null;
        }
        return $failure !== null && $failure !== '' ? $failure : __('WordPress could not send the e-mail.', 'vietqr-for-woocommerce');
    }
}
