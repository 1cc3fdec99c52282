/* kuu-context.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kuu-app-enums.h"
#include "kuu-context.h"
#include "kuu-core-enums.h"

struct _KuuContext
{
  GObject      parent_instance;

  KuuStrategy *strategy;
  KuuStrategy *next_strategy;  /* from the server, for the next resident */
  KuuStore    *store;
  GSettings   *settings;  /* NULL when the schema is not installed */
  char        *unit;
  gboolean     kiosk;
  KuuLanguage  language;
  gboolean     easy_language;  /* the resident asked for easy language */
  guint        idle_seconds;
  guint        countdown_seconds;
  gboolean     audience_fixed;  /* --audience: over the setting, for this run */
  KuuAudience  audience;

  KuuDevice   *device;
  char        *server_url;    /* the server it is told to use; NULL: none */
  KuuSync     *sync;          /* NULL while the device is not enrolled */
  KuuSyncProblem sync_problem;  /* why there is no sync, for staff */
  char        *sync_problem_detail;
};

G_DEFINE_FINAL_TYPE (KuuContext, kuu_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LANGUAGE,
  PROP_SYNC,
  PROP_SYNC_PROBLEM,
  PROP_NEXT_STRATEGY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kuu_context_dispose (GObject *object)
{
  KuuContext *self = (KuuContext *)object;

  g_clear_object (&self->strategy);
  g_clear_object (&self->next_strategy);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->device);
  if (self->sync != NULL)
    kuu_sync_stop (self->sync);
  g_clear_object (&self->sync);

  G_OBJECT_CLASS (kuu_context_parent_class)->dispose (object);
}

