/* kuu-paper-page.c
 *
 * Staff type in the initiatives that came on paper or by e-mail: the
 * kiosk's fields, plus how it came, the date it was received and how many
 * signed it. One tab of staff mode (KuuStaffPage).
 *
 * The list shows what was entered on this device, newest first, with its
 * state. A waiting one can be edited or deleted (kuu-staff-entries, in a
 * worker thread); the core refuses while the sync is sending it, and once
 * it is sent the region's server is where it changes, so a sent one is
 * only shown. Saving asks the sync to send at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "kuu-contact-form.h"
#include "kuu-paper-page-private.h"

#define FIRST_YEAR 2000

G_DEFINE_FINAL_TYPE (KuuPaperPage, kuu_paper_page, GTK_TYPE_WIDGET)

/* --- the editor ----------------------------------------------------------- */

static GtkLabel *
error_labels (KuuPaperPage *self,
              guint         index)
{
  GtkLabel *labels[] = {
    self->title_error, self->text_error, self->municipality_error, self->date_error,
    self->name_error, self->email_error, self->phone_error, self->editor_error,
  };

  return index < G_N_ELEMENTS (labels) ? labels[index] : NULL;
}

static void
clear_errors (KuuPaperPage *self)
{
  GtkLabel *label;

  for (guint i = 0; (label = error_labels (self, i)) != NULL; i++)
    _kuu_paper_page_show_list_message (self, label, NULL);
}

static void
set_entry_text (GtkEntry   *entry,
                const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), text != NULL ? text : "");
}

static void
show_date_hint (KuuPaperPage *self)
{
  g_autoptr(GDateTime) now = _kuu_paper_page_today ();
  g_autofree char *example = _kuu_paper_page_format_date (now);
  /* TRANSLATORS: %s is today's date, written the way the field expects */
  g_autofree char *hint = g_strdup_printf (_("For example %s, today"), example);

  gtk_label_set_text (self->date_hint, hint);
}

/* A grid's choice cannot be taken back, and a new initiative has none:
 * each opening of the editor gets its own grid. */
static void
make_municipality_grid (KuuPaperPage *self)
{
  GPtrArray *municipalities = kuu_strategy_get_municipalities (kuu_context_get_strategy (self->context));

  if (self->municipality_grid != NULL)
    gtk_box_remove (self->municipality_holder, GTK_WIDGET (self->municipality_grid));
  self->municipality_grid = KUU_CHOICE_GRID (kuu_choice_grid_new ());
  for (guint i = 0; i < municipalities->len; i++)
    kuu_choice_grid_append (self->municipality_grid,
                            kuu_context_text (self->context,
                                              ((const KuuEntry *)g_ptr_array_index (municipalities, i))->name));
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->municipality_grid),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->municipality_label, NULL, -1);
  gtk_box_append (self->municipality_holder, GTK_WIDGET (self->municipality_grid));
}

static void
fill_editor (KuuPaperPage        *self,
             const KuuSubmission *submission)
{
  g_autofree char *received = NULL;

  clear_errors (self);
  set_entry_text (self->title_entry, submission ? submission->title : NULL);
  kuu_text_area_set_text (self->text_area, submission ? submission->text : "");
  make_municipality_grid (self);
  if (submission != NULL && _kuu_paper_page_municipality_index (self, submission->municipality) >= 0)
    kuu_choice_grid_set_selected (self->municipality_grid, _kuu_paper_page_municipality_index (self, submission->municipality));
  gtk_toggle_button_set_active (submission && submission->channel == KUU_CHANNEL_EMAIL
                               ? self->email_check : self->paper_check, TRUE);
  if (submission != NULL)
    received = _kuu_paper_page_display_iso_date (submission->received_on);
  else
    {
      g_autoptr(GDateTime) now = _kuu_paper_page_today ();

      received = _kuu_paper_page_format_date (now);
    }
  set_entry_text (self->date_entry, received);
  gtk_spin_button_set_value (self->signatories_spin, submission ? submission->signatories : 1);
  set_entry_text (self->name_entry, submission ? submission->contact_name : NULL);
  set_entry_text (self->email_entry, submission ? submission->contact_email : NULL);
  set_entry_text (self->phone_entry, submission ? submission->contact_phone : NULL);
  show_date_hint (self);
}

