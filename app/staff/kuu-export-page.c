/* kuu-export-page.c
 *
 * For staff: the answers of a period as a CSV file (kuu-export.h has the
 * format). One tab of staff mode (KuuStaffPage).
 *
 * - The period is this month (the default), last month, or two days
 *   picked from calendars, both included. Days are local days.
 * - One file holds one audience, residents or personnel, as kuu-export
 *   does; every kind of answer is in it, with a column that tells which.
 * - Contact details are left out unless the switch is turned on AND the
 *   staff member confirms a dialog saying what the file then holds. The
 *   switch uses GtkSwitch's delayed state: "active" follows the finger,
 *   "state" (what the export reads) only the confirmation.
 * - Semicolons between the columns by default: Excel with Finnish or
 *   Swedish regional settings shows a comma-separated file in one column
 *   when it is double-clicked. Commas are one choice away.
 * - The file is written in a worker thread (kuu_export_csv_to_file_async):
 *   a large period or a slow USB stick never freezes the window.
 *
 * Where the file goes:
 * - On a desktop, GtkFileChooserNative: the desktop's own dialog, and
 *   through the file chooser portal inside Flatpak.
 * - At a kiosk (--kiosk) there is no file dialog at all: a file dialog
 *   browses, opens and overwrites the kiosk user's files (the answers
 *   database among them) and under cage nothing else should be reachable.
 *   Instead the page writes to the first USB stick mounted under /media or
 *   /run/media, in its top folder, under the suggested name (replacing an
 *   earlier export of the same period). Without a stick the button says to
 *   insert one. See docs/deployment.md, "Exporting answers".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "kuu-export.h"
#include "kuu-export-page.h"
#include "kuu-i18n.h"
#include "kuu-privacy.h"

typedef enum
{
  PERIOD_THIS_MONTH,
  PERIOD_LAST_MONTH,
  PERIOD_OTHER,
} Period;

typedef enum
{
  SEPARATOR_SEMICOLON,  /* the default: most staff open the file in Excel with Finnish settings */
  SEPARATOR_COMMA,
} Separator;

struct _KuuExportPage
{
  GtkWidget             parent_instance;

  KuuContext           *context;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  AdwMessageDialog     *confirm_dialog;
  GVolumeMonitor       *volumes;     /* at a kiosk only */
  GFile                *exporting;   /* while a file is being written */
  gboolean              exporting_contacts;
  GDate                 preset_first;  /* the days of the last preset chosen */
  GDate                 preset_last;
  gboolean              setting_days;

  GtkWidget            *box;
  GtkLabel             *hint_label;
  AdwComboRow          *period_row;
  AdwActionRow         *from_row;
  GtkMenuButton        *from_button;
  GtkCalendar          *from_calendar;
  AdwActionRow         *to_row;
  GtkMenuButton        *to_button;
  GtkCalendar          *to_calendar;
  AdwComboRow          *audience_row;
  AdwComboRow          *separator_row;
  GtkSwitch            *contacts_switch;
  GtkButton            *export_button;
  GtkSpinner           *spinner;
  GtkLabel             *result_label;
};

G_DEFINE_FINAL_TYPE (KuuExportPage, kuu_export_page, GTK_TYPE_WIDGET)

/* --- the choices -------------------------------------------------------- */

static void
date_from_calendar (GtkCalendar *calendar,
                    GDate       *date)
{
  g_autoptr(GDateTime) time = gtk_calendar_get_date (calendar);

  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (time),
                  g_date_time_get_month (time), g_date_time_get_year (time));
}

/* The first day of the period and the last one, both included. */
static void
get_days (KuuExportPage *self,
          GDate         *first,
          GDate         *last)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_date_clear (first, 1);
  g_date_clear (last, 1);
  switch ((Period)adw_combo_row_get_selected (self->period_row))
    {
    case PERIOD_OTHER:
      date_from_calendar (self->from_calendar, first);
      date_from_calendar (self->to_calendar, last);
      return;
    case PERIOD_LAST_MONTH:
      g_date_set_dmy (first, 1, g_date_time_get_month (now), g_date_time_get_year (now));
      g_date_subtract_months (first, 1);
      break;
    case PERIOD_THIS_MONTH:
    default:
      g_date_set_dmy (first, 1, g_date_time_get_month (now), g_date_time_get_year (now));
      break;
    }
  *last = *first;
  g_date_add_months (last, 1);
  g_date_subtract_days (last, 1);
}

static gboolean
period_is_valid (KuuExportPage *self)
{
  GDate first, last;

  get_days (self, &first, &last);
  return g_date_compare (&first, &last) <= 0;
}

