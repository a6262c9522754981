<?php
/**
 * Points of sale (VietQR "terminals"): kept in one option (autoload off),
 * added and deleted here, and registered with VietQR by TID sync, which
 * gives each terminal code its public tid.
 */

declare(strict_types=1);

namespace VietQR\Admin;

use VietQR\Api\Client;
use VietQR\Core\CoreError;
use VietQR\Support\Options;
use VietQR\Support\Settings;

final class Terminals
{
    public const OPTION = 'vietqr_terminals';
    public const ADD = 'vietqr_terminal_add';
    public const DELETE = 'vietqr_terminal_delete';
    public const SYNC = 'vietqr_terminal_sync';

    private const FIELDS = ['mid', 'merchant_name', 'terminal_name', 'terminal_code', 'terminal_address', 'bank_account', 'bank_code'];

    /** @return list<array<string, mixed>> */
    public static function all(): array
    {
        $list = get_option(self::OPTION, []);
        return is_array($list) ? array_values(array_filter($list, 'is_array')) : [];
    }

    /** @param list<array<string, mixed>> $list */
    private static function save(array $list): void
    {
        $list = array_values($list);
        Options::save(self::OPTION, $list);
    }

    /**
     * @param array<string, mixed> $in
     * @return array{0: array<string, mixed>, 1: array<string, string>}
     */
    public static function validate(array $in, array $existing): array
    {
        $t = [];
        foreach (self::FIELDS as $field) {
            $v = $in[$field] ?? '';
            $t[$field] = sanitize_text_field(is_string($v) ? $v : '');
        }
        $t['bank_account'] = (string) preg_replace('/\s+/', '', $t['bank_account']);
        $errors = [];
        if ($t['mid'] === '' && $t['merchant_name'] === '') {
            $errors['mid'] = __('Enter the merchant id (MID) VietQR gave you, or a merchant name.', 'vietqr-for-woocommerce');
        } elseif ($t['mid'] !== '' && !preg_match('/^[A-Za-z0-9_-]{1,32}$/', $t['mid'])) {
            $errors['mid'] = __('The merchant id is letters and digits only, at most 32, e.g. MER12345678.', 'vietqr-for-woocommerce');
        } elseif (mb_strlen($t['merchant_name']) > 100) {
            $errors['merchant_name'] = __('The merchant name is at most 100 characters.', 'vietqr-for-woocommerce');
        }
        if ($t['terminal_name'] === '' || mb_strlen($t['terminal_name']) > 100) {
            $errors['terminal_name'] = __('Enter the point of sale\'s name (at most 100 characters).', 'vietqr-for-woocommerce');
        }
        if (!preg_match('/^[A-Za-z0-9_-]{1,20}$/', $t['terminal_code'])) {
            $errors['terminal_code'] = __('The terminal code is 1 to 20 letters, digits, - or _, e.g. CH01.', 'vietqr-for-woocommerce');
        } else {
            foreach ($existing as $e) {
                if (strcasecmp((string) $e['terminal_code'], $t['terminal_code']) === 0) {
                    $errors['terminal_code'] = __('A point of sale with this terminal code exists already.', 'vietqr-for-woocommerce');
                }
            }
        }
        if ($t['terminal_address'] === '' || mb_strlen($t['terminal_address']) > 200) {
            $errors['terminal_address'] = __('Enter the point of sale\'s address (at most 200 characters).', 'vietqr-for-woocommerce');
        }
        if (!Banks::accountIsValid($t['bank_account'], $t['bank_code'])) {
            $errors['bank_account'] = __('The account number is letters and digits only, at most 19 of them, without spaces or other signs.', 'vietqr-for-woocommerce');
        }
        if (!Banks::exists($t['bank_code'])) {
            $errors['bank_code'] = __('Choose a bank from the list.', 'vietqr-for-woocommerce');
        }
        return [$t, $errors];
    }

    public static function add(): void
    {
        Admin::guard(self::ADD);
        $in = wp_unslash($_POST); // phpcs:ignore WordPress.Security.NonceVerification -- Admin::guard checked it
        $list = self::all();
        [$t, $errors] = self::validate(is_array($in) ? $in : [], $list);
        if ($errors !== []) {
            Flash::set([
                'notices' => [['type' => 'error', 'message' => __('The point of sale was not added: correct the fields marked below.', 'vietqr-for-woocommerce')]],
                'errors' => $errors,
                'old' => $t,
            ]);
            Admin::redirect('terminals');
        }
        $list[] = $t + ['tid' => '', 'synced_at' => 0];
        self::save($list);
        Flash::notice('success', __('Point of sale added. Press "Sync with VietQR" to register it.', 'vietqr-for-woocommerce'));
        Admin::redirect('terminals');
    }

