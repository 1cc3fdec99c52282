/* kuu-pin.h: the staff PIN that opens staff mode at a kiosk
 *
 * The PIN is kept only as an Argon2id hash with a random salt
 * (libsodium's crypto_pwhash_str, interactive limits) in the store's
 * `staff_pin` table. After %KUU_PIN_FREE_TRIES wrong tries in a row the
 * PIN is locked: 30 s after the fifth, doubling with every further wrong
 * try, at most an hour. The count and the end of the lockout are in the
 * store, so restarting the kiosk does not reset them; a correct PIN does.
 *
 * Life cycle, for the staff UI and the documentation:
 * - a new device has no PIN (kuu_pin_get_status(): `is_set` is %FALSE);
 *   staff set the first one with kuu_pin_set_first();
 * - kuu_pin_change() needs the current PIN, and a wrong one counts
 *   towards the lockout like any wrong try;
 * - a forgotten PIN cannot be recovered: the device is re-enrolled, and
 *   the enrolment calls kuu_pin_reset(), after which the first PIN is set
 *   again.
 *
 * Hashing takes a noticeable fraction of a second and 64 MiB by design:
 * the UI uses the _async() variants, which hash in a worker thread. Use
 * one #KuuPin per store: it serialises its own operations.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-store.h"

G_BEGIN_DECLS

#define KUU_PIN_ERROR (kuu_pin_error_quark ())

typedef enum
{
  KUU_PIN_ERROR_INVALID,      /* not 4–12 digits */
  KUU_PIN_ERROR_NOT_SET,      /* no PIN yet: set the first one */
  KUU_PIN_ERROR_ALREADY_SET,  /* kuu_pin_set_first() when one exists */
  KUU_PIN_ERROR_WRONG,        /* does not match; the try was counted */
  KUU_PIN_ERROR_LOCKED,       /* too many wrong tries: wait, see the message
                               * or kuu_pin_get_status() for how long */
  KUU_PIN_ERROR_FAILED,       /* hashing failed (out of memory) */
} KuuPinError;

#define KUU_PIN_MIN_LENGTH   4
#define KUU_PIN_MAX_LENGTH  12
#define KUU_PIN_FREE_TRIES   5
#define KUU_PIN_FIRST_DELAY 30    /* seconds, after the fifth wrong try */
#define KUU_PIN_MAX_DELAY   3600

/**
 * KuuPinClock:
 * @user_data: as given to kuu_pin_set_clock()
 *
 * Returns: the wall-clock time in seconds since the epoch. Wall-clock, not
 *   monotonic: the lockout's end is stored and must survive a restart.
 */
typedef gint64 (*KuuPinClock) (gpointer user_data);

typedef struct
{
  gboolean  is_set;
  guint     failures;        /* wrong tries since the last correct one */
  gint64    locked_seconds;  /* how long the lockout still lasts; 0: none */
} KuuPinStatus;

#define KUU_TYPE_PIN (kuu_pin_get_type ())

G_DECLARE_FINAL_TYPE (KuuPin, kuu_pin, KUU, PIN, GObject)

GQuark    kuu_pin_error_quark      (void);
KuuPin   *kuu_pin_new              (KuuStore            *store);
void      kuu_pin_set_clock        (KuuPin              *self,
                                    KuuPinClock          clock,
                                    gpointer             user_data);
gboolean  kuu_pin_check_format     (const char          *pin,
                                    GError             **error);
gint64    kuu_pin_delay_for        (guint                failures);

gboolean  kuu_pin_get_status       (KuuPin              *self,
                                    KuuPinStatus        *out_status,
                                    GError             **error);
gboolean  kuu_pin_set_first        (KuuPin              *self,
                                    const char          *pin,
                                    GError             **error);
gboolean  kuu_pin_change           (KuuPin              *self,
                                    const char          *old_pin,
                                    const char          *new_pin,
                                    GError             **error);
gboolean  kuu_pin_verify           (KuuPin              *self,
                                    const char          *pin,
                                    GError             **error);
gboolean  kuu_pin_reset            (KuuPin              *self,
                                    GError             **error);

void      kuu_pin_set_first_async  (KuuPin              *self,
                                    const char          *pin,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean  kuu_pin_set_first_finish (KuuPin              *self,
                                    GAsyncResult        *result,
                                    GError             **error);
void      kuu_pin_change_async     (KuuPin              *self,
                                    const char          *old_pin,
                                    const char          *new_pin,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean  kuu_pin_change_finish    (KuuPin              *self,
                                    GAsyncResult        *result,
                                    GError             **error);
void      kuu_pin_verify_async     (KuuPin              *self,
                                    const char          *pin,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean  kuu_pin_verify_finish    (KuuPin              *self,
                                    GAsyncResult        *result,
                                    GError             **error);
void      kuu_pin_reset_async      (KuuPin              *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean  kuu_pin_reset_finish     (KuuPin              *self,
                                    GAsyncResult        *result,
                                    GError             **error);

G_END_DECLS
