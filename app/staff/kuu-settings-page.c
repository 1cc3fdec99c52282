/* kuu-settings-page.c
 *
 * Device settings, for staff: one tab of staff mode (KuuStaffPage). Each
 * change is written to GSettings, where the next start reads it, and
 * applied now where that is safe: the idle times and the unit at once;
 * the audience, languages and goals from the next visit (the start page
 * is built anew for each); another region once its file has been read
 * and checked, from the next start page — a failed one keeps the region
 * in use and says why.
 *
 * Enrolment goes through the device session (kuu_device_session_enrol_async),
 * the same code as --enrol at start.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "kuu-settings-page.h"
#include "kuu-strategy-loader.h"

struct _KuuSettingsPage
{
  GtkWidget     parent_instance;

  KuuContext   *context;
  GSettings    *settings;      /* NULL: nothing outlives the run */
  GCancellable *cancellable;
  GPtrArray    *regions;       /* of KuuStrategy, in the region row's order */
  GPtrArray    *language_checks;
  GPtrArray    *goal_rows;     /* AdwActionRow, each with its check */
  gboolean      updating;      /* set by code, not by staff: no reaction */
  gboolean      enrolling;

  GtkWidget    *preferences;
  AdwComboRow  *region_row;
  AdwEntryRow  *region_file_row;
  GtkLabel     *region_message;
  AdwEntryRow  *unit_row;
  AdwComboRow  *audience_row;
  GtkSpinButton *idle_spin;
  GtkSpinButton *countdown_spin;
  AdwPreferencesGroup *idle_group;
  AdwPreferencesGroup *languages_group;
  GtkLabel     *languages_message;
  AdwPreferencesGroup *goals_group;
  GtkLabel     *goals_message;
  AdwEntryRow  *server_row;
  AdwEntryRow  *code_row;
  GtkLabel     *server_message;
};

G_DEFINE_FINAL_TYPE (KuuSettingsPage, kuu_settings_page, GTK_TYPE_WIDGET)

/* --- helpers -------------------------------------------------------------- */

/* The strategy residents will see next: a region chosen but not yet in
 * use counts. */
static KuuStrategy *
coming_strategy (KuuSettingsPage *self)
{
  KuuStrategy *next = kuu_context_get_next_strategy (self->context);

  return next != NULL ? next : kuu_context_get_strategy (self->context);
}

static const char *
strategy_name (KuuSettingsPage *self,
               KuuStrategy     *strategy)
{
  return kuu_context_text (self->context, kuu_strategy_get_name (strategy));
}

static void
show_message (GtkLabel   *label,
              const char *text,
              gboolean    error)
{
  gtk_label_set_text (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
}

/* The ids of the ticked checks, or %NULL when every one is ticked (the
 * settings' "all", so that what the region adds later shows too). */
static GStrv
ticked_ids (GPtrArray *checks,
            guint     *out_ticked)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint ticked = 0;

  for (guint i = 0; i < checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (checks, i);

      if (gtk_check_button_get_active (check))
        {
          g_strv_builder_add (builder, g_object_get_data (G_OBJECT (check), "kuu-id"));
          ticked++;
        }
    }
  *out_ticked = ticked;
  if (ticked == checks->len)
    return g_new0 (char *, 1);
  return g_strv_builder_end (builder);
}

static GtkCheckButton *
add_check_row (AdwPreferencesGroup *group,
               const char          *id,
               const char          *title,
               const char          *subtitle,
               gboolean             active,
               GtkWidget          **out_row)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), active);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  /* Its name is the row's title: the row labels its activatable widget. */
  g_object_set_data_full (G_OBJECT (check), "kuu-id", g_strdup (id), g_free);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  adw_preferences_group_add (group, row);
  if (out_row != NULL)
    *out_row = row;

  return GTK_CHECK_BUTTON (check);
}

/* --- languages and goals -------------------------------------------------- */

/* Staff ticked or unticked one: at least one has to stay, or residents
 * would have nothing to choose. */
