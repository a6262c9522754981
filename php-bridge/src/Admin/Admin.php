<?php
/** Admin screens: settings, link shop, points of sale, webhook health. */

declare(strict_types=1);

namespace VietQR\Admin;

final class Admin
{
    public static function register(): void
    {
    }
}