/* Shown, not greyed out: staff must be able to read a sent one. */
static void
set_read_only (KuuPaperPage *self,
               gboolean      read_only)
{
  GtkEditable *entries[] = {
    GTK_EDITABLE (self->title_entry), GTK_EDITABLE (self->date_entry), GTK_EDITABLE (self->name_entry),
    GTK_EDITABLE (self->email_entry), GTK_EDITABLE (self->phone_entry),
  };
  GtkWidget *controls[] = {
    GTK_WIDGET (self->municipality_grid), GTK_WIDGET (self->paper_check), GTK_WIDGET (self->email_check),
    GTK_WIDGET (self->date_button), GTK_WIDGET (self->signatories_spin),
  };

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    gtk_editable_set_editable (entries[i], !read_only);
  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    gtk_widget_set_sensitive (controls[i], !read_only);
  gtk_text_view_set_editable (kuu_text_area_get_view (self->text_area), !read_only);
  gtk_text_view_set_cursor_visible (kuu_text_area_get_view (self->text_area), !read_only);
  gtk_widget_set_visible (GTK_WIDGET (self->date_hint), !read_only);
}

static void
open_editor (KuuPaperPage        *self,
             const KuuStaffEntry *entry,
             gboolean             read_only)
{
  g_clear_pointer (&self->editing, kuu_staff_entry_free);
  self->editing = entry != NULL ? kuu_staff_entry_copy (entry) : NULL;
  self->read_only = read_only;

  fill_editor (self, entry != NULL ? entry->submission : NULL);
  gtk_label_set_text (self->editor_title,
                      entry == NULL ? _("New initiative")
                      : read_only ? _("Initiative")
                      : _("Edit initiative"));
  if (read_only)
    {
      g_autofree char *note = _kuu_paper_page_state_text (entry);

      gtk_label_set_text (self->read_only_note, note);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->read_only_note), read_only);
  set_read_only (self, read_only);
  /* Once the server has them, the contact details are gone from here. */
  gtk_widget_set_visible (self->contact_box, !read_only || kuu_submission_has_contact (entry->submission));
  gtk_widget_set_visible (GTK_WIDGET (self->save_button), !read_only);
  gtk_button_set_label (self->cancel_button, read_only ? _("Back to the list") : _("Cancel"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->cancel_button),
                               read_only ? NULL : _("Close without saving"));
  _kuu_paper_page_show_list_message (self, self->list_status, NULL);
  _kuu_paper_page_show_list_message (self, self->list_error, NULL);

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->editor_scroller), 0);
  gtk_stack_set_visible_child_name (self->stack, "editor");
  gtk_widget_grab_focus (read_only ? GTK_WIDGET (self->cancel_button) : GTK_WIDGET (self->title_entry));
}

static void
close_editor (KuuPaperPage *self)
{
  g_clear_pointer (&self->editing, kuu_staff_entry_free);
  gtk_stack_set_visible_child_name (self->stack, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->new_button));
}

/* Trimmed text, or NULL when blank. */
static char *
entry_text (GtkEntry *entry)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  return text[0] != '\0' ? g_steal_pointer (&text) : NULL;
}

/* The focus brings a field into view, not the message under it: once
 * the message has been laid out (a frame later), scroll to it too. */
static gboolean
reveal_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  KuuPaperPage *self = KUU_PAPER_PAGE (widget);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->editor_scroller);
  GtkWidget *viewport = gtk_scrolled_window_get_child (self->editor_scroller);
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (0, 0, 0, 0);
  double bottom;

  if (self->reveal_ticks++ < 2)
    return G_SOURCE_CONTINUE;
  if ((!gtk_widget_compute_bounds (self->revealing, gtk_viewport_get_child (GTK_VIEWPORT (viewport)), &bounds) ||
       bounds.size.height <= 0) && self->reveal_ticks < 12)
    return G_SOURCE_CONTINUE;

  bottom = bounds.origin.y + bounds.size.height + 16;
  if (bounds.size.height > 0 &&
      bottom > gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment))
    gtk_adjustment_set_value (adjustment, bottom - gtk_adjustment_get_page_size (adjustment));
  self->reveal_id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
refuse (KuuPaperPage *self,
        gpointer      field,
        GtkLabel     *error,
        const char   *message)
{
  _kuu_paper_page_show_list_message (self, error, message);
  gtk_widget_grab_focus (GTK_WIDGET (field));
  self->revealing = GTK_WIDGET (error);
  self->reveal_ticks = 0;
  if (self->reveal_id == 0)
    self->reveal_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), reveal_tick_cb, NULL, NULL);
  return FALSE;
}

