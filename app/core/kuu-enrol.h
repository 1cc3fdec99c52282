/* kuu-enrol.h: a device presents its one-time enrolment code and gets its
 * token (docs/protocol.md § 3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KUU_TYPE_ENROLMENT (kuu_enrolment_get_type ())

/* What the server's 201 to an enrolment said (docs/protocol.md § 3). */
typedef struct
{
  char *token;      /* a password: kuu_enrolment_free() wipes it */
  char *device_id;  /* (nullable): the server's id for the device */
  char *region;     /* (nullable): the region the code was made for */
} KuuEnrolment;

GType         kuu_enrolment_get_type (void) G_GNUC_CONST;
KuuEnrolment *kuu_enrolment_copy     (const KuuEnrolment   *enrolment);
void          kuu_enrolment_free     (KuuEnrolment         *enrolment);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KuuEnrolment, kuu_enrolment_free)

void          kuu_enrol_async        (const char           *base_uri,
                                      const char           *code,
                                      const char           *unit,
                                      const char           *ca_file,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
KuuEnrolment *kuu_enrol_finish       (GAsyncResult         *result,
                                      GError              **error);

G_END_DECLS
