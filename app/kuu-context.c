/* kuu-context.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kuu-context.h"

struct _KuuContext
{
  GObject      parent_instance;

  KuuStrategy *strategy;
  KuuStore    *store;
  GSettings   *settings;  /* NULL when the schema is not installed */
  char        *unit;
  gboolean     kiosk;
  KuuLanguage  language;
  guint        idle_seconds;
  guint        countdown_seconds;
};

G_DEFINE_FINAL_TYPE (KuuContext, kuu_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LANGUAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kuu_context_dispose (GObject *object)
{
  KuuContext *self = (KuuContext *)object;

  g_clear_object (&self->strategy);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

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
      g_value_set_int (value, self->language);
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
      kuu_context_set_language (self, g_value_get_int (value));
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
    g_param_spec_int ("language", NULL, NULL,
                      0, KUU_N_LANGUAGES - 1, KUU_LANGUAGE_FI,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

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
  self->language = kuu_strategy_get_default_language (strategy);
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

KuuStore *
kuu_context_get_store (KuuContext *self)
{
  g_return_val_if_fail (KUU_IS_CONTEXT (self), NULL);
  return self->store;
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

/* A strategy text in the resident's current language. */
const char *
kuu_context_text (KuuContext    *self,
                  const KuuText *text)
{
  g_return_val_if_fail (KUU_IS_CONTEXT (self), "");

  if (text == NULL)
    return "";
  return kuu_text_get (text, self->language);
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