static void
on_check_toggled (KuuSettingsPage *self,
                  GtkCheckButton  *check,
                  GPtrArray       *checks,
                  const char      *setting,
                  GtkLabel        *message,
                  const char      *refusal)
{
  g_auto(GStrv) ids = NULL;
  guint ticked;

  if (self->updating)
    return;

  ids = ticked_ids (checks, &ticked);
  if (ticked == 0)
    {
      self->updating = TRUE;
      gtk_check_button_set_active (check, TRUE);
      self->updating = FALSE;
      show_message (message, refusal, TRUE);
      return;
    }

  show_message (message, NULL, FALSE);
  if (self->settings != NULL)
    g_settings_set_strv (self->settings, setting, (const char * const *)ids);
}

static void
on_language_toggled_cb (GtkCheckButton  *check,
                        KuuSettingsPage *self)
{
  on_check_toggled (self, check, self->language_checks, "languages", self->languages_message,
                    _("At least one language must be offered: tick another one first."));
}

static void
fill_languages (KuuSettingsPage *self)
{
  for (KuuLanguage language = 0; language < KUU_N_LANGUAGES; language++)
    {
      GtkCheckButton *check = add_check_row (self->languages_group, kuu_language_to_code (language),
                                             kuu_language_get_native_name (language), NULL,
                                             kuu_context_offers_language (self->context, language), NULL);

      g_ptr_array_add (self->language_checks, check);
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_language_toggled_cb), self, 0);
    }
}

static GPtrArray *
goal_checks (KuuSettingsPage *self)
{
  GPtrArray *checks = g_ptr_array_new ();

  for (guint i = 0; i < self->goal_rows->len; i++)
    g_ptr_array_add (checks, adw_action_row_get_activatable_widget (g_ptr_array_index (self->goal_rows, i)));
  return checks;
}

static void
on_goal_check_toggled_cb (GtkCheckButton  *check,
                          KuuSettingsPage *self)
{
  g_autoptr(GPtrArray) checks = goal_checks (self);

  on_check_toggled (self, check, checks, "goals", self->goals_message,
                    _("At least one goal must be shown: tick another one first."));
}

/* The goals of the strategy residents will see next. */
static void
fill_goals (KuuSettingsPage *self)
{
  GListModel *goals = kuu_strategy_get_goals (coming_strategy (self));
  guint n = g_list_model_get_n_items (goals);
  gboolean any_shown = FALSE;

  for (guint i = 0; i < self->goal_rows->len; i++)
    adw_preferences_group_remove (self->goals_group, g_ptr_array_index (self->goal_rows, i));
  g_ptr_array_set_size (self->goal_rows, 0);

  /* A choice naming none of these goals (another region's) shows them all:
   * the recommend page does the same. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KuuTopic) goal = g_list_model_get_item (goals, i);

      any_shown |= kuu_context_shows_goal (self->context, kuu_topic_get_id (goal));
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KuuTopic) goal = g_list_model_get_item (goals, i);
      GtkWidget *row;
      GtkCheckButton *check;

      check = add_check_row (self->goals_group, kuu_topic_get_id (goal),
                             kuu_context_text (self->context, kuu_topic_get_title (goal)),
                             kuu_context_text (self->context, kuu_topic_get_summary (goal)),
                             !any_shown || kuu_context_shows_goal (self->context, kuu_topic_get_id (goal)),
                             &row);
      g_ptr_array_add (self->goal_rows, row);
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_goal_check_toggled_cb), self, 0);
    }
}

/* --- region --------------------------------------------------------------- */

static void
select_coming_region (KuuSettingsPage *self)
{
  const char *id = kuu_strategy_get_id (coming_strategy (self));

  for (guint i = 0; i < self->regions->len; i++)
    if (g_str_equal (kuu_strategy_get_id (g_ptr_array_index (self->regions, i)), id))
      {
        self->updating = TRUE;
        adw_combo_row_set_selected (self->region_row, i);
        self->updating = FALSE;
        return;
      }
}

/* Where the strategy comes from, in staff's words, under the region's
 * name: the path of a file is no answer to “which region is this?”. */
static void
show_region_origin (KuuSettingsPage *self)
{
  KuuStrategy *strategy = coming_strategy (self);
  KuuDevice *device = kuu_device_session_get_device (kuu_context_get_session (self->context));
  const char *enrolled_for = device ? kuu_device_get_region (device) : NULL;
  g_autofree char *setting = self->settings ? g_settings_get_string (self->settings, "region") : NULL;
  g_autofree char *text = NULL;

  if (setting != NULL && strchr (setting, G_DIR_SEPARATOR) != NULL)
    {
      g_autofree char *name = g_path_get_basename (setting);

      /* Translators: %s is a file's name, such as kainuu-2027.json */
      text = g_strdup_printf (_("From a file IT gave (%s)"), name);
    }
  else if (g_strcmp0 (enrolled_for, kuu_strategy_get_id (strategy)) == 0)
    text = g_strdup (_("The region’s own strategy, kept up to date by the region’s server"));
  else
    text = g_strdup (_("Built into Kuulolla; the region’s server keeps it up to date once the device is enrolled"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->region_row), text);
}

static void
fill_regions (KuuSettingsPage *self,
              GPtrArray       *strategies)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  const char *coming = kuu_strategy_get_id (coming_strategy (self));
  gboolean listed = FALSE;

  g_ptr_array_set_size (self->regions, 0);
  for (guint i = 0; i < strategies->len; i++)
    {
      KuuStrategy *strategy = g_ptr_array_index (strategies, i);

      listed |= g_str_equal (kuu_strategy_get_id (strategy), coming);
      g_ptr_array_add (self->regions, g_object_ref (strategy));
    }
  /* One from a file or from the server stays choosable too. */
  if (!listed)
    g_ptr_array_insert (self->regions, 0, g_object_ref (coming_strategy (self)));

  for (guint i = 0; i < self->regions->len; i++)
    gtk_string_list_append (names, strategy_name (self, g_ptr_array_index (self->regions, i)));

  self->updating = TRUE;
  adw_combo_row_set_model (self->region_row, G_LIST_MODEL (names));
  self->updating = FALSE;
  select_coming_region (self);
  show_region_origin (self);
}

