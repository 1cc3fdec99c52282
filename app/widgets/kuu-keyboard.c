/* kuu-keyboard.c
 *
 * A Finnish–Swedish layout (å, ä, ö) with a numbers row, shift, space and
 * backspace, typing into the focused text field. Keys never take the
 * focus, so the field keeps its cursor; each key is a button with a name a
 * screen reader speaks.
 *
 * The keyboard takes the bottom of the window, so the page above it
 * shrinks: whenever the page's scrolled area changes size (the keyboard
 * showing, text growing, an error appearing), the page is scrolled so the
 * field typed into and its counter or error message sit wholly above the
 * keyboard. A tap where the field was must not type a letter instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kuu-keyboard.h"
#include "kuu-text-area.h"

struct _KuuKeyboard
{
  GtkWidget  parent_instance;

  GtkWidget *box;
  GtkWidget *target;      /* a GtkText or a GtkTextView; not owned */
  GPtrArray *letter_keys; /* GtkButton*, relabelled by shift */
  GtkWidget *shift_key;
  gboolean   shifted;

  /* The page's scrolled area around the target, followed while typing. */
  GtkScrolledWindow *scroller;  /* not owned */
  GtkAdjustment     *vadjustment;
  gulong             changed_id;
  double             last_page;   /* the sizes last revealed for */
  double             last_upper;
  guint              reveal_id;
};

G_DEFINE_FINAL_TYPE (KuuKeyboard, kuu_keyboard, GTK_TYPE_WIDGET)

/* Room kept between the field and the page's edge or the keyboard. */
#define REVEAL_MARGIN 12

static const char * const rows[] = {
  "1 2 3 4 5 6 7 8 9 0 +",
  "q w e r t y u i o p å",
  "a s d f g h j k l ö ä",
  "z x c v b n m , . - @",
};

/* Whether the keyboard can type into @widget. */
gboolean
kuu_keyboard_accepts (GtkWidget *widget)
{
  if (widget == NULL)
    return FALSE;
  if (GTK_IS_TEXT_VIEW (widget))
    return gtk_text_view_get_editable (GTK_TEXT_VIEW (widget));
  if (GTK_IS_TEXT (widget))
    return gtk_editable_get_editable (GTK_EDITABLE (widget));
  return FALSE;
}

static void
insert (KuuKeyboard *self,
        const char  *text)
{
  if (GTK_IS_TEXT_VIEW (self->target))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->target));

      gtk_text_buffer_insert_interactive_at_cursor (buffer, text, -1, TRUE);
      gtk_text_view_scroll_mark_onscreen (GTK_TEXT_VIEW (self->target),
                                          gtk_text_buffer_get_insert (buffer));
    }
  else if (GTK_IS_EDITABLE (self->target))
    {
      GtkEditable *editable = GTK_EDITABLE (self->target);
      int position;

      gtk_editable_delete_selection (editable);
      position = gtk_editable_get_position (editable);
      gtk_editable_insert_text (editable, text, -1, &position);
      gtk_editable_set_position (editable, position);
    }
}

static void
backspace (KuuKeyboard *self)
{
  if (GTK_IS_TEXT_VIEW (self->target))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->target));
      GtkTextIter cursor;

      if (gtk_text_buffer_delete_selection (buffer, TRUE, TRUE))
        return;
      gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
      gtk_text_buffer_backspace (buffer, &cursor, TRUE, TRUE);
    }
  else if (GTK_IS_EDITABLE (self->target))
    {
      GtkEditable *editable = GTK_EDITABLE (self->target);
      int position = gtk_editable_get_position (editable);
      int start, end;

      if (gtk_editable_get_selection_bounds (editable, &start, &end))
        gtk_editable_delete_selection (editable);
      else if (position > 0)
        gtk_editable_delete_text (editable, position - 1, position);
    }
}

static void
set_shifted (KuuKeyboard *self,
             gboolean     shifted)
{
  self->shifted = shifted;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->shift_key), shifted);

  for (guint i = 0; i < self->letter_keys->len; i++)
    {
      GtkButton *key = g_ptr_array_index (self->letter_keys, i);
      const char *text = g_object_get_data (G_OBJECT (key), "kuu-text");
      g_autofree char *shown = shifted ? g_utf8_strup (text, -1) : g_strdup (text);

      gtk_button_set_label (key, shown);
      gtk_accessible_update_property (GTK_ACCESSIBLE (key), GTK_ACCESSIBLE_PROPERTY_LABEL, shown, -1);
    }
}

static void
on_key_clicked_cb (GtkButton   *key,
                   KuuKeyboard *self)
{
  if (self->target == NULL)
    return;

  insert (self, gtk_button_get_label (key));
  /* Shift holds for one letter, as on a phone. */
  if (self->shifted)
    set_shifted (self, FALSE);
}