static gboolean
check_date (KuuPaperPage *self)
{
  g_autofree char *text = entry_text (self->date_entry);
  g_autoptr(GDateTime) date = text != NULL ? _kuu_paper_page_parse_date (text) : NULL;
  g_autoptr(GDateTime) now = _kuu_paper_page_today ();

  if (date == NULL)
    {
      g_autofree char *example = _kuu_paper_page_format_date (now);
      /* TRANSLATORS: %s is today's date, written the way the field expects */
      g_autofree char *message = g_strdup_printf (_("Write the date received with a four-digit "
                                                    "year, in the form %s."), example);

      return refuse (self, self->date_entry, self->date_error, message);
    }
  if (g_date_time_compare (date, now) > 0)
    return refuse (self, self->date_entry, self->date_error,
                   _("The date received cannot be later than today."));
  if (g_date_time_get_year (date) < FIRST_YEAR)
    return refuse (self, self->date_entry, self->date_error,
                   _("The date received cannot be before the year 2000."));
  return TRUE;
}

/* Says next to the field what is missing or wrong, and puts the focus
 * there, the first one from the top. */
static gboolean
check (KuuPaperPage *self)
{
  g_autofree char *title = entry_text (self->title_entry);
  g_autofree char *text = kuu_text_area_get_text (self->text_area);
  g_autofree char *name = entry_text (self->name_entry);
  g_autofree char *email = entry_text (self->email_entry);
  g_autofree char *phone = entry_text (self->phone_entry);

  clear_errors (self);
  if (title == NULL)
    return refuse (self, self->title_entry, self->title_error, _("Write the initiative’s title."));
  if (g_strstrip (text)[0] == '\0')
    return refuse (self, self->text_area, self->text_error, _("Write the text of the initiative."));
  if (kuu_choice_grid_get_selected (self->municipality_grid) < 0)
    return refuse (self, self->municipality_grid, self->municipality_error,
                   _("Choose the initiator’s municipality."));
  if (!check_date (self))
    return FALSE;
  if (name == NULL)
    return refuse (self, self->name_entry, self->name_error,
                   _("Write the initiator’s name: the region answers the initiator."));
  if (email == NULL && phone == NULL)
    return refuse (self, self->email_entry, self->email_error,
                   _("Give an e-mail address or a phone number for the reply."));
  if (email != NULL && !kuu_contact_form_email_looks_valid (email))
    return refuse (self, self->email_entry, self->email_error,
                   _("The e-mail address does not look right. It has an “@” in it, like name@example.fi."));
  if (phone != NULL && strspn (phone, "+0123456789 -()") != strlen (phone))
    return refuse (self, self->phone_entry, self->phone_error,
                   _("The phone number can have only digits, spaces and a plus sign."));
  return TRUE;
}

/* Call after check(). */
static KuuSubmission *
read_editor (KuuPaperPage *self)
{
  GPtrArray *municipalities = kuu_strategy_get_municipalities (kuu_context_get_strategy (self->context));
  const KuuEntry *municipality = g_ptr_array_index (municipalities,
                                                    kuu_choice_grid_get_selected (self->municipality_grid));
  g_autofree char *title = entry_text (self->title_entry);
  g_autofree char *text = kuu_text_area_get_text (self->text_area);
  g_autofree char *date_text = entry_text (self->date_entry);
  g_autofree char *name = entry_text (self->name_entry);
  g_autofree char *email = entry_text (self->email_entry);
  g_autofree char *phone = entry_text (self->phone_entry);
  g_autoptr(GDateTime) date = _kuu_paper_page_parse_date (date_text);
  KuuChannel channel = gtk_toggle_button_get_active (self->email_check) ? KUU_CHANNEL_EMAIL : KUU_CHANNEL_PAPER;
  KuuSubmission *submission;

  if (self->editing != NULL)
    {
      submission = kuu_submission_copy (self->editing->submission);
      g_free (submission->title);
      submission->title = g_strdup (title);
      g_free (submission->text);
      submission->text = g_strdup (g_strstrip (text));
      g_free (submission->municipality);
      submission->municipality = g_strdup (municipality->id);
      submission->channel = channel;
    }
  else
    {
      submission = kuu_submission_new_initiative (title, g_strstrip (text), municipality->id, channel);
      kuu_submission_set_place (submission,
                                kuu_strategy_get_id (kuu_context_get_strategy (self->context)),
                                kuu_context_get_unit (self->context),
                                kuu_context_get_language (self->context));
    }
  g_free (submission->received_on);
  submission->received_on = g_date_time_format (date, "%Y-%m-%d");
  /* A number typed but not yet confirmed with Enter counts too. */
  gtk_spin_button_update (self->signatories_spin);
  submission->signatories = gtk_spin_button_get_value_as_int (self->signatories_spin);
  kuu_submission_set_contact (submission, name, email, phone);
  return submission;
}

