/* kuu-stats.h: recommendation index figures, computed in SQL over the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-nps.h"
#include "kuu-store.h"

G_BEGIN_DECLS

typedef enum
{
  KUU_STATS_GROUP_NONE  = 0,
  KUU_STATS_GROUP_TOPIC = 1 << 0,
  KUU_STATS_GROUP_UNIT  = 1 << 1,
  KUU_STATS_GROUP_WEEK  = 1 << 2,  /* weeks start on Monday, local time */
  KUU_STATS_GROUP_MONTH = 1 << 3,  /* local time */
} KuuStatsGroup;

typedef struct
{
  KuuAudience    audience;
  gboolean       any_topic_kind;
  KuuTopicKind   topic_kind;
  const char    *topic_id;    /* NULL: every topic */
  const char    *unit;        /* NULL: every unit */
  gint64         since;       /* seconds since the epoch; 0: from the start */
  gint64         until;       /* exclusive; 0: until now */
  KuuStatsGroup  group;
} KuuStatsQuery;

typedef struct
{
  char          *topic_kind;  /* NULL unless grouped by topic */
  char          *topic_id;
  char          *unit;        /* NULL unless grouped by unit */
  char          *period;      /* “2026-11” by month, the Monday “2026-11-23” by week */
  KuuNpsCounts   counts;
  KuuNps         nps;
} KuuStatsRow;

void        kuu_stats_query_init (KuuStatsQuery       *query);
GPtrArray  *kuu_stats_nps        (KuuStore            *store,
                                  const KuuStatsQuery *query,
                                  GError             **error);
void        kuu_stats_nps_async  (KuuStore            *store,
                                  const KuuStatsQuery *query,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
GPtrArray  *kuu_stats_nps_finish (KuuStore            *store,
                                  GAsyncResult        *result,
                                  GError             **error);
void        kuu_stats_row_free   (KuuStatsRow         *row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KuuStatsRow, kuu_stats_row_free)

G_END_DECLS
