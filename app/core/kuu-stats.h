/* kuu-stats.h: recommendation index figures, computed in SQL over the store
 *
 * Every figure is for one audience: a query names it (residents unless
 * set otherwise) and each row says which it was. Residents' and
 * personnel's answers are never counted together: the personnel index is
 * the eNPS, and its workplace-functioning question (1–5, stored as the
 * statement %KUU_STATEMENT_FUNCTIONING) is read with kuu_stats_scale().
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
  guint          scores[11];  /* answers of each score 0…10: the distribution */
  KuuNps         nps;
  KuuAudience    audience;    /* as in the query: the only one counted */
} KuuStatsRow;

/* The answers to one 1–5 statement, e.g. workplace functioning. */
typedef struct
{
  char          *topic_kind;  /* the grouping, as in #KuuStatsRow */
  char          *topic_id;
  char          *unit;
  char          *period;
  KuuAudience    audience;
  guint          count;       /* answers to the statement */
  double         mean;        /* 1…5 */
  guint          agree;       /* answers of 4 or 5 */
  double         share_agree; /* agree / count × 100 */
} KuuStatsScaleRow;

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

GStrv       kuu_stats_units      (KuuStore            *store,
                                  GError             **error);

void        kuu_stats_query_init_for (KuuStatsQuery       *query,
                                      KuuAudience          audience);
GPtrArray  *kuu_stats_scale          (KuuStore            *store,
                                      const KuuStatsQuery *query,
                                      const char          *statement_id,
                                      GError             **error);
void        kuu_stats_scale_async    (KuuStore            *store,
                                      const KuuStatsQuery *query,
                                      const char          *statement_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
GPtrArray  *kuu_stats_scale_finish   (KuuStore            *store,
                                      GAsyncResult        *result,
                                      GError             **error);
void        kuu_stats_scale_row_free (KuuStatsScaleRow    *row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KuuStatsRow, kuu_stats_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KuuStatsScaleRow, kuu_stats_scale_row_free)

G_END_DECLS