static void
on_shift_toggled_cb (GtkToggleButton *shift,
                     KuuKeyboard     *self)
{
  if (gtk_toggle_button_get_active (shift) != self->shifted)
    set_shifted (self, gtk_toggle_button_get_active (shift));
}

static void
on_space_clicked_cb (KuuKeyboard *self)
{
  if (self->target != NULL)
    insert (self, " ");
}

static void
on_backspace_clicked_cb (KuuKeyboard *self)
{
  if (self->target != NULL)
    backspace (self);
}

/* The field as a resident sees it: the entry around a GtkText, the text
 * area (with its counter) around a GtkTextView. */
static GtkWidget *
field_of (GtkWidget *target)
{
  GtkWidget *field = gtk_widget_get_ancestor (target, GTK_TYPE_ENTRY);

  if (field == NULL)
    field = gtk_widget_get_ancestor (target, KUU_TYPE_TEXT_AREA);
  return field != NULL ? field : target;
}

/* The error label shown just under the field (or under a box holding it),
 * as the pages place them; NULL when none shows. */
static GtkWidget *
message_of (GtkWidget *field,
            GtkWidget *stop)
{
  for (GtkWidget *w = field; w != NULL && w != stop; w = gtk_widget_get_parent (w))
    {
      GtkWidget *next = gtk_widget_get_next_sibling (w);

      if (next != NULL && GTK_IS_LABEL (next) && gtk_widget_has_css_class (next, "field-error"))
        return gtk_widget_get_visible (next) ? next : NULL;
    }
  return NULL;
}

static gboolean
add_bounds (GtkWidget       *widget,
            GtkWidget       *content,
            graphene_rect_t *area)
{
  graphene_rect_t bounds;

  if (widget == NULL || !gtk_widget_compute_bounds (widget, content, &bounds))
    return FALSE;
  graphene_rect_union (area, &bounds, area);
  return TRUE;
}

/* Scrolls the page so the field and its message show in full (if they
 * cannot, their top does: that is where one reads from). */
static gboolean
on_reveal_tick_cb (GtkWidget     *widget,
                   GdkFrameClock *clock,
                   gpointer       user_data)
{
  KuuKeyboard *self = KUU_KEYBOARD (user_data);
  GtkWidget *content;
  GtkWidget *field;
  graphene_rect_t area;
  double value, page, top, bottom;

  self->reveal_id = 0;
  if (self->target == NULL || self->scroller == NULL)
    return G_SOURCE_REMOVE;

  content = gtk_scrolled_window_get_child (self->scroller);
  field = field_of (self->target);
  if (content == NULL || !gtk_widget_compute_bounds (field, content, &area))
    return G_SOURCE_REMOVE;
  add_bounds (message_of (field, content), content, &area);

  /* Bounds are in the viewport's coordinates, which scroll with it. Set,
   * not animated: a set value also ends the viewport's own scroll to the
   * focus, which was aimed before the keyboard took its room. */
  value = gtk_adjustment_get_value (self->vadjustment);
  page = gtk_adjustment_get_page_size (self->vadjustment);
  top = value + area.origin.y - REVEAL_MARGIN;
  bottom = value + area.origin.y + area.size.height + REVEAL_MARGIN;
  if (top < value || bottom - top > page)
    gtk_adjustment_set_value (self->vadjustment, top);
  else if (bottom > value + page)
    gtk_adjustment_set_value (self->vadjustment, bottom - page);
  return G_SOURCE_REMOVE;
}

/* After the next layout, when the sizes are known. Only when the sizes
 * changed: a page laid out again at the same size must not take back a
 * scroll the resident made to read what is above. */
static void
queue_reveal (KuuKeyboard *self)
{
  double page, upper;

  if (self->reveal_id != 0 || self->scroller == NULL)
    return;
  page = gtk_adjustment_get_page_size (self->vadjustment);
  upper = gtk_adjustment_get_upper (self->vadjustment);
  if (page == self->last_page && upper == self->last_upper)
    return;
  self->last_page = page;
  self->last_upper = upper;
  self->reveal_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->scroller),
                                                  on_reveal_tick_cb, self, NULL);
}

static void
set_compact (GtkWidget *target,
             gboolean   compact)
{
  GtkWidget *area = gtk_widget_get_ancestor (target, KUU_TYPE_TEXT_AREA);

  if (area != NULL)
    kuu_text_area_set_compact (KUU_TEXT_AREA (area), compact);
}

static void
stop_following (KuuKeyboard *self)
{
  if (self->target != NULL)
    set_compact (self->target, FALSE);
  if (self->reveal_id != 0 && self->scroller != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->scroller), self->reveal_id);
  self->reveal_id = 0;
  g_clear_signal_handler (&self->changed_id, self->vadjustment);
  g_clear_object (&self->vadjustment);
  if (self->scroller != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->scroller), (gpointer *)&self->scroller);
  self->scroller = NULL;
}