static void
set_saving (KuuPaperPage *self,
            gboolean      saving)
{
  self->saving = saving;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), saving);
  gtk_spinner_set_spinning (self->spinner, saving);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "paper.save", !saving);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "paper.cancel", !saving);
}

static void
saved (KuuPaperPage *self,
       GError       *error)
{
  set_saving (self, FALSE);
  if (error != NULL)
    {
      _kuu_paper_page_show_list_message (self, self->editor_error, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->save_button));
      return;
    }

  close_editor (self);
  _kuu_paper_page_show_list_message (self, self->list_status,
                     _("Saved. It is sent to the region’s server as soon as the connection allows."));
  _kuu_paper_page_reload (self);
  kuu_context_sync_now (self->context);
}

static void
on_added_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(KuuPaperPage) self = user_data;
  g_autoptr(GError) error = NULL;

  kuu_store_add_finish (KUU_STORE (object), result, &error);
  if (self->context != NULL)
    saved (self, error);
}

static void
on_replaced_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KuuPaperPage) self = user_data;
  g_autoptr(GError) error = NULL;

  kuu_staff_entries_replace_finish (KUU_STORE (object), result, &error);
  if (self->context != NULL)
    saved (self, error);
}

/* --- callbacks ------------------------------------------------------------ */

static void
on_new_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  open_editor (KUU_PAPER_PAGE (widget), NULL, FALSE);
}

static void
on_edit_cb (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  KuuPaperPage *self = KUU_PAPER_PAGE (widget);
  const KuuStaffEntry *entry = _kuu_paper_page_find_entry (self, g_variant_get_string (parameter, NULL));

  if (entry != NULL)
    open_editor (self, entry, entry->state != KUU_STAFF_ENTRY_WAITING);
}

static void
on_view_cb (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  KuuPaperPage *self = KUU_PAPER_PAGE (widget);
  const KuuStaffEntry *entry = _kuu_paper_page_find_entry (self, g_variant_get_string (parameter, NULL));

  if (entry != NULL)
    open_editor (self, entry, TRUE);
}

static void
on_save_cb (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  KuuPaperPage *self = KUU_PAPER_PAGE (widget);
  KuuStore *store = kuu_context_get_store (self->context);
  g_autoptr(KuuSubmission) submission = NULL;

  if (self->saving || self->read_only || !check (self))
    return;

  submission = read_editor (self);
  set_saving (self, TRUE);
  if (self->editing != NULL)
    kuu_staff_entries_replace_async (store, submission, NULL, on_replaced_cb, g_object_ref (self));
  else
    kuu_store_add_async (store, submission, NULL, on_added_cb, g_object_ref (self));
}

static void
on_cancel_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  close_editor (KUU_PAPER_PAGE (widget));
}

static void
on_deleted_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(KuuPaperPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->context == NULL)
    return;
  if (kuu_staff_entries_delete_finish (KUU_STORE (object), result, &error))
    _kuu_paper_page_show_list_message (self, self->list_status, _("The initiative was deleted."));
  else
    _kuu_paper_page_show_list_message (self, self->list_error, error->message);
  _kuu_paper_page_reload (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->new_button));
}

static void
on_delete_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       KuuPaperPage     *self)
{
  const char *uuid = g_object_get_data (G_OBJECT (dialog), "uuid");

  if (g_strcmp0 (response, "delete") != 0)
    return;
  _kuu_paper_page_show_list_message (self, self->list_status, NULL);
  _kuu_paper_page_show_list_message (self, self->list_error, NULL);
  kuu_staff_entries_delete_async (kuu_context_get_store (self->context), uuid, NULL,
                                  on_deleted_cb, g_object_ref (self));
}

