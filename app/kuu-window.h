/* kuu-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kuu-application.h"
#include "kuu-context.h"

G_BEGIN_DECLS

#define KUU_TYPE_WINDOW (kuu_window_get_type ())

G_DECLARE_FINAL_TYPE (KuuWindow, kuu_window, KUU, WINDOW, AdwApplicationWindow)

KuuWindow *kuu_window_new           (KuuApplication *application,
                                     KuuContext     *context);
KuuWindow *kuu_window_new_for_error (KuuApplication *application,
                                     const GError   *error,
                                     gboolean        retrying);

G_END_DECLS