static void
follow (KuuKeyboard *self,
        GtkWidget   *target)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (field_of (target), GTK_TYPE_SCROLLED_WINDOW);

  set_compact (target, TRUE);
  if (scroller == NULL)
    return;
  self->scroller = GTK_SCROLLED_WINDOW (scroller);
  g_object_add_weak_pointer (G_OBJECT (self->scroller), (gpointer *)&self->scroller);
  self->vadjustment = g_object_ref (gtk_scrolled_window_get_vadjustment (self->scroller));
  self->last_page = self->last_upper = -1;
  self->changed_id = g_signal_connect_swapped (self->vadjustment, "changed",
                                               G_CALLBACK (queue_reveal), self);
  queue_reveal (self);
}

static GtkWidget *
key_new (GtkWidget  *key,
         const char *accessible,
         const char *css_class)
{
  gtk_widget_set_focus_on_click (key, FALSE);
  gtk_widget_set_hexpand (key, TRUE);
  gtk_widget_add_css_class (key, "keyboard-key");
  if (css_class != NULL)
    gtk_widget_add_css_class (key, css_class);
  if (accessible != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (key), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  return key;
}

static void
build_rows (KuuKeyboard *self)
{
  GtkWidget *row;
  GtkWidget *key;

  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    {
      g_auto(GStrv) letters = g_strsplit (rows[r], " ", -1);

      row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_box_set_homogeneous (GTK_BOX (row), TRUE);

      if (r == 3)
        {
          /* Translators: the shift key of the on-screen keyboard */
          self->shift_key = key_new (gtk_toggle_button_new_with_label (_("Shift")), NULL, "keyboard-shift");
          g_signal_connect (self->shift_key, "toggled", G_CALLBACK (on_shift_toggled_cb), self);
          gtk_box_append (GTK_BOX (row), self->shift_key);
        }

      for (guint i = 0; letters[i] != NULL; i++)
        {
          key = key_new (gtk_button_new_with_label (letters[i]), letters[i], NULL);
          g_signal_connect (key, "clicked", G_CALLBACK (on_key_clicked_cb), self);
          gtk_box_append (GTK_BOX (row), key);
          if (g_unichar_isalpha (g_utf8_get_char (letters[i])))
            {
              g_object_set_data_full (G_OBJECT (key), "kuu-text", g_strdup (letters[i]), g_free);
              g_ptr_array_add (self->letter_keys, key);
            }
        }

      if (r == 0)
        {
          /* Translators: the backspace key of the on-screen keyboard */
          key = key_new (gtk_button_new_from_icon_name ("edit-clear-symbolic"), _("Backspace"), "keyboard-backspace");
          g_signal_connect_swapped (key, "clicked", G_CALLBACK (on_backspace_clicked_cb), self);
          gtk_box_append (GTK_BOX (row), key);
        }

      gtk_box_append (GTK_BOX (self->box), row);
    }

  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  /* Translators: the space bar of the on-screen keyboard */
  key = key_new (gtk_button_new_with_label (_("Space")), NULL, "keyboard-space");
  g_signal_connect_swapped (key, "clicked", G_CALLBACK (on_space_clicked_cb), self);
  gtk_widget_set_margin_start (key, 160);
  gtk_widget_set_margin_end (key, 160);
  gtk_box_append (GTK_BOX (row), key);
  gtk_box_append (GTK_BOX (self->box), row);
}

void
kuu_keyboard_set_target (KuuKeyboard *self,
                         GtkWidget   *target)
{
  g_return_if_fail (KUU_IS_KEYBOARD (self));
  g_return_if_fail (target == NULL || kuu_keyboard_accepts (target));

  if (self->target == target)
    return;

  stop_following (self);
  if (self->target != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->target), (gpointer *)&self->target);
  self->target = target;
  if (self->target != NULL)
    {
      g_object_add_weak_pointer (G_OBJECT (self->target), (gpointer *)&self->target);
      follow (self, target);
    }
  set_shifted (self, FALSE);
}

GtkWidget *
kuu_keyboard_get_target (KuuKeyboard *self)
{
  g_return_val_if_fail (KUU_IS_KEYBOARD (self), NULL);

  return self->target;
}

static void
kuu_keyboard_dispose (GObject *object)
{
  KuuKeyboard *self = (KuuKeyboard *)object;

  kuu_keyboard_set_target (self, NULL);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->letter_keys, g_ptr_array_unref);

  G_OBJECT_CLASS (kuu_keyboard_parent_class)->dispose (object);
}

static void
kuu_keyboard_class_init (KuuKeyboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kuu_keyboard_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "keyboard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
kuu_keyboard_init (KuuKeyboard *self)
{
  self->letter_keys = g_ptr_array_new ();
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  build_rows (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("On-screen keyboard"),
                                  -1);
}

GtkWidget *
kuu_keyboard_new (void)
{
  return g_object_new (KUU_TYPE_KEYBOARD, NULL);
}
