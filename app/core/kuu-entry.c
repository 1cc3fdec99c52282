/* kuu-entry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kuu-entry.h"

G_DEFINE_BOXED_TYPE (KuuEntry, kuu_entry, kuu_entry_copy, kuu_entry_free)

/* Takes ownership of @name and @description. */
KuuEntry *
kuu_entry_new (const char *id,
               KuuText    *name,
               KuuText    *description)
{
  KuuEntry *self = g_new0 (KuuEntry, 1);

  self->id = g_strdup (id);
  self->name = name;
  self->description = description;

  return self;
}

KuuEntry *
kuu_entry_copy (const KuuEntry *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return kuu_entry_new (self->id,
                        self->name ? kuu_text_copy (self->name) : NULL,
                        self->description ? kuu_text_copy (self->description) : NULL);
}

void
kuu_entry_free (KuuEntry *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_clear_pointer (&self->name, kuu_text_free);
  g_clear_pointer (&self->description, kuu_text_free);
  g_free (self);
}