static KuuAudience
chosen_audience (KuuExportPage *self)
{
  return adw_combo_row_get_selected (self->audience_row) == 1
         ? KUU_AUDIENCE_PERSONNEL : KUU_AUDIENCE_RESIDENTS;
}

/* Only the confirmed state counts, never the switch's position alone. */
static gboolean
contacts_confirmed (KuuExportPage *self)
{
  return gtk_switch_get_state (self->contacts_switch);
}

/* kuulolla-<region>[-personnel]-2026-11.csv for a month preset, else
 * kuulolla-<region>[-personnel]-2026-11-03--2026-11-20.csv. Machine words,
 * not translated, like the CSV's header. */
char *
kuu_export_page_suggest_name (KuuExportPage *self)
{
  KuuStrategy *strategy;
  GString *name = g_string_new ("kuulolla");
  GDate first, last;

  g_return_val_if_fail (KUU_IS_EXPORT_PAGE (self), NULL);

  strategy = kuu_context_get_strategy (self->context);
  if (strategy != NULL && kuu_strategy_get_id (strategy) != NULL)
    g_string_append_printf (name, "-%s", kuu_strategy_get_id (strategy));
  if (chosen_audience (self) == KUU_AUDIENCE_PERSONNEL)
    g_string_append (name, "-personnel");

  get_days (self, &first, &last);
  if (adw_combo_row_get_selected (self->period_row) != PERIOD_OTHER)
    g_string_append_printf (name, "-%04u-%02u", (guint)g_date_get_year (&first),
                            (guint)g_date_get_month (&first));
  else
    g_string_append_printf (name, "-%04u-%02u-%02u--%04u-%02u-%02u",
                            (guint)g_date_get_year (&first), (guint)g_date_get_month (&first),
                            (guint)g_date_get_day (&first), (guint)g_date_get_year (&last),
                            (guint)g_date_get_month (&last), (guint)g_date_get_day (&last));
  g_string_append (name, ".csv");
  return g_string_free (name, FALSE);
}

/* --- showing ------------------------------------------------------------ */

static char *
format_date (const GDate *date)
{
  g_autoptr(GDateTime) time = g_date_time_new_local (g_date_get_year (date), g_date_get_month (date),
                                                     g_date_get_day (date), 12, 0, 0);

  return kuu_i18n_format_date_time (time, KUU_I18N_DAY);
}

static char *
format_day (GtkCalendar *calendar)
{
  GDate date;

  date_from_calendar (calendar, &date);
  return format_date (&date);
}

/* The days a preset stands for, so that "Last month" needs no thinking. */
static char *
period_text (KuuExportPage *self)
{
  GDate first, last;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  get_days (self, &first, &last);
  from = format_date (&first);
  to = format_date (&last);
  /* TRANSLATORS: a period from the first day to the last, both included */
  return g_strdup_printf (_("%s – %s"), from, to);
}

static void
show_result (KuuExportPage *self,
             const char    *text,
             gboolean       error)
{
  gtk_label_set_text (self->result_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->result_label), text != NULL);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->result_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->result_label), "error");
}

/* The first USB stick: a mount under udisks' places (/media/<user>/…,
 * /run/media/<user>/…), or one that says it can be ejected. */
static GMount *
find_removable_mount (KuuExportPage *self)
{
  GList *mounts;
  GMount *found = NULL;

  if (self->volumes == NULL)
    return NULL;

  mounts = g_volume_monitor_get_mounts (self->volumes);
  for (GList *l = mounts; l != NULL && found == NULL; l = l->next)
    {
      g_autoptr(GFile) root = g_mount_get_root (l->data);
      g_autofree char *path = g_file_get_path (root);

      if (g_mount_is_shadowed (l->data))
        continue;
      if (g_mount_can_eject (l->data) ||
          (path != NULL && (g_str_has_prefix (path, "/media/") || g_str_has_prefix (path, "/run/media/"))))
        found = g_object_ref (l->data);
    }
  g_list_free_full (mounts, g_object_unref);
  return found;
}

