<?php
/**
 * Every alert the plugin sent or tried to send, one row per event. The
 * UNIQUE event key is what makes an alert go out once: the request whose
 * INSERT IGNORE adds the row sends it; a concurrent or repeated one (a
 * duplicate callback, two cron runs) finds the key taken and sends nothing.
 * Each row keeps what each channel did (sent, failed, off) and the last
 * error, already without the bot token; the health tab reads them. A row
 * with a failed channel keeps its message until the cron's retries are
 * over (then it is blanked: the text may hold a payer's transfer content).
 * Rows older than 30 days are deleted by the cron.
 */

declare(strict_types=1);

// phpcs:disable WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- the claim is an INSERT IGNORE on a unique key; a cached read could send an alert twice or hide a failure

namespace VietQR\Alerts;

final class AlertLog
{
    private const KEEP = 30 * DAY_IN_SECONDS;

    public static function schema(string $prefix, string $charset): string
    {
        return "CREATE TABLE {$prefix}vietqr_alerts (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  event_key varchar(120) NOT NULL,
  event varchar(16) NOT NULL,
  payment_id bigint(20) unsigned NOT NULL DEFAULT 0,
  created_at bigint(20) unsigned NOT NULL DEFAULT 0,
  email varchar(8) NOT NULL DEFAULT '',
  telegram varchar(8) NOT NULL DEFAULT '',
  error varchar(500) NOT NULL DEFAULT '',
  attempts tinyint(3) unsigned NOT NULL DEFAULT 1,
  message text NOT NULL,
  PRIMARY KEY  (id),
  UNIQUE KEY event_key (event_key),
  KEY created_at (created_at)
) $charset;";
    }

    /** Takes the event for this request: the new row's id, or null when another request (or an earlier one) has it. */
    public static function claim(string $key, string $event, int $paymentId, int $now): ?int
    {
        global $wpdb;
        $wpdb->query($wpdb->prepare(
            "INSERT IGNORE INTO {$wpdb->vietqr_alerts} (event_key, event, payment_id, created_at, email, telegram, message) VALUES (%s, %s, %d, %d, 'sending', 'sending', '')",
            substr($key, 0, 120),
            $event,
            $paymentId,
            $now
        ));
        return $wpdb->rows_affected === 1 ? (int) $wpdb->insert_id : null;
    }

    /**
     * What each channel did: sent, failed or off; `$error` names the
     * failures (no secret in it); `$retry` the message to send again ('' for none).
     */
    public static function finish(int $id, string $email, string $telegram, string $error, string $retry = ''): void
    {
        global $wpdb;
        $wpdb->update($wpdb->vietqr_alerts, ['email' => $email, 'telegram' => $telegram, 'error' => mb_substr($error, 0, 500), 'message' => $retry], ['id' => $id]);
    }

    /**
     * Alerts of the last hour with a failed channel and a message kept for
     * another attempt, fewer than `$attempts` made.
     *
     * @return list<array<string, mixed>>
     */
    public static function retryDue(int $now, int $attempts): array
    {
        global $wpdb;
        return $wpdb->get_results($wpdb->prepare(
            "SELECT * FROM {$wpdb->vietqr_alerts} WHERE message <> '' AND attempts < %d AND created_at >= %d AND (email = 'failed' OR telegram = 'failed') ORDER BY id LIMIT 10",
            $attempts,
            $now - HOUR_IN_SECONDS
        ), ARRAY_A) ?: [];
    }

    /** Takes one more attempt at an alert: false when another cron run took it first. */
    public static function takeRetry(int $id, int $attempts): bool
    {
        global $wpdb;
        return $wpdb->query($wpdb->prepare(
            "UPDATE {$wpdb->vietqr_alerts} SET attempts = attempts + 1 WHERE id = %d AND attempts = %d",
            $id,
            $attempts
        )) === 1;
    }

    /** Whether an alert of this key was claimed already. */
    public static function has(string $key): bool
    {
        global $wpdb;
        return (int) $wpdb->get_var($wpdb->prepare("SELECT COUNT(*) FROM {$wpdb->vietqr_alerts} WHERE event_key = %s", $key)) > 0;
    }

    /** The newest alert any channel delivered. @return array<string, mixed>|null */
    public static function lastSent(): ?array
    {
        global $wpdb;
        $row = $wpdb->get_row("SELECT * FROM {$wpdb->vietqr_alerts} WHERE email = 'sent' OR telegram = 'sent' ORDER BY id DESC LIMIT 1", ARRAY_A);
        return $row ?: null;
    }

    /** The newest alert a channel failed to deliver. @return array<string, mixed>|null */
    public static function lastFailure(): ?array
    {
        global $wpdb;
        $row = $wpdb->get_row("SELECT * FROM {$wpdb->vietqr_alerts} WHERE email = 'failed' OR telegram = 'failed' ORDER BY id DESC LIMIT 1", ARRAY_A);
        return $row ?: null;
    }

    public static function prune(int $now): void
    {
        global $wpdb;
        $wpdb->query($wpdb->prepare("DELETE FROM {$wpdb->vietqr_alerts} WHERE created_at < %d", $now - self::KEEP));
    }
}
