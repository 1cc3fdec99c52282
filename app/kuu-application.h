/* kuu-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kuu-strategy.h"

G_BEGIN_DECLS

#define KUU_TYPE_APPLICATION (kuu_application_get_type ())

G_DECLARE_FINAL_TYPE (KuuApplication, kuu_application, KUU, APPLICATION, AdwApplication)

KuuApplication *kuu_application_new (KuuStrategy *strategy,
                                     GSettings   *settings,
                                     const char  *database_path,
                                     const char  *unit,
                                     gboolean     kiosk);
void            kuu_application_set_idle_times (KuuApplication *self,
                                                guint           idle_seconds,
                                                guint           countdown_seconds);
void            kuu_application_set_audience   (KuuApplication *self,
                                                KuuAudience     audience);
void            kuu_application_set_server     (KuuApplication *self,
                                                const char     *server_url,
                                                const char     *enrol_code,
                                                const char     *tls_ca_file);

G_END_DECLS
