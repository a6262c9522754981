<?php
/**
 * GET /vietqr/v1/payments/{public_key}: what the buyer's page polls. The key
 * is random per payment, so it tells nothing about other orders. When no
 * callback has come a while after the QR was shown, the request also asks
 * VietQR (check-order), at most once per CHECK_INTERVAL per payment.
 */

declare(strict_types=1);

namespace VietQR\Payments;

use VietQR\Core\Core;
use VietQR\Core\CoreError;

final class StatusRoute
{
    public const PATH = '/payments/(?P<key>[a-f0-9]{32})';
    public const CHECK_AFTER = 30;
    public const CHECK_INTERVAL = 30;

    /** @return \WP_REST_Response|\WP_Error */
    public static function status(\WP_REST_Request $request)
    {
        $payment = Payments::findByKey((string) $request['key']);
        if ($payment === null) {
            return new \WP_Error('vietqr_not_found', __('No such payment.', 'vietqr-for-woocommerce'), ['status' => 404]);
        }
        if (in_array($payment['status'], ['pending', 'partial'], true) && time() - $payment['created_at'] >= self::CHECK_AFTER) {
            if (Payments::reconcileRateLimited($payment, self::CHECK_INTERVAL) > 0) {
                $payment = Payments::find((int) $payment['id']) ?? $payment;
            }
        }
        $response = new \WP_REST_Response(self::publicView($payment), 200);
        $response->header('Cache-Control', 'no-store');
        return $response;
    }

    /**
     * What a buyer may see of a payment (no ids of other systems, no secrets).
     *
     * @param array<string, mixed> $payment
     * @return array<string, mixed>
     */
    /**
     * After a partial payment the QR asks for what is still due, never the
     * full amount again: the same account and transfer content (it matches
     * this payment), the remaining amount. A transfer of another amount than
     * VietQR's own QR is matched by its content (docs/protocol.md §1l).
     *
     * @param array<string, mixed> $payment
     */
    private static function payloadFor(array $payment, int $due): string
    {
        try {
            return (string) Core::value('payload.build', [
                'bank' => (string) $payment['bank'],
                'account' => (string) $payment['account'],
                'amount' => $due,
                'purpose' => (string) $payment['content'],
            ])['payload'];
        } catch (CoreError $e) {
            return (string) $payment['payload'];
        }
    }

    public static function publicView(array $payment): array
    {
        $due = max(0, $payment['amount'] - $payment['received']);
        return [
            'status' => $payment['status'],
            'paid' => in_array($payment['status'], ['paid', 'overpaid'], true),
            'amount' => $payment['amount'],
            'received' => $payment['received'],
            'due' => $due,
            'expires_at' => $payment['expires_at'],
            'now' => time(),
            'bank' => $payment['bank'],
            'account' => $payment['account'],
            'holder' => $payment['holder'],
            'content' => $payment['content'],
            'payload' => $payment['status'] === 'partial' && $due > 0 ? self::payloadFor($payment, $due) : $payment['payload'],
        ];
    }
}
