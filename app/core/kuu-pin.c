/* kuu-pin.c
 *
 * A try is counted in the store *before* the slow hash is checked, and
 * cleared again when it matches: killing the kiosk during the check never
 * gives a free try. The object's mutex makes reading, counting and
 * writing one step, so two tries at once cannot both slip under the limit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-i18n-private.h"
#include <sodium.h>
#include <string.h>

#include "kuu-pin.h"
#include "kuu-store-private.h"

struct _KuuPin
{
  GObject      parent_instance;

  KuuStore    *store;
  GMutex       mutex;
  KuuPinClock  clock;
  gpointer     clock_data;
};

/* The one row of staff_pin, or all zero when there is none. */
typedef struct
{
  char    *hash;
  guint    failures;
  gint64   locked_until;
} PinRow;

typedef enum
{
  OP_SET_FIRST,
  OP_CHANGE,
  OP_VERIFY,
  OP_RESET,
} PinOp;

typedef struct
{
  PinOp  op;
  char  *pin;
  char  *new_pin;
} PinTaskData;

G_DEFINE_FINAL_TYPE (KuuPin, kuu_pin, G_TYPE_OBJECT)

G_DEFINE_QUARK (kuu-pin-error-quark, kuu_pin_error)

static gint64
real_clock (gpointer user_data)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
pin_row_clear (PinRow *row)
{
  g_clear_pointer (&row->hash, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PinRow, pin_row_clear)

/* The PIN must not linger in freed memory. */
static void
free_secret (char *secret)
{
  if (secret == NULL)
    return;
  sodium_memzero (secret, strlen (secret));
  g_free (secret);
}

static void
pin_task_data_free (PinTaskData *data)
{
  free_secret (data->pin);
  free_secret (data->new_pin);
  g_free (data);
}

static gboolean
read_row (KuuPin  *self,
          PinRow  *row,
          GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db = _kuu_store_lock (self->store);
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT hash, failures, locked_until FROM staff_pin WHERE id = 1",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      row->hash = kuu_sqlite_column_dup (stmt, 0);
      row->failures = sqlite3_column_int (stmt, 1);
      row->locked_until = sqlite3_column_int64 (stmt, 2);
      rc = SQLITE_DONE;
    }
  if (rc != SQLITE_DONE)
    _kuu_store_fail (self->store, db, rc, "read staff PIN", error);
  _kuu_store_unlock (self->store);

  return rc == SQLITE_DONE;
}

/* @hash: %NULL removes the whole row (a reset) */
static gboolean
write_row (KuuPin      *self,
           const char  *hash,
           guint        failures,
           gint64       locked_until,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db = _kuu_store_lock (self->store);
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           hash == NULL
                           ? "DELETE FROM staff_pin"
                           : "INSERT INTO staff_pin (id, hash, failures, locked_until) VALUES (1, ?1, ?2, ?3)"
                             " ON CONFLICT (id) DO UPDATE SET hash = ?1, failures = ?2, locked_until = ?3",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK && hash != NULL)
    {
      sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 2, failures);
      sqlite3_bind_int64 (stmt, 3, locked_until);
    }
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    _kuu_store_fail (self->store, db, rc, "write staff PIN", error);
  _kuu_store_unlock (self->store);

  return rc == SQLITE_DONE;
}

static gint64
now (KuuPin *self)
{
  return self->clock (self->clock_data);
}

static void
set_locked_error (GError **error,
                  gint64   seconds)
{
  g_set_error (error, KUU_PIN_ERROR, KUU_PIN_ERROR_LOCKED,
               dngettext (GETTEXT_PACKAGE,
                            "Too many wrong PINs. Try again in %u second.",
                            "Too many wrong PINs. Try again in %u seconds.",
                            (gulong)seconds),
               (guint)seconds);
}