static void
load_bundled_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  g_auto(GStrv) ids = kuu_strategy_list_bundled ();
  GPtrArray *strategies = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      KuuStrategy *strategy = kuu_strategy_load_region (ids[i], &error);

      if (strategy != NULL)
        g_ptr_array_add (strategies, strategy);
      else
        g_warning ("The bundled region %s could not be read: %s", ids[i], error->message);
    }
  g_task_return_pointer (task, strategies, (GDestroyNotify)g_ptr_array_unref);
}

/* The task does not hold the page: closed before the names came, it is
 * gone, and its cancellable says so. */
static void
on_bundled_loaded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GPtrArray) strategies = g_task_propagate_pointer (G_TASK (result), NULL);

  if (strategies != NULL && !g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    fill_regions (KUU_SETTINGS_PAGE (user_data), strategies);
}

static void
load_region_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GError *error = NULL;
  KuuStrategy *strategy = kuu_strategy_load_region (task_data, &error);

  if (strategy != NULL)
    g_task_return_pointer (task, strategy, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
on_region_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  KuuSettingsPage *self = KUU_SETTINGS_PAGE (object);
  const char *id_or_path = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStrategy) strategy = g_task_propagate_pointer (G_TASK (result), &error);
  KuuDevice *device = kuu_device_session_get_device (kuu_context_get_session (self->context));
  const char *enrolled_for = device ? kuu_device_get_region (device) : NULL;
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (strategy == NULL)
    {
      /* TRANSLATORS: %1$s: what staff chose (a region or a file), %2$s: the
       * region in use, %3$s: why */
      message = g_strdup_printf (_("“%1$s” cannot be used, so %2$s stays in use: %3$s"),
                                 id_or_path, strategy_name (self, coming_strategy (self)), error->message);
      show_message (self->region_message, message, TRUE);
      select_coming_region (self);
      return;
    }

  if (self->settings != NULL)
    {
      g_settings_set_string (self->settings, "region", id_or_path);
      /* Goal ids belong to one strategy: the new region starts with all. */
      g_settings_reset (self->settings, "goals");
    }
  kuu_context_change_region (self->context, strategy);

  message = g_strdup_printf (_("%s is used from the next start page on."), strategy_name (self, strategy));
  if (enrolled_for != NULL && !g_str_equal (enrolled_for, kuu_strategy_get_id (strategy)))
    {
      g_autofree char *first = g_steal_pointer (&message);

      /* TRANSLATORS: %s: a region's id */
      message = g_strdup_printf (_("%s The device is enrolled for the region %s: enrol it again with a "
                                   "code for the new region, or its answers will not be sent."),
                                 first, enrolled_for);
    }
  show_message (self->region_message, message, FALSE);
  show_region_origin (self);

  /* A region read from a file joins the list. */
  {
    g_autoptr(GPtrArray) strategies = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < self->regions->len; i++)
      g_ptr_array_add (strategies, g_object_ref (g_ptr_array_index (self->regions, i)));
    fill_regions (self, strategies);
  }
  fill_goals (self);
}