static void
update (KuuExportPage *self)
{
  gboolean other = adw_combo_row_get_selected (self->period_row) == PERIOD_OTHER;
  gboolean kiosk = kuu_context_get_kiosk (self->context);
  gboolean valid = period_is_valid (self);
  gboolean busy = self->exporting != NULL;
  g_autoptr(GMount) stick = NULL;
  g_autofree char *from = format_day (self->from_calendar);
  g_autofree char *to = format_day (self->to_calendar);
  g_autofree char *period = period_text (self);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->period_row), other ? NULL : period);
  gtk_widget_set_visible (GTK_WIDGET (self->from_row), other);
  gtk_widget_set_visible (GTK_WIDGET (self->to_row), other);
  gtk_menu_button_set_label (self->from_button, from);
  gtk_menu_button_set_label (self->to_button, to);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);

  if (!kiosk)
    {
      gtk_button_set_label (self->export_button, _("Export…"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->export_button),
                                   _("Choose where to save the file, then write it"));
    }
  else if ((stick = find_removable_mount (self)) != NULL)
    {
      g_autofree char *name = g_mount_get_name (stick);
      g_autofree char *label = NULL;

      /* TRANSLATORS: %s is the name of a USB stick */
      label = g_strdup_printf (_("Export to %s"), name);
      gtk_button_set_label (self->export_button, label);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->export_button),
                                   _("Write the file to the top folder of the USB stick"));
    }
  else
    {
      gtk_button_set_label (self->export_button, _("Insert a USB stick to export"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->export_button),
                                   _("At a kiosk the file can only be written to a USB stick"));
    }

  if (other && !valid)
    adw_action_row_set_subtitle (self->to_row, _("This day included. It must not be before the first day."));
  else
    adw_action_row_set_subtitle (self->to_row, _("This day included"));
  if (other && !valid)
    gtk_widget_add_css_class (GTK_WIDGET (self->to_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->to_row), "error");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.export",
                                 valid && !busy && (!kiosk || stick != NULL));
}

static void
on_choice_changed_cb (KuuExportPage *self)
{
  /* A result shown is about the choices it was made with. */
  if (self->exporting == NULL)
    show_result (self, NULL, FALSE);
  update (self);
}

static void
select_day (GtkCalendar *calendar,
            const GDate *date)
{
  g_autoptr(GDateTime) time = g_date_time_new_local (g_date_get_year (date), g_date_get_month (date),
                                                     g_date_get_day (date), 12, 0, 0);

  gtk_calendar_select_day (calendar, time);
}

/* "Other period" starts from the days of the preset chosen before it:
 * widening last month by a day is then two taps, not twenty. */
static void
on_period_changed_cb (KuuExportPage *self)
{
  if (adw_combo_row_get_selected (self->period_row) != PERIOD_OTHER)
    {
      get_days (self, &self->preset_first, &self->preset_last);
    }
  else if (g_date_valid (&self->preset_first))
    {
      self->setting_days = TRUE;
      select_day (self->from_calendar, &self->preset_first);
      select_day (self->to_calendar, &self->preset_last);
      self->setting_days = FALSE;
    }
  on_choice_changed_cb (self);
}

static void
on_day_selected_cb (GtkCalendar   *calendar,
                    KuuExportPage *self)
{
  if (self->setting_days)
    return;
  gtk_menu_button_popdown (calendar == self->from_calendar ? self->from_button : self->to_button);
  on_choice_changed_cb (self);
}

/* --- contacts ----------------------------------------------------------- */

static void
on_confirm_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        KuuExportPage    *self)
{
  self->confirm_dialog = NULL;
  if (g_strcmp0 (response, "include") == 0)
    gtk_switch_set_state (self->contacts_switch, TRUE);
  else
    gtk_switch_set_active (self->contacts_switch, FALSE);
  on_choice_changed_cb (self);
}

static gboolean
on_contacts_state_set_cb (GtkSwitch     *sw,
                          gboolean       state,
                          KuuExportPage *self)
{
  GtkRoot *root;
  GtkWidget *dialog;

  if (!state || gtk_switch_get_state (sw))
    {
      /* Turning it off needs no asking; the default handler does it. */
      if (!state)
        on_choice_changed_cb (self);
      return FALSE;
    }
  if (self->confirm_dialog != NULL)
    return TRUE;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Include contact details?"),
                                   _("The file will hold the names, e-mail addresses and telephone "
                                     "numbers that people gave so that they could be answered. They "
                                     "are personal data: keep the file only where data-protection rules "
                                     "allow, share it only with those who need it, and delete it when "
                                     "it is no longer needed."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "include", _("_Include Contact Details"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "include",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_response_cb), self, 0);
  self->confirm_dialog = ADW_MESSAGE_DIALOG (dialog);
  gtk_window_present (GTK_WINDOW (dialog));

  /* Handled: the state stays off until the answer comes. */
  return TRUE;
}

/* --- exporting ---------------------------------------------------------- */

