/* kuu-i18n-private.h: how app/core marks and looks up its messages
 *
 * Not GLib's gi18n-lib.h: its g_dgettext() decides at its first call
 * whether to translate at all, and in a kiosk that starts in English
 * (C.UTF-8, no English catalogue) it decides never to — the Finnish or
 * Swedish resident who comes next would read the core's messages in
 * English. libc's dgettext() follows LANGUAGE as the kiosk switches it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libintl.h>
#include <glib.h>

#define _(String) dgettext (GETTEXT_PACKAGE, String)
#define N_(String) (String)