static gint64
seconds_left (const PinRow *row,
              gint64        at)
{
  if (row->locked_until <= at)
    return 0;
  return MIN (row->locked_until - at, kuu_pin_delay_for (row->failures));
}

static gboolean
check_not_locked (KuuPin  *self,
                  PinRow  *row,
                  gint64   at,
                  GError **error)
{
  gint64 left = seconds_left (row, at);

  if (left == 0)
    return TRUE;

  /* The clock went back (a wrong date fixed): never lock for longer than
   * the delay itself, or staff would wait until the clock caught up. */
  if (row->locked_until - at > left &&
      !write_row (self, row->hash, row->failures, at + left, error))
    return FALSE;

  set_locked_error (error, left);
  return FALSE;
}

/* Only fails when the system cannot give random numbers. */
static gboolean
ensure_sodium (GError **error)
{
  if (sodium_init () >= 0)
    return TRUE;

  g_set_error (error, KUU_PIN_ERROR, KUU_PIN_ERROR_FAILED,
               _("The PIN cannot be checked: the system’s cryptography did not start. "
                 "Restart the device; if this stays, contact IT support."));
  return FALSE;
}

static gboolean
hash_pin (const char  *pin,
          char         out_hash[crypto_pwhash_STRBYTES],
          GError     **error)
{
  if (!kuu_pin_check_format (pin, error))
    return FALSE;

  if (!ensure_sodium (error))
    return FALSE;
  if (crypto_pwhash_str (out_hash, pin, strlen (pin),
                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error (error, KUU_PIN_ERROR, KUU_PIN_ERROR_FAILED,
                   _("The PIN could not be saved because the device is short of memory. "
                     "Close other programs and try again."));
      return FALSE;
    }

  return TRUE;
}

static void
set_wrong_error (GError **error,
                 guint    failures,
                 gint64   locked_for)
{
  if (locked_for > 0)
    g_set_error (error, KUU_PIN_ERROR, KUU_PIN_ERROR_WRONG,
                 dngettext (GETTEXT_PACKAGE,
                              "Wrong PIN. Too many wrong tries: try again in %u second.",
                              "Wrong PIN. Too many wrong tries: try again in %u seconds.",
                              (gulong)locked_for),
                 (guint)locked_for);
  else
    g_set_error (error, KUU_PIN_ERROR, KUU_PIN_ERROR_WRONG,
                 dngettext (GETTEXT_PACKAGE,
                              "Wrong PIN. %u more wrong try locks the PIN for a while.",
                              "Wrong PIN. %u more wrong tries lock the PIN for a while.",
                              KUU_PIN_FREE_TRIES - failures),
                 KUU_PIN_FREE_TRIES - failures);
}

/* With the mutex held. */
static gboolean
verify_locked (KuuPin      *self,
               const char  *pin,
               GError     **error)
{
  g_auto(PinRow) row = { 0 };
  gint64 at = now (self);
  gint64 locked_until = 0;
  guint failures;

  if (!read_row (self, &row, error))
    return FALSE;
  if (row.hash == NULL)
    {
      g_set_error (error, KUU_PIN_ERROR, KUU_PIN_ERROR_NOT_SET,
                   _("No staff PIN has been set on this device yet. Set one first."));
      return FALSE;
    }
  if (!check_not_locked (self, &row, at, error) || !kuu_pin_check_format (pin, error) ||
      !ensure_sodium (error))
    return FALSE;

  failures = row.failures + 1;
  if (failures >= KUU_PIN_FREE_TRIES)
    locked_until = at + kuu_pin_delay_for (failures);
  if (!write_row (self, row.hash, failures, locked_until, error))
    return FALSE;

  if (crypto_pwhash_str_verify (row.hash, pin, strlen (pin)) == 0)
    return write_row (self, row.hash, 0, 0, error);

  set_wrong_error (error, failures, locked_until > 0 ? locked_until - at : 0);
  return FALSE;
}

static gboolean
set_first_locked (KuuPin      *self,
                  const char  *pin,
                  GError     **error)
{
  g_auto(PinRow) row = { 0 };
  char hash[crypto_pwhash_STRBYTES];

  if (!read_row (self, &row, error))
    return FALSE;
  if (row.hash != NULL)
    {
      g_set_error (error, KUU_PIN_ERROR, KUU_PIN_ERROR_ALREADY_SET,
                   _("A staff PIN is already set. Change it with the current PIN; "
                     "if it is forgotten, enrol the device again to clear it."));
      return FALSE;
    }

  return hash_pin (pin, hash, error) && write_row (self, hash, 0, 0, error);
}

static gboolean
change_locked (KuuPin      *self,
               const char  *old_pin,
               const char  *new_pin,
               GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  /* A bad new PIN is refused before the old one is tried, so a typing
   * slip does not cost a try. */
  return kuu_pin_check_format (new_pin, error) &&
         verify_locked (self, old_pin, error) &&
         hash_pin (new_pin, hash, error) &&
         write_row (self, hash, 0, 0, error);
}

static void
kuu_pin_finalize (GObject *object)
{
  KuuPin *self = (KuuPin *)object;

  g_clear_object (&self->store);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (kuu_pin_parent_class)->finalize (object);
}

static void
kuu_pin_class_init (KuuPinClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kuu_pin_finalize;
}

static void
kuu_pin_init (KuuPin *self)
{
  g_mutex_init (&self->mutex);
  self->clock = real_clock;
}

/**
 * kuu_pin_new:
 * @store: the kiosk's store, which holds the PIN's hash
 *
 * Returns: (transfer full): the staff PIN of the device behind @store
 */
KuuPin *
kuu_pin_new (KuuStore *store)
{
  KuuPin *self;

  g_return_val_if_fail (KUU_IS_STORE (store), NULL);

  self = g_object_new (KUU_TYPE_PIN, NULL);
  self->store = g_object_ref (store);
  return self;
}

/**
 * kuu_pin_set_clock:
 * @clock: (nullable): the time source, or %NULL for the real clock
 *
 * For tests: lets time pass without sleeping through a lockout.
 */
void
kuu_pin_set_clock (KuuPin      *self,
                   KuuPinClock  clock,
                   gpointer     user_data)
{
  g_return_if_fail (KUU_IS_PIN (self));

  g_mutex_lock (&self->mutex);
  self->clock = clock != NULL ? clock : real_clock;
  self->clock_data = user_data;
  g_mutex_unlock (&self->mutex);
}

/**
 * kuu_pin_check_format:
 *
 * Whether @pin is 4–12 ASCII digits. The UI can call this as staff type,
 * without touching the store.
 *
 * Returns: %TRUE if it is, else %FALSE with %KUU_PIN_ERROR_INVALID
 */
gboolean
kuu_pin_check_format (const char  *pin,
                      GError     **error)
{
  size_t length = pin != NULL ? strlen (pin) : 0;

  for (size_t i = 0; i < length; i++)
    if (!g_ascii_isdigit (pin[i]))
      length = 0;

  if (length >= KUU_PIN_MIN_LENGTH && length <= KUU_PIN_MAX_LENGTH)
    return TRUE;

  g_set_error (error, KUU_PIN_ERROR, KUU_PIN_ERROR_INVALID,
               _("A PIN is %d to %d digits, with no letters or spaces."),
               KUU_PIN_MIN_LENGTH, KUU_PIN_MAX_LENGTH);
  return FALSE;
}

/**
 * kuu_pin_delay_for:
 * @failures: wrong tries in a row
 *
 * Returns: how many seconds the PIN is locked after the @failures'th wrong
 *   try: 0 before the fifth, then 30 s, doubling, at most an hour
 */
gint64
kuu_pin_delay_for (guint failures)
{
  guint doublings;

  if (failures < KUU_PIN_FREE_TRIES)
    return 0;

  doublings = failures - KUU_PIN_FREE_TRIES;
  if (doublings >= 8)  /* 30 s × 2⁷ is already past the cap */
    return KUU_PIN_MAX_DELAY;
  return MIN ((gint64)KUU_PIN_FIRST_DELAY << doublings, KUU_PIN_MAX_DELAY);
}

/**
 * kuu_pin_get_status:
 *
 * Whether a PIN is set, and whether it is locked and for how long. Reads
 * the store only: no hashing, fine on the main loop.
 */
gboolean
kuu_pin_get_status (KuuPin        *self,
                    KuuPinStatus  *out_status,
                    GError       **error)
{
  g_auto(PinRow) row = { 0 };
  gboolean ok;

  g_return_val_if_fail (KUU_IS_PIN (self), FALSE);
  g_return_val_if_fail (out_status != NULL, FALSE);

  g_mutex_lock (&self->mutex);
  ok = read_row (self, &row, error);
  if (ok)
    *out_status = (KuuPinStatus) {
      .is_set = row.hash != NULL,
      .failures = row.failures,
      .locked_seconds = seconds_left (&row, now (self)),
    };
  g_mutex_unlock (&self->mutex);

  return ok;
}

/* Every operation holds the mutex from reading the row to writing it:
 * two tries at once must both be counted. */
static gboolean
run_locked (KuuPin      *self,
            PinOp        op,
            const char  *pin,
            const char  *new_pin,
            GError     **error)
{
  gboolean ok = FALSE;

  g_mutex_lock (&self->mutex);
  switch (op)
    {
    case OP_SET_FIRST:
      ok = set_first_locked (self, pin, error);
      break;
    case OP_CHANGE:
      ok = change_locked (self, pin, new_pin, error);
      break;
    case OP_VERIFY:
      ok = verify_locked (self, pin, error);
      break;
    case OP_RESET:
      ok = write_row (self, NULL, 0, 0, error);
      break;
    default:
      g_assert_not_reached ();
    }
  g_mutex_unlock (&self->mutex);

  return ok;
}

/**
 * kuu_pin_set_first:
 * @pin: 4–12 digits
 *
 * Sets the PIN of a device that has none. Hashes: blocks for a moment,
 * see kuu_pin_set_first_async().
 *
 * Returns: %TRUE once the hash is stored; %FALSE with
 *   %KUU_PIN_ERROR_ALREADY_SET, %KUU_PIN_ERROR_INVALID or a store error
 */
gboolean
kuu_pin_set_first (KuuPin      *self,
                   const char  *pin,
                   GError     **error)
{
  g_return_val_if_fail (KUU_IS_PIN (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return run_locked (self, OP_SET_FIRST, pin, NULL, error);
}

/**
 * kuu_pin_change:
 *
 * Replaces the PIN when @old_pin is right. A wrong @old_pin counts as a
 * wrong try (else changing would be a way round the lockout).
 *
 * Returns: %TRUE once the new hash is stored; else %FALSE with the errors
 *   of kuu_pin_verify(), or %KUU_PIN_ERROR_INVALID for @new_pin
 */
gboolean
kuu_pin_change (KuuPin      *self,
                const char  *old_pin,
                const char  *new_pin,
                GError     **error)
{
  g_return_val_if_fail (KUU_IS_PIN (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return run_locked (self, OP_CHANGE, old_pin, new_pin, error);
}

/**
 * kuu_pin_verify:
 *
 * Checks @pin against the stored hash. A correct PIN clears the count of
 * wrong tries; the fifth wrong one in a row locks the PIN (see
 * kuu_pin_delay_for()). While locked, nothing is checked or counted.
 *
 * Returns: %TRUE if @pin is right; else %FALSE with %KUU_PIN_ERROR_WRONG,
 *   %KUU_PIN_ERROR_LOCKED (the message says how many seconds are left),
 *   %KUU_PIN_ERROR_NOT_SET, %KUU_PIN_ERROR_INVALID or a store error
 */
gboolean
kuu_pin_verify (KuuPin      *self,
                const char  *pin,
                GError     **error)
{
  g_return_val_if_fail (KUU_IS_PIN (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return run_locked (self, OP_VERIFY, pin, NULL, error);
}

/**
 * kuu_pin_reset:
 *
 * Forgets the PIN, its wrong tries and any lockout. Only for when the
 * device is enrolled again: that is how a forgotten PIN is cleared, by
 * someone who holds a new enrolment code. Staff then set a first PIN.
 */
gboolean
kuu_pin_reset (KuuPin  *self,
               GError **error)
{
  g_return_val_if_fail (KUU_IS_PIN (self), FALSE);

  return run_locked (self, OP_RESET, NULL, NULL, error);
}

static void
pin_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  KuuPin *self = source_object;
  PinTaskData *data = task_data;
  GError *error = NULL;
  gboolean ok;

  ok = run_locked (self, data->op, data->pin, data->new_pin, &error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
run_async (KuuPin              *self,
           PinOp                op,
           const char          *pin,
           const char          *new_pin,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  PinTaskData *data = g_new0 (PinTaskData, 1);

  data->op = op;
  data->pin = g_strdup (pin);
  data->new_pin = g_strdup (new_pin);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify)pin_task_data_free);
  /* A try, once started, is counted and finished even if the prompt goes. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, pin_thread);
}

static gboolean
finish (KuuPin        *self,
        GAsyncResult  *result,
        gpointer       source_tag,
        GError       **error)
{
  g_return_val_if_fail (KUU_IS_PIN (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * kuu_pin_set_first_async:
 *
 * kuu_pin_set_first() in a worker thread; @pin is copied and the copy
 * wiped when done.
 */
void
kuu_pin_set_first_async (KuuPin              *self,
                         const char          *pin,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (KUU_IS_PIN (self));

  run_async (self, OP_SET_FIRST, pin, NULL, kuu_pin_set_first_async, cancellable, callback, user_data);
}

gboolean
kuu_pin_set_first_finish (KuuPin        *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return finish (self, result, kuu_pin_set_first_async, error);
}

/**
 * kuu_pin_change_async:
 *
 * kuu_pin_change() in a worker thread; the PINs are copied and the copies
 * wiped when done.
 */
void
kuu_pin_change_async (KuuPin              *self,
                      const char          *old_pin,
                      const char          *new_pin,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_return_if_fail (KUU_IS_PIN (self));

  run_async (self, OP_CHANGE, old_pin, new_pin, kuu_pin_change_async, cancellable, callback, user_data);
}

gboolean
kuu_pin_change_finish (KuuPin        *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  return finish (self, result, kuu_pin_change_async, error);
}

/**
 * kuu_pin_verify_async:
 *
 * kuu_pin_verify() in a worker thread, so the prompt stays responsive
 * while the hash is checked; @pin is copied and the copy wiped when done.
 */
void
kuu_pin_verify_async (KuuPin              *self,
                      const char          *pin,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_return_if_fail (KUU_IS_PIN (self));

  run_async (self, OP_VERIFY, pin, NULL, kuu_pin_verify_async, cancellable, callback, user_data);
}

gboolean
kuu_pin_verify_finish (KuuPin        *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  return finish (self, result, kuu_pin_verify_async, error);
}

/**
 * kuu_pin_reset_async:
 *
 * kuu_pin_reset() in a worker thread (it waits for the disk).
 */
void
kuu_pin_reset_async (KuuPin              *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_return_if_fail (KUU_IS_PIN (self));

  run_async (self, OP_RESET, NULL, NULL, kuu_pin_reset_async, cancellable, callback, user_data);
}

gboolean
kuu_pin_reset_finish (KuuPin        *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  return finish (self, result, kuu_pin_reset_async, error);
}