/* Read and checked in a worker thread; only a strategy that loads is
 * written to the settings. */
static void
change_region (KuuSettingsPage *self,
               const char      *id_or_path)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_region_loaded_cb, NULL);

  g_task_set_source_tag (task, change_region);
  g_task_set_task_data (task, g_strdup (id_or_path), g_free);
  show_message (self->region_message, _("Reading the region…"), FALSE);
  g_task_run_in_thread (task, load_region_thread);
}

static void
on_region_selected_cb (KuuSettingsPage *self)
{
  guint selected = adw_combo_row_get_selected (self->region_row);
  KuuStrategy *strategy;

  if (self->updating || selected >= self->regions->len)
    return;

  strategy = g_ptr_array_index (self->regions, selected);
  if (strategy == coming_strategy (self))
    return;
  change_region (self, kuu_strategy_get_id (strategy));
}

static void
on_region_file_applied_cb (KuuSettingsPage *self)
{
  g_autofree char *path = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->region_file_row))));

  if (path[0] == '\0')
    {
      show_message (self->region_message, _("Type the path of a region file first."), TRUE);
      return;
    }
  change_region (self, path);
}

/* --- unit, audience, idle times ------------------------------------------- */

static void
on_unit_applied_cb (KuuSettingsPage *self)
{
  g_autofree char *unit = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->unit_row))));

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "unit", unit);
  /* Empty: the device's own name keeps its answers apart, as at start. */
  if (unit[0] == '\0')
    {
      kuu_context_set_unit (self->context, g_get_host_name ());
      self->updating = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->unit_row), g_get_host_name ());
      self->updating = FALSE;
    }
  else
    kuu_context_set_unit (self->context, unit);
}

static void
on_audience_selected_cb (KuuSettingsPage *self)
{
  if (self->updating || self->settings == NULL)
    return;

  g_settings_set_string (self->settings, "audience",
                         adw_combo_row_get_selected (self->audience_row) == 1 ? "personnel" : "residents");
}

static void
on_idle_changed_cb (KuuSettingsPage *self)
{
  guint idle = (guint)gtk_spin_button_get_value_as_int (self->idle_spin);
  guint countdown = (guint)gtk_spin_button_get_value_as_int (self->countdown_spin);

  if (self->updating)
    return;

  if (self->settings != NULL)
    {
      g_settings_set_uint (self->settings, "idle-seconds", idle);
      g_settings_set_uint (self->settings, "countdown-seconds", countdown);
    }
  kuu_context_set_idle_times (self->context, idle, countdown);
}

/* --- server and enrolment ------------------------------------------------- */

/* Only http and https, as on the command line: a typing mistake is named
 * now, not found later as a sync error. */
static char *
server_url_or_complain (KuuSettingsPage *self)
{
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_row))));
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;
  g_autofree char *message = NULL;

  if (uri != NULL && g_uri_get_host (uri) != NULL && g_uri_get_host (uri)[0] != '\0' &&
      (g_strcmp0 (scheme, "https") == 0 || g_strcmp0 (scheme, "http") == 0))
    return g_steal_pointer (&url);

  message = g_strdup_printf (_("“%s” is not a server address: give one like https://kuulolla.example.fi"), url);
  show_message (self->server_message, message, TRUE);
  return NULL;
}

static void
on_server_applied_cb (KuuSettingsPage *self)
{
  g_autofree char *url = server_url_or_complain (self);

  if (url == NULL)
    return;
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "server-url", url);
  kuu_device_session_set_server_url (kuu_context_get_session (self->context), url);
  show_message (self->server_message,
                _("Saved. Enrol the device with this server to send its answers there."), FALSE);
}

