/* kuu-entry.h: an id with a name and an optional description, in every
 * language — a value, a municipality, a statement or a key result
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-text.h"

G_BEGIN_DECLS

#define KUU_TYPE_ENTRY (kuu_entry_get_type ())

typedef struct _KuuEntry
{
  char    *id;
  KuuText *name;
  KuuText *description;  /* may be NULL */
} KuuEntry;

GType     kuu_entry_get_type (void) G_GNUC_CONST;
KuuEntry *kuu_entry_new      (const char     *id,
                              KuuText        *name,
                              KuuText        *description);
KuuEntry *kuu_entry_copy     (const KuuEntry *self);
void      kuu_entry_free     (KuuEntry       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KuuEntry, kuu_entry_free)

G_END_DECLS
