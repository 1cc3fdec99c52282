/* kuu-context.c
 *
 * KuuContext is what every page receives: the strategy in use (and the
 * next one, for the next resident), the device session (store, device,
 * sync), the settings, the unit, the kiosk flag and the resident's
 * language. It holds objects, not copies of their state: a page asks
 * the session for the sync, the store for its data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kuu-context.h"
#include "kuu-core-enums.h"

struct _KuuContext
{
  GObject      parent_instance;

  KuuStrategy *strategy;
  KuuStrategy *next_strategy;  /* from the server, for the next resident */
  KuuDeviceSession *session;
  GSettings   *settings;  /* NULL when the schema is not installed */
  char        *unit;
  gboolean     kiosk;
  KuuLanguage  language;
  gboolean     easy_language;  /* the resident asked for easy language */
  guint        idle_seconds;
  guint        countdown_seconds;
  gboolean     audience_fixed;  /* --audience: over the setting, for this run */
  KuuAudience  audience;
};

G_DEFINE_FINAL_TYPE (KuuContext, kuu_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LANGUAGE,
  PROP_NEXT_STRATEGY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The sync brought a new file of the region, already loaded: it waits for
 * the next start page. Staff's choice of another region in Settings, also
 * waiting or already in use, is not replaced by it. */
static void
on_region_changed_cb (KuuDeviceSession *session,
                      KuuStrategy      *strategy,
                      KuuContext       *self)
{
  const char *in_use = kuu_strategy_get_id (self->strategy);

  if (self->next_strategy != NULL && !g_str_equal (kuu_strategy_get_id (self->next_strategy), in_use))
    return;
  if (g_str_equal (kuu_strategy_get_id (strategy), in_use))
    kuu_context_set_next_strategy (self, strategy);
}

static void
kuu_context_dispose (GObject *object)
{
  KuuContext *self = (KuuContext *)object;

  g_clear_object (&self->strategy);
  g_clear_object (&self->next_strategy);
  g_clear_object (&self->settings);
  if (self->session != NULL)
    kuu_device_session_stop (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (kuu_context_parent_class)->dispose (object);
}

static void
kuu_context_finalize (GObject *object)
{
  KuuContext *self = (KuuContext *)object;

  g_clear_pointer (&self->unit, g_free);

  G_OBJECT_CLASS (kuu_context_parent_class)->finalize (object);
}

static void
kuu_context_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  KuuContext *self = KUU_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      g_value_set_enum (value, self->language);
      break;
    case PROP_NEXT_STRATEGY:
      g_value_set_object (value, self->next_strategy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kuu_context_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  KuuContext *self = KUU_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      kuu_context_set_language (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kuu_context_class_init (KuuContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kuu_context_dispose;
  object_class->finalize = kuu_context_finalize;
  object_class->get_property = kuu_context_get_property;
  object_class->set_property = kuu_context_set_property;

  /**
   * KuuContext:language:
   *
   * The language the resident at the screen reads; pages follow it.
   */
  properties[PROP_LANGUAGE] =
    g_param_spec_enum ("language", NULL, NULL,
                       KUU_TYPE_LANGUAGE, KUU_LANGUAGE_FI,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * KuuContext:next-strategy:
   *
   * A newer strategy of the same region (from the server) waiting to be
   * used: a resident mid-flow keeps the one they started with, so the
   * window applies it when the start page is shown again.
   */
  properties[PROP_NEXT_STRATEGY] =
    g_param_spec_object ("next-strategy", NULL, NULL, KUU_TYPE_STRATEGY,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kuu_context_init (KuuContext *self)
{
}

/**
 * kuu_context_new_for_session:
 * @session: the device's session, its store open
 *
 * The context owns @session from here on and stops it when it goes.
 */
KuuContext *
kuu_context_new_for_session (KuuStrategy      *strategy,
                             KuuDeviceSession *session,
                             GSettings        *settings,
                             const char       *unit,
                             gboolean          kiosk)
{
  KuuContext *self;

  g_return_val_if_fail (KUU_IS_STRATEGY (strategy), NULL);
  g_return_val_if_fail (KUU_IS_DEVICE_SESSION (session), NULL);
  g_return_val_if_fail (kuu_device_session_get_store (session) != NULL, NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (unit != NULL, NULL);

  self = g_object_new (KUU_TYPE_CONTEXT, NULL);
  self->strategy = g_object_ref (strategy);
  self->session = g_object_ref (session);
  g_set_object (&self->settings, settings);
  self->unit = g_strdup (unit);
  self->kiosk = kiosk;
  /* A kiosk greets each resident in the region's language (or the first
   * one staff offer); a staff desktop speaks the desktop's, where it is
   * one of ours. */
  if (kiosk || !kuu_language_from_locale (&self->language))
    self->language = kuu_context_get_start_language (self);
  self->idle_seconds = 60;
  self->countdown_seconds = 15;
  g_signal_connect_object (session, "region-changed", G_CALLBACK (on_region_changed_cb), self, 0);

  return self;
}

/**
 * kuu_context_new:
 * @store: a store already open
 *
 * A context with a session of @store (kuu_device_session_new_for_store()),
 * not started: for a page's test or a bench.
 */
KuuContext *
kuu_context_new (KuuStrategy *strategy,
                 KuuStore    *store,
                 GSettings   *settings,
                 const char  *unit,
                 gboolean     kiosk)
{
  g_autoptr(KuuDeviceSession) session = NULL;

  g_return_val_if_fail (KUU_IS_STORE (store), NULL);

  session = kuu_device_session_new_for_store (store);
  return kuu_context_new_for_session (strategy, session, settings, unit, kiosk);
}

/**
 * kuu_context_get_session:
 *
 * Returns: (transfer none): the device's session: its store, enrolment,
 *   sync and problem
 */
KuuDeviceSession *
kuu_context_get_session (KuuContext *self)
{
  g_return_val_if_fail (KUU_IS_CONTEXT (self), NULL);
  return self->session;
}

KuuStrategy *
kuu_context_get_strategy (KuuContext *self)
{
  g_return_val_if_fail (KUU_IS_CONTEXT (self), NULL);
  return self->strategy;
}

/**
 * kuu_context_get_next_strategy:
 *
 * Returns: (transfer none) (nullable): the strategy waiting to be used
 */
KuuStrategy *
kuu_context_get_next_strategy (KuuContext *self)
{
  g_return_val_if_fail (KUU_IS_CONTEXT (self), NULL);
  return self->next_strategy;
}

/**
 * kuu_context_set_next_strategy:
 * @strategy: (nullable): a newer strategy of the same region
 *
 * Kept until kuu_context_apply_next_strategy(); a later one replaces it.
 */
void
kuu_context_set_next_strategy (KuuContext  *self,
                               KuuStrategy *strategy)
{
  g_return_if_fail (KUU_IS_CONTEXT (self));
  g_return_if_fail (strategy == NULL || KUU_IS_STRATEGY (strategy));
  g_return_if_fail (strategy == NULL ||
                    g_str_equal (kuu_strategy_get_id (strategy), kuu_strategy_get_id (self->strategy)));

  if (g_set_object (&self->next_strategy, strategy))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_STRATEGY]);
}

/**
 * kuu_context_apply_next_strategy:
 *
 * Makes the waiting strategy the one in use. The caller keeps a reference
 * to the old one while pages built from it still exist: they point into
 * it.
 *
 * Returns: %TRUE when there was one
 */
gboolean
kuu_context_apply_next_strategy (KuuContext *self)
{
  g_return_val_if_fail (KUU_IS_CONTEXT (self), FALSE);

  if (self->next_strategy == NULL)
    return FALSE;

  g_set_object (&self->strategy, self->next_strategy);
  g_clear_object (&self->next_strategy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_STRATEGY]);
  return TRUE;
}

/**
 * kuu_context_change_region:
 * @strategy: the strategy of the region staff chose, already loaded
 *
 * Like kuu_context_set_next_strategy(), for another region: the window
 * uses it from the next start page on.
 */
void
kuu_context_change_region (KuuContext  *self,
                           KuuStrategy *strategy)
{
  g_return_if_fail (KUU_IS_CONTEXT (self));
  g_return_if_fail (KUU_IS_STRATEGY (strategy));

  if (g_set_object (&self->next_strategy, strategy))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_STRATEGY]);
}

/* The session's store, open for as long as the context lives. */
KuuStore *
kuu_context_get_store (KuuContext *self)
{
  g_return_val_if_fail (KUU_IS_CONTEXT (self), NULL);
  return kuu_device_session_get_store (self->session);
}

/**
 * kuu_context_get_audience:
 *
 * Who this device asks: residents, or the region's personnel (the
 * `audience` setting, read afresh each time, so a change made in staff
 * mode holds from the next visit).
 */
KuuAudience
kuu_context_get_audience (KuuContext *self)
{
  g_autofree char *name = NULL;
  KuuAudience audience = KUU_AUDIENCE_RESIDENTS;

  g_return_val_if_fail (KUU_IS_CONTEXT (self), KUU_AUDIENCE_RESIDENTS);

  if (self->audience_fixed)
    return self->audience;
  if (self->settings == NULL)
    return KUU_AUDIENCE_RESIDENTS;
  name = g_settings_get_string (self->settings, "audience");
  if (!kuu_audience_from_string (name, &audience))
    return KUU_AUDIENCE_RESIDENTS;
  return audience;
}

/**
 * kuu_context_get_settings:
 *
 * Returns: (transfer none) (nullable): the device settings, %NULL when the
 *   schema is not installed (an uninstalled build without its env)
 */
GSettings *
kuu_context_get_settings (KuuContext *self)
{
  g_return_val_if_fail (KUU_IS_CONTEXT (self), NULL);
  return self->settings;
}

const char *
kuu_context_get_unit (KuuContext *self)
{
  g_return_val_if_fail (KUU_IS_CONTEXT (self), NULL);
  return self->unit;
}

/* Staff changed it: answers from now on carry the new one. */
void
kuu_context_set_unit (KuuContext *self,
                      const char *unit)
{
  g_return_if_fail (KUU_IS_CONTEXT (self));
  g_return_if_fail (unit != NULL);

  g_free (self->unit);
  self->unit = g_strdup (unit);
}

/* Whether @setting (a list of strings, empty: all) holds @value. */
static gboolean
setting_lists (GSettings  *settings,
               const char *setting,
               const char *value)
{
  g_auto(GStrv) values = NULL;

  if (settings == NULL)
    return TRUE;
  values = g_settings_get_strv (settings, setting);
  return values[0] == NULL || g_strv_contains ((const char * const *)values, value);
}

/**
 * kuu_context_offers_language:
 *
 * Whether residents are offered @language (the `languages` setting, read
 * afresh each time: a change holds from the next visit).
 */
gboolean
kuu_context_offers_language (KuuContext  *self,
                             KuuLanguage  language)
{
  g_return_val_if_fail (KUU_IS_CONTEXT (self), TRUE);
  return setting_lists (self->settings, "languages", kuu_language_to_code (language));
}

/**
 * kuu_context_get_start_language:
 *
 * The language each new visitor is greeted in: the region's own, unless
 * staff no longer offer it; then the first offered one of fi, sv, en.
 */
KuuLanguage
kuu_context_get_start_language (KuuContext *self)
{
  KuuLanguage language;

  g_return_val_if_fail (KUU_IS_CONTEXT (self), KUU_LANGUAGE_FI);

  language = kuu_strategy_get_default_language (self->strategy);
  if (kuu_context_offers_language (self, language))
    return language;
  for (KuuLanguage other = KUU_LANGUAGE_FI; other <= KUU_LANGUAGE_EN; other++)
    if (kuu_context_offers_language (self, other))
      return other;
  return language;
}

/**
 * kuu_context_shows_goal:
 *
 * Whether residents are asked to recommend the goal @goal_id here (the
 * `goals` setting, read afresh each time).
 */
gboolean
kuu_context_shows_goal (KuuContext *self,
                        const char *goal_id)
{
  g_return_val_if_fail (KUU_IS_CONTEXT (self), TRUE);
  return setting_lists (self->settings, "goals", goal_id);
}

gboolean
kuu_context_get_kiosk (KuuContext *self)
{
  g_return_val_if_fail (KUU_IS_CONTEXT (self), FALSE);
  return self->kiosk;
}

KuuLanguage
kuu_context_get_language (KuuContext *self)
{
  g_return_val_if_fail (KUU_IS_CONTEXT (self), KUU_LANGUAGE_FI);
  return self->language;
}

void
kuu_context_set_language (KuuContext  *self,
                          KuuLanguage  language)
{
  g_return_if_fail (KUU_IS_CONTEXT (self));
  g_return_if_fail (language < KUU_N_LANGUAGES);

  if (self->language == language)
    return;

  self->language = language;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

gboolean
kuu_context_get_easy_language (KuuContext *self)
{
  g_return_val_if_fail (KUU_IS_CONTEXT (self), FALSE);
  return self->easy_language;
}

/* Pages read it when they are built: the window rebuilds them. */
void
kuu_context_set_easy_language (KuuContext *self,
                               gboolean    easy)
{
  g_return_if_fail (KUU_IS_CONTEXT (self));
  self->easy_language = !!easy;
}

/* A strategy text in the resident's current language; its easy-language
 * version when the resident asked for easy language and there is one. */
const char *
kuu_context_text (KuuContext    *self,
                  const KuuText *text)
{
  g_return_val_if_fail (KUU_IS_CONTEXT (self), "");

  if (text == NULL)
    return "";
  if (self->easy_language && kuu_text_get_easy (text, self->language) != NULL)
    return kuu_text_get_easy (text, self->language);
  return kuu_text_get (text, self->language);
}

/**
 * kuu_context_set_audience:
 *
 * Fixes who this device asks for this run (the `--audience` option),
 * whatever the setting says.
 */
void
kuu_context_set_audience (KuuContext  *self,
                          KuuAudience  audience)
{
  g_return_if_fail (KUU_IS_CONTEXT (self));

  self->audience_fixed = TRUE;
  self->audience = audience;
}

void
kuu_context_set_idle_times (KuuContext *self,
                            guint       idle_seconds,
                            guint       countdown_seconds)
{
  g_return_if_fail (KUU_IS_CONTEXT (self));

  self->idle_seconds = idle_seconds;
  self->countdown_seconds = countdown_seconds;
}

/* Seconds without input before a kiosk offers to start over. */
guint
kuu_context_get_idle_seconds (KuuContext *self)
{
  g_return_val_if_fail (KUU_IS_CONTEXT (self), 0);

  return self->idle_seconds;
}

guint
kuu_context_get_countdown_seconds (KuuContext *self)
{
  g_return_val_if_fail (KUU_IS_CONTEXT (self), 0);

  return self->countdown_seconds;
}

/* A new answer is committed: send it now rather than at the next poll.
 * Returns at once; nothing here waits for the network. */
void
kuu_context_sync_now (KuuContext *self)
{
  g_return_if_fail (KUU_IS_CONTEXT (self));

  kuu_device_session_sync_now (self->session);
}

/**
 * kuu_context_describe_sync_problem:
 *
 * Returns: (transfer full) (nullable): the problem in words staff can act
 *   on, in the interface's current language; %NULL when there is none
 */
char *
kuu_context_describe_sync_problem (KuuContext *self)
{
  const GError *problem;
  KuuDevice *device;
  const char *enrolled_with;
  const char *server_url;

  g_return_val_if_fail (KUU_IS_CONTEXT (self), NULL);

  problem = kuu_device_session_get_problem (self->session);
  if (problem == NULL)
    return NULL;
  g_return_val_if_fail (problem->domain == KUU_DEVICE_SESSION_ERROR, g_strdup (problem->message));

  device = kuu_device_session_get_device (self->session);
  enrolled_with = device ? kuu_device_get_server_url (device) : NULL;
  server_url = kuu_device_session_get_server_url (self->session);

  switch ((KuuDeviceSessionError)problem->code)
    {
    case KUU_DEVICE_SESSION_ERROR_NOT_ENROLLED:
      return g_strdup (_("This device is not enrolled with the server yet, so answers stay on it. "
                         "Start it once with --enrol=CODE, with a code from the server’s administrator."));
    case KUU_DEVICE_SESSION_ERROR_OTHER_SERVER:
      return g_strdup_printf (_("This device is enrolled with %s, not with %s, so answers stay on it. "
                                "Enrol it with the new server: start it once with --enrol=CODE."),
                              enrolled_with ? enrolled_with : "", server_url ? server_url : "");
    case KUU_DEVICE_SESSION_ERROR_OTHER_REGION:
      return g_strdup_printf (_("This device is enrolled for the region “%s”, not for “%s”, so answers "
                                "stay on it: the server would refuse them. Start it once with "
                                "--enrol=CODE, with a code made for this region."),
                              problem->message, kuu_strategy_get_id (self->strategy));
    case KUU_DEVICE_SESSION_ERROR_ENROL_FAILED:
      return g_strdup_printf (_("Enrolment with %s failed: %s. Answers stay on this device; "
                                "check the address and ask the server’s administrator for a new code."),
                              server_url ? server_url : "", problem->message);
    case KUU_DEVICE_SESSION_ERROR_NOT_SAVED:
      return g_strdup_printf (_("Enrolled, but the credentials could not be saved (%s): "
                                "after a restart the device must be enrolled again."),
                              problem->message);
    case KUU_DEVICE_SESSION_ERROR_NOT_OPEN:
      return g_strdup (_("The database is not open, so the device cannot be enrolled."));
    case KUU_DEVICE_SESSION_ERROR_DEVICE_FILE:
    case KUU_DEVICE_SESSION_ERROR_TLS:
    default:
      /* Already worded where it arose: the device file, the CA file. */
      return g_strdup (problem->message);
    }
}