static void
update_actions (KuuSettingsPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "settings.enrol", !self->enrolling);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "settings.sync-now",
                                 kuu_device_session_get_sync (kuu_context_get_session (self->context)) != NULL);
}

static void
on_enrolled_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KuuSettingsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  KuuDevice *device;
  g_autofree char *message = NULL;

  if (!kuu_device_session_enrol_finish (KUU_DEVICE_SESSION (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->enrolling = FALSE;
  update_actions (self);
  if (error != NULL)
    {
      message = g_strdup_printf (_("The device was not enrolled: %s"), error->message);
      show_message (self->server_message, message, TRUE);
      return;
    }

  device = kuu_device_session_get_device (kuu_context_get_session (self->context));
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "server-url", kuu_device_get_server_url (device));
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  /* TRANSLATORS: %1$s: the server's address, %2$s: the device's id there */
  message = g_strdup_printf (_("Enrolled with %1$s as device %2$s. Answers are sent there from now on. "
                               "The staff PIN was cleared: set a new one."),
                             kuu_device_get_server_url (device),
                             kuu_device_get_device_id (device) ? kuu_device_get_device_id (device) : "—");
  show_message (self->server_message, message, FALSE);
}

static void
on_enrol_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KuuSettingsPage *self = KUU_SETTINGS_PAGE (widget);
  g_autofree char *url = server_url_or_complain (self);
  g_autofree char *code = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->code_row))));
  g_autofree char *message = NULL;

  if (url == NULL)
    return;
  if (code[0] == '\0')
    {
      show_message (self->server_message,
                    _("The enrolment code is empty: give the code the server’s administrator made."), TRUE);
      return;
    }

  self->enrolling = TRUE;
  update_actions (self);
  message = g_strdup_printf (_("Enrolling with %s…"), url);
  show_message (self->server_message, message, FALSE);
  kuu_device_session_enrol_async (kuu_context_get_session (self->context), url, code,
                                  kuu_context_get_unit (self->context),
                                  kuu_strategy_get_id (kuu_context_get_strategy (self->context)),
                                  self->cancellable, on_enrolled_cb, g_object_ref (self));
}

static void
on_sync_now_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  KuuSettingsPage *self = KUU_SETTINGS_PAGE (widget);
  KuuSync *sync = kuu_device_session_get_sync (kuu_context_get_session (self->context));

  if (sync == NULL)
    return;
  kuu_sync_now (sync);
  kuu_sync_pull_now (sync);
  show_message (self->server_message, _("Sending and fetching now; Device status shows how it goes."), FALSE);
}

/* --- building ------------------------------------------------------------- */

/* The command line may have set fewer seconds than the settings allow (a
 * test's 3): shown as they are, not clamped — a clamp would change them. */
static void
show_seconds (GtkSpinButton *spin,
              guint          seconds)
{
  GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (spin);

  if (seconds < gtk_adjustment_get_lower (adjustment))
    gtk_adjustment_set_lower (adjustment, seconds);
  gtk_spin_button_set_value (spin, seconds);
}

static void
fill_values (KuuSettingsPage *self)
{
  const char *server = kuu_device_session_get_server_url (kuu_context_get_session (self->context));

  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->unit_row), kuu_context_get_unit (self->context));
  adw_combo_row_set_selected (self->audience_row,
                              kuu_context_get_audience (self->context) == KUU_AUDIENCE_PERSONNEL ? 1 : 0);
  show_seconds (self->idle_spin, kuu_context_get_idle_seconds (self->context));
  show_seconds (self->countdown_spin, kuu_context_get_countdown_seconds (self->context));
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server ? server : "");
  self->updating = FALSE;
}

/* Its many rows exist for a screen reader only while the tab shows: a
 * hidden tab's rows slowed every walk of the window. */
static void
kuu_settings_page_map (GtkWidget *widget)
{
  gtk_widget_set_visible (KUU_SETTINGS_PAGE (widget)->preferences, TRUE);
  GTK_WIDGET_CLASS (kuu_settings_page_parent_class)->map (widget);
}

static void
kuu_settings_page_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (kuu_settings_page_parent_class)->unmap (widget);
  gtk_widget_set_visible (KUU_SETTINGS_PAGE (widget)->preferences, FALSE);
}

