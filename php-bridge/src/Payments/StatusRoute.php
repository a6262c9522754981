<?php
/**
 * GET /vietqr/v1/payments/{public_key}: what the buyer's page polls. The key
 * is random per payment, so it tells nothing about other orders. When no
 * callback has come a while after the QR was shown, the request also asks
 * VietQR (check-order), at most once per CHECK_INTERVAL per payment.
 */

declare(strict_types=1);

namespace VietQR\Payments;

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
    public static function publicView(array $payment): array
    {
        return [
            'status' => $payment['status'],
            'paid' => in_array($payment['status'], ['paid', 'overpaid'], true),
            'amount' => $payment['amount'],
            'received' => $payment['received'],
            'due' => max(0, $payment['amount'] - $payment['received']),
            'expires_at' => $payment['expires_at'],
            'now' => time(),
            'bank' => $payment['bank'],
            'account' => $payment['account'],
            'holder' => $payment['holder'],
            'content' => $payment['content'],
            'payload' => $payment['payload'], // after a partial payment, the QR for what is still due (Payments::apply)
        ];
    }
}
