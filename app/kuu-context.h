/* kuu-context.h: the services every page receives — store, strategy,
 * settings, the device session (enrolment, sync) and the resident's
 * language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kuu-device-session.h"
#include "kuu-store.h"
#include "kuu-strategy.h"

G_BEGIN_DECLS

#define KUU_TYPE_CONTEXT (kuu_context_get_type ())

G_DECLARE_FINAL_TYPE (KuuContext, kuu_context, KUU, CONTEXT, GObject)

KuuContext  *kuu_context_new          (KuuStrategy *strategy,
                                       KuuStore    *store,
                                       GSettings   *settings,
                                       const char  *unit,
                                       gboolean     kiosk);
KuuContext  *kuu_context_new_for_session (KuuStrategy      *strategy,
                                          KuuDeviceSession *session,
                                          GSettings        *settings,
                                          const char       *unit,
                                          gboolean          kiosk);
KuuDeviceSession *kuu_context_get_session (KuuContext *self);
KuuStrategy *kuu_context_get_strategy (KuuContext  *self);
KuuStrategy *kuu_context_get_next_strategy   (KuuContext  *self);
void         kuu_context_set_next_strategy   (KuuContext  *self,
                                              KuuStrategy *strategy);
gboolean     kuu_context_apply_next_strategy (KuuContext  *self);
void         kuu_context_change_region       (KuuContext  *self,
                                              KuuStrategy *strategy);
KuuStore    *kuu_context_get_store    (KuuContext  *self);
GSettings   *kuu_context_get_settings (KuuContext  *self);
const char  *kuu_context_get_unit     (KuuContext  *self);
void         kuu_context_set_unit     (KuuContext  *self,
                                       const char  *unit);
KuuLanguage  kuu_context_get_start_language (KuuContext *self);
gboolean     kuu_context_offers_language (KuuContext  *self,
                                          KuuLanguage  language);
gboolean     kuu_context_shows_goal      (KuuContext  *self,
                                          const char  *goal_id);
gboolean     kuu_context_get_kiosk    (KuuContext  *self);
KuuLanguage  kuu_context_get_language (KuuContext  *self);
KuuAudience  kuu_context_get_audience (KuuContext  *self);
void         kuu_context_set_audience (KuuContext  *self,
                                       KuuAudience  audience);
void         kuu_context_set_language (KuuContext  *self,
                                       KuuLanguage  language);
void         kuu_context_set_idle_times        (KuuContext *self,
                                                guint       idle_seconds,
                                                guint       countdown_seconds);
guint        kuu_context_get_idle_seconds      (KuuContext *self);
guint        kuu_context_get_countdown_seconds (KuuContext *self);
void         kuu_context_sync_now     (KuuContext  *self);
char        *kuu_context_describe_sync_problem (KuuContext *self);
gboolean     kuu_context_get_easy_language (KuuContext *self);
void         kuu_context_set_easy_language (KuuContext *self,
                                            gboolean    easy);
const char  *kuu_context_text         (KuuContext    *self,
                                       const KuuText *text);

G_END_DECLS
