/* kuu-server-results.c: GET /api/v1/results, the region desk's figures
 *
 * For a staff token, of the staff member's own region only: every goal
 * and service area (residents) or the personnel survey, each with its
 * total, the previous period, the trend, the units side by side and the
 * statements, and the region's targets judged (kuu-results.c). The
 * request is checked here, in the main loop, with what the region file
 * says; the counting is done in a worker thread with its own read-only
 * connection, the request paused meanwhile.
 *
 * Personnel queries are of whole months and by month only: since and
 * until are moved to the first and last day of their months
 * (docs/privacy.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kuu-results.h"
#include "kuu-server-private.h"

/* A selection covers at most about three years: the work a request can
 * ask for is bounded. */
#define MAX_DAYS 1100

static const char * const results_parameters[] = { "audience", "period", "since", "until", "unit", NULL };

typedef struct
{
  KuuResultsPlan    *plan;
  KuuServerStorage  *store;
  SoupServerMessage *msg;
} Job;

static void
job_free (Job *job)
{
  kuu_results_plan_free (job->plan);
  g_clear_object (&job->store);
  g_clear_object (&job->msg);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static gboolean
bad_request (SoupServerMessage *msg,
             const char        *message)
{
  _kuu_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", message);
  return FALSE;
}

/* YYYY-MM-DD exactly, a day that exists, from 1900 on: the period
 * before it must exist too. */
static gboolean
parse_day (const char *text,
           GDate      *out)
{
  guint64 year, month, day;

  g_date_clear (out, 1);
  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  if (!g_ascii_string_to_unsigned ((char[]) { text[0], text[1], text[2], text[3], 0 }, 10, 1900, 9999, &year, NULL) ||
      !g_ascii_string_to_unsigned ((char[]) { text[5], text[6], 0 }, 10, 1, 12, &month, NULL) ||
      !g_ascii_string_to_unsigned ((char[]) { text[8], text[9], 0 }, 10, 1, 31, &day, NULL) ||
      !g_date_valid_dmy (day, month, year))
    return FALSE;
  g_date_set_dmy (out, day, month, year);
  return TRUE;
}

/* Personnel: whole months, and the previous period as many whole months
 * just before. Residents: the same number of days just before. */
static void
set_previous (KuuResultsPlan *plan)
{
  if (plan->audience == KUU_AUDIENCE_PERSONNEL)
    {
      guint months = (g_date_get_year (&plan->until) - g_date_get_year (&plan->since)) * 12 +
                     g_date_get_month (&plan->until) - g_date_get_month (&plan->since) + 1;

      g_date_set_day (&plan->since, 1);
      g_date_set_day (&plan->until, g_date_get_days_in_month (g_date_get_month (&plan->until),
                                                              g_date_get_year (&plan->until)));
      plan->previous_since = plan->since;
      g_date_subtract_months (&plan->previous_since, months);
      return;
    }
  plan->previous_since = plan->since;
  g_date_subtract_days (&plan->previous_since, g_date_days_between (&plan->since, &plan->until) + 1);
}

static gboolean
parse_selection (SoupServerMessage *msg,
                 GHashTable        *query,
                 KuuResultsPlan    *plan)
{
  const char *period = g_hash_table_lookup (query, "period");
  const char *unit = g_hash_table_lookup (query, "unit");

  if (!kuu_audience_from_string (g_hash_table_lookup (query, "audience"), &plan->audience))
    return bad_request (msg, "audience: residents or personnel.");
  if (g_strcmp0 (period, "month") == 0)
    plan->period = KUU_BUCKET_MONTH;
  else if (g_strcmp0 (period, "week") == 0)
    plan->period = KUU_BUCKET_WEEK;
  else
    return bad_request (msg, "period: week or month.");
  if (plan->audience == KUU_AUDIENCE_PERSONNEL && plan->period != KUU_BUCKET_MONTH)
    return bad_request (msg, "period: personnel results are by month only (docs/privacy.md).");
  if (!parse_day (g_hash_table_lookup (query, "since"), &plan->since))
    return bad_request (msg, "since: a date, YYYY-MM-DD.");
  if (!parse_day (g_hash_table_lookup (query, "until"), &plan->until))
    return bad_request (msg, "until: a date, YYYY-MM-DD.");
  if (g_date_compare (&plan->since, &plan->until) > 0)
    return bad_request (msg, "since: a day before until, or the same day.");
  if (g_date_days_between (&plan->since, &plan->until) >= MAX_DAYS)
    return bad_request (msg, "until: at most 1100 days after since.");
  if (unit != NULL && (!g_utf8_validate (unit, -1, NULL) || *unit == '\0' || g_utf8_strlen (unit, -1) > 100))
    return bad_request (msg, "unit: a unit's name, 1–100 characters.");
  plan->unit = g_strdup (unit);
  set_previous (plan);
  return TRUE;
}

static void
make_results_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuServerStorage) reader = kuu_server_storage_open_reader (job->store, &error);
  g_autoptr(JsonNode) body = NULL;
  char *text;

  if (reader == NULL || !(body = kuu_results_make (reader, job->plan, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  text = json_to_string (body, FALSE);
  g_task_return_pointer (task, g_bytes_new_take (text, strlen (text)), (GDestroyNotify)g_bytes_unref);
}

static void
on_results_made_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_task_propagate_pointer (G_TASK (result), &error);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (job->msg);

  if (bytes != NULL)
    {
      soup_server_message_set_status (job->msg, SOUP_STATUS_OK, NULL);
      soup_message_headers_set_content_type (headers, "application/json", NULL);
      soup_message_headers_replace (headers, "Cache-Control", "no-store");
      soup_message_body_truncate (soup_server_message_get_response_body (job->msg));
      soup_message_body_append_bytes (soup_server_message_get_response_body (job->msg), bytes);
    }
  else
    {
      g_warning ("the results failed: %s", error->message);
      _kuu_server_respond_error (job->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                                 "The server could not count the results; try again later.");
    }
  soup_server_message_unpause (job->msg);
}

void
_kuu_server_on_results_cb (SoupServer        *soup,
                           SoupServerMessage *msg,
                           const char        *path,
                           GHashTable        *query,
                           gpointer           user_data)
{
  KuuServer *self = user_data;
  g_autoptr(KuuPrincipal) principal = NULL;
  g_autoptr(GHashTable) parameters = NULL;
  g_autoptr(Job) job = g_new0 (Job, 1);
  g_autoptr(GTask) task = NULL;
  KuuStrategy *strategy;

  job->plan = kuu_results_plan_new ();
  if (!(principal = _kuu_server_authorize (self, msg, KUU_ALLOW_STAFF)) ||
      !_kuu_server_check_method (msg, "GET") ||
      !_kuu_server_parse_query (msg, results_parameters, &parameters) ||
      !parse_selection (msg, parameters, job->plan))
    return;
  if (!(strategy = kuu_server_regions_get_strategy (self->regions, principal->region)))
    {
      _kuu_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found",
                                 "This server no longer serves your region; ask IT.");
      return;
    }

  job->plan->region = g_strdup (principal->region);
  job->plan->generated_at = g_get_real_time () / G_USEC_PER_SEC;
  kuu_results_plan_fill (job->plan, strategy);
  job->store = g_object_ref (self->store);
  job->msg = g_object_ref (msg);
  task = g_task_new (self, NULL, on_results_made_cb, NULL);
  g_task_set_source_tag (task, _kuu_server_on_results_cb);
  g_task_set_task_data (task, g_steal_pointer (&job), (GDestroyNotify)job_free);
  soup_server_message_pause (msg);
  g_task_run_in_thread (task, make_results_thread);
}