static void
kuu_settings_page_dispose (GObject *object)
{
  KuuSettingsPage *self = (KuuSettingsPage *)object;

  /* Rows going away may notify: that is nobody's choice. */
  self->updating = TRUE;
  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), KUU_TYPE_SETTINGS_PAGE);
  g_clear_pointer (&self->regions, g_ptr_array_unref);
  g_clear_pointer (&self->language_checks, g_ptr_array_unref);
  g_clear_pointer (&self->goal_rows, g_ptr_array_unref);
  g_clear_object (&self->settings);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (kuu_settings_page_parent_class)->dispose (object);
}

static void
kuu_settings_page_class_init (KuuSettingsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kuu_settings_page_dispose;
  widget_class->map = kuu_settings_page_map;
  widget_class->unmap = kuu_settings_page_unmap;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/staff/kuu-settings-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KuuSettingsPage, preferences);
  gtk_widget_class_bind_template_child (widget_class, KuuSettingsPage, region_row);
  gtk_widget_class_bind_template_child (widget_class, KuuSettingsPage, region_file_row);
  gtk_widget_class_bind_template_child (widget_class, KuuSettingsPage, region_message);
  gtk_widget_class_bind_template_child (widget_class, KuuSettingsPage, unit_row);
  gtk_widget_class_bind_template_child (widget_class, KuuSettingsPage, audience_row);
  gtk_widget_class_bind_template_child (widget_class, KuuSettingsPage, idle_spin);
  gtk_widget_class_bind_template_child (widget_class, KuuSettingsPage, countdown_spin);
  gtk_widget_class_bind_template_child (widget_class, KuuSettingsPage, idle_group);
  gtk_widget_class_bind_template_child (widget_class, KuuSettingsPage, languages_group);
  gtk_widget_class_bind_template_child (widget_class, KuuSettingsPage, languages_message);
  gtk_widget_class_bind_template_child (widget_class, KuuSettingsPage, goals_group);
  gtk_widget_class_bind_template_child (widget_class, KuuSettingsPage, goals_message);
  gtk_widget_class_bind_template_child (widget_class, KuuSettingsPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, KuuSettingsPage, code_row);
  gtk_widget_class_bind_template_child (widget_class, KuuSettingsPage, server_message);
  gtk_widget_class_bind_template_callback (widget_class, on_region_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_region_file_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_unit_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_audience_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_idle_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_server_applied_cb);
  gtk_widget_class_install_action (widget_class, "settings.enrol", NULL, on_enrol_cb);
  gtk_widget_class_install_action (widget_class, "settings.sync-now", NULL, on_sync_now_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "settingspage");
}

static void
kuu_settings_page_init (KuuSettingsPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->regions = g_ptr_array_new_with_free_func (g_object_unref);
  self->language_checks = g_ptr_array_new ();
  self->goal_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (self->preferences, FALSE);
}

GtkWidget *
kuu_settings_page_new (KuuContext *context)
{
  KuuSettingsPage *self;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) current = g_ptr_array_new ();

  g_return_val_if_fail (KUU_IS_CONTEXT (context), NULL);

  self = g_object_new (KUU_TYPE_SETTINGS_PAGE, NULL);
  self->context = g_object_ref (context);
  g_set_object (&self->settings, kuu_context_get_settings (context));

  /* Without settings, the choices only the settings carry mean nothing. */
  if (self->settings == NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->languages_group), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->goals_group), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->audience_row), FALSE);
    }

  /* The idle reset runs at a kiosk only: on a desktop the pages stay. */
  if (!kuu_context_get_kiosk (context))
    adw_preferences_group_set_description (self->idle_group,
                                           _("Used when this device runs as a kiosk, full screen. "
                                             "In a window on a desktop the pages stay as they are."));

  fill_values (self);
  fill_regions (self, current);
  fill_languages (self);
  fill_goals (self);
  update_actions (self);
  g_signal_connect_object (kuu_context_get_session (context), "notify::sync", G_CALLBACK (update_actions),
                           self, G_CONNECT_SWAPPED);

  /* The other regions' names, read in a worker thread. */
  task = g_task_new (NULL, self->cancellable, on_bundled_loaded_cb, self);
  g_task_set_source_tag (task, kuu_settings_page_new);
  g_task_run_in_thread (task, load_bundled_thread);

  return GTK_WIDGET (self);
}
