/* kuu-topic.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kuu-topic.h"

struct _KuuTopic
{
  GObject       parent_instance;

  KuuTopicKind  kind;
  char         *id;
  KuuText      *title;
  KuuText      *summary;
  KuuText      *description;  /* may be NULL for service areas */
  GPtrArray    *key_results;
};

G_DEFINE_FINAL_TYPE (KuuTopic, kuu_topic, G_TYPE_OBJECT)

static const char * const kind_names[] = {
  [KUU_TOPIC_GOAL] = "goal",
  [KUU_TOPIC_SERVICE_AREA] = "service_area",
};

static void
kuu_topic_finalize (GObject *object)
{
  KuuTopic *self = (KuuTopic *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->title, kuu_text_free);
  g_clear_pointer (&self->summary, kuu_text_free);
  g_clear_pointer (&self->description, kuu_text_free);
  g_clear_pointer (&self->key_results, g_ptr_array_unref);

  G_OBJECT_CLASS (kuu_topic_parent_class)->finalize (object);
}

static void
kuu_topic_class_init (KuuTopicClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kuu_topic_finalize;
}

static void
kuu_topic_init (KuuTopic *self)
{
  self->key_results = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_entry_free);
}

/* Takes ownership of the texts. */
KuuTopic *
kuu_topic_new (KuuTopicKind  kind,
               const char   *id,
               KuuText      *title,
               KuuText      *summary,
               KuuText      *description)
{
  KuuTopic *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);

  self = g_object_new (KUU_TYPE_TOPIC, NULL);
  self->kind = kind;
  self->id = g_strdup (id);
  self->title = title;
  self->summary = summary;
  self->description = description;

  return self;
}

KuuTopicKind
kuu_topic_get_kind (KuuTopic *self)
{
  g_return_val_if_fail (KUU_IS_TOPIC (self), KUU_TOPIC_GOAL);

  return self->kind;
}

const char *
kuu_topic_get_id (KuuTopic *self)
{
  g_return_val_if_fail (KUU_IS_TOPIC (self), NULL);

  return self->id;
}

const KuuText *
kuu_topic_get_title (KuuTopic *self)
{
  g_return_val_if_fail (KUU_IS_TOPIC (self), NULL);

  return self->title;
}

const KuuText *
kuu_topic_get_summary (KuuTopic *self)
{
  g_return_val_if_fail (KUU_IS_TOPIC (self), NULL);

  return self->summary;
}

const KuuText *
kuu_topic_get_description (KuuTopic *self)
{
  g_return_val_if_fail (KUU_IS_TOPIC (self), NULL);

  return self->description;
}

/**
 * kuu_topic_get_key_results:
 *
 * Returns: (transfer none) (element-type KuuEntry): the key results, empty
 *   for a service area
 */
GPtrArray *
kuu_topic_get_key_results (KuuTopic *self)
{
  g_return_val_if_fail (KUU_IS_TOPIC (self), NULL);

  return self->key_results;
}

void
kuu_topic_add_key_result (KuuTopic *self,
                          KuuEntry *key_result)
{
  g_return_if_fail (KUU_IS_TOPIC (self));
  g_return_if_fail (key_result != NULL);

  g_ptr_array_add (self->key_results, key_result);
}

const char *
kuu_topic_kind_to_string (KuuTopicKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (kind_names), NULL);

  return kind_names[kind];
}

gboolean
kuu_topic_kind_from_string (const char   *name,
                            KuuTopicKind *out_kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    {
      if (g_strcmp0 (name, kind_names[i]) == 0)
        {
          *out_kind = i;
          return TRUE;
        }
    }
  return FALSE;
}
