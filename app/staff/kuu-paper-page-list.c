/* kuu-paper-page-list.c
 *
 * The paper page's list of what was entered on this device, newest first,
 * with each entry's state and its buttons; reloaded from the store (in a
 * worker thread) when the sync's counts or state change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "kuu-paper-page-private.h"

/* @accessible: (transfer full): what it does, naming the initiative */
static GtkWidget *
row_button (const char *label,
            const char *action,
            const char *uuid,
            char       *accessible)
{
  GtkWidget *button = gtk_button_new_with_label (label);
  g_autofree char *owned = accessible;

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", uuid);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, owned);
  /* Each row has its own: a screen reader says which initiative. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, owned, -1);
  return button;
}

static GtkWidget *
row_label (const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
entry_row (KuuPaperPage        *self,
           const KuuStaffEntry *entry)
{
  const KuuSubmission *submission = entry->submission;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  g_autofree char *details = _kuu_paper_page_details_text (self, submission);
  g_autofree char *state = _kuu_paper_page_state_text (entry);
  GtkWidget *state_label = row_label (state, entry->state == KUU_STAFF_ENTRY_REJECTED ? "error" : NULL);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_start (box, 16);
  gtk_widget_set_margin_end (box, 16);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (texts), row_label (submission->title, "heading"));
  gtk_box_append (GTK_BOX (texts), row_label (details, NULL));
  if (entry->state == KUU_STAFF_ENTRY_WAITING)
    gtk_widget_add_css_class (state_label, "accent");
  gtk_box_append (GTK_BOX (texts), state_label);
  gtk_box_append (GTK_BOX (box), texts);

  if (entry->state == KUU_STAFF_ENTRY_WAITING)
    {
      /* TRANSLATORS: %s is an initiative's title */
      gtk_box_append (GTK_BOX (box), row_button (_("Edit"), "paper.edit", submission->uuid,
                                                 g_strdup_printf (_("Edit “%s”"), submission->title)));
      /* TRANSLATORS: %s is an initiative's title */
      gtk_box_append (GTK_BOX (box), row_button (_("Delete"), "paper.delete", submission->uuid,
                                                 g_strdup_printf (_("Delete “%s”"), submission->title)));
    }
  else
    /* TRANSLATORS: %s is an initiative's title */
    gtk_box_append (GTK_BOX (box), row_button (_("View"), "paper.view", submission->uuid,
                                               g_strdup_printf (_("View “%s”"), submission->title)));

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "entry", kuu_staff_entry_copy (entry),
                          (GDestroyNotify)kuu_staff_entry_free);
  return row;
}

/* Each row's uuid, state and texts. */
static char *
list_signature (KuuPaperPage *self,
                GPtrArray    *entries)
{
  GString *signature = g_string_new (NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      const KuuStaffEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *details = _kuu_paper_page_details_text (self, entry->submission);
      g_autofree char *state = _kuu_paper_page_state_text (entry);

      g_string_append_printf (signature, "%s\n%s\n%s\n%s\n", entry->submission->uuid,
                              entry->submission->title, details, state);
    }
  return g_string_free (signature, FALSE);
}

/* The sync's every try reloads the list: rebuilt only when it changed,
 * so that the keyboard focus stays where it is. */
static void
show_entries (KuuPaperPage *self,
              GPtrArray    *entries)
{
  g_autofree char *signature = list_signature (self, entries);
  GtkListBoxRow *row;

  if (g_strcmp0 (signature, self->shown) == 0)
    return;
  g_free (self->shown);
  self->shown = g_steal_pointer (&signature);

  /* Rows only: the placeholder is a child too. */
  while ((row = gtk_list_box_get_row_at_index (self->entry_list, 0)) != NULL)
    gtk_list_box_remove (self->entry_list, GTK_WIDGET (row));
  for (guint i = 0; i < entries->len; i++)
    gtk_list_box_append (self->entry_list, entry_row (self, g_ptr_array_index (entries, i)));
}

const KuuStaffEntry *
_kuu_paper_page_find_entry (KuuPaperPage *self,
                            const char   *uuid)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->entry_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      const KuuStaffEntry *entry = g_object_get_data (G_OBJECT (row), "entry");

      if (entry != NULL && g_strcmp0 (entry->submission->uuid, uuid) == 0)
        return entry;
    }
  return NULL;
}

void
_kuu_paper_page_show_list_message (KuuPaperPage *self,
                                   GtkLabel     *label,
                                   const char   *message)
{
  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static void
on_listed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(KuuPaperPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = kuu_staff_entries_list_finish (KUU_STORE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->context == NULL)
    return;
  if (entries == NULL)
    {
      _kuu_paper_page_show_list_message (self, self->list_error, error->message);
      return;
    }
  show_entries (self, entries);
}

void
_kuu_paper_page_reload (KuuPaperPage *self)
{
  kuu_staff_entries_list_async (kuu_context_get_store (self->context), self->cancellable,
                                on_listed_cb, g_object_ref (self));
}

void
_kuu_paper_page_on_sync_notify_cb (KuuPaperPage *self,
                                   GParamSpec   *pspec)
{
  /* Sent, refused, or a new try: the states in the list change. */
  if (g_str_equal (pspec->name, "pending") || g_str_equal (pspec->name, "delivered") ||
      g_str_equal (pspec->name, "rejected") || g_str_equal (pspec->name, "state"))
    _kuu_paper_page_reload (self);
}

void
_kuu_paper_page_on_context_sync_changed_cb (KuuPaperPage *self)
{
  KuuDeviceSession *session = kuu_context_get_session (self->context);

  g_signal_group_set_target (self->sync_signals, kuu_device_session_get_sync (session));
}
