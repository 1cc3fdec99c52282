/* kuu-desk-results-page.c: the region's results, from the server's aggregates
 *
 * The Results page of the region desk: the filters (who answered, month
 * or week, dates, unit), one GET /api/v1/results a change, the previous
 * one cancelled; the answer parsed in a worker thread by the client and
 * drawn by kuu-desk-results-page-figures.c. Each answer is kept in the
 * cache (kuu-desk-cache); when the server cannot be reached the last one
 * for the same filter shows with its time and a banner. A revoked
 * sign-in emits ::signed-out with the reason. The CSV export is in
 * kuu-desk-results-page-export.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "kuu-desk-cache.h"
#include "kuu-desk-results-page-private.h"

G_DEFINE_FINAL_TYPE (KuuDeskResultsPage, kuu_desk_results_page, GTK_TYPE_WIDGET)

enum {
  SIGNED_OUT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  RANGE_12_MONTHS,
  RANGE_THIS_YEAR,
  RANGE_3_MONTHS,
  RANGE_8_WEEKS,
  RANGE_OTHER,
};

static char *format_date (KuuDeskResultsPage *self, const GDate *date);

/* A day as staff type it: 8.12.2026 (the Finnish and Swedish way) or
 * 2026-12-08. */
static gboolean
parse_day (const char *text,
           GDate      *out)
{
  guint day = 0, month = 0, year = 0;
  char rest = 0;

  if (sscanf (text, " %u.%u.%u %c", &day, &month, &year, &rest) != 3 &&
      sscanf (text, " %u-%u-%u %c", &year, &month, &day, &rest) != 3)
    return FALSE;
  if (year < 2000 || year > 2100 || !g_date_valid_dmy (day, month, year))
    return FALSE;
  g_date_clear (out, 1);
  g_date_set_dmy (out, day, month, year);
  return TRUE;
}

/* The dates the range names, ending today; FALSE when the dates typed for
 * Other dates are not a period. */
static gboolean
resolve_range (KuuDeskResultsPage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  guint range = gtk_drop_down_get_selected (self->range_drop);

  if (range == RANGE_OTHER)
    return parse_day (gtk_editable_get_text (GTK_EDITABLE (self->since_entry)), &self->since) &&
           parse_day (gtk_editable_get_text (GTK_EDITABLE (self->until_entry)), &self->until) &&
           g_date_compare (&self->since, &self->until) <= 0;
  g_date_clear (&self->until, 1);
  g_date_set_dmy (&self->until, g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now), g_date_time_get_year (now));
  self->since = self->until;
  switch (range)
    {
    case RANGE_THIS_YEAR:
      g_date_set_dmy (&self->since, 1, 1, g_date_get_year (&self->until));
      break;
    case RANGE_3_MONTHS:
      g_date_set_day (&self->since, 1);
      g_date_subtract_months (&self->since, 2);
      break;
    case RANGE_8_WEEKS:
      g_date_subtract_days (&self->since, g_date_get_weekday (&self->since) - 1);
      g_date_subtract_days (&self->since, 7 * 7);
      break;
    default:
      g_date_set_day (&self->since, 1);
      g_date_subtract_months (&self->since, 11);
      break;
    }
  return TRUE;
}

/* Other dates starts from the dates shown, in the reader's way. */
static void
show_dates (KuuDeskResultsPage *self)
{
  gboolean other = gtk_drop_down_get_selected (self->range_drop) == RANGE_OTHER;
  g_autofree char *since = NULL;
  g_autofree char *until = NULL;

  if (other && !gtk_widget_get_visible (self->dates_box) && g_date_valid (&self->since))
    {
      since = format_date (self, &self->since);
      until = format_date (self, &self->until);
      gtk_editable_set_text (GTK_EDITABLE (self->since_entry), since);
      gtk_editable_set_text (GTK_EDITABLE (self->until_entry), until);
    }
  gtk_widget_set_visible (self->dates_box, other);
}

