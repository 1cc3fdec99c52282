/* kuu-json.h: the strict JSON reader for everything that comes over the
 * network (docs/protocol.md, § 2 "Transport")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KUU_JSON_ERROR (kuu_json_error_quark ())

/* Arrays and objects inside each other, the outermost counted: [[1]] is 2. */
#define KUU_JSON_MAX_DEPTH 64

typedef enum
{
  KUU_JSON_ERROR_SYNTAX,     /* not RFC 8259 JSON */
  KUU_JSON_ERROR_DEPTH,      /* nested deeper than KUU_JSON_MAX_DEPTH */
  KUU_JSON_ERROR_DUPLICATE,  /* a member name twice in one object */
  KUU_JSON_ERROR_STRING,     /* not UTF-8, \u0000, a lone surrogate */
  KUU_JSON_ERROR_NUMBER,     /* beyond what a double holds */
} KuuJsonError;

GQuark    kuu_json_error_quark (void);
JsonNode *kuu_json_parse       (const char  *data,
                                gsize        size,
                                GError     **error);

G_END_DECLS
