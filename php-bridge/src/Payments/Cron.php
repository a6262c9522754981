<?php
/**
 * WP-Cron, every minute: recover payments whose callbacks never came
 * (check-order) and expire QR codes that ran out.
 */

declare(strict_types=1);

namespace VietQR\Payments;

use VietQR\Callback\LockOuts;

final class Cron
{
    public const HOOK = 'vietqr_every_minute';
    public const SCHEDULE = 'vietqr_minute';

    /**
     * @param array<string, array<string, mixed>> $schedules
     * @return array<string, array<string, mixed>>
     */
    public static function schedules(array $schedules): array
    {
        // WordPress asks for schedules before `init` too (scheduling, wp-cron):
        // translating then loads the text domain too early (a notice since 6.7).
        $display = did_action('init') ? __('Every minute (VietQR)', 'vietqr-for-woocommerce') : 'Every minute (VietQR)';
        $schedules[self::SCHEDULE] = ['interval' => 60, 'display' => $display];
        return $schedules;
    }

    public static function schedule(): void
    {
        if (!wp_next_scheduled(self::HOOK)) {
            add_filter('cron_schedules', [self::class, 'schedules']);
            wp_schedule_event(time() + 60, self::SCHEDULE, self::HOOK);
        }
    }

    public static function unschedule(): void
    {
        wp_clear_scheduled_hook(self::HOOK);
    }

    /** @return array{reconciled: int, expired: int, order_synced: int, order_checked: int} */
    public static function run(): array
    {
        $now = time();
        $reconciled = 0;
        foreach (Payments::openForReconciliation($now) as $payment) {
            $reconciled += Payments::reconcile($payment);
        }
        // A lock-out that may have refused VietQR's callbacks holds back local-QR expiry until its retries are over.
        $holding = array_values(array_filter(LockOuts::all(), static function (array $period) use ($now): bool {
            return $period['until'] + LockOuts::RETRY_HORIZON > $now;
        }));
        $expired = Payments::expireDue($now, $holding, LockOuts::RETRY_HORIZON);
        // Orders whose update was cut short (the WooCommerce part listens).
        $resynced = 0;
        if (has_action('vietqr_payment_order_sync')) {
            foreach (Payments::orderSyncDue() as $payment) {
                do_action('vietqr_payment_order_sync', $payment);
                $resynced++;
            }
        }
        // Money received in the last hour: the order is asked whether it shows it.
        $checked = 0;
        if (has_action('vietqr_payment_order_check')) {
            foreach (Payments::recentlyPaid($now - HOUR_IN_SECONDS) as $payment) {
                do_action('vietqr_payment_order_check', $payment);
                $checked++;
            }
        }
        return ['reconciled' => $reconciled, 'expired' => $expired, 'order_synced' => $resynced, 'order_checked' => $checked];
    }
}