static char *
iso_date (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

static const char *
selected_unit (KuuDeskResultsPage *self)
{
  guint position = gtk_drop_down_get_selected (self->unit_drop);

  if (position == 0 || position == GTK_INVALID_LIST_POSITION)
    return NULL;
  return gtk_string_list_get_string (self->units, position);
}

static char *
build_query (KuuDeskResultsPage *self)
{
  gboolean personnel = gtk_drop_down_get_selected (self->audience_drop) == 1;
  gboolean weeks = gtk_drop_down_get_selected (self->period_drop) == 1;
  g_autofree char *since = iso_date (&self->since);
  g_autofree char *until = iso_date (&self->until);
  const char *unit = selected_unit (self);
  GString *query = g_string_new ("/api/v1/results?audience=");

  g_string_append_printf (query, "%s&period=%s&since=%s&until=%s",
                          personnel ? "personnel" : "residents", weeks ? "week" : "month", since, until);
  if (unit != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (unit, NULL, FALSE);

      g_string_append_printf (query, "&unit=%s", escaped);
    }
  return g_string_free (query, FALSE);
}

/* Days and times as they are written in Finland: 8.12.2026 and 14.05 in
 * Finnish and Swedish, whatever LC_TIME says (a desktop in C.UTF-8 with
 * LANGUAGE=fi is common); 8 Dec 2026 and 14:05 in English. */
static char *
format_moment (KuuDeskResultsPage *self,
               GDateTime          *moment,
               gboolean            with_time)
{
  gboolean english = self->language == KUU_LANGUAGE_EN;

  if (with_time)
    return g_date_time_format (moment, english ? "%-d %b %Y %H:%M" : "%-d.%-m.%Y %H.%M");
  return g_date_time_format (moment, english ? "%-d %b %Y" : "%-d.%-m.%Y");
}

static char *
format_date (KuuDeskResultsPage *self,
             const GDate        *date)
{
  g_autoptr(GDateTime) day = g_date_time_new_local (g_date_get_year (date), g_date_get_month (date),
                                                    g_date_get_day (date), 0, 0, 0);

  return day ? format_moment (self, day, FALSE) : iso_date (date);
}

static void
say (KuuDeskResultsPage *self,
     const char         *text)
{
  gtk_label_set_text (self->status_label, text);
}

static void
on_cache_saved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!kuu_desk_cache_save_finish (result, &error))
    g_debug ("The results were not cached: %s", error->message);
}

static void
on_cache_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  KuuDeskResultsPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) fetched = NULL;
  g_autoptr(JsonNode) response = kuu_desk_cache_load_finish (result, &fetched, &error);
  g_autofree char *when = NULL;
  g_autofree char *banner = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (response == NULL)
    return;  /* nothing kept for this filter: the status says why */
  when = format_moment (self, fetched, TRUE);
  banner = g_strdup_printf (_("The server cannot be reached. The figures below are as of %s; "
                              "they are refreshed when it answers again."), when);
  gtk_label_set_text (self->banner_label, banner);
  gtk_widget_set_visible (GTK_WIDGET (self->banner_label), TRUE);
  _kuu_desk_results_page_show (self, response);
}

static void
on_results_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  KuuDeskResultsPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) response = kuu_desk_client_get_json_finish (KUU_DESK_CLIENT (object), result, &body, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_remove_css_class (GTK_WIDGET (self->figures_box), "dim-label");
  if (response != NULL && JSON_NODE_HOLDS_OBJECT (response))
    {
      say (self, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->banner_label), FALSE);
      _kuu_desk_results_page_show (self, response);
      kuu_desk_cache_save_async (kuu_desk_client_get_server_url (self->client), self->query, body,
                                 NULL, on_cache_saved_cb, NULL);
      return;
    }
  if (g_error_matches (error, KUU_DESK_ERROR, KUU_DESK_ERROR_REVOKED) ||
      g_error_matches (error, KUU_DESK_ERROR, KUU_DESK_ERROR_UNAUTHORIZED))
    {
      g_signal_emit (self, signals[SIGNED_OUT], 0, error->message);
      return;
    }
  say (self, error ? error->message : _("The server’s answer was not results."));
  if (g_error_matches (error, KUU_DESK_ERROR, KUU_DESK_ERROR_UNREACHABLE))
    kuu_desk_cache_load_async (kuu_desk_client_get_server_url (self->client), self->query,
                               self->cancellable, on_cache_loaded_cb, self);
}

static void
refresh_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  kuu_desk_results_page_refresh (KUU_DESK_RESULTS_PAGE (widget));
}

static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  _kuu_desk_results_page_export (KUU_DESK_RESULTS_PAGE (widget));
}

/* GTK 4.8 names a drop-down's button “GtkToggleButton” for a screen
 * reader: it gets the drop-down's label and what it shows instead. */
static void
name_drop_button (GtkDropDown *drop)
{
  GtkWidget *button = gtk_widget_get_first_child (GTK_WIDGET (drop));
  GtkStringObject *item = gtk_drop_down_get_selected_item (drop);
  g_autofree char *name = NULL;

  if (button == NULL || item == NULL)
    return;
  name = g_strdup_printf ("%s: %s", gtk_widget_get_tooltip_text (GTK_WIDGET (drop)),
                          gtk_string_object_get_string (item));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* The server gives personnel figures by whole months only (small groups
 * would show through weeks): the choice is not offered. */
static void
on_filter_changed_cb (KuuDeskResultsPage *self)
{
  gboolean personnel = gtk_drop_down_get_selected (self->audience_drop) == 1;

  name_drop_button (self->audience_drop);
  name_drop_button (self->period_drop);
  name_drop_button (self->range_drop);
  name_drop_button (self->unit_drop);
  if (self->building)
    return;
  self->building = TRUE;
  if (personnel)
    gtk_drop_down_set_selected (self->period_drop, 0);
  show_dates (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->period_drop), !personnel);
  self->building = FALSE;
  kuu_desk_results_page_refresh (self);
}