static void
on_delete_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KuuPaperPage *self = KUU_PAPER_PAGE (widget);
  const KuuStaffEntry *entry = _kuu_paper_page_find_entry (self, g_variant_get_string (parameter, NULL));
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwMessageDialog *dialog;

  if (entry == NULL)
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       _("Delete this initiative?"), NULL));
  /* TRANSLATORS: %s is the initiative's title */
  adw_message_dialog_format_body (dialog, _("“%s” has not been sent to the region’s server. "
                                            "Once deleted, it cannot be brought back."),
                                  entry->submission->title);
  adw_message_dialog_add_responses (dialog, "cancel", _("Keep it"), "delete", _("Delete"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "uuid", g_strdup (entry->submission->uuid), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_date_popover_shown_cb (KuuPaperPage *self)
{
  g_autofree char *text = entry_text (self->date_entry);
  g_autoptr(GDateTime) date = text != NULL ? _kuu_paper_page_parse_date (text) : NULL;
  g_autoptr(GDateTime) now = _kuu_paper_page_today ();

  self->showing_date = TRUE;
  gtk_calendar_select_day (self->calendar, date != NULL ? date : now);
  self->showing_date = FALSE;
}

static void
on_day_selected_cb (KuuPaperPage *self)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *text = NULL;

  if (self->showing_date)
    return;
  date = gtk_calendar_get_date (self->calendar);
  text = _kuu_paper_page_format_date (date);
  set_entry_text (self->date_entry, text);
  gtk_popover_popdown (self->date_popover);
  gtk_widget_grab_focus (GTK_WIDGET (self->date_entry));
}

/* --- overrides ------------------------------------------------------------ */

static void
kuu_paper_page_dispose (GObject *object)
{
  KuuPaperPage *self = (KuuPaperPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->sync_signals);
  if (self->reveal_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->reveal_id);
  self->reveal_id = 0;
  gtk_widget_dispose_template (GTK_WIDGET (self), KUU_TYPE_PAPER_PAGE);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->editing, kuu_staff_entry_free);
  g_clear_pointer (&self->shown, g_free);

  G_OBJECT_CLASS (kuu_paper_page_parent_class)->dispose (object);
}

static void
kuu_paper_page_class_init (KuuPaperPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kuu_paper_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/staff/kuu-paper-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, stack);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, entry_list);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, list_status);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, list_error);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, new_button);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, editor_scroller);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, editor_title);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, read_only_note);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, title_entry);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, title_error);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, text_holder);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, text_error);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, municipality_holder);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, municipality_label);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, municipality_error);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, paper_check);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, email_check);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, date_entry);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, date_button);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, date_popover);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, calendar);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, date_hint);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, date_error);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, signatories_spin);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, contact_box);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, name_entry);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, name_error);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, email_entry);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, email_error);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, phone_entry);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, phone_error);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, editor_error);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, KuuPaperPage, spinner);
  gtk_widget_class_install_action (widget_class, "paper.new", NULL, on_new_cb);
  gtk_widget_class_install_action (widget_class, "paper.edit", "s", on_edit_cb);
  gtk_widget_class_install_action (widget_class, "paper.view", "s", on_view_cb);
  gtk_widget_class_install_action (widget_class, "paper.delete", "s", on_delete_cb);
  gtk_widget_class_install_action (widget_class, "paper.save", NULL, on_save_cb);
  gtk_widget_class_install_action (widget_class, "paper.cancel", NULL, on_cancel_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "paperpage");
}

static void
kuu_paper_page_init (KuuPaperPage *self)
{
  GtkWidget *placeholder;

  self->cancellable = g_cancellable_new ();
  self->sync_signals = g_signal_group_new (KUU_TYPE_SYNC);
  g_signal_group_connect_object (self->sync_signals, "notify", G_CALLBACK (_kuu_paper_page_on_sync_notify_cb),
                                 self, G_CONNECT_SWAPPED);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->text_area = KUU_TEXT_AREA (kuu_text_area_new (KUU_MAX_INITIATIVE_LENGTH));
  kuu_text_area_set_label (self->text_area, _("Text of the initiative"));
  gtk_box_append (self->text_holder, GTK_WIDGET (self->text_area));

  placeholder = gtk_label_new (_("No initiatives have been entered on this device yet."));
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_set_margin_top (placeholder, 24);
  gtk_widget_set_margin_bottom (placeholder, 24);
  gtk_widget_set_margin_start (placeholder, 16);
  gtk_widget_set_margin_end (placeholder, 16);
  gtk_list_box_set_placeholder (self->entry_list, placeholder);

  g_signal_connect_object (self->date_popover, "show", G_CALLBACK (on_date_popover_shown_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->calendar, "day-selected", G_CALLBACK (on_day_selected_cb),
                           self, G_CONNECT_SWAPPED);
}

GtkWidget *
kuu_paper_page_new (KuuContext *context)
{
  KuuPaperPage *self;

  g_return_val_if_fail (KUU_IS_CONTEXT (context), NULL);

  self = g_object_new (KUU_TYPE_PAPER_PAGE, NULL);
  self->context = g_object_ref (context);

  g_signal_connect_object (kuu_context_get_session (context), "notify::sync",
                           G_CALLBACK (_kuu_paper_page_on_context_sync_changed_cb),
                           self, G_CONNECT_SWAPPED);
  _kuu_paper_page_on_context_sync_changed_cb (self);
  _kuu_paper_page_reload (self);

  return GTK_WIDGET (self);
}