static void
on_exported_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KuuExportPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_steal_pointer (&self->exporting);
  gboolean with_contacts = self->exporting_contacts;
  g_autofree char *where = NULL;
  g_autofree char *text = NULL;
  guint64 records = 0;
  gboolean ok = kuu_export_csv_finish (KUU_STORE (object), result, &records, &error);

  /* Staff mode closed meanwhile (the idle reset): nothing to show on. */
  if (self->context == NULL)
    return;
  if (!ok)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* TRANSLATORS: %s says what went wrong */
      text = g_strdup_printf (_("The answers could not be exported: %s"), error->message);
      show_result (self, text, TRUE);
      update (self);
      return;
    }

  where = g_file_get_parse_name (file);
  if (records == 0)
    /* TRANSLATORS: %s is the file's path */
    text = g_strdup_printf (_("No answers in this period. %s holds only the row of column names."), where);
  else
    {
      /* Grouped as the page's language groups thousands: 1 234 in Finnish. */
      g_autofree char *count = kuu_i18n_format_count (records);

      /* TRANSLATORS: the first %s is a number of answers (e.g. 1 234),
       * the second the file's path */
      text = g_strdup_printf (ngettext ("Exported %s answer to %s",
                                        "Exported %s answers to %s",
                                        (gulong)MIN (records, G_MAXULONG)),
                              count, where);
    }
  /* kuu-export leaves out the small units' personnel answers */
  if (chosen_audience (self) == KUU_AUDIENCE_PERSONNEL)
    {
      g_autofree char *plain = g_steal_pointer (&text);
      g_autofree char *rule = g_strdup_printf (ngettext ("The answers of a unit with fewer than %d personnel answer "
                                                         "in the period are left out, so that nobody can be recognised.",
                                                         "The answers of a unit with fewer than %d personnel answers "
                                                         "in the period are left out, so that nobody can be recognised.",
                                                         KUU_PRIVACY_MIN_PERSONNEL),
                                               KUU_PRIVACY_MIN_PERSONNEL);

      text = g_strconcat (plain, "\n", rule, NULL);
    }
  if (with_contacts)
    {
      g_autofree char *plain = g_steal_pointer (&text);

      text = g_strconcat (plain, "\n",
                          _("The file holds contact details: keep and share it as data-protection rules require."),
                          NULL);
    }
  show_result (self, text, FALSE);
  update (self);
}

/**
 * kuu_export_page_export_to:
 * @file: the file to write (replaced)
 *
 * Writes the chosen answers into @file in a worker thread and shows how
 * it went. The file dialog's answer and the USB stick both come here.
 */
void
kuu_export_page_export_to (KuuExportPage *self,
                           GFile         *file)
{
  KuuExportQuery query;
  GDate first, last;

  g_return_if_fail (KUU_IS_EXPORT_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->exporting != NULL || !period_is_valid (self))
    return;

  kuu_export_query_init (&query, chosen_audience (self));
  get_days (self, &first, &last);
  query.since = first;
  query.until = last;
  g_date_add_days (&query.until, 1);  /* the first day not included */
  if (contacts_confirmed (self))
    query.flags |= KUU_EXPORT_CONTACTS;
  if (adw_combo_row_get_selected (self->separator_row) == SEPARATOR_SEMICOLON)
    query.flags |= KUU_EXPORT_SEMICOLONS;

  self->exporting = g_object_ref (file);
  self->exporting_contacts = (query.flags & KUU_EXPORT_CONTACTS) != 0;
  show_result (self, _("Exporting…"), FALSE);
  update (self);
  kuu_export_csv_to_file_async (kuu_context_get_store (self->context), &query, file,
                                self->cancellable, on_exported_cb, g_object_ref (self));
}

gboolean
kuu_export_page_get_busy (KuuExportPage *self)
{
  g_return_val_if_fail (KUU_IS_EXPORT_PAGE (self), FALSE);

  return self->exporting != NULL;
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        KuuExportPage   *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file != NULL)
    kuu_export_page_export_to (self, file);
}

