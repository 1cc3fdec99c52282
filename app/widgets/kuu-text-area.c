/* kuu-text-area.c
 *
 * Text that would pass the limit is not taken in, and the counter says so:
 * a resident sees the limit rather than losing the end of what they wrote.
 * While the on-screen keyboard shows, the area is compact (it stops
 * growing with its text and scrolls instead), so the field and its counter
 * fit above the keyboard on a 1280×800 screen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kuu-text-area.h"

struct _KuuTextArea
{
  GtkWidget      parent_instance;

  guint          max_length;

  GtkWidget     *box;
  GtkScrolledWindow *scroller;
  GtkTextView   *view;
  GtkLabel      *counter;
};

G_DEFINE_FINAL_TYPE (KuuTextArea, kuu_text_area, GTK_TYPE_WIDGET)

static void
update_counter (KuuTextArea *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->view);
  guint length = gtk_text_buffer_get_char_count (buffer);
  g_autofree char *text = NULL;

  if (length >= self->max_length)
    /* Translators: shown under a text field that is full */
    text = g_strdup_printf (_("%u / %u characters — the limit is reached"), length, self->max_length);
  else
    /* Translators: the characters used and allowed in a text field */
    text = g_strdup_printf (_("%u / %u characters"), length, self->max_length);

  gtk_label_set_text (self->counter, text);
  if (length >= self->max_length)
    gtk_widget_add_css_class (GTK_WIDGET (self->counter), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->counter), "error");
}

static void
on_buffer_insert_text_cb (GtkTextBuffer *buffer,
                          GtkTextIter   *location,
                          char          *text,
                          int            length,
                          KuuTextArea   *self)
{
  guint used = gtk_text_buffer_get_char_count (buffer);
  glong adding = g_utf8_strlen (text, length);
  const char *end;

  if (used + adding <= self->max_length)
    return;

  /* Take in what fits, cut at a character boundary; the counter shows why
   * the rest did not go in. */
  g_signal_stop_emission_by_name (buffer, "insert-text");
  if (used >= self->max_length)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  end = g_utf8_offset_to_pointer (text, self->max_length - used);
  g_signal_handlers_block_by_func (buffer, on_buffer_insert_text_cb, self);
  gtk_text_buffer_insert (buffer, location, text, end - text);
  g_signal_handlers_unblock_by_func (buffer, on_buffer_insert_text_cb, self);
  gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
on_buffer_changed_cb (KuuTextArea *self)
{
  update_counter (self);
}

static void
kuu_text_area_dispose (GObject *object)
{
  KuuTextArea *self = (KuuTextArea *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), KUU_TYPE_TEXT_AREA);

  G_OBJECT_CLASS (kuu_text_area_parent_class)->dispose (object);
}

static gboolean
kuu_text_area_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (KUU_TEXT_AREA (widget)->view));
}

static void
kuu_text_area_class_init (KuuTextAreaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kuu_text_area_dispose;
  widget_class->grab_focus = kuu_text_area_grab_focus;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/widgets/kuu-text-area.ui");
  gtk_widget_class_bind_template_child (widget_class, KuuTextArea, box);
  gtk_widget_class_bind_template_child (widget_class, KuuTextArea, scroller);
  gtk_widget_class_bind_template_child (widget_class, KuuTextArea, view);
  gtk_widget_class_bind_template_child (widget_class, KuuTextArea, counter);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "textarea");
}

static void
kuu_text_area_init (KuuTextArea *self)
{
  GtkTextBuffer *buffer;

  gtk_widget_init_template (GTK_WIDGET (self));

  buffer = gtk_text_view_get_buffer (self->view);
  g_signal_connect_object (buffer, "insert-text", G_CALLBACK (on_buffer_insert_text_cb), self, 0);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (on_buffer_changed_cb), self, G_CONNECT_SWAPPED);
  /* The counter describes the field for a screen reader too. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->view),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->counter, NULL,
                                  -1);
}

GtkWidget *
kuu_text_area_new (guint max_length)
{
  KuuTextArea *self;

  g_return_val_if_fail (max_length > 0, NULL);

  self = g_object_new (KUU_TYPE_TEXT_AREA, NULL);
  self->max_length = max_length;
  update_counter (self);

  return GTK_WIDGET (self);
}

/* Exactly as typed: no trimming, no markup. */
char *
kuu_text_area_get_text (KuuTextArea *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (KUU_IS_TEXT_AREA (self), NULL);

  buffer = gtk_text_view_get_buffer (self->view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
kuu_text_area_set_text (KuuTextArea *self,
                        const char  *text)
{
  g_return_if_fail (KUU_IS_TEXT_AREA (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->view), text ? text : "", -1);
}

guint
kuu_text_area_get_max_length (KuuTextArea *self)
{
  g_return_val_if_fail (KUU_IS_TEXT_AREA (self), 0);

  return self->max_length;
}

GtkTextView *
kuu_text_area_get_view (KuuTextArea *self)
{
  g_return_val_if_fail (KUU_IS_TEXT_AREA (self), NULL);

  return self->view;
}

/* The field's name for a screen reader. */
void
kuu_text_area_set_label (KuuTextArea *self,
                         const char  *label)
{
  g_return_if_fail (KUU_IS_TEXT_AREA (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  /* GTK 4.8 cannot read an accessible label back: the kiosk's speech
   * output reads this (app/speech/kuu-narrator-describe.c). */
  g_object_set_data_full (G_OBJECT (self->view), "kuu-speech-label", g_strdup (label), g_free);
}

/* Compact: as tall as at its smallest, whatever the text. */
void
kuu_text_area_set_compact (KuuTextArea *self,
                           gboolean     compact)
{
  g_return_if_fail (KUU_IS_TEXT_AREA (self));

  gtk_scrolled_window_set_max_content_height (self->scroller,
                                              compact ? gtk_scrolled_window_get_min_content_height (self->scroller)
                                                      : 320);
  gtk_text_view_scroll_mark_onscreen (self->view,
                                      gtk_text_buffer_get_insert (gtk_text_view_get_buffer (self->view)));
}
