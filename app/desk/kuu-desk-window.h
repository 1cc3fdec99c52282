/* kuu-desk-window.h: the region desk's window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KUU_TYPE_DESK_WINDOW (kuu_desk_window_get_type ())

G_DECLARE_FINAL_TYPE (KuuDeskWindow, kuu_desk_window, KUU, DESK_WINDOW, AdwApplicationWindow)

GtkWidget *kuu_desk_window_new (GtkApplication *application,
                                const char     *server_url,
                                const char     *sign_in_code);

G_END_DECLS
