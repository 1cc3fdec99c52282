/* kuu-desk-application.h: `kuulolla --desk`, the region desk as its own application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KUU_TYPE_DESK_APPLICATION (kuu_desk_application_get_type ())

G_DECLARE_FINAL_TYPE (KuuDeskApplication, kuu_desk_application, KUU, DESK_APPLICATION, AdwApplication)

KuuDeskApplication *kuu_desk_application_new (const char *server_url,
                                              const char *sign_in_code);

G_END_DECLS