static void
kuu_context_finalize (GObject *object)
{
  KuuContext *self = (KuuContext *)object;

  g_clear_pointer (&self->unit, g_free);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->sync_problem_detail, g_free);

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
    case PROP_SYNC:
      g_value_set_object (value, self->sync);
      break;
    case PROP_SYNC_PROBLEM:
      g_value_set_enum (value, self->sync_problem);
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
   * KuuContext:sync:
   *
   * Delivers the answers to the region's server; %NULL until the device
   * is enrolled. It can come during a run, when enrolment finishes.
   */
  properties[PROP_SYNC] =
    g_param_spec_object ("sync", NULL, NULL, KUU_TYPE_SYNC,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * KuuContext:sync-problem:
   *
   * Why answers are not being sent (a failed enrolment, a broken device
   * file), a #KuuSyncProblem; kuu_context_describe_sync_problem() words it.
   */
  properties[PROP_SYNC_PROBLEM] =
    g_param_spec_enum ("sync-problem", NULL, NULL,
                       KUU_TYPE_SYNC_PROBLEM, KUU_SYNC_PROBLEM_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

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

KuuContext *
kuu_context_new (KuuStrategy *strategy,
                 KuuStore    *store,
                 GSettings   *settings,
                 const char  *unit,
                 gboolean     kiosk)
{
  KuuContext *self;

  g_return_val_if_fail (KUU_IS_STRATEGY (strategy), NULL);
  g_return_val_if_fail (KUU_IS_STORE (store), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (unit != NULL, NULL);

  self = g_object_new (KUU_TYPE_CONTEXT, NULL);
  self->strategy = g_object_ref (strategy);
  self->store = g_object_ref (store);
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

  return self;
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

KuuStore *
kuu_context_get_store (KuuContext *self)
{
  g_return_val_if_fail (KUU_IS_CONTEXT (self), NULL);
  return self->store;
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

/**
 * kuu_context_get_device:
 *
 * Returns: (transfer none) (nullable): the device's enrolment, %NULL in a
 *   context made without one (a widget test)
 */
KuuDevice *
kuu_context_get_device (KuuContext *self)
{
  g_return_val_if_fail (KUU_IS_CONTEXT (self), NULL);
  return self->device;
}

void
kuu_context_set_device (KuuContext *self,
                        KuuDevice  *device)
{
  g_return_if_fail (KUU_IS_CONTEXT (self));
  g_return_if_fail (device == NULL || KUU_IS_DEVICE (device));

  g_set_object (&self->device, device);
}

/* The server the device is told to use, enrolled with it or not. */
const char *
kuu_context_get_server_url (KuuContext *self)
{
  g_return_val_if_fail (KUU_IS_CONTEXT (self), NULL);
  return self->server_url;
}

void
kuu_context_set_server_url (KuuContext *self,
                            const char *server_url)
{
  char *copy = g_strdup (server_url);  /* it may be our own */

  g_return_if_fail (KUU_IS_CONTEXT (self));

  g_free (self->server_url);
  self->server_url = copy;
}

/**
 * kuu_context_get_sync:
 *
 * Returns: (transfer none) (nullable): the sync, %NULL while the device
 *   is not enrolled
 */
KuuSync *
kuu_context_get_sync (KuuContext *self)
{
  g_return_val_if_fail (KUU_IS_CONTEXT (self), NULL);
  return self->sync;
}

/* The context owns the sync from here on and stops it when it goes. */
void
kuu_context_set_sync (KuuContext *self,
                      KuuSync    *sync)
{
  g_return_if_fail (KUU_IS_CONTEXT (self));
  g_return_if_fail (sync == NULL || KUU_IS_SYNC (sync));

  if (self->sync == sync)
    return;

  if (self->sync != NULL)
    kuu_sync_stop (self->sync);
  g_set_object (&self->sync, sync);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC]);
}

/* A new answer is committed: send it now rather than at the next poll.
 * Returns at once; nothing here waits for the network. */
void
kuu_context_sync_now (KuuContext *self)
{
  g_return_if_fail (KUU_IS_CONTEXT (self));

  if (self->sync != NULL)
    kuu_sync_now (self->sync);
}

KuuSyncProblem
kuu_context_get_sync_problem (KuuContext *self)
{
  g_return_val_if_fail (KUU_IS_CONTEXT (self), KUU_SYNC_PROBLEM_NONE);
  return self->sync_problem;
}

/**
 * kuu_context_set_sync_problem:
 * @detail: (nullable): what the problem's kind needs (see #KuuSyncProblem)
 */
void
kuu_context_set_sync_problem (KuuContext     *self,
                              KuuSyncProblem  problem,
                              const char     *detail)
{
  g_return_if_fail (KUU_IS_CONTEXT (self));

  if (self->sync_problem == problem && g_strcmp0 (self->sync_problem_detail, detail) == 0)
    return;

  self->sync_problem = problem;
  g_free (self->sync_problem_detail);
  self->sync_problem_detail = g_strdup (detail);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_PROBLEM]);
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
  const char *detail;
  const char *enrolled_with;

  g_return_val_if_fail (KUU_IS_CONTEXT (self), NULL);

  detail = self->sync_problem_detail ? self->sync_problem_detail : "";
  enrolled_with = self->device ? kuu_device_get_server_url (self->device) : NULL;

  switch (self->sync_problem)
    {
    case KUU_SYNC_PROBLEM_NOT_ENROLLED:
      return g_strdup (_("This device is not enrolled with the server yet, so answers stay on it. "
                         "Start it once with --enrol=CODE, with a code from the server’s administrator."));
    case KUU_SYNC_PROBLEM_OTHER_SERVER:
      return g_strdup_printf (_("This device is enrolled with %s, not with %s, so answers stay on it. "
                                "Enrol it with the new server: start it once with --enrol=CODE."),
                              enrolled_with ? enrolled_with : "", self->server_url ? self->server_url : "");
    case KUU_SYNC_PROBLEM_OTHER_REGION:
      return g_strdup_printf (_("This device is enrolled for the region “%s”, not for “%s”, so answers "
                                "stay on it: the server would refuse them. Start it once with "
                                "--enrol=CODE, with a code made for this region."),
                              detail, kuu_strategy_get_id (self->strategy));
    case KUU_SYNC_PROBLEM_ENROL_FAILED:
      return g_strdup_printf (_("Enrolment with %s failed: %s. Answers stay on this device; "
                                "check the address and ask the server’s administrator for a new code."),
                              self->server_url ? self->server_url : "", detail);
    case KUU_SYNC_PROBLEM_NOT_SAVED:
      return g_strdup_printf (_("Enrolled, but the credentials could not be saved (%s): "
                                "after a restart the device must be enrolled again."),
                              detail);
    case KUU_SYNC_PROBLEM_MESSAGE:
      return g_strdup (detail);
    case KUU_SYNC_PROBLEM_NONE:
    default:
      return NULL;
    }
}