    public static function delete(): void
    {
        Admin::guard(self::DELETE);
        $code = isset($_POST['terminal_code']) ? sanitize_text_field(wp_unslash((string) $_POST['terminal_code'])) : ''; // phpcs:ignore WordPress.Security.NonceVerification
        self::save(array_filter(self::all(), static function (array $t) use ($code): bool {
            return (string) $t['terminal_code'] !== $code;
        }));
        Flash::notice('success', __('Point of sale deleted from this shop (VietQR keeps its record).', 'vietqr-for-woocommerce'));
        Admin::redirect('terminals');
    }

    public static function sync(): void
    {
        Admin::guard(self::SYNC);
        $list = self::all();
        if ($list === []) {
            Flash::notice('error', __('Add a point of sale first.', 'vietqr-for-woocommerce'));
            Admin::redirect('terminals');
        }
        $request = [];
        foreach ($list as $t) {
            $r = [];
            if ((string) $t['mid'] !== '') {
                $r['mid'] = (string) $t['mid'];
            } else {
                $r['merchant_name'] = (string) $t['merchant_name'];
            }
            foreach (['terminal_name', 'terminal_code', 'terminal_address', 'bank_account', 'bank_code'] as $field) {
                $r[$field] = (string) $t[$field];
            }
            $request[] = $r;
        }
        try {
            $synced = (new Client())->tidSync($request);
        } catch (CoreError $e) {
            Flash::notice('error', $e->forAdmin());
            Admin::redirect('terminals');
        }
        $tids = [];
        foreach ($synced as $s) {
            $tids[(string) ($s['terminal_code'] ?? '')] = (string) ($s['tid'] ?? '');
        }
        foreach ($list as $i => $t) {
            if (($tids[(string) $t['terminal_code']] ?? '') !== '') {
                $list[$i]['tid'] = $tids[(string) $t['terminal_code']];
                $list[$i]['synced_at'] = time();
            }
        }
        self::save($list);
        Flash::notice('success', sprintf(
            /* translators: %d: number of points of sale */
            _n('%d point of sale synced with VietQR.', '%d points of sale synced with VietQR.', count($tids), 'vietqr-for-woocommerce'),
            count($tids)
        ));
        Admin::redirect('terminals');
    }

