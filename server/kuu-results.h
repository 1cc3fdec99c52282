/* kuu-results.h: a region's results for the desk, from counted answers
 *
 * What GET /api/v1/results answers (docs/protocol.md, "Results"), made
 * from the storage's counts (kuu_server_storage_result_rows()) with the
 * small-group rule (kuu-privacy.h, docs/privacy.md) applied to every
 * cell, and the region's targets judged against their margins. No
 * SQLite, no HTTP: the same counts give the same answer whatever keeps
 * them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "kuu-server-storage.h"
#include "kuu-strategy.h"
#include "kuu-target.h"

G_BEGIN_DECLS

/* A topic the results list, in the region file's order. */
typedef struct
{
  char *kind;  /* "goal" or "service_area" */
  char *id;
} KuuResultsTopic;

/* What was asked, checked, with what the region file says. Days are
 * UTC; since and until are both included. */
typedef struct
{
  char        *region;
  KuuAudience  audience;
  KuuBucket    period;          /* KUU_BUCKET_MONTH or KUU_BUCKET_WEEK */
  GDate        since;
  GDate        until;
  GDate        previous_since;  /* the same length just before since */
  char        *unit;            /* nullable: every unit */
  GPtrArray   *topics;          /* KuuResultsTopic: personnel, the one they are filed under */
  GPtrArray   *statements;      /* char *: the survey's statement ids, in order */
  GPtrArray   *targets;         /* KuuTarget: the region's targets of this audience */
  gint64       generated_at;    /* seconds since the epoch */
} KuuResultsPlan;

KuuResultsPlan *kuu_results_plan_new       (void);
void            kuu_results_plan_free      (KuuResultsPlan        *plan);
void            kuu_results_plan_add_topic (KuuResultsPlan        *plan,
                                            const char            *kind,
                                            const char            *id);
gint64          kuu_results_date_seconds   (const GDate           *date);

void            kuu_results_drop_small_personnel_cells (GPtrArray *rows);

JsonNode       *kuu_results_build          (const KuuResultsPlan  *plan,
                                            GPtrArray             *current,
                                            GPtrArray             *previous);
void            kuu_results_plan_fill      (KuuResultsPlan        *plan,
                                            KuuStrategy           *strategy);
JsonNode       *kuu_results_make           (KuuServerStorage      *reader,
                                            const KuuResultsPlan  *plan,
                                            GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KuuResultsPlan, kuu_results_plan_free)

G_END_DECLS