static void
on_export_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KuuExportPage *self = KUU_EXPORT_PAGE (widget);
  g_autofree char *name = kuu_export_page_suggest_name (self);
  GtkRoot *root;

  if (kuu_context_get_kiosk (self->context))
    {
      g_autoptr(GMount) stick = find_removable_mount (self);
      g_autoptr(GFile) top = NULL;
      g_autoptr(GFile) file = NULL;

      if (stick == NULL)
        return;
      top = g_mount_get_root (stick);
      file = g_file_get_child (top, name);
      kuu_export_page_export_to (self, file);
      return;
    }

  if (self->chooser != NULL)
    return;
  root = gtk_widget_get_root (widget);
  self->chooser = gtk_file_chooser_native_new (_("Export Answers"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* --- building ----------------------------------------------------------- */

/**
 * kuu_export_page_set_period:
 * @first: the first day
 * @last: the last day, included
 *
 * Chooses "Other period" from @first to @last, as a staff member would
 * with the calendars.
 */
void
kuu_export_page_set_period (KuuExportPage *self,
                            const GDate   *first,
                            const GDate   *last)
{
  g_return_if_fail (KUU_IS_EXPORT_PAGE (self));
  g_return_if_fail (g_date_valid (first) && g_date_valid (last));

  adw_combo_row_set_selected (self->period_row, PERIOD_OTHER);
  select_day (self->from_calendar, first);
  select_day (self->to_calendar, last);
  update (self);
}

static void
kuu_export_page_dispose (GObject *object)
{
  KuuExportPage *self = (KuuExportPage *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  /* Staff mode closing (the idle reset) takes the question with it. */
  if (self->confirm_dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->confirm_dialog, self);
      gtk_window_destroy (GTK_WINDOW (self->confirm_dialog));
      self->confirm_dialog = NULL;
    }
  if (self->volumes != NULL)
    g_signal_handlers_disconnect_by_data (self->volumes, self);
  g_clear_object (&self->volumes);
  gtk_widget_dispose_template (GTK_WIDGET (self), KUU_TYPE_EXPORT_PAGE);
  g_clear_object (&self->exporting);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (kuu_export_page_parent_class)->dispose (object);
}

static void
kuu_export_page_class_init (KuuExportPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kuu_export_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/staff/kuu-export-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KuuExportPage, box);
  gtk_widget_class_bind_template_child (widget_class, KuuExportPage, hint_label);
  gtk_widget_class_bind_template_child (widget_class, KuuExportPage, period_row);
  gtk_widget_class_bind_template_child (widget_class, KuuExportPage, from_row);
  gtk_widget_class_bind_template_child (widget_class, KuuExportPage, from_button);
  gtk_widget_class_bind_template_child (widget_class, KuuExportPage, from_calendar);
  gtk_widget_class_bind_template_child (widget_class, KuuExportPage, to_row);
  gtk_widget_class_bind_template_child (widget_class, KuuExportPage, to_button);
  gtk_widget_class_bind_template_child (widget_class, KuuExportPage, to_calendar);
  gtk_widget_class_bind_template_child (widget_class, KuuExportPage, audience_row);
  gtk_widget_class_bind_template_child (widget_class, KuuExportPage, separator_row);
  gtk_widget_class_bind_template_child (widget_class, KuuExportPage, contacts_switch);
  gtk_widget_class_bind_template_child (widget_class, KuuExportPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, KuuExportPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, KuuExportPage, result_label);
  gtk_widget_class_install_action (widget_class, "export.export", NULL, on_export_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "exportpage");
}

static void
kuu_export_page_init (KuuExportPage *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  get_days (self, &self->preset_first, &self->preset_last);

  g_signal_connect_object (self->period_row, "notify::selected", G_CALLBACK (on_period_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->audience_row, "notify::selected", G_CALLBACK (on_choice_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->separator_row, "notify::selected", G_CALLBACK (on_choice_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->from_calendar, "day-selected", G_CALLBACK (on_day_selected_cb), self, 0);
  g_signal_connect_object (self->to_calendar, "day-selected", G_CALLBACK (on_day_selected_cb), self, 0);
  g_signal_connect_object (self->contacts_switch, "state-set", G_CALLBACK (on_contacts_state_set_cb), self, 0);
}

GtkWidget *
kuu_export_page_new (KuuContext *context)
{
  KuuExportPage *self;

  g_return_val_if_fail (KUU_IS_CONTEXT (context), NULL);

  self = g_object_new (KUU_TYPE_EXPORT_PAGE, NULL);
  self->context = g_object_ref (context);

  /* The answers of this device's own audience first. */
  adw_combo_row_set_selected (self->audience_row,
                              kuu_context_get_audience (context) == KUU_AUDIENCE_PERSONNEL ? 1 : 0);

  if (kuu_context_get_kiosk (context))
    {
      self->volumes = g_volume_monitor_get ();
      g_signal_connect_object (self->volumes, "mount-added", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->volumes, "mount-removed", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->volumes, "mount-changed", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
    }
  update (self);

  return GTK_WIDGET (self);
}