    public static function render(): void
    {
        $list = self::all();
        echo '<h2>' . esc_html__('Points of sale', 'vietqr-for-woocommerce') . '</h2>';
        echo '<p>' . esc_html__('Shops or counters that take VietQR payments. Syncing registers them with VietQR, which gives each one a terminal id (TID).', 'vietqr-for-woocommerce') . '</p>';
        echo '<table class="widefat striped vietqr-terminals" id="vietqr-terminals"><thead><tr>'
            . '<th>' . esc_html__('Merchant', 'vietqr-for-woocommerce') . '</th><th>' . esc_html__('Name', 'vietqr-for-woocommerce') . '</th><th>' . esc_html__('Code', 'vietqr-for-woocommerce') . '</th>'
            . '<th>' . esc_html__('Address', 'vietqr-for-woocommerce') . '</th><th>' . esc_html__('Bank account', 'vietqr-for-woocommerce') . '</th><th>' . esc_html__('TID', 'vietqr-for-woocommerce') . '</th>'
            . '<th>' . esc_html__('Synced', 'vietqr-for-woocommerce') . '</th><th><span class="screen-reader-text">' . esc_html__('Actions', 'vietqr-for-woocommerce') . '</span></th></tr></thead><tbody>';
        if ($list === []) {
            echo '<tr><td colspan="8">' . esc_html__('No point of sale yet.', 'vietqr-for-woocommerce') . '</td></tr>';
        }
        foreach ($list as $t) {
            $code = (string) $t['terminal_code'];
            echo '<tr data-terminal-code="' . esc_attr($code) . '">'
                . '<td>' . esc_html((string) ($t['mid'] !== '' ? $t['mid'] : $t['merchant_name'])) . '</td>'
                . '<td>' . esc_html((string) $t['terminal_name']) . '</td>'
                . '<td><code>' . esc_html($code) . '</code></td>'
                . '<td>' . esc_html((string) $t['terminal_address']) . '</td>'
                . '<td>' . esc_html($t['bank_code'] . ' ' . $t['bank_account']) . '</td>'
                . '<td class="vietqr-tid">' . ((string) $t['tid'] !== '' ? '<code>' . esc_html((string) $t['tid']) . '</code>' : esc_html__('not synced', 'vietqr-for-woocommerce')) . '</td>'
                . '<td>' . ((int) $t['synced_at'] > 0 ? esc_html(wp_date(get_option('date_format') . ' ' . get_option('time_format'), (int) $t['synced_at'])) : '—') . '</td><td>';
            echo '<form method="post" action="' . esc_url(admin_url('admin-post.php')) . '">'
                . '<input type="hidden" name="action" value="' . esc_attr(self::DELETE) . '">'
                . '<input type="hidden" name="terminal_code" value="' . esc_attr($code) . '">';
            wp_nonce_field(self::DELETE);
            echo '<button type="submit" class="button-link button-link-delete">' . esc_html__('Delete', 'vietqr-for-woocommerce') . '</button></form></td></tr>';
        }
        echo '</tbody></table>';

        echo '<form method="post" action="' . esc_url(admin_url('admin-post.php')) . '" class="vietqr-sync-form">';
        echo '<input type="hidden" name="action" value="' . esc_attr(self::SYNC) . '">';
        wp_nonce_field(self::SYNC);
        submit_button(__('Sync with VietQR', 'vietqr-for-woocommerce'), 'secondary', 'submit', true, ['id' => 'vietqr-terminal-sync']);
        echo '</form>';

        $errors = Flash::get('errors');
        $errors = is_array($errors) ? $errors : [];
        $old = Flash::get('old');
        $old = is_array($old) ? $old : [];
        $v = static function (string $field, string $default = '') use ($old): string {
            return isset($old[$field]) ? (string) $old[$field] : $default;
        };
        echo '<h3>' . esc_html__('Add a point of sale', 'vietqr-for-woocommerce') . '</h3>';
        echo '<form method="post" action="' . esc_url(admin_url('admin-post.php')) . '" id="vietqr-terminal-form" novalidate>';
        echo '<input type="hidden" name="action" value="' . esc_attr(self::ADD) . '">';
        wp_nonce_field(self::ADD);
        echo '<table class="form-table" role="presentation">';
        $fields = [
            'mid' => [__('Merchant id (MID)', 'vietqr-for-woocommerce'), __('From VietQR, e.g. MER12345678; or leave empty and enter a merchant name.', 'vietqr-for-woocommerce')],
            'merchant_name' => [__('Merchant name', 'vietqr-for-woocommerce'), ''],
            'terminal_name' => [__('Name', 'vietqr-for-woocommerce'), ''],
            'terminal_code' => [__('Terminal code', 'vietqr-for-woocommerce'), __('Your own short code, unique per point of sale, e.g. CH01.', 'vietqr-for-woocommerce')],
            'terminal_address' => [__('Address', 'vietqr-for-woocommerce'), ''],
            'bank_account' => [__('Account number', 'vietqr-for-woocommerce'), ''],
        ];
        foreach ($fields as $field => [$label, $help]) {
            $default = $field === 'bank_account' ? (string) Settings::get('account') : '';
            self::row($field, $label, '<input type="text" class="regular-text" name="' . esc_attr($field) . '" id="vietqr-t-' . esc_attr($field) . '" value="' . esc_attr($v($field, $default)) . '">', $errors, $help);
        }
        self::row('bank_code', __('Bank', 'vietqr-for-woocommerce'), Banks::select('bank_code', 'vietqr-t-bank_code', $v('bank_code', (string) Settings::get('bank'))), $errors, '');
        echo '</table>';
        submit_button(__('Add point of sale', 'vietqr-for-woocommerce'), 'primary', 'submit', true, ['id' => 'vietqr-terminal-add']);
        echo '</form>';
    }

    /** @param array<string, string> $errors */
    private static function row(string $field, string $label, string $control, array $errors, string $help): void
    {
        $error = $errors[$field] ?? '';
        echo '<tr' . ($error !== '' ? ' class="vietqr-invalid"' : '') . '><th scope="row"><label for="vietqr-t-' . esc_attr($field) . '">' . esc_html($label) . '</label></th><td>';
        echo $control; // phpcs:ignore WordPress.Security.EscapeOutput -- built from escaped parts
        if ($error !== '') {
            echo '<p class="vietqr-field-error" id="vietqr-t-error-' . esc_attr($field) . '" role="alert">' . esc_html($error) . '</p>';
        }
        if ($help !== '') {
            echo '<p class="description">' . esc_html($help) . '</p>';
        }
        echo '</td></tr>';
    }
}
