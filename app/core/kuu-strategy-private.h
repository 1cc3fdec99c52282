/* kuu-strategy-private.h: the fields, for the loader that fills them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-strategy.h"

G_BEGIN_DECLS

struct _KuuStrategy
{
  GObject      parent_instance;

  char        *id;
  KuuText     *name;
  KuuText     *short_name;
  gboolean     bilingual;
  KuuLanguage  default_language;
  KuuText     *title;
  char        *period;
  char        *source;
  KuuText     *vision;
  KuuText     *mission;
  GPtrArray   *municipalities;   /* KuuEntry */
  GPtrArray   *values;           /* KuuEntry */
  GPtrArray   *service_promise;  /* KuuText */
  GListStore  *goals;            /* KuuTopic */
  GListStore  *service_areas;    /* KuuTopic */
  GPtrArray   *targets;          /* KuuTarget */
  gboolean     show_results;

  KuuText     *recommend_question;
  KuuText     *scale_low;
  KuuText     *scale_high;
  KuuText     *agreement_scale[KUU_AGREEMENT_SCALE_SIZE];
  GPtrArray   *statements;       /* KuuEntry */
  KuuText     *why_prompt;
  KuuText     *personnel_recommend_question;
  KuuText     *personnel_functioning_question;
};

KuuStrategy *_kuu_strategy_new (void);

G_END_DECLS