static void
kuu_desk_results_page_dispose (GObject *object)
{
  GtkWidget *child;
  KuuDeskResultsPage *self = KUU_DESK_RESULTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->export_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), KUU_TYPE_DESK_RESULTS_PAGE);
  /* The template's root is not bound: unparented here, with what it holds. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->export_cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->strategy);
  g_clear_pointer (&self->staff, kuu_desk_staff_free);
  g_clear_pointer (&self->query, g_free);

  G_OBJECT_CLASS (kuu_desk_results_page_parent_class)->dispose (object);
}

static void
kuu_desk_results_page_class_init (KuuDeskResultsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kuu_desk_results_page_dispose;

  /* The server no longer takes the sign-in; the argument says why. */
  signals[SIGNED_OUT] = g_signal_new ("signed-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/desk/kuu-desk-results-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, KuuDeskResultsPage, banner_label);
  gtk_widget_class_bind_template_child (widget_class, KuuDeskResultsPage, audience_drop);
  gtk_widget_class_bind_template_child (widget_class, KuuDeskResultsPage, period_drop);
  gtk_widget_class_bind_template_child (widget_class, KuuDeskResultsPage, range_drop);
  gtk_widget_class_bind_template_child (widget_class, KuuDeskResultsPage, unit_drop);
  gtk_widget_class_bind_template_child (widget_class, KuuDeskResultsPage, dates_box);
  gtk_widget_class_bind_template_child (widget_class, KuuDeskResultsPage, since_entry);
  gtk_widget_class_bind_template_child (widget_class, KuuDeskResultsPage, until_entry);
  gtk_widget_class_bind_template_child (widget_class, KuuDeskResultsPage, units);
  gtk_widget_class_bind_template_child (widget_class, KuuDeskResultsPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, KuuDeskResultsPage, figures_box);
  gtk_widget_class_bind_template_child (widget_class, KuuDeskResultsPage, separator_drop);
  gtk_widget_class_bind_template_child (widget_class, KuuDeskResultsPage, contacts_check);
  gtk_widget_class_install_action (widget_class, "results.refresh", NULL, refresh_activated);
  gtk_widget_class_install_action (widget_class, "results.export", NULL, export_activated);
}

static void
kuu_desk_results_page_init (KuuDeskResultsPage *self)
{
  GtkDropDown *drops[4];

  gtk_widget_init_template (GTK_WIDGET (self));
  drops[0] = self->audience_drop;
  drops[1] = self->period_drop;
  drops[2] = self->range_drop;
  drops[3] = self->unit_drop;
  for (guint i = 0; i < G_N_ELEMENTS (drops); i++)
    g_signal_connect_swapped (drops[i], "notify::selected", G_CALLBACK (on_filter_changed_cb), self);
  g_signal_connect_swapped (self->since_entry, "activate", G_CALLBACK (kuu_desk_results_page_refresh), self);
  g_signal_connect_swapped (self->until_entry, "activate", G_CALLBACK (kuu_desk_results_page_refresh), self);
  for (guint i = 0; i < G_N_ELEMENTS (drops); i++)
    name_drop_button (drops[i]);
  name_drop_button (self->separator_drop);
  g_signal_connect (self->separator_drop, "notify::selected", G_CALLBACK (name_drop_button), NULL);
  if (!kuu_language_from_locale (&self->language))
    self->language = KUU_LANGUAGE_EN;
}

GtkWidget *
kuu_desk_results_page_new (KuuDeskClient      *client,
                           const KuuDeskStaff *staff,
                           KuuStrategy        *strategy)
{
  KuuDeskResultsPage *self;

  g_return_val_if_fail (KUU_IS_DESK_CLIENT (client), NULL);
  g_return_val_if_fail (staff != NULL, NULL);

  self = g_object_new (KUU_TYPE_DESK_RESULTS_PAGE, NULL);
  self->client = g_object_ref (client);
  self->staff = kuu_desk_staff_copy (staff);
  g_set_object (&self->strategy, strategy);
  /* Contact details are for admins, and the server checks it again. */
  gtk_widget_set_visible (GTK_WIDGET (self->contacts_check), g_strcmp0 (staff->role, "admin") == 0);
  return GTK_WIDGET (self);
}

/* Asks the server for the filters' figures; the figures shown stay,
 * dimmed, until the new ones arrive. */
void
kuu_desk_results_page_refresh (KuuDeskResultsPage *self)
{
  g_autofree char *since = NULL;
  g_autofree char *until = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (KUU_IS_DESK_RESULTS_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (!resolve_range (self))
    {
      say (self, _("Give the dates as 1.12.2026 or 2026-12-01, the first not after the last."));
      return;
    }
  g_free (self->query);
  self->query = build_query (self);
  since = format_date (self, &self->since);
  until = format_date (self, &self->until);
  text = g_strdup_printf (_("Fetching the figures for %s–%s…"), since, until);
  say (self, text);
  gtk_widget_add_css_class (GTK_WIDGET (self->figures_box), "dim-label");
  kuu_desk_client_get_json_async (self->client, self->query, self->cancellable, on_results_cb, self);
}
