/* kuu-desk-results-page-private.h: what the results page's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "kuu-desk-results-page.h"
#include "kuu-language.h"

G_BEGIN_DECLS

struct _KuuDeskResultsPage
{
  GtkWidget      parent_instance;

  GtkLabel      *banner_label;
  GtkDropDown   *audience_drop;
  GtkDropDown   *period_drop;
  GtkDropDown   *range_drop;
  GtkDropDown   *unit_drop;
  GtkWidget     *dates_box;
  GtkEntry      *since_entry;
  GtkEntry      *until_entry;
  GtkStringList *units;
  GtkLabel      *status_label;
  GtkBox        *figures_box;
  GtkDropDown   *separator_drop;
  GtkCheckButton *contacts_check;

  KuuDeskClient *client;
  KuuDeskStaff  *staff;
  KuuStrategy   *strategy;
  KuuLanguage    language;    /* the strategy's texts in the reader's */
  GCancellable  *cancellable; /* the refresh in flight */
  GCancellable  *export_cancellable;
  char          *query;       /* of the refresh in flight or shown */
  GDate          since;
  GDate          until;
  gboolean       building;    /* filters set by code, not by a person */
};

void _kuu_desk_results_page_show (KuuDeskResultsPage *self,
                                  JsonNode           *response);
void _kuu_desk_results_page_export (KuuDeskResultsPage *self);

G_END_DECLS
