/* kuu-wire.h: submissions as JSON, the same for the kiosk and the server
 * (docs/protocol.md, "Records")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "kuu-submission.h"

G_BEGIN_DECLS

#define KUU_WIRE_ERROR (kuu_wire_error_quark ())

typedef enum
{
  KUU_WIRE_ERROR_INVALID,  /* a field missing, of the wrong type or out of range */
} KuuWireError;

GQuark         kuu_wire_error_quark          (void);
JsonNode      *kuu_wire_submission_to_json   (const KuuSubmission *submission,
                                              gboolean             with_contact);
KuuSubmission *kuu_wire_submission_from_json (JsonNode            *node,
                                              GError             **error);
void           kuu_wire_add_string           (JsonBuilder         *builder,
                                              const char          *name,
                                              const char          *value);
const char    *kuu_wire_get_string           (JsonObject          *object,
                                              const char          *member);
gboolean       kuu_wire_append_string        (GString             *out,
                                              const char          *value);
gboolean       kuu_wire_append_submission    (GString             *out,
                                              const KuuSubmission *submission,
                                              gboolean             with_contact,
                                              GError             **error);
char          *kuu_wire_submission_to_text   (const KuuSubmission *submission,
                                              gboolean             with_contact,
                                              GError             **error);

G_END_DECLS
